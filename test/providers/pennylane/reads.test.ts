import { addDays, frenchVatNumberFromSiren } from "@encaisse/shared";
import { describe, expect, it } from "vitest";
import { ProviderError } from "../../../functions/src/providers/errors";
import { API_TOKEN, customerInput, useHarness } from "./harness";

const h = useHarness();

describe("Pennylane: identity", () => {
  it("a company token names its company, SIREN, user and scopes, opting in to the 2026 API", async () => {
    const identity = await h.provider().probe();
    expect(identity).toEqual({
      provider: "pennylane",
      companyId: "42001",
      companyName: "Atelier Encaisse SAS",
      companySiren: "732829320",
      userEmail: "claire.moreau@example.fr",
      scopes: expect.arrayContaining(["customers:all", "customer_invoices:all"]),
    });
    const [me] = h.sentTo("GET", "/me");
    expect(me?.headers.get("authorization")).toBe(`Bearer ${API_TOKEN}`);
    expect(me?.headers.get("x-use-2026-api-changes")).toBe("true");
  });

  it("a revoked token is PROVIDER_AUTH_FAILED, asking to reconnect", async () => {
    h.emulator.revokeToken(API_TOKEN);
    const failure = await h
      .provider()
      .probe()
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ code: "PROVIDER_AUTH_FAILED", httpStatus: 401 });
  });
});

describe("Pennylane: finding customers", () => {
  const seedCustomers = async () => {
    const lyon = await h.backOffice.createCompany(customerInput());
    const berlin = await h.backOffice.createCompany(
      customerInput({
        name: "Müller Backwaren GmbH",
        reg_no: "",
        vat_number: "DE 123 456 789",
        external_reference: "hubspot-company-2",
        billing_address: {
          address: "Hauptstraße 5",
          postal_code: "10115",
          city: "Berlin",
          country_alpha2: "DE",
        },
      }),
    );
    const spaced = await h.backOffice.createCompany(
      customerInput({
        name: "Garage Petit",
        reg_no: "552 100 554",
        external_reference: "hubspot-company-3",
      }),
    );
    h.emulator.addIndividualCustomer({
      firstName: "Jeanne",
      lastName: "Roux",
      billingAddress: customerInput().billing_address,
      externalReference: "hubspot-contact-9",
    });
    return { lyon, berlin, spaced };
  };

  const cases = [
    { when: "by SIREN", lookup: { siren: "732829320" }, expected: "lyon" },
    {
      when: "by SIREN typed with spaces in the book",
      lookup: { siren: "552100554" },
      expected: "spaced",
    },
    {
      when: "by French VAT number (through its SIREN)",
      lookup: { vatNumber: frenchVatNumberFromSiren("732829320") },
      expected: "lyon",
    },
    { when: "by foreign VAT number", lookup: { vatNumber: "DE123456789" }, expected: "berlin" },
    {
      when: "by our external reference",
      lookup: { externalReference: "hubspot-company-2" },
      expected: "berlin",
    },
  ] as const;

  it.each(cases)("finds the customer $when", async ({ lookup, expected }) => {
    const ids = await seedCustomers();
    const found = await h.provider().findCustomers(lookup);
    expect(found.map((customer) => customer.providerId)).toEqual([String(ids[expected])]);
  });

  it("finds no one for a SIREN nobody has, without walking the whole book", async () => {
    await seedCustomers();
    expect(await h.provider().findCustomers({ siren: "443061841" })).toEqual([]);
    expect(h.sentTo("GET", "/customers")).toHaveLength(1);
  });

  it("sends filters as one JSON-encoded parameter", async () => {
    await seedCustomers();
    await h.provider().findCustomers({ externalReference: "hubspot-company-1" });
    const [request] = h.sentTo("GET", "/customers");
    expect(JSON.parse(request?.url.searchParams.get("filter") ?? "null")).toEqual([
      { field: "external_reference", operator: "eq", value: "hubspot-company-1" },
    ]);
    expect(
      [...(request?.url.searchParams.keys() ?? [])].some((key) => key.startsWith("filter[")),
    ).toBe(false);
  });

  it("reads a company customer into the normalized model", async () => {
    const { lyon } = await seedCustomers();
    const customer = await h.provider().getCustomer(String(lyon));
    expect(customer).toEqual({
      provider: "pennylane",
      providerId: String(lyon),
      kind: "company",
      name: "Boulangerie Martin SARL",
      siren: "732829320",
      siret: null,
      vatNumber: null,
      emails: ["compta@boulangerie-martin.fr"],
      billingAddress: {
        line1: "12 rue des Lilas",
        line2: null,
        postalCode: "69003",
        city: "Lyon",
        countryCode: "FR",
      },
      paymentTerms: "30_days",
      externalReference: "hubspot-company-1",
    });
  });

  it("an unknown customer id is PROVIDER_NOT_FOUND", async () => {
    await expect(h.provider().getCustomer("999999")).rejects.toMatchObject({
      code: "PROVIDER_NOT_FOUND",
    });
  });
});

describe("Pennylane: listing invoices", () => {
  const seedBook = async () => {
    const lyon = await h.backOffice.createCompany(customerInput());
    const paris = await h.backOffice.createCompany(
      customerInput({
        name: "Café de Paris",
        reg_no: "552100554",
        external_reference: "hubspot-company-5",
      }),
    );
    const ids: number[] = [];
    for (let day = 0; day < 28; day += 1) {
      const date = addDays("2026-01-01", day * 2);
      const customerId = day % 9 === 4 ? paris : lyon;
      ids.push(await h.backOffice.createInvoice({ customerId, date, deadline: addDays(date, 30) }));
    }
    return { lyon, paris, ids };
  };

  it("pages through a customer's invoices, newest first, without payments", async () => {
    const { lyon } = await seedBook();
    const provider = h.provider();
    const pages = [];
    let cursor: string | null = null;
    do {
      const page = await provider.listCustomerInvoices(String(lyon), { cursor, limit: 10 });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null);
    const invoices = pages.flatMap((page) => page.items);
    expect(pages.map((page) => page.items.length)).toEqual([10, 10, 5]);
    expect(pages.every((page) => !page.paymentsIncluded)).toBe(true);
    expect(new Set(invoices.map((invoice) => invoice.id)).size).toBe(25);
    expect(invoices.every((invoice) => invoice.customerId === String(lyon))).toBe(true);
    expect(invoices.every((invoice) => invoice.customerName === "Boulangerie Martin SARL")).toBe(
      true,
    );
    const dates = invoices.map((invoice) => invoice.issueDate);
    expect(dates).toEqual([...dates].sort().reverse());
    // Names are fetched once per client, not once per page.
    expect(h.sentTo("GET", "/customers")).toHaveLength(1);
  });

  it("a backfill walks every invoice of the book, oldest first, each exactly once", async () => {
    const { ids } = await seedBook();
    const provider = h.provider();
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await provider.listInvoices({ cursor, limit: 100 });
      seen.push(...page.items.map((invoice) => invoice.id));
      cursor = page.nextCursor;
      if (cursor !== null) expect(page.items).toHaveLength(100);
    } while (cursor !== null);
    expect(seen).toEqual(ids.map(String));
  });

  it("a page larger than Pennylane allows is asked for at its 100 maximum", async () => {
    await seedBook();
    await h.provider().listInvoices({ limit: 500 });
    expect(h.sentTo("GET", "/customer_invoices")[0]?.url.searchParams.get("limit")).toBe("100");
  });
});

describe("Pennylane: one invoice in full", () => {
  const seedPaidInPart = async () => {
    const customerId = await h.backOffice.createCompany(customerInput());
    const invoiceId = await h.backOffice.createInvoice({
      customerId,
      date: "2026-03-02",
      deadline: "2026-04-01",
      externalReference: "hubspot-deal-7",
      lines: [
        {
          label: "Audit",
          quantity: 3,
          raw_currency_unit_price: "1234.567800",
          unit: "piece",
          vat_rate: "FR_200",
        },
        {
          label: "Livres",
          quantity: 2,
          raw_currency_unit_price: "19.99",
          unit: "piece",
          vat_rate: "FR_55",
        },
      ],
    });
    h.emulator.recordPayment(invoiceId, {
      date: "2026-03-05",
      amountCents: 100_000,
      label: "VIR MARTIN 1",
    });
    h.emulator.recordPayment(invoiceId, {
      date: "2026-03-09",
      amountCents: 50_050,
      label: "VIR MARTIN 2",
    });
    return { customerId, invoiceId };
  };

  it("reads lines with exact decimals, payments, and what is still owed", async () => {
    const { invoiceId, customerId } = await seedPaidInPart();
    const invoice = await h.provider().getInvoice(String(invoiceId));
    // 3 x 1234.5678 = 3703.7034 -> 3703.70 net, 740.74 VAT; 2 x 19.99 = 39.98 net, 2.20 VAT (5.5 %).
    expect(invoice.lines).toEqual([
      {
        label: "Audit",
        quantity: "3",
        unitPriceExclTax: "1234.5678",
        vatCode: "FR_200",
        discountPercent: null,
        netCents: 370_370,
        vatCents: 74_074,
        grossCents: 444_444,
      },
      {
        label: "Livres",
        quantity: "2",
        unitPriceExclTax: "19.99",
        vatCode: "FR_55",
        discountPercent: null,
        netCents: 3_998,
        vatCents: 220,
        grossCents: 4_218,
      },
    ]);
    expect(invoice).toMatchObject({
      id: String(invoiceId),
      customerId: String(customerId),
      customerName: "Boulangerie Martin SARL",
      issueDate: "2026-03-02",
      dueDate: "2026-04-01",
      netCents: 374_368,
      vatCents: 74_294,
      grossCents: 448_662,
      paidCents: 150_050,
      remainingCents: 298_612,
      status: "partially_paid",
      daysLate: 0,
      isDraft: false,
      providerStatus: "partially_paid",
      externalReference: "hubspot-deal-7",
    });
    expect(invoice.number).not.toBeNull();
    expect(invoice.payments.map((payment) => [payment.amountCents, payment.label])).toEqual([
      [100_000, "VIR MARTIN 1"],
      [50_050, "VIR MARTIN 2"],
    ]);
    expect(invoice.payments.map((payment) => payment.date)).toEqual(["2026-03-05", "2026-03-09"]);
  });

  it("an invoice past its due date with money owed reads overdue, with the days late", async () => {
    const { invoiceId } = await seedPaidInPart();
    h.clock.advance(25 * 86_400_000); // 4 April 2026: three days after the deadline
    const invoice = await h.provider().getInvoice(String(invoiceId));
    expect(invoice).toMatchObject({ status: "overdue", daysLate: 3, remainingCents: 298_612 });
  });

  it("lists an invoice's payments on their own", async () => {
    const { invoiceId } = await seedPaidInPart();
    const payments = await h.provider().listInvoicePayments(String(invoiceId));
    expect(payments.reduce((sum, payment) => sum + payment.amountCents, 0)).toBe(150_050);
  });

  it("finds an invoice by our external reference, or says there is none", async () => {
    const { invoiceId } = await seedPaidInPart();
    const provider = h.provider();
    expect((await provider.findInvoiceByExternalReference("hubspot-deal-7"))?.id).toBe(
      String(invoiceId),
    );
    expect(await provider.findInvoiceByExternalReference("hubspot-deal-8")).toBeNull();
  });

  it("an unknown invoice is PROVIDER_NOT_FOUND", async () => {
    await expect(h.provider().getInvoice("424242")).rejects.toMatchObject({
      code: "PROVIDER_NOT_FOUND",
      httpStatus: 404,
    });
  });

  it("hands out a fresh PDF link on each ask, valid 30 minutes", async () => {
    const { invoiceId } = await seedPaidInPart();
    const provider = h.provider();
    const link = await provider.getPdfLink(String(invoiceId));
    expect(Date.parse(link.expiresAt) - h.clock.now()).toBe(30 * 60 * 1000);
    const pdf = await fetch(link.url);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    h.clock.advance(31 * 60 * 1000);
    expect((await fetch(link.url)).status).toBe(403);
    const fresh = await provider.getPdfLink(String(invoiceId));
    expect((await fetch(fresh.url)).status).toBe(200);
  });
});
