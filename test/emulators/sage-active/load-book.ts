/**
 * Loads a provider-neutral book (test/fixtures/book.ts) into an organization, the way the
 * company would have entered it in Sage Active: customers with their SIREN as documentId,
 * VAT number, address, invoicing e-mail and payment terms; invoices numbered with the
 * book's numbers, posted, with one open item due on the book's due date; the book's
 * payments as bank settlements; credit notes linked to their invoice; a cancelled invoice
 * as an invoice fully credited (Sage has no cancelled status); drafts left Pending.
 * Records carry the book's dates, so modification-date polling sees a realistic history.
 */
import type { PaymentTerms } from "@encaisse/shared";
import type { Book, SeedInvoice } from "../../fixtures/book";
import { firstInvoiceDates } from "../common/book";
import { createCustomer, type PaymentTermLineInput } from "./customers";
import type { SageActiveEmulator } from "./emulator";
import { settleInvoice } from "./emulator";
import type { OrganizationData, SeriesRecord } from "./records";
import {
  closeSalesInvoice,
  createSalesInvoice,
  generateCreditNote,
  postSalesInvoice,
} from "./sales";
import { taxGroupCodeFor } from "./tax-codes";

export interface LoadBookOptions {
  /** Defaults to the emulator's default organization. */
  readonly organizationId?: string;
}

export interface LoadedBook {
  readonly organizationId: string;
  /** Book company key -> Sage customer id. */
  readonly customerIds: ReadonlyMap<string, string>;
  /** Book invoice key -> Sage sales invoice id. */
  readonly invoiceIds: ReadonlyMap<string, string>;
}

/** Our payment terms as one Sage payment term line (days, then end of month if asked). */
export function paymentTermLinesFor(terms: PaymentTerms): PaymentTermLineInput[] {
  const days = terms === "upon_receipt" ? 0 : Number(terms.split("_")[0]);
  return [
    {
      order: 9999,
      type: "REMAINING_AMOUNT",
      value: "0",
      condition: terms.endsWith("_end_of_month") ? "END_OF_MONTH" : "NONE",
      day: days,
    },
  ];
}

const stamp = (date: string, time = "08:00:00") => `${date}T${time}.000Z`;

/** Continues the book's numbering: "F-2025-00042" -> text "F-2025-", padding 5, next 43. */
function continueSeries(series: SeriesRecord, invoices: readonly SeedInvoice[]): void {
  const latest = [...invoices]
    .filter((invoice) => !invoice.draft)
    .sort((a, b) =>
      a.issueDate === b.issueDate
        ? a.number.localeCompare(b.number)
        : a.issueDate < b.issueDate
          ? -1
          : 1,
    )
    .at(-1);
  const match = latest ? /^(.*?)(\d+)$/.exec(latest.number) : null;
  if (!match) return;
  const [, text = "", digits = ""] = match;
  series.text = text;
  series.padding = digits.length;
  series.nextNumber = Number(digits) + 1;
}

function productIdFor(org: OrganizationData, groupCode: string): string {
  const group = org.taxGroups.find((candidate) => candidate.definition.code === groupCode);
  const product = [...org.products.values()].find(
    (candidate) => candidate.taxGroupId === group?.id,
  );
  if (!product) throw new Error(`No product for tax group ${groupCode}.`);
  return product.id;
}

export function loadBookInto(
  emulator: SageActiveEmulator,
  book: Book,
  options: LoadBookOptions,
): LoadedBook {
  const org = emulator.organization(options.organizationId);
  const customerIds = new Map<string, string>();
  const invoiceIds = new Map<string, string>();
  const firstIssue = firstInvoiceDates(book);

  for (const company of book.companies) {
    const ctx = emulator.ruleContext(
      org,
      stamp(firstIssue.get(company.key) ?? book.today, "07:00:00"),
    );
    const customer = createCustomer(
      org,
      ctx.ids,
      ctx.now,
      {
        socialName: company.name,
        documentId: company.siren,
        vatNumber: company.vatNumber,
        customerType: "BUSINESS",
        addresses: [
          {
            firstLine: company.address.line1,
            zipCode: company.address.postalCode,
            city: company.address.city,
            countryIsoCodeAlpha2: company.address.countryCode,
          },
        ],
        contacts: [
          {
            name: company.contact.firstName,
            surname: company.contact.lastName,
            isDefaultCustomer: true,
            emails: [
              { emailAddress: company.email, usage: "INVOICES", isDefault: true },
              { emailAddress: company.contact.email, usage: "OTHERS", isDefault: false },
            ],
            phones: [{ number: company.phone, type: "LANDLINE", isDefault: true }],
          },
        ],
        paymentTermLines: paymentTermLinesFor(company.paymentTerms),
      },
      "GLOBAL",
    );
    customerIds.set(company.key, customer.id);
  }

  const byDate = (a: SeedInvoice, b: SeedInvoice) =>
    a.issueDate === b.issueDate
      ? a.number.localeCompare(b.number)
      : a.issueDate < b.issueDate
        ? -1
        : 1;
  const invoices = book.invoices.filter((invoice) => invoice.creditNoteOf === null).sort(byDate);
  const creditNotes = book.invoices.filter((invoice) => invoice.creditNoteOf !== null).sort(byDate);
  const credited = new Set(creditNotes.map((invoice) => invoice.creditNoteOf));
  // Before loading, so credit notes made up for cancelled invoices number after the book's.
  continueSeries(org.invoiceSeries, invoices);
  continueSeries(org.creditNoteSeries, creditNotes);

  for (const seed of [...invoices, ...creditNotes]) {
    const customerId = customerIds.get(seed.customerKey);
    if (!customerId)
      throw new Error(`Invoice ${seed.key} names an unknown company ${seed.customerKey}.`);
    const issued = emulator.ruleContext(org, stamp(seed.issueDate));
    const sourceId = seed.creditNoteOf === null ? undefined : invoiceIds.get(seed.creditNoteOf);
    if (seed.creditNoteOf !== null && !sourceId)
      throw new Error(`Credit note ${seed.key} credits an unknown invoice.`);
    const invoice = createSalesInvoice(
      issued,
      {
        customerId,
        documentDate: seed.issueDate,
        operationalNumber: seed.draft ? null : seed.number,
        lines: seed.lines.map((line) => ({
          productId: productIdFor(org, taxGroupCodeFor(line.vatCode)),
          productName: line.label,
          totalQuantity: line.quantity,
          unitPrice: line.unitPriceExclTax,
          firstDiscount: line.discountPercent,
        })),
      },
      {
        vatCodes: seed.lines.map((line) => line.vatCode),
        dueDate: seed.dueDate,
        sourceType: "SALES",
        ...(sourceId === undefined ? {} : { creditNoteOf: sourceId }),
      },
    );
    invoiceIds.set(seed.key, invoice.id);
    if (seed.draft) continue;
    postSalesInvoice(issued, {
      salesInvoiceId: invoice.id,
      accountingEntryDescription: `${seed.creditNoteOf === null ? "Facture" : "Avoir"} ${seed.number}`,
      journalTypeId: org.salesJournalId,
    });
    for (const payment of [...seed.payments].sort((a, b) =>
      a.date < b.date ? -1 : a.date > b.date ? 1 : 0,
    )) {
      settleInvoice(
        emulator.ruleContext(org, stamp(payment.date, "10:00:00")),
        invoice.id,
        {
          date: payment.date,
          amountCents: payment.amountCents,
          method: payment.method === "cash" ? "CASH" : "BANK_ACCOUNT",
          description: payment.label,
        },
        "BANKING",
      );
    }
    if (seed.cancelled && !credited.has(seed.key)) {
      const creditNote = generateCreditNote(issued, {
        id: invoice.id,
        outputDocumentDate: seed.issueDate,
      });
      closeSalesInvoice(issued, creditNote.id);
      postSalesInvoice(issued, {
        salesInvoiceId: creditNote.id,
        accountingEntryDescription: `Annulation ${seed.number}`,
        journalTypeId: org.salesJournalId,
      });
    }
  }

  return { organizationId: org.organization.id, customerIds, invoiceIds };
}
