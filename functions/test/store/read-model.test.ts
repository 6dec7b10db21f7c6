import { describe, expect, it } from "vitest";
import type { Customer, Invoice } from "@encaisse/shared";
import type { InvoiceFilter, InvoicePayment, InvoiceSort } from "../../src/store";
import { TEST_DRIVERS, useTestStore } from "../support/store";

const TENANT = "1001";
const TODAY = "2026-03-16";

function customer(providerId: string, overrides: Partial<Customer> = {}): Customer {
  return {
    provider: "pennylane",
    providerId,
    kind: "company",
    name: `Client ${providerId}`,
    siren: null,
    siret: null,
    vatNumber: null,
    emails: [],
    billingAddress: null,
    paymentTerms: "30_days",
    externalReference: null,
    ...overrides,
  };
}

function invoice(id: string, overrides: Partial<Invoice> = {}): Invoice {
  const grossCents = overrides.grossCents ?? 120_000;
  const paidCents = overrides.paidCents ?? 0;
  return {
    provider: "pennylane",
    id,
    number: `F-2026-${id}`,
    customerId: "cus-1",
    customerName: "Atelier Dupont SARL",
    issueDate: "2026-01-15",
    dueDate: "2026-02-14",
    currency: "EUR",
    netCents: 100_000,
    vatCents: 20_000,
    grossCents,
    paidCents,
    remainingCents: grossCents - paidCents,
    status: "open",
    daysLate: 0,
    isDraft: false,
    isCreditNote: false,
    isCancelled: false,
    providerStatus: "upcoming",
    lines: [
      {
        label: "Maintenance annuelle",
        quantity: "1",
        unitPriceExclTax: "1000.00",
        vatCode: "FR_200",
        discountPercent: null,
        netCents: 100_000,
        vatCents: 20_000,
        grossCents: 120_000,
      },
    ],
    payments: [],
    externalReference: null,
    webUrl: `https://app.pennylane.com/invoices/${id}`,
    updatedAt: "2026-01-15T10:00:00.000Z",
    ...overrides,
  };
}

/** A customer's book: ids say what each invoice is, dates and amounts differ on purpose. */
const BOOK: Invoice[] = [
  invoice("paid", {
    issueDate: "2026-01-05",
    dueDate: "2026-02-04",
    grossCents: 60_000,
    paidCents: 60_000,
    number: "F-2026-001",
  }),
  invoice("late-partly-paid", {
    issueDate: "2026-01-20",
    dueDate: "2026-02-19",
    grossCents: 240_000,
    paidCents: 40_000,
    number: "F-2026-002",
  }),
  invoice("late", {
    issueDate: "2026-02-01",
    dueDate: "2026-03-03",
    grossCents: 90_000,
    number: "F-2026-003",
  }),
  invoice("not-yet-due", {
    issueDate: "2026-03-01",
    dueDate: "2026-03-31",
    grossCents: 150_000,
    number: "F-2026-004",
  }),
  invoice("due-today", {
    issueDate: "2026-02-14",
    dueDate: TODAY,
    grossCents: 30_000,
    number: "F-2026-005",
  }),
  invoice("draft", {
    issueDate: "2026-03-10",
    dueDate: "2026-04-09",
    grossCents: 500_000,
    number: null,
    isDraft: true,
  }),
  invoice("credit-note", {
    issueDate: "2026-02-20",
    dueDate: "2026-02-20",
    grossCents: -20_000,
    paidCents: 0,
    number: "AV-2026-001",
    isCreditNote: true,
  }),
  invoice("cancelled", {
    issueDate: "2026-01-02",
    dueDate: "2026-02-01",
    number: "F-2026-000",
    isCancelled: true,
  }),
];

const CARD_PAYMENT: InvoicePayment = {
  invoiceId: "late-partly-paid",
  id: "pay-2",
  date: "2026-02-25",
  amountCents: 15_000,
  method: "card",
  label: null,
};

const PAYMENTS: InvoicePayment[] = [
  CARD_PAYMENT,
  {
    invoiceId: "late-partly-paid",
    id: "pay-1",
    date: "2026-02-10",
    amountCents: 25_000,
    method: "transfer",
    label: "VIR ATELIER DUPONT",
  },
  {
    invoiceId: "paid",
    id: "pay-3",
    date: "2026-02-01",
    amountCents: 60_000,
    method: "direct_debit",
    label: null,
  },
];

describe.each(TEST_DRIVERS)("the read model (%s)", (driver) => {
  const ctx = useTestStore(driver);

  async function seedBook() {
    await ctx.repos.tenants.install(TENANT);
    await ctx.repos.readModel.upsertInvoices(TENANT, BOOK);
    await ctx.repos.readModel.upsertPayments(TENANT, "pennylane", PAYMENTS);
  }

  async function idsOf(sort: InvoiceSort, order: "asc" | "desc", status: InvoiceFilter = "all") {
    const page = await ctx.repos.readModel.listCustomerInvoices(TENANT, {
      provider: "pennylane",
      customerId: "cus-1",
      sort,
      order,
      status,
      pageSize: 100,
      today: TODAY,
    });
    return page.items.map((item) => item.id);
  }

  it("an invoice reads back as it was written, with its status derived for the day and its payments in date order", async () => {
    await seedBook();
    const stored = await ctx.repos.readModel.getInvoice(
      TENANT,
      "pennylane",
      "late-partly-paid",
      TODAY,
    );
    const original = BOOK[1];
    expect(stored).toEqual({
      ...original,
      status: "overdue",
      daysLate: 25,
      payments: [
        {
          id: "pay-1",
          date: "2026-02-10",
          amountCents: 25_000,
          method: "transfer",
          label: "VIR ATELIER DUPONT",
        },
        { id: "pay-2", date: "2026-02-25", amountCents: 15_000, method: "card", label: null },
      ],
    });
  });

  it.each<[InvoiceFilter, string[]]>([
    [
      "all",
      [
        "cancelled",
        "credit-note",
        "draft",
        "due-today",
        "late",
        "late-partly-paid",
        "not-yet-due",
        "paid",
      ],
    ],
    ["unpaid", ["due-today", "late", "late-partly-paid", "not-yet-due"]],
    ["overdue", ["late", "late-partly-paid"]],
    ["paid", ["paid"]],
  ])("the %s filter keeps %j", async (status, expected) => {
    await seedBook();
    expect((await idsOf("issueDate", "desc", status)).sort()).toEqual(expected);
  });

  it.each<[InvoiceSort, "asc" | "desc", string[]]>([
    [
      "issueDate",
      "desc",
      [
        "draft",
        "not-yet-due",
        "credit-note",
        "due-today",
        "late",
        "late-partly-paid",
        "paid",
        "cancelled",
      ],
    ],
    [
      "dueDate",
      "asc",
      [
        "cancelled",
        "paid",
        "late-partly-paid",
        "credit-note",
        "late",
        "due-today",
        "not-yet-due",
        "draft",
      ],
    ],
    [
      "grossCents",
      "desc",
      [
        "draft",
        "late-partly-paid",
        "not-yet-due",
        "cancelled",
        "late",
        "paid",
        "due-today",
        "credit-note",
      ],
    ],
    [
      "remainingCents",
      "asc",
      [
        "credit-note",
        "paid",
        "due-today",
        "late",
        "cancelled",
        "not-yet-due",
        "late-partly-paid",
        "draft",
      ],
    ],
    // Drafts have no number yet: last whichever the direction.
    [
      "number",
      "asc",
      [
        "credit-note",
        "cancelled",
        "paid",
        "late-partly-paid",
        "late",
        "not-yet-due",
        "due-today",
        "draft",
      ],
    ],
    [
      "number",
      "desc",
      [
        "due-today",
        "not-yet-due",
        "late",
        "late-partly-paid",
        "paid",
        "cancelled",
        "credit-note",
        "draft",
      ],
    ],
  ])("sorted by %s %s", async (sort, order, expected) => {
    await seedBook();
    expect(await idsOf(sort, order)).toEqual(expected);
  });

  it("sorted by days late, the latest first, then the ones not late (ties in id order)", async () => {
    await seedBook();
    const ids = await idsOf("daysLate", "desc", "unpaid");
    expect(ids).toEqual(["late-partly-paid", "late", "due-today", "not-yet-due"]);
  });

  it("pages cover every invoice exactly once, with the total", async () => {
    await seedBook();
    const seen: string[] = [];
    for (const page of [1, 2, 3]) {
      const result = await ctx.repos.readModel.listCustomerInvoices(TENANT, {
        provider: "pennylane",
        customerId: "cus-1",
        page,
        pageSize: 3,
        sort: "dueDate",
        order: "desc",
        today: TODAY,
      });
      expect(result.total).toBe(BOOK.length);
      expect(result.items.length).toBe(page < 3 ? 3 : 2);
      seen.push(...result.items.map((item) => item.id));
    }
    expect(seen).toHaveLength(BOOK.length);
    expect(new Set(seen)).toEqual(new Set(BOOK.map((item) => item.id)));
  });

  it("a page past the end is empty but still says how many there are", async () => {
    await seedBook();
    const result = await ctx.repos.readModel.listCustomerInvoices(TENANT, {
      provider: "pennylane",
      customerId: "cus-1",
      page: 10,
      pageSize: 5,
    });
    expect(result).toMatchObject({ items: [], total: BOOK.length, page: 10, pageSize: 5 });
  });

  it("another customer's invoices are not listed", async () => {
    await seedBook();
    await ctx.repos.readModel.upsertInvoices(TENANT, [invoice("other", { customerId: "cus-2" })]);
    expect(await idsOf("issueDate", "desc")).not.toContain("other");
    const all = await ctx.repos.readModel.allCustomerInvoices(TENANT, "pennylane", "cus-2", TODAY);
    expect(all.map((item) => item.id)).toEqual(["other"]);
  });

  it("a batch upsert updates changed invoices and adds new ones; a duplicate in the batch keeps the last", async () => {
    await seedBook();
    await ctx.repos.readModel.upsertInvoices(TENANT, [
      invoice("late", {
        paidCents: 90_000,
        grossCents: 90_000,
        updatedAt: "2026-03-10T00:00:00.000Z",
      }),
      invoice("new", { issueDate: "2026-03-15", dueDate: "2026-04-14" }),
      invoice("new", { issueDate: "2026-03-15", dueDate: "2026-04-14", grossCents: 99_900 }),
    ]);
    const late = await ctx.repos.readModel.getInvoice(TENANT, "pennylane", "late", TODAY);
    expect(late).toMatchObject({ status: "paid", remainingCents: 0, daysLate: 0 });
    const fresh = await ctx.repos.readModel.getInvoice(TENANT, "pennylane", "new", TODAY);
    expect(fresh?.grossCents).toBe(99_900);
  });

  it("an older version of an invoice does not overwrite a newer one", async () => {
    await seedBook();
    await ctx.repos.readModel.upsertInvoices(TENANT, [
      invoice("late", {
        paidCents: 90_000,
        grossCents: 90_000,
        updatedAt: "2026-03-10T00:00:00.000Z",
      }),
    ]);
    await ctx.repos.readModel.upsertInvoices(TENANT, [
      invoice("late", { grossCents: 90_000, updatedAt: "2026-03-01T00:00:00.000Z" }),
    ]);
    const late = await ctx.repos.readModel.getInvoice(TENANT, "pennylane", "late", TODAY);
    expect(late?.remainingCents).toBe(0);
  });

  it("thousands of invoices are written and read back exactly", async () => {
    await ctx.repos.tenants.install(TENANT);
    const many = Array.from({ length: 2500 }, (_, index) =>
      invoice(`bulk-${String(index).padStart(4, "0")}`, {
        grossCents: 1_000 + index,
        customerId: "cus-bulk",
      }),
    );
    await ctx.repos.readModel.upsertInvoices(TENANT, many);
    const all = await ctx.repos.readModel.allCustomerInvoices(TENANT, "pennylane", "cus-bulk");
    expect(all).toHaveLength(2500);
    const total = all.reduce((sum, item) => sum + item.grossCents, 0);
    expect(total).toBe(many.reduce((sum, item) => sum + item.grossCents, 0));
  });

  it("replacing an invoice's payments drops the ones no longer matched", async () => {
    await seedBook();
    await ctx.repos.readModel.replacePayments(
      TENANT,
      "pennylane",
      ["late-partly-paid"],
      [CARD_PAYMENT],
    );
    const stored = await ctx.repos.readModel.getInvoice(TENANT, "pennylane", "late-partly-paid");
    expect(stored?.payments.map((payment) => payment.id)).toEqual(["pay-2"]);
    const untouched = await ctx.repos.readModel.getInvoice(TENANT, "pennylane", "paid");
    expect(untouched?.payments.map((payment) => payment.id)).toEqual(["pay-3"]);
  });

  it("a deleted invoice disappears with its payments", async () => {
    await seedBook();
    await ctx.repos.readModel.deleteInvoice(TENANT, "pennylane", "late-partly-paid");
    expect(
      await ctx.repos.readModel.getInvoice(TENANT, "pennylane", "late-partly-paid"),
    ).toBeNull();
    // Re-created with the same id, it does not inherit the old payments.
    await ctx.repos.readModel.upsertInvoices(TENANT, [invoice("late-partly-paid")]);
    const again = await ctx.repos.readModel.getInvoice(TENANT, "pennylane", "late-partly-paid");
    expect(again?.payments).toEqual([]);
  });

  it("finds an invoice by our external reference and by its number", async () => {
    await seedBook();
    await ctx.repos.readModel.upsertInvoices(TENANT, [
      invoice("from-deal", { externalReference: "hubspot-deal-901", number: "F-2026-077" }),
    ]);
    const { readModel } = ctx.repos;
    expect(
      (await readModel.findInvoiceByExternalReference(TENANT, "pennylane", "hubspot-deal-901"))?.id,
    ).toBe("from-deal");
    expect((await readModel.findInvoiceByNumber(TENANT, "pennylane", "F-2026-077"))?.id).toBe(
      "from-deal",
    );
    expect(await readModel.findInvoiceByNumber(TENANT, "sage_active", "F-2026-077")).toBeNull();
    expect(
      await readModel.findInvoiceByExternalReference(TENANT, "pennylane", "hubspot-deal-902"),
    ).toBeNull();
  });

  it("customers round-trip and are found by any of their identifiers", async () => {
    await ctx.repos.tenants.install(TENANT);
    const dupont = customer("cus-1", {
      name: "Atelier Dupont SARL",
      siren: "732829320",
      siret: "73282932000074",
      vatNumber: "FR44732829320",
      emails: ["compta@dupont.example"],
      externalReference: "hubspot-company-501",
      billingAddress: {
        line1: "12 rue de la Paix",
        line2: null,
        postalCode: "75002",
        city: "Paris",
        countryCode: "FR",
      },
    });
    await ctx.repos.readModel.upsertCustomers(TENANT, [dupont, customer("cus-2")]);
    const stored = await ctx.repos.readModel.getCustomer(TENANT, "pennylane", "cus-1");
    expect(stored).toEqual({ ...dupont, syncedAt: new Date(ctx.clock.now()) });
    for (const identifiers of [
      { siren: "732829320" },
      { siret: "73282932000074" },
      { vatNumber: "FR44732829320" },
      { externalReference: "hubspot-company-501" },
      { siren: "000000000", vatNumber: "FR44732829320" },
    ]) {
      const found = await ctx.repos.readModel.findCustomers(TENANT, "pennylane", identifiers);
      expect(found.map((c) => c.providerId)).toEqual(["cus-1"]);
    }
    expect(await ctx.repos.readModel.findCustomers(TENANT, "pennylane", {})).toEqual([]);
    await ctx.repos.readModel.deleteCustomer(TENANT, "pennylane", "cus-1");
    expect(await ctx.repos.readModel.getCustomer(TENANT, "pennylane", "cus-1")).toBeNull();
  });

  it("freshness is per customer: unknown until marked, then the time it was marked", async () => {
    await ctx.repos.tenants.install(TENANT);
    const { readModel } = ctx.repos;
    expect(await readModel.freshness(TENANT, "pennylane", "cus-1")).toBeNull();
    await readModel.markFresh(TENANT, "pennylane", "cus-1");
    const first = ctx.clock.now();
    ctx.clock.advance(300_000);
    await readModel.markFresh(TENANT, "pennylane", "cus-2");
    expect((await readModel.freshness(TENANT, "pennylane", "cus-1"))?.getTime()).toBe(first);
    await readModel.markFresh(TENANT, "pennylane", "cus-1");
    expect((await readModel.freshness(TENANT, "pennylane", "cus-1"))?.getTime()).toBe(
      ctx.clock.now(),
    );
    expect(await readModel.freshness(TENANT, "sage_active", "cus-1")).toBeNull();
  });
});
