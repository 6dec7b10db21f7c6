/**
 * A small hand-written book for the emulator's own tests: two customers and one invoice in
 * each state Pennylane distinguishes (paid, partly paid, late, upcoming, cancelled by a credit
 * note, draft), dated relative to "today" 2026-03-16. The seed generator makes bigger ones.
 */
import { addDays, chargedRateOf, computeInvoiceAmounts } from "@encaisse/shared";
import type { Book, SeedCompany, SeedInvoice, SeedInvoiceLine } from "../../fixtures/book";

export const SAMPLE_TODAY = "2026-03-16";

const company = (
  key: string,
  name: string,
  siren: string,
  city: string,
  postalCode: string,
): SeedCompany => ({
  key,
  name,
  siren,
  siret: `${siren}00017`,
  vatNumber: `FR00${siren}`,
  domain: `${key}.example.fr`,
  email: `compta@${key}.example.fr`,
  phone: "+33 1 23 45 67 89",
  address: { line1: "12 rue de la République", postalCode, city, countryCode: "FR" },
  paymentTerms: "30_days",
  behaviour: "on_time",
  contact: { firstName: "Julie", lastName: "Bernard", email: `julie@${key}.example.fr` },
});

const line = (
  label: string,
  quantity: string,
  unitPriceExclTax: string,
  vatCode: SeedInvoiceLine["vatCode"] = "FR_200",
) => ({
  label,
  quantity,
  unitPriceExclTax,
  vatCode,
  discountPercent: null,
});

function invoice(
  key: string,
  customerKey: string,
  number: string,
  daysAgo: number,
  termDays: number,
  lines: SeedInvoiceLine[],
  extra: Partial<SeedInvoice> = {},
): SeedInvoice {
  const issueDate = addDays(SAMPLE_TODAY, -daysAgo);
  const { grossCents } = computeInvoiceAmounts(
    lines.map((item) => ({
      quantity: item.quantity,
      unitPriceExclTax: item.unitPriceExclTax,
      vatRateBasisPoints: chargedRateOf(item.vatCode),
    })),
  );
  return {
    key,
    customerKey,
    number,
    issueDate,
    dueDate: addDays(issueDate, termDays),
    lines,
    grossCents,
    payments: [],
    cancelled: false,
    creditNoteOf: null,
    draft: false,
    ...extra,
  };
}

const paidInvoice = invoice("i0001", "c001", "F-2026-00001", 60, 30, [
  line("Audit comptable", "2", "500"),
]);
const partlyPaid = invoice("i0002", "c001", "F-2026-00002", 45, 30, [
  line("Accompagnement", "1", "1000"),
  line("Livre", "2", "20", "FR_55"),
]);

export const SAMPLE_BOOK: Book = {
  seed: 1,
  today: SAMPLE_TODAY,
  companies: [
    company("c001", "Boulangerie Martin SARL", "732829320", "Lyon", "69002"),
    company("c002", "Garage Dupont SAS", "552100554", "Nantes", "44000"),
  ],
  invoices: [
    {
      ...paidInvoice,
      payments: [
        {
          date: addDays(SAMPLE_TODAY, -35),
          amountCents: paidInvoice.grossCents,
          method: "transfer",
          label: "VIR MARTIN F-2026-00001",
        },
      ],
    },
    {
      ...partlyPaid,
      payments: [
        {
          date: addDays(SAMPLE_TODAY, -20),
          amountCents: 50_000,
          method: "transfer",
          label: "VIR MARTIN ACOMPTE",
        },
      ],
    },
    invoice("i0003", "c002", "F-2026-00003", 30, 15, [line("Vidange", "1", "89.90")]),
    invoice("i0004", "c002", "F-2026-00004", 10, 30, [line("Pneus", "4", "112.45")]),
    invoice("i0005", "c002", "F-2026-00005", 8, 30, [line("Carrosserie", "1", "640")], {
      cancelled: true,
    }),
    invoice("i0006", "c002", "AV-2026-00001", 7, 0, [line("Carrosserie", "-1", "640")], {
      creditNoteOf: "i0005",
    }),
    invoice("i0007", "c001", "F-2026-00006", 2, 30, [line("Formation", "3", "350")], {
      draft: true,
    }),
  ],
};
