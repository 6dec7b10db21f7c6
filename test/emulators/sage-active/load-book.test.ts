import { describe, expect, it } from "vitest";
import {
  computeInvoiceAmounts,
  chargedRateOf,
  completeLuhn,
  frenchVatNumberFromSiren,
  parseCents,
  sumCents,
} from "@encaisse/shared";
import type { Book, SeedCompany, SeedInvoice, SeedInvoiceLine } from "../../fixtures/book";
import { generateBook, paidCentsOf } from "../../fixtures/generate";
import { BUSINESS_ERRORS, SageBusinessError } from "./business-errors";
import { CLOSE_SALES_INVOICE, CUSTOMERS, SALES_INVOICES } from "./documents";
import { harness, type Loose } from "./harness";

function company(
  key: string,
  name: string,
  sirenPrefix: string,
  paymentTerms: SeedCompany["paymentTerms"],
): SeedCompany {
  const siren = completeLuhn(sirenPrefix);
  return {
    key,
    name,
    siren,
    siret: completeLuhn(`${siren}0001`),
    vatNumber: frenchVatNumberFromSiren(siren),
    domain: `${key}.example.fr`,
    email: `compta@${key}.example.fr`,
    phone: "+33 1 23 45 67 89",
    address: {
      line1: "10 avenue de la République",
      postalCode: "69003",
      city: "Lyon",
      countryCode: "FR",
    },
    paymentTerms,
    behaviour: "on_time",
    contact: { firstName: "Nadia", lastName: "Benali", email: `nadia@${key}.example.fr` },
  };
}

function line(
  quantity: string,
  unitPriceExclTax: string,
  vatCode: SeedInvoiceLine["vatCode"],
  discountPercent: string | null = null,
): SeedInvoiceLine {
  return {
    label: `Prestation ${unitPriceExclTax}`,
    quantity,
    unitPriceExclTax,
    vatCode,
    discountPercent,
  };
}

function invoice(
  fields: Omit<SeedInvoice, "grossCents" | "payments" | "cancelled" | "creditNoteOf" | "draft"> &
    Partial<SeedInvoice>,
): SeedInvoice {
  const amounts = computeInvoiceAmounts(
    fields.lines.map((entry) => ({
      quantity: entry.quantity,
      unitPriceExclTax: entry.unitPriceExclTax,
      vatRateBasisPoints: chargedRateOf(entry.vatCode),
      discountPercent: entry.discountPercent ?? undefined,
    })),
  );
  return {
    payments: [],
    cancelled: false,
    creditNoteOf: null,
    draft: false,
    ...fields,
    grossCents: amounts.grossCents,
  };
}

const BOOK: Book = {
  seed: 0,
  today: "2026-02-27",
  companies: [
    company("lumiere", "Lumière Événements SARL", "81234567", "30_days"),
    company("rhone", "Rhône Traiteur SAS", "79876543", "45_days_end_of_month"),
  ],
  invoices: [
    invoice({
      key: "i1",
      customerKey: "lumiere",
      number: "F-2026-00001",
      issueDate: "2026-01-05",
      dueDate: "2026-02-04",
      lines: [line("2", "500", "FR_200")],
      payments: [
        { date: "2026-01-20", amountCents: 120_000, method: "transfer", label: "VIR LUMIERE" },
      ],
    }),
    invoice({
      key: "i2",
      customerKey: "lumiere",
      number: "F-2026-00002",
      issueDate: "2026-01-20",
      dueDate: "2026-02-19",
      lines: [line("1", "800", "FR_100", "5")],
      payments: [{ date: "2026-02-10", amountCents: 40_000, method: "check", label: "CHQ 1234" }],
    }),
    invoice({
      key: "i3",
      customerKey: "rhone",
      number: "F-2026-00003",
      issueDate: "2026-02-02",
      dueDate: "2026-03-31",
      lines: [line("10", "99.90", "FR_55")],
    }),
    invoice({
      key: "i4",
      customerKey: "rhone",
      number: "F-2026-00004",
      issueDate: "2026-02-10",
      dueDate: "2026-03-31",
      lines: [line("1", "300", "FR_200")],
      cancelled: true,
    }),
    invoice({
      key: "i5",
      customerKey: "rhone",
      number: "AV-2026-00001",
      issueDate: "2026-02-11",
      dueDate: "2026-02-11",
      lines: [line("-1", "300", "FR_200")],
      creditNoteOf: "i4",
    }),
    invoice({
      key: "i6",
      customerKey: "lumiere",
      number: "",
      issueDate: "2026-02-25",
      dueDate: "2026-03-27",
      lines: [line("1", "50", "FR_200")],
      draft: true,
    }),
  ],
};

function loadedWorld(book: Book = BOOK) {
  const h = harness();
  const loaded = h.emulator.loadBook(book);
  return { ...h, loaded };
}

async function allInvoices(send: ReturnType<typeof harness>["send"]): Promise<Loose[]> {
  const nodes: Loose[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Loose = (await send(SALES_INVOICES, { first: 500, after })).data.salesInvoices;
    nodes.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return nodes;
    after = page.pageInfo.endCursor;
  }
}

describe("loading a book", () => {
  it("customers carry the SIREN as documentId, the VAT number, the address, the invoicing e-mail and the terms", async () => {
    const { send } = loadedWorld();
    const answer = await send(CUSTOMERS, {
      where: { documentId: { eq: completeLuhn("79876543") } },
    });
    expect(answer.data.customers.nodes[0]).toMatchObject({
      socialName: "Rhône Traiteur SAS",
      vatNumber: frenchVatNumberFromSiren(completeLuhn("79876543")),
      customerType: "BUSINESS",
      addresses: [
        {
          firstLine: "10 avenue de la République",
          city: "Lyon",
          zipCode: "69003",
          countryIsoCodeAlpha2: "FR",
          isMainAddress: true,
        },
      ],
      contacts: [
        {
          name: "Nadia",
          surname: "Benali",
          emails: [
            { emailAddress: "compta@rhone.example.fr", usage: "INVOICES", isDefault: true },
            { emailAddress: "nadia@rhone.example.fr", usage: "OTHERS", isDefault: false },
          ],
        },
      ],
      paymentTermLines: [
        { order: 9999, type: "REMAINING_AMOUNT", condition: "END_OF_MONTH", day: 45 },
      ],
    });
  });

  it("invoices keep their numbers, due dates and totals, and payments become settlements", async () => {
    const { send, loaded } = loadedWorld();
    const byId = new Map((await allInvoices(send)).map((node) => [node.id, node]));
    const view = (key: string) => byId.get(loaded.invoiceIds.get(key) ?? "");
    expect(view("i1")).toMatchObject({
      operationalNumber: "F-2026-00001",
      status: "Collected",
      totalLiquid: 1200,
      firstDueDate: "2026-02-04T00:00:00.000Z",
    });
    // 800 - 5 % = 760.00, VAT 10 % = 76.00; 400.00 received.
    expect(view("i2")).toMatchObject({
      status: "PartiallyCollected",
      totalLiquid: 836,
      openItems: [{ amount: 836, paidAmountAccumulated: 400, status: "PARTIAL" }],
    });
    // 10 x 99.90 = 999.00, VAT 5.5 % = 54.945 -> 54.95.
    expect(view("i3")).toMatchObject({
      status: "Posted",
      totalLiquid: 1053.95,
      openItems: [{ dueDate: "2026-03-31T00:00:00.000Z", status: "NOT_SPECIFIED" }],
    });
    expect(view("i4")).toMatchObject({
      status: "Posted",
      hasCreditNote: true,
      lines: [{ availableForCreditNoteQuantity: 0 }],
    });
    expect(view("i5")).toMatchObject({
      type: "CREDIT_NOTE",
      operationalNumber: "AV-2026-00001",
      sourceSalesInvoiceId: loaded.invoiceIds.get("i4"),
      totalLiquid: -360,
    });
    expect(view("i6")).toMatchObject({ status: "Pending", operationalNumber: null });
    expect(view("i1").creationDate).toBe("2026-01-05T08:00:00.000Z");
    expect(view("i1").modificationDate).toBe("2026-01-20T10:00:00.000Z");
  });

  it("the numbering continues the book's series when a draft is closed", async () => {
    const { send, loaded } = loadedWorld();
    const closed = await send(CLOSE_SALES_INVOICE, {
      input: { salesInvoiceId: loaded.invoiceIds.get("i6") },
    });
    expect(closed.data.closeSalesInvoice.operationalNumber).toBe("F-2026-00005");
  });

  it("a cancelled invoice without its credit note in the book gets one, fully crediting it", async () => {
    const book: Book = { ...BOOK, invoices: BOOK.invoices.filter((entry) => entry.key !== "i5") };
    const { send, loaded } = loadedWorld(book);
    const creditNotes = await send(SALES_INVOICES, {
      where: { sourceSalesInvoiceId: { eq: loaded.invoiceIds.get("i4") } },
    });
    expect(creditNotes.data.salesInvoices.nodes).toEqual([
      expect.objectContaining({
        type: "CREDIT_NOTE",
        status: "Posted",
        totalLiquid: -360,
        operationalNumber: "AV0001",
      }),
    ]);
  });

  it("recordPayment settles the earliest open items first and refuses over-payment", async () => {
    const { send, emulator, loaded } = loadedWorld();
    const id = loaded.invoiceIds.get("i3") ?? "";
    emulator.recordPayment(id, { date: "2026-03-01", amountCents: 50_000 });
    const partial = (await send(SALES_INVOICES, { where: { id: { eq: id } } })).data.salesInvoices
      .nodes[0];
    expect(partial).toMatchObject({
      status: "PartiallyCollected",
      openItems: [{ paidAmountAccumulated: 500 }],
    });
    expect(() => emulator.recordPayment(id, { date: "2026-03-02", amountCents: 55_396 })).toThrow(
      SageBusinessError,
    );
    expect(() => emulator.recordPayment(id, { date: "2026-03-02", amountCents: 55_396 })).toThrow(
      BUSINESS_ERRORS.paidAmountExceedsPending,
    );
    emulator.recordPayment(id, { date: "2026-03-02", amountCents: 55_395 });
    const paid = (await send(SALES_INVOICES, { where: { id: { eq: id } } })).data.salesInvoices
      .nodes[0];
    expect(paid.status).toBe("Collected");
    expect(() => emulator.recordPayment(id, { date: "2026-03-03", amountCents: 1 })).toThrow(
      BUSINESS_ERRORS.openItemAlreadyCollected,
    );
  });

  it("a generated book loads with every total and every payment intact", async () => {
    const book = generateBook({
      seed: 11,
      companies: 40,
      invoices: 700,
      months: 12,
      today: "2026-02-27",
    });
    const { send, loaded } = loadedWorld(book);
    const byId = new Map((await allInvoices(send)).map((node) => [node.id, node]));
    expect(byId.size).toBe(book.invoices.length);
    for (const seed of book.invoices) {
      const node = byId.get(loaded.invoiceIds.get(seed.key) ?? "");
      expect(parseCents(String(node.totalLiquid)), seed.key).toBe(seed.grossCents);
      if (seed.draft) {
        expect(node.status, seed.key).toBe("Pending");
        continue;
      }
      expect(node.operationalNumber, seed.key).toBe(seed.number);
      const paid = sumCents(
        node.openItems.map((item: Loose) => parseCents(String(item.paidAmountAccumulated))),
      );
      expect(paid, seed.key).toBe(paidCentsOf(seed));
      const expected =
        paid === 0 ? "Posted" : paid === seed.grossCents ? "Collected" : "PartiallyCollected";
      expect(node.status, seed.key).toBe(expected);
      expect(node.type, seed.key).toBe(seed.creditNoteOf === null ? "NORMAL" : "CREDIT_NOTE");
    }
  });
});
