import { createHash } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { generateBook } from "../../fixtures/generate";
import { BUSINESS_ERRORS } from "./business-errors";
import {
  CHANGED_SINCE,
  CREATE_CUSTOMER,
  CUSTOMERS,
  DELETE_SALES_INVOICE,
  GENERATE_CREDIT_NOTE,
  INVOICE_POSTING,
  LOCALIZED_ERROR,
  MATCHED_LINES,
  OPEN_ITEMS,
  ORGANIZATION_DETAIL,
  ORGANIZATIONS,
  PDF_PREVIEW,
  POST_SALES_INVOICE,
  SALES_INVOICES,
  USER_PROFILE,
} from "./documents";
import { INVALID_SUBSCRIPTION_KEY } from "./emulator";
import { harness, type Loose, messagesOf } from "./harness";
import { EMPTY_GUID } from "./records";
import { customerInput, salesWorld, sirenOf } from "./sales-world";

const HOUR = 3_600_000;

describe("gateway", () => {
  it("a request without x-api-key is refused with 401 and the subscription-key message", async () => {
    const { send } = harness();
    const answer = await send(USER_PROFILE, undefined, { apiKey: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ statusCode: 401, message: INVALID_SUBSCRIPTION_KEY });
    expect(answer.body.message).toMatch(/^Access denied due to invalid subscription key\./);
  });

  it("a wrong x-api-key is refused the same way", async () => {
    const { send } = harness();
    const answer = await send(USER_PROFILE, undefined, { apiKey: "not-our-key" });
    expect(answer.status).toBe(401);
    expect(answer.body.statusCode).toBe(401);
  });

  it("the secondary subscription key works like the primary one", async () => {
    const { send } = harness({ apiKeys: ["primary-key", "secondary-key"] });
    expect((await send(USER_PROFILE, undefined, { apiKey: "secondary-key" })).status).toBe(200);
  });

  it("a request without a bearer token is refused with 401 JWT not present.", async () => {
    const { send } = harness();
    const answer = await send(USER_PROFILE, undefined, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ statusCode: 401, message: "JWT not present." });
  });

  it("an access token works for 8 hours and is refused with 401 after", async () => {
    const { send, clock } = harness();
    clock.advance(8 * HOUR - 1_000);
    expect((await send(USER_PROFILE)).status).toBe(200);
    clock.advance(1_000);
    const answer = await send(USER_PROFILE);
    expect(answer.status).toBe(401);
    expect(answer.body).toEqual({ statusCode: 401, message: "Invalid JWT." });
  });

  it("an unknown field is a 400 with standard GraphQL errors and their locations", async () => {
    const { send } = harness();
    const answer = await send("query { userProfile { id userId } }", undefined, {
      checkContract: false,
    });
    expect(answer.status).toBe(400);
    expect(answer.errors[0]?.message).toBe('Cannot query field "userId" on type "UserProfile".');
    expect(answer.errors[0]?.locations).toEqual([{ line: 1, column: 26 }]);
    expect(answer.data).toBeUndefined();
  });

  it("a variable of the wrong type is a 400", async () => {
    const { send } = harness();
    const answer = await send(ORGANIZATIONS, { first: "ten" }, { checkContract: false });
    expect(answer.status).toBe(400);
    expect(messagesOf(answer)[0]).toContain('Variable "$first" got invalid value "ten"');
  });

  it("a string sent for a Decimal is refused, as Hot Chocolate's DecimalType does", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const answer = await world.send(
      `mutation ($values: SalesInvoiceCreateGLDtoInput!) { createSalesInvoice(input: $values) { id } }`,
      {
        values: {
          customerId: customer.id,
          lines: [{ productId: world.productId("PRESTATION"), unitPrice: "12.50" }],
        },
      },
      { checkContract: false },
    );
    expect(answer.status).toBe(400);
    expect(messagesOf(answer)[0]).toContain("Decimal cannot parse");
  });

  it("organizationDetail is a connection: selecting its fields directly is a 400", async () => {
    const { send } = harness();
    const answer = await send("query { organizationDetail { id socialName } }", undefined, {
      checkContract: false,
    });
    expect(answer.status).toBe(400);
    expect(messagesOf(answer)[0]).toContain(
      'Cannot query field "id" on type "OrganizationDetailConnection"',
    );
  });

  it("userProfile and organizations need no X-OrganizationId", async () => {
    const { send, emulator } = harness();
    const profile = await send(USER_PROFILE, undefined, { organizationId: null });
    expect(profile.status).toBe(200);
    expect(profile.data.userProfile.fullName).toBe("Claire Moreau");
    const organizations = await send(ORGANIZATIONS, {}, { organizationId: null });
    expect(organizations.data.organizations.nodes).toEqual([
      expect.objectContaining({
        id: emulator.defaultOrganizationId,
        legislationCode: "FR",
        status: "READY",
        onboardingCompleted: true,
        // Configuration fields moved to organizationDetail and resolve to null here.
        documentId: null,
      }),
    ]);
  });

  it("an organization-scoped field without X-OrganizationId answers 200 with the mandatory-header error and null data", async () => {
    const { send } = harness();
    const answer = await send(CUSTOMERS, {}, { organizationId: null });
    expect(answer.status).toBe(200);
    expect(answer.data).toEqual({ customers: null });
    expect(answer.errors).toEqual([
      expect.objectContaining({
        message: "X-OrganizationId header is mandatory",
        path: ["customers"],
      }),
    ]);
  });

  it("an organization that is not ready shows the empty GUID and cannot be used", async () => {
    const { send, emulator } = harness();
    const pendingId = emulator.addOrganization({
      socialName: "Filiale en cours",
      status: "PENDING",
      onboardingCompleted: false,
    });
    const organizations = await send(ORGANIZATIONS, {}, { organizationId: null });
    expect(organizations.data.organizations.totalCount).toBe(2);
    expect(organizations.data.organizations.nodes[1]).toMatchObject({
      id: EMPTY_GUID,
      status: "PENDING",
    });
    const answer = await send(CUSTOMERS, {}, { organizationId: pendingId });
    expect(answer.data.customers).toBeNull();
    expect(answer.errors[0]).toMatchObject({
      message: "The current user is not authorized to access this resource.",
      extensions: { code: "AUTH_NOT_AUTHORIZED" },
    });
  });

  it("organizationDetail gives the company's SIREN, VAT number and currency", async () => {
    const { send } = harness();
    const answer = await send(ORGANIZATION_DETAIL);
    expect(answer.data.organizationDetail.nodes[0]).toMatchObject({
      documentId: "552100554",
      vatNumber: "FR82552100554",
      currency: { code: "EUR", precision: 2 },
    });
  });

  it("a token without the write scope can read but not create", async () => {
    const world = await salesWorld();
    const readOnly = world.emulator.issueTokens(["RDSA"]);
    expect((await world.send(CUSTOMERS, {}, { token: readOnly.access_token })).status).toBe(200);
    const answer = await world.send(
      CREATE_CUSTOMER,
      { values: customerInput("Dupont SA", "73282932") },
      { token: readOnly.access_token },
    );
    expect(answer.data.createCustomer).toBeNull();
    expect(answer.errors[0]?.extensions).toEqual({ code: "AUTH_NOT_AUTHORIZED" });
  });
});

describe("pagination", () => {
  const book = generateBook({
    seed: 5,
    companies: 45,
    invoices: 120,
    months: 6,
    today: "2026-02-27",
  });

  function loaded() {
    const h = harness();
    h.emulator.loadBook(book);
    return h;
  }

  it("pages of 20 by default follow endCursor until hasNextPage is false, and totalCount counts every match", async () => {
    const { send } = loaded();
    const seen: string[] = [];
    let after: string | null = null;
    const pageSizes: number[] = [];
    for (;;) {
      const answer = await send(CUSTOMERS, { after });
      const page: Loose = answer.data.customers;
      expect(page.totalCount).toBe(45);
      pageSizes.push(page.nodes.length);
      seen.push(...page.nodes.map((node: Loose) => node.id));
      expect(page.edges.map((edge: Loose) => edge.node.id)).toEqual(
        page.nodes.map((node: Loose) => node.id),
      );
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pageSizes).toEqual([20, 20, 5]);
    expect(new Set(seen).size).toBe(45);
  });

  it("last/before pages backwards over the same order", async () => {
    const { send } = loaded();
    const all: Loose = (await send(CUSTOMERS, { first: 45 })).data.customers;
    const tail: Loose = (await send(CUSTOMERS, { last: 10 })).data.customers;
    expect(tail.nodes.map((node: Loose) => node.id)).toEqual(
      all.nodes.slice(35).map((node: Loose) => node.id),
    );
    expect(tail.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
    const before: Loose = (await send(CUSTOMERS, { last: 5, before: tail.pageInfo.startCursor }))
      .data.customers;
    expect(before.nodes.map((node: Loose) => node.id)).toEqual(
      all.nodes.slice(30, 35).map((node: Loose) => node.id),
    );
  });

  it("first: 500 is the maximum; 501 fails with HC0051 and null data", async () => {
    const { send } = loaded();
    const ok = await send(SALES_INVOICES, { first: 500 });
    expect(ok.data.salesInvoices.nodes).toHaveLength(120);
    const tooMany = await send(SALES_INVOICES, { first: 501 });
    expect(tooMany.status).toBe(200);
    expect(tooMany.data).toEqual({ salesInvoices: null });
    expect(tooMany.errors[0]).toMatchObject({
      message: "The maximum allowed items per page were exceeded.",
      extensions: { code: "HC0051", requestedItems: 501, maxAllowedItems: 500 },
    });
  });

  it("a cursor that was not issued is refused", async () => {
    const { send } = loaded();
    const answer = await send(CUSTOMERS, { after: "not-a-cursor" });
    expect(answer.data.customers).toBeNull();
    expect(messagesOf(answer)).toEqual(["The cursor is not valid."]);
  });
});

describe("filters and order", () => {
  async function directory() {
    const world = await salesWorld();
    const paris = {
      firstLine: "1 rue de Rivoli",
      city: "PARIS",
      zipCode: "75001",
      countryIsoCodeAlpha2: "FR",
    };
    const dupont = await world.createCustomer(
      customerInput("Dupont SA", "73282932", {
        addresses: [paris],
        contacts: [
          {
            name: "Léa",
            surname: "Dupont",
            emails: [{ emailAddress: "compta@dupont.fr", usage: "INVOICES" }],
          },
        ],
      }),
    );
    const fils = await world.createCustomer(
      customerInput("DUPONT & Fils", "41234567", {
        addresses: [
          {
            firstLine: "3 place du Théâtre",
            city: "LILLE",
            zipCode: "59000",
            countryIsoCodeAlpha2: "FR",
          },
        ],
      }),
    );
    const atelier = await world.createCustomer(
      customerInput("Atelier Rivière", "52345678", { addresses: [paris] }),
    );
    const schmit = await world.createCustomer({
      socialName: "Schmit Consulting SARL",
      vatNumber: "LU26375245",
      addresses: [
        {
          firstLine: "12 Grand-Rue",
          city: "Luxembourg",
          zipCode: "1660",
          countryIsoCodeAlpha2: "LU",
        },
      ],
    });
    const petit = await world.createCustomer({
      socialName: "Camille Petit",
      customerType: "INDIVIDUAL",
      addresses: [
        {
          firstLine: "8 rue Nationale",
          city: "TOURS",
          zipCode: "37000",
          countryIsoCodeAlpha2: "FR",
        },
      ],
    });
    return { world, dupont, fils, atelier, schmit, petit };
  }

  it.each([
    ["eq ignores case", { socialName: { eq: "dupont sa" } }, ["Dupont SA"]],
    [
      "contains ignores case",
      { socialName: { contains: "DUPONT" } },
      ["Dupont SA", "DUPONT & Fils"],
    ],
    ["startsWith", { socialName: { startsWith: "atelier" } }, ["Atelier Rivière"]],
    [
      "ncontains",
      { socialName: { ncontains: "dupont" } },
      ["Atelier Rivière", "Schmit Consulting SARL", "Camille Petit"],
    ],
    ["eq null", { documentId: { eq: null } }, ["Schmit Consulting SARL", "Camille Petit"]],
    ["enum eq", { customerType: { eq: "INDIVIDUAL" } }, ["Camille Petit"]],
    [
      "or",
      { or: [{ socialName: { endsWith: "FILS" } }, { countryAcronym: { eq: "lu" } }] },
      ["DUPONT & Fils", "Schmit Consulting SARL"],
    ],
    [
      "and with a collection",
      {
        and: [
          { addresses: { some: { city: { eq: "Paris" } } } },
          { socialName: { neq: "Dupont SA" } },
        ],
      },
      ["Atelier Rivière"],
    ],
    [
      "nested collections",
      { contacts: { some: { emails: { some: { emailAddress: { endsWith: "@dupont.fr" } } } } } },
      ["Dupont SA"],
    ],
  ])("customers where %s", async (_name, where, expected) => {
    const { world } = await directory();
    const answer = await world.send(CUSTOMERS, { where });
    expect(answer.data.customers.nodes.map((node: Loose) => node.socialName)).toEqual(expected);
    expect(answer.data.customers.totalCount).toBe(expected.length);
  });

  it("customers where documentId in a list of SIRENs (the matching idiom)", async () => {
    const { world } = await directory();
    const answer = await world.send(CUSTOMERS, {
      where: { documentId: { in: [sirenOf("73282932"), sirenOf("52345678")] } },
    });
    expect(answer.data.customers.nodes.map((node: Loose) => node.socialName)).toEqual([
      "Dupont SA",
      "Atelier Rivière",
    ]);
  });

  it("a customer of another EU country is identified for VIES and gets no French VAT", async () => {
    const { world, schmit } = await directory();
    const customer = (await world.send(CUSTOMERS, { where: { id: { eq: schmit.id } } })).data
      .customers.nodes[0];
    expect(customer).toMatchObject({
      countryAcronym: "LU",
      viesCode: "LU",
      documentType: { code: "02" },
    });
    const invoice = (await world.createInvoice(schmit.id)).data.createSalesInvoice;
    expect(invoice.lines[0].vatPercentage).toBe(0);
    expect(invoice.totalVat).toBe(0);
  });

  it("customers ordered by socialName, descending", async () => {
    const { world } = await directory();
    const answer = await world.send(CUSTOMERS, { order: [{ socialName: "DESC" }] });
    expect(answer.data.customers.nodes.map((node: Loose) => node.socialName)).toEqual([
      "Schmit Consulting SARL",
      "Dupont SA",
      "DUPONT & Fils",
      "Camille Petit",
      "Atelier Rivière",
    ]);
  });

  async function invoices() {
    const context = await directory();
    const { world, dupont, fils, atelier } = context;
    const small = await world.postedInvoice(dupont.id, {
      documentDate: "2026-01-15",
      externalReference: "PO-1",
      lines: [{ productId: world.productId("PRESTA-TVA55"), totalQuantity: 1, unitPrice: 947.87 }],
    });
    const large = await world.postedInvoice(fils.id, {
      documentDate: "2026-02-20",
      lines: [{ productId: world.productId("PRESTATION"), totalQuantity: 1, unitPrice: 1000 }],
    });
    const draft = (
      await world.createInvoice(atelier.id, {
        documentDate: "2026-02-25",
        lines: [{ productId: world.productId("PRESTATION"), totalQuantity: 2, unitPrice: 99.5 }],
      })
    ).data.createSalesInvoice;
    return { ...context, small, large, draft };
  }

  it.each([
    ["by customer id, through the customer", "customer", ["small"]],
    ["on dates (gte)", "dates", ["large", "draft"]],
    ["on amounts, compared as decimals", "amounts", ["large"]],
    ["on status strings", "status", ["small", "large"]],
    ["on lines (some)", "lines", ["small"]],
    ["on externalReference", "reference", ["small"]],
  ])("sales invoices filtered %s", async (_name, filter, expected) => {
    const context = await invoices();
    const wheres: Record<string, unknown> = {
      customer: { customer: { id: { eq: context.dupont.id } } },
      dates: { documentDate: { gte: "2026-02-01" } },
      // 947.87 at 5.5 % = 1 000.00 incl. tax (not above 1 000); 1 000 at 20 % = 1 200.00; 199 at 20 % = 238.80.
      amounts: { totalLiquid: { gt: 1000 } },
      status: { status: { in: ["posted", "PartiallyCollected"] } },
      lines: { lines: { some: { productCode: { eq: "PRESTA-TVA55" } } } },
      reference: { externalReference: { eq: "PO-1" } },
    };
    const answer = await context.world.send(SALES_INVOICES, {
      where: wheres[filter],
      order: [{ documentDate: "ASC" }],
    });
    const ids = { small: context.small.id, large: context.large.id, draft: context.draft.id };
    expect(answer.data.salesInvoices.nodes.map((node: Loose) => node.id)).toEqual(
      expected.map((key) => ids[key as keyof typeof ids]),
    );
  });

  it("sales invoices ordered through the customer, then by amount as a number", async () => {
    const { world, small, large, draft } = await invoices();
    const byCustomer = await world.send(SALES_INVOICES, {
      order: [{ customer: { socialName: "ASC" } }],
    });
    expect(byCustomer.data.salesInvoices.nodes.map((node: Loose) => node.id)).toEqual([
      draft.id,
      large.id,
      small.id,
    ]);
    const byAmount = await world.send(SALES_INVOICES, { order: { totalLiquid: "DESC" } });
    expect(byAmount.data.salesInvoices.nodes.map((node: Loose) => node.totalLiquid)).toEqual([
      1200, 1000, 238.8,
    ]);
  });

  it("open items filtered through their invoice (salesInvoice: { id: { eq } })", async () => {
    const { world, large } = await invoices();
    const answer = await world.send(OPEN_ITEMS, {
      where: { salesInvoice: { id: { eq: large.id } } },
    });
    expect(answer.data.salesInvoiceOpenItems.totalCount).toBe(1);
    expect(answer.data.salesInvoiceOpenItems.nodes[0]).toMatchObject({
      salesInvoiceId: large.id,
      amount: 1200,
      salesInvoice: { status: "Posted", totalLiquid: 1200 },
    });
  });
});

describe("invoice lifecycle", () => {
  const TERMS = [
    { order: 1, type: "PERCENTAGE", value: 30, condition: "NONE", day: 0 },
    { order: 9999, type: "REMAINING_AMOUNT", value: 0, condition: "END_OF_MONTH", day: 30 },
  ];
  const TWO_LINES = (world: Awaited<ReturnType<typeof salesWorld>>) => [
    {
      productId: world.productId("PRESTATION"),
      productName: "Conseil",
      totalQuantity: 3,
      unitPrice: 1234.56,
      firstDiscount: 10,
    },
    { productCode: "PRESTA-TVA55", productName: "Livres", totalQuantity: 2, unitPrice: 49.99 },
  ];

  it("a created invoice is Pending, unnumbered, with totals computed line by line", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const answer = await world.createInvoice(customer.id, {
      lines: TWO_LINES(world),
      paymentTermLines: TERMS,
    });
    const invoice = answer.data.createSalesInvoice;
    expect(invoice).toMatchObject({
      status: "Pending",
      operationalNumber: null,
      type: "NORMAL",
      documentDate: "2026-03-02T00:00:00.000Z",
      firstDueDate: "2026-03-02T00:00:00.000Z",
      socialName: "Dupont SA",
      openItems: [],
    });
    // 3 x 1 234.56 = 3 703.68, -10 % = 3 333.312 -> 3 333.31, VAT 20 % = 666.662 -> 666.66.
    expect(invoice.lines[0]).toMatchObject({
      vatPercentage: 20,
      totalNet: 3333.31,
      totalVat: 666.66,
      totalLiquid: 3999.97,
    });
    // 2 x 49.99 = 99.98, VAT 5.5 % = 5.4989 -> 5.50.
    expect(invoice.lines[1]).toMatchObject({
      vatPercentage: 5.5,
      totalNet: 99.98,
      totalVat: 5.5,
      totalLiquid: 105.48,
    });
    expect(invoice).toMatchObject({
      totalGross: 3803.66,
      totalDiscount: 370.37,
      totalNet: 3433.29,
      totalVat: 672.16,
      totalLiquid: 4105.45,
    });
  });

  it("closing assigns the next number of the series, and a closed invoice cannot be closed again", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const first = (await world.createInvoice(customer.id)).data.createSalesInvoice.id;
    const second = (await world.createInvoice(customer.id)).data.createSalesInvoice.id;
    expect((await world.close(first)).data.closeSalesInvoice).toMatchObject({
      operationalNumber: "0001",
      status: "Closed",
    });
    expect((await world.close(second)).data.closeSalesInvoice).toMatchObject({
      operationalNumber: "0002",
      status: "Closed",
    });
    const again = await world.close(first);
    expect(again.data).toEqual({ closeSalesInvoice: null });
    expect(messagesOf(again)).toEqual([BUSINESS_ERRORS.salesInvoiceNotPending]);
  });

  it("an invoice created with its own number is imported directly Closed", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const invoice = (await world.createInvoice(customer.id, { operationalNumber: "EXT-2026-7" }))
      .data.createSalesInvoice;
    expect(invoice).toMatchObject({ status: "Closed", operationalNumber: "EXT-2026-7" });
  });

  it("posting needs a closed invoice and a sales journal, and creates the open items of the payment terms", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const id = (
      await world.createInvoice(customer.id, { lines: TWO_LINES(world), paymentTermLines: TERMS })
    ).data.createSalesInvoice.id;
    const tooEarly = await world.post(id);
    expect(messagesOf(tooEarly)).toEqual([BUSINESS_ERRORS.salesInvoiceNotClosed]);
    await world.close(id);
    const wrongJournal = await world.send(POST_SALES_INVOICE, {
      input: { salesInvoiceId: id, accountingEntryDescription: "x", journalTypeId: world.bankId },
    });
    expect(messagesOf(wrongJournal)).toEqual([BUSINESS_ERRORS.invalidJournalType]);
    const posted = await world.post(id);
    expect(posted.data.postSalesInvoice).toMatchObject({ accountingEntryNumber: 1 });
    expect(posted.data.postSalesInvoice.accountingEntries).toHaveLength(1);
    const invoice = await world.invoice(id);
    expect(invoice.status).toBe("Posted");
    // 30 % of 4 105.45 = 1 231.635 -> 1 231.64 now; the rest 30 days end of month.
    expect(invoice.openItems).toEqual([
      expect.objectContaining({
        amount: 1231.64,
        paidAmountAccumulated: 0,
        dueDate: "2026-03-02T00:00:00.000Z",
        status: "NOT_SPECIFIED",
      }),
      expect.objectContaining({
        amount: 2873.81,
        paidAmountAccumulated: 0,
        dueDate: "2026-04-30T00:00:00.000Z",
        status: "NOT_SPECIFIED",
      }),
    ]);
    expect(invoice.firstDueDate).toBe("2026-03-02T00:00:00.000Z");
  });

  it("without payment terms, one open item of the total falls due on the document date", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const invoice = await world.postedInvoice(customer.id);
    expect(invoice.openItems).toEqual([
      expect.objectContaining({ amount: 3999.97, dueDate: "2026-03-02T00:00:00.000Z" }),
    ]);
  });

  it("the customer's default terms apply when the invoice gives none", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(
      customerInput("Dupont SA", "73282932", {
        paymentTermLines: [
          { order: 9999, type: "REMAINING_AMOUNT", value: 0, condition: "NONE", day: 45 },
        ],
      }),
    );
    const invoice = (await world.createInvoice(customer.id)).data.createSalesInvoice;
    expect(invoice.firstDueDate).toBe("2026-04-16T00:00:00.000Z");
  });

  it("settlements move items and invoice through PARTIAL / PartiallyCollected to COLLECTED / Collected", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const invoice = await world.postedInvoice(customer.id, {
      lines: TWO_LINES(world),
      paymentTermLines: TERMS,
    });
    const [first, second] = invoice.openItems;

    const firstPayment = await world.settle(customer.id, [
      { openItemId: first.id, paidAmount: 1231.64 },
    ]);
    expect(firstPayment.data.salesOpenItemSettlement.accountingEntryNumber).toBe(2);
    let current = await world.invoice(invoice.id);
    expect(current.status).toBe("PartiallyCollected");
    expect(current.openItems.map((item: Loose) => item.status)).toEqual([
      "COLLECTED",
      "NOT_SPECIFIED",
    ]);

    await world.settle(customer.id, [{ openItemId: second.id, paidAmount: 1000 }]);
    current = await world.invoice(invoice.id);
    expect(current.openItems[1]).toMatchObject({ status: "PARTIAL", paidAmountAccumulated: 1000 });
    expect(current.status).toBe("PartiallyCollected");

    const overpaid = await world.settle(customer.id, [
      { openItemId: second.id, paidAmount: 1873.82 },
    ]);
    expect(overpaid.data).toEqual({ salesOpenItemSettlement: null });
    expect(messagesOf(overpaid)).toEqual([BUSINESS_ERRORS.paidAmountExceedsPending]);

    await world.settle(customer.id, [{ openItemId: second.id, paidAmount: 1873.81 }]);
    current = await world.invoice(invoice.id);
    expect(current.status).toBe("Collected");
    expect(current.openItems.map((item: Loose) => item.status)).toEqual(["COLLECTED", "COLLECTED"]);

    const again = await world.settle(customer.id, [{ openItemId: first.id, paidAmount: 1 }]);
    expect(messagesOf(again)).toEqual([BUSINESS_ERRORS.openItemAlreadyCollected]);
  });

  it("a refused settlement changes nothing, even when part of it was valid", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const other = await world.createCustomer(customerInput("Autre SAS", "41234567"));
    const mine = await world.postedInvoice(customer.id);
    const theirs = await world.postedInvoice(other.id);
    const answer = await world.settle(customer.id, [
      { openItemId: mine.openItems[0].id, paidAmount: 100 },
      { openItemId: theirs.openItems[0].id, paidAmount: 100 },
    ]);
    expect(messagesOf(answer)).toEqual([BUSINESS_ERRORS.openItemOfAnotherThirdParty]);
    expect((await world.invoice(mine.id)).openItems[0].paidAmountAccumulated).toBe(0);
    expect(world.emulator.organization().entries.size).toBe(2);
  });

  it("payments are read back through the matching of the invoice's customer line", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const invoice = await world.postedInvoice(customer.id);
    await world.settle(
      customer.id,
      [{ openItemId: invoice.openItems[0].id, paidAmount: 999.97 }],
      "2026-03-05",
    );
    await world.settle(
      customer.id,
      [{ openItemId: invoice.openItems[0].id, paidAmount: 3000 }],
      "2026-03-20",
    );

    const posting = (await world.send(INVOICE_POSTING, { invoiceId: invoice.id })).data
      .accountingEntries.nodes[0];
    const customerLine = posting.accountingEntryLines.find(
      (line: Loose) => line.accountingEntryThirdParty,
    );
    expect(customerLine).toMatchObject({
      debitAmount: 3999.97,
      accountingEntryPayment: { matching: "FULL_MATCH", matchingLetter: "A" },
    });

    const matched = await world.send(MATCHED_LINES, {
      matchId: customerLine.accountingEntryPayment.matchId,
    });
    const payments = matched.data.accountingEntryPayments.nodes
      .map((node: Loose) => node.accountingEntryLine)
      .filter((line: Loose) => line.accountingEntry.journalType.type === "FINANCIAL");
    expect(payments.map((line: Loose) => [line.accountingEntry.date, line.creditAmount])).toEqual([
      ["2026-03-05T00:00:00.000Z", 999.97],
      ["2026-03-20T00:00:00.000Z", 3000],
    ]);
  });

  it("an externalReference longer than 20 characters is refused; 20 is accepted", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const refused = await world.createInvoice(customer.id, {
      externalReference: "HUBSPOT-DEAL-12345678",
    });
    expect(refused.status).toBe(200);
    expect(refused.data).toEqual({ createSalesInvoice: null });
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: BUSINESS_ERRORS.maxLengthExceeded,
        path: ["createSalesInvoice"],
        extensions: { details: "externalReference (max 20)" },
      }),
    ]);
    const accepted = await world.createInvoice(customer.id, {
      externalReference: "HUBSPOT-DEAL-1234567",
    });
    expect(accepted.data.createSalesInvoice.externalReference).toBe("HUBSPOT-DEAL-1234567");
  });

  it("a second customer with the same SIREN is refused with the documented dotted key", async () => {
    const world = await salesWorld();
    const created = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    expect(created.code).toBe("C00001");
    const duplicate = await world.send(CREATE_CUSTOMER, {
      values: customerInput("Dupont Société Anonyme", "73282932", { vatNumber: null }),
    });
    expect(duplicate.status).toBe(200);
    expect(duplicate.data).toEqual({ createCustomer: null });
    expect(messagesOf(duplicate)).toEqual([
      "global.businessErrors.documentIdAlreadyExistInOrganization",
    ]);
  });

  it("a duplicate SIREN and VAT number give one error each", async () => {
    const world = await salesWorld();
    await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const duplicate = await world.send(CREATE_CUSTOMER, {
      values: customerInput("Dupont bis", "73282932"),
    });
    expect(messagesOf(duplicate)).toEqual([
      "global.businessErrors.documentIdAlreadyExistInOrganization",
      "global.businessErrors.vatNumberAlreadyExistInOrganization",
    ]);
    expect(duplicate.errors.every((error) => error.path?.[0] === "createCustomer")).toBe(true);
  });

  it("a customer needs an address, and a forced code cannot contain spaces", async () => {
    const world = await salesWorld();
    const answer = await world.send(CREATE_CUSTOMER, {
      values: { ...customerInput("Dupont SA", "73282932"), code: "HS 1", addresses: [] },
    });
    expect(messagesOf(answer)).toEqual([
      BUSINESS_ERRORS.codeWithBlankSpaces,
      BUSINESS_ERRORS.addressRequired,
    ]);
  });

  it("a credit note needs a closed or posted invoice and credits it in full by default", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const draft = (await world.createInvoice(customer.id)).data.createSalesInvoice;
    const fromDraft = await world.send(GENERATE_CREDIT_NOTE, { input: { id: draft.id } });
    expect(messagesOf(fromDraft)).toEqual([BUSINESS_ERRORS.salesInvoiceNotClosed]);

    const invoice = await world.postedInvoice(customer.id, { lines: TWO_LINES(world) });
    const generated = await world.send(GENERATE_CREDIT_NOTE, {
      input: { id: invoice.id, outputDocumentDate: "2026-03-03" },
    });
    const creditNote = await world.invoice(generated.data.generateCreditNote.id);
    expect(creditNote).toMatchObject({
      type: "CREDIT_NOTE",
      status: "Pending",
      sourceSalesInvoiceId: invoice.id,
      documentDate: "2026-03-03T00:00:00.000Z",
      totalLiquid: -4105.45,
    });
    expect(creditNote.lines.map((line: Loose) => line.totalQuantity)).toEqual([-3, -2]);
    const source = await world.invoice(invoice.id);
    expect(source.hasCreditNote).toBe(true);
    expect(source.lines.map((line: Loose) => line.availableForCreditNoteQuantity)).toEqual([0, 0]);

    const twice = await world.send(GENERATE_CREDIT_NOTE, { input: { id: invoice.id } });
    expect(messagesOf(twice)).toEqual([BUSINESS_ERRORS.nothingLeftToCredit]);

    expect((await world.close(creditNote.id)).data.closeSalesInvoice.operationalNumber).toBe(
      "AV0001",
    );
  });

  it("a partial credit note cannot credit more than what remains creditable", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const invoice = await world.postedInvoice(customer.id);
    const productId = world.productId("PRESTATION");
    const tooMuch = await world.send(GENERATE_CREDIT_NOTE, {
      input: { id: invoice.id, lines: [{ productId, quantity: 4 }] },
    });
    expect(messagesOf(tooMuch)).toEqual([BUSINESS_ERRORS.creditNoteQuantityExceedsAvailable]);
    const one = await world.send(GENERATE_CREDIT_NOTE, {
      input: { id: invoice.id, lines: [{ productId, quantity: 1 }] },
    });
    const creditNote = await world.invoice(one.data.generateCreditNote.id);
    // 1 x 1 234.56 at 10 % off = 1 111.10 (1 111.104), VAT 222.22.
    expect(creditNote.totalLiquid).toBe(-1333.32);
    expect((await world.invoice(invoice.id)).lines[0].availableForCreditNoteQuantity).toBe(2);
  });

  it("deleting a draft leaves no trace; closed invoices cannot be deleted", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const draft = (await world.createInvoice(customer.id)).data.createSalesInvoice;
    const closed = (await world.createInvoice(customer.id)).data.createSalesInvoice;
    await world.close(closed.id);
    expect(
      (await world.send(DELETE_SALES_INVOICE, { input: { id: draft.id } })).data.deleteSalesInvoice,
    ).toBe(true);
    const refused = await world.send(DELETE_SALES_INVOICE, { input: { id: closed.id } });
    expect(messagesOf(refused)).toEqual([BUSINESS_ERRORS.salesInvoiceNotPending]);
    const all = await world.send(SALES_INVOICES, {});
    expect(all.data.salesInvoices.nodes.map((node: Loose) => node.id)).toEqual([closed.id]);
    expect(
      (await world.send(SALES_INVOICES, { where: { id: { eq: draft.id } } })).data.salesInvoices
        .totalCount,
    ).toBe(0);
  });

  it("deleting a draft credit note gives the quantities back to the invoice", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const invoice = await world.postedInvoice(customer.id);
    const creditNoteId = (await world.send(GENERATE_CREDIT_NOTE, { input: { id: invoice.id } }))
      .data.generateCreditNote.id;
    await world.send(DELETE_SALES_INVOICE, { input: { id: creditNoteId } });
    const source = await world.invoice(invoice.id);
    expect(source.hasCreditNote).toBe(false);
    expect(source.lines[0].availableForCreditNoteQuantity).toBe(3);
  });

  it("the PDF preview is a base64 PDF of the invoice", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const invoice = await world.postedInvoice(customer.id);
    const answer = await world.send(PDF_PREVIEW, {
      input: { type: "SALES_INVOICE", id: invoice.id },
    });
    const pdf = Buffer.from(answer.data.documentPdfPreview.pdfPreview, "base64").toString("latin1");
    expect(pdf.startsWith("%PDF-1.4")).toBe(true);
    expect(pdf).toContain("0001");
    expect(pdf.trimEnd().endsWith("%%EOF")).toBe(true);
  });

  it("error keys translate with localizedErrorMessage; unknown codes and languages are refused", async () => {
    const { send } = harness();
    const french = await send(
      LOCALIZED_ERROR,
      { errorCode: BUSINESS_ERRORS.documentIdAlreadyExists, language: "fr-FR" },
      { organizationId: null },
    );
    expect(french.data.localizedErrorMessage.message).toBe(
      "Un client avec ce numéro d'identification existe déjà dans l'entreprise.",
    );
    const unknown = await send(
      LOCALIZED_ERROR,
      { errorCode: "nope", language: "fr" },
      { organizationId: null },
    );
    expect(messagesOf(unknown)[0]).toMatch(/^Unrecognized error code 'nope'/);
    const language = await send(
      LOCALIZED_ERROR,
      { errorCode: BUSINESS_ERRORS.documentIdAlreadyExists, language: "xx" },
      { organizationId: null },
    );
    expect(messagesOf(language)).toEqual(["The specified language 'xx' is unsupported."]);
  });
});

describe("modification-date polling", () => {
  it("asking for what changed since an instant returns exactly the invoices and open items that changed", async () => {
    const world = await salesWorld();
    const book = generateBook({
      seed: 9,
      companies: 10,
      invoices: 60,
      months: 4,
      today: "2026-02-27",
    });
    const loaded = world.emulator.loadBook(book);
    const since = world.clock.now().toISOString();

    const unpaid = book.invoices.find(
      (invoice) =>
        !invoice.draft &&
        !invoice.cancelled &&
        invoice.creditNoteOf === null &&
        invoice.payments.length === 0 &&
        invoice.grossCents > 1000,
    );
    const draft = book.invoices.find((invoice) => invoice.draft);
    if (!unpaid || !draft) throw new Error("the book lacks an unpaid invoice or a draft");
    const unpaidId = loaded.invoiceIds.get(unpaid.key) ?? "";
    const draftId = loaded.invoiceIds.get(draft.key) ?? "";

    world.clock.advance(60_000);
    world.emulator.recordPayment(unpaidId, { date: "2026-03-02", amountCents: 1000 });
    world.clock.advance(60_000);
    await world.close(draftId);
    world.clock.advance(60_000);
    const customerId = loaded.customerIds.get(unpaid.customerKey) ?? "";
    const created = (await world.createInvoice(customerId)).data.createSalesInvoice.id;

    const changed = await world.send(CHANGED_SINCE, { since });
    expect(changed.data.salesInvoices.nodes.map((node: Loose) => node.id)).toEqual([
      unpaidId,
      draftId,
      created,
    ]);
    const items = changed.data.salesInvoiceOpenItems.nodes;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      salesInvoiceId: unpaidId,
      status: "PARTIAL",
      paidAmountAccumulated: 10,
    });

    const later = await world.send(CHANGED_SINCE, { since: world.clock.now().toISOString() });
    expect(later.data.salesInvoices.totalCount).toBe(1);
    world.clock.advance(1);
    const none = await world.send(CHANGED_SINCE, { since: world.clock.now().toISOString() });
    expect(none.data.salesInvoices.totalCount).toBe(0);
    expect(none.data.salesInvoiceOpenItems.totalCount).toBe(0);
  });

  it("an open item's modificationDate is null until its first settlement, and sorts first", async () => {
    const world = await salesWorld();
    const customer = await world.createCustomer(customerInput("Dupont SA", "73282932"));
    const paid = await world.postedInvoice(customer.id);
    const untouched = await world.postedInvoice(customer.id);
    await world.settle(customer.id, [{ openItemId: paid.openItems[0].id, paidAmount: 10 }]);
    const answer = await world.send(OPEN_ITEMS, { order: [{ modificationDate: "ASC" }] });
    const nodes = answer.data.salesInvoiceOpenItems.nodes;
    expect(nodes.map((node: Loose) => node.salesInvoiceId)).toEqual([untouched.id, paid.id]);
    expect(nodes[0].modificationDate).toBeNull();
    expect(nodes[1].modificationDate).toBe(world.clock.now().toISOString());
  });
});

describe("rate limits", () => {
  it("the 3 001st request of a minute is refused with 429 and Retry-After, and the next minute is open again", async () => {
    const { send, clock, emulator } = harness();
    for (let request = 0; request < 3_000; request += 1) {
      const answer = await send(USER_PROFILE, undefined, {
        organizationId: null,
        checkContract: request === 0,
      });
      if (answer.status !== 200) throw new Error(`request ${request} answered ${answer.status}`);
    }
    clock.advance(15_000);
    const refused = await send(USER_PROFILE, undefined, { organizationId: null });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("45");
    expect(refused.body).toEqual({
      statusCode: 429,
      message: "Rate limit is exceeded. Try again in 45 seconds.",
    });
    clock.advance(45_000);
    expect((await send(USER_PROFILE, undefined, { organizationId: null })).status).toBe(200);
    expect(emulator.stats).toMatchObject({
      requests: 3_002,
      rateLimited: 1,
      maxRequestsInWindow: 3_000,
    });
    expect(emulator.stats.byOperation.userProfile).toBe(3_001);
  });

  it("an eleventh mutation in flight is refused with 429; queries are not limited that way", async () => {
    const world = await salesWorld();
    const customers = await Promise.all(
      Array.from({ length: 3 }, (_, index) =>
        world.createCustomer(customerInput(`Client ${index}`, `4123456${index}`)),
      ),
    );
    world.emulator.faults.latencyMs = 40;
    const mutations = await Promise.all(
      Array.from({ length: 12 }, (_, index) => world.createInvoice(customers[index % 3]?.id ?? "")),
    );
    const statuses = mutations.map((answer) => answer.status).sort();
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
    expect(mutations.find((answer) => answer.status === 429)?.headers.get("retry-after")).toBe("1");
    expect(world.emulator.stats.maxConcurrentMutations).toBe(10);
    const queries = await Promise.all(Array.from({ length: 12 }, () => world.send(CUSTOMERS, {})));
    expect(queries.every((answer) => answer.status === 200)).toBe(true);
  });
});

describe("faults", () => {
  let release: (() => void) | undefined;
  afterEach(() => release?.());

  it("latency delays every answer", async () => {
    const { send, emulator } = harness();
    emulator.faults.latencyMs = 60;
    const started = performance.now();
    await send(USER_PROFILE, undefined, { organizationId: null });
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("5xx answers are drawn from a seeded generator, so a run replays", async () => {
    const run = async () => {
      const { send, emulator } = harness();
      emulator.faults.seed(7).serverErrorRate = 0.5;
      const statuses: number[] = [];
      for (let request = 0; request < 20; request += 1) {
        statuses.push((await send(USER_PROFILE, undefined, { organizationId: null })).status);
      }
      return { statuses, stats: emulator.stats };
    };
    const first = await run();
    const second = await run();
    expect(first.statuses).toEqual(second.statuses);
    expect(first.statuses).toContain(500);
    expect(first.statuses).toContain(200);
    expect(first.stats.serverErrors).toBe(first.statuses.filter((status) => status === 500).length);
  });

  it("a 429 storm answers the next N requests, then lets requests through", async () => {
    const { send, emulator } = harness();
    emulator.faults.rateLimitStorm({ requests: 2, retryAfterSeconds: 3 });
    const statuses = [];
    for (let request = 0; request < 3; request += 1)
      statuses.push(await send(USER_PROFILE, undefined, { organizationId: null }));
    expect(statuses.map((answer) => answer.status)).toEqual([429, 429, 200]);
    expect(statuses[0]?.headers.get("retry-after")).toBe("3");
    expect(emulator.stats.rateLimited).toBe(2);
  });

  it("a timed 429 storm lasts on the emulator's clock", async () => {
    const { send, emulator, clock } = harness();
    emulator.faults.rateLimitStorm({ durationMs: 10_000 });
    expect((await send(USER_PROFILE, undefined, { organizationId: null })).status).toBe(429);
    clock.advance(9_999);
    expect((await send(USER_PROFILE, undefined, { organizationId: null })).status).toBe(429);
    clock.advance(1);
    expect((await send(USER_PROFILE, undefined, { organizationId: null })).status).toBe(200);
  });

  it("a hung request waits until the client aborts it", async () => {
    const { send, emulator } = harness();
    emulator.faults.timeouts({ requests: 1 });
    release = () => emulator.faults.releaseHangs();
    const controller = new AbortController();
    const pending = send(USER_PROFILE, undefined, {
      organizationId: null,
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(emulator.faults.hangingRequests).toBe(1);
    controller.abort();
    expect((await pending).status).toBe(499);
    expect(emulator.faults.hangingRequests).toBe(0);
    expect((await send(USER_PROFILE, undefined, { organizationId: null })).status).toBe(200);
  });

  it("expired access tokens are refused until the client refreshes", async () => {
    const { send, emulator, tokens } = harness();
    emulator.faults.expireAccessTokens();
    expect((await send(USER_PROFILE, undefined, { organizationId: null })).status).toBe(401);
    const refreshed = await emulator.handleAuth(
      new Request("https://sbcauth.sage.fr/connect/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "refresh_token",
          refresh_token: tokens.refresh_token ?? "",
          client_id: emulator.clientId,
          client_secret: emulator.clientSecret,
        }),
      }),
    );
    const fresh = (await refreshed.json()) as Loose;
    expect(
      (await send(USER_PROFILE, undefined, { organizationId: null, token: fresh.access_token }))
        .status,
    ).toBe(200);
  });
});

describe("OAuth", () => {
  const REDIRECT = "https://app.encaisse.test/oauth/sage/callback";
  const AUTH = "https://sbcauth.sage.fr";

  function authWorld() {
    return harness({ redirectUris: [REDIRECT] });
  }

  async function authorize(h: ReturnType<typeof authWorld>, params: Record<string, string> = {}) {
    const query = new URLSearchParams({
      response_type: "code",
      client_id: h.emulator.clientId,
      redirect_uri: REDIRECT,
      scope: "RDSA WDSA offline_access",
      state: "csrf-123",
      ...params,
    });
    const response = await h.emulator.handleAuth(new Request(`${AUTH}/connect/authorize?${query}`));
    return { response, location: new URL(response.headers.get("location") ?? "about:blank") };
  }

  async function token(
    h: ReturnType<typeof authWorld>,
    form: Record<string, string>,
    withSecret = true,
  ) {
    const body = new URLSearchParams({
      client_id: h.emulator.clientId,
      ...(withSecret ? { client_secret: h.emulator.clientSecret } : {}),
      ...form,
    });
    const response = await h.emulator.handleAuth(
      new Request(`${AUTH}/connect/token`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body,
      }),
    );
    return { status: response.status, body: (await response.json()) as Loose };
  }

  async function exchange(h: ReturnType<typeof authWorld>) {
    const { location } = await authorize(h);
    return token(h, {
      grant_type: "authorization_code",
      code: location.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT,
    });
  }

  it("authorize approves at once and redirects back with the code, state, scope and issuer", async () => {
    const h = authWorld();
    const { response, location } = await authorize(h);
    expect(response.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get("state")).toBe("csrf-123");
    expect(location.searchParams.get("scope")).toBe("RDSA WDSA offline_access");
    expect(location.searchParams.get("iss")).toBe(AUTH);
    expect(location.searchParams.get("code")).toMatch(/^[\w-]{20,}$/);
  });

  it("the code buys an 8-hour access token and a refresh token, once", async () => {
    const h = authWorld();
    const { location } = await authorize(h);
    const form = {
      grant_type: "authorization_code",
      code: location.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT,
    };
    const first = await token(h, form);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      token_type: "Bearer",
      expires_in: 28_800,
      scope: "RDSA WDSA offline_access",
    });
    expect(first.body.refresh_token).toEqual(expect.any(String));
    expect(
      (
        await h.send(USER_PROFILE, undefined, {
          organizationId: null,
          token: first.body.access_token,
        })
      ).status,
    ).toBe(200);
    const replay = await token(h, form);
    expect(replay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("a code is refused after 60 seconds", async () => {
    const h = authWorld();
    const { location } = await authorize(h);
    h.clock.advance(60_000);
    const late = await token(h, {
      grant_type: "authorization_code",
      code: location.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT,
    });
    expect(late).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("refreshing returns a new refresh token and the old one stops working", async () => {
    const h = authWorld();
    const granted = (await exchange(h)).body;
    const refreshed = await token(h, {
      grant_type: "refresh_token",
      refresh_token: granted.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(granted.refresh_token);
    expect(refreshed.body.access_token).not.toBe(granted.access_token);
    expect(refreshed.body.expires_in).toBe(28_800);
    const reused = await token(h, {
      grant_type: "refresh_token",
      refresh_token: granted.refresh_token,
    });
    expect(reused).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const next = await token(h, {
      grant_type: "refresh_token",
      refresh_token: refreshed.body.refresh_token,
    });
    expect(next.status).toBe(200);
    expect(
      (
        await h.send(USER_PROFILE, undefined, {
          organizationId: null,
          token: next.body.access_token,
        })
      ).status,
    ).toBe(200);
  });

  it("sending scope on refresh is refused with invalid_scope", async () => {
    const h = authWorld();
    const granted = (await exchange(h)).body;
    const answer = await token(h, {
      grant_type: "refresh_token",
      refresh_token: granted.refresh_token,
      scope: "RDSA",
    });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
  });

  it("without offline_access there is no refresh token", async () => {
    const h = authWorld();
    const { location } = await authorize(h, { scope: "RDSA" });
    const answer = await token(h, {
      grant_type: "authorization_code",
      code: location.searchParams.get("code") ?? "",
      redirect_uri: REDIRECT,
    });
    expect(answer.body.refresh_token).toBeUndefined();
    expect(answer.body.scope).toBe("RDSA");
  });

  it.each([
    [
      "an unregistered redirect_uri",
      { redirect_uri: "https://evil.example/cb" },
      "invalid_request",
    ],
    ["an unknown client", { client_id: "someone-else" }, "invalid_client"],
  ])("authorize refuses %s without redirecting", async (_name, params, error) => {
    const h = authWorld();
    const { response } = await authorize(h, params);
    expect(response.status).toBe(400);
    expect(((await response.json()) as Loose).error).toBe(error);
  });

  it("an unknown scope is sent back to the redirect URI as invalid_scope", async () => {
    const h = authWorld();
    const { response, location } = await authorize(h, { scope: "RDSA admin" });
    expect(response.status).toBe(302);
    expect(location.searchParams.get("error")).toBe("invalid_scope");
    expect(location.searchParams.get("code")).toBeNull();
  });

  it("a wrong client secret is invalid_client", async () => {
    const h = authWorld();
    const granted = (await exchange(h)).body;
    const answer = await token(h, {
      grant_type: "refresh_token",
      refresh_token: granted.refresh_token,
      client_secret: "wrong",
    });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_client" } });
  });

  it("a revoked refresh token cannot be used, and its access tokens stop working", async () => {
    const h = authWorld();
    const granted = (await exchange(h)).body;
    const revoked = await h.emulator.handleAuth(
      new Request(`${AUTH}/connect/revocation`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          token: granted.refresh_token,
          token_type_hint: "refresh_token",
          client_id: h.emulator.clientId,
          client_secret: h.emulator.clientSecret,
        }),
      }),
    );
    expect(revoked.status).toBe(200);
    const answer = await token(h, {
      grant_type: "refresh_token",
      refresh_token: granted.refresh_token,
    });
    expect(answer.body.error).toBe("invalid_grant");
    expect(
      (await h.send(USER_PROFILE, undefined, { organizationId: null, token: granted.access_token }))
        .status,
    ).toBe(401);
  });

  it("a public client proves its code with PKCE S256 and no secret", async () => {
    const h = authWorld();
    const verifier = "a-long-enough-code-verifier-0123456789-abcdefghij";
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const { location } = await authorize(h, {
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const code = location.searchParams.get("code") ?? "";
    const wrong = await token(
      h,
      { grant_type: "authorization_code", code, redirect_uri: REDIRECT, code_verifier: "nope" },
      false,
    );
    expect(wrong.body.error).toBe("invalid_grant");
    const { location: again } = await authorize(h, {
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const right = await token(
      h,
      {
        grant_type: "authorization_code",
        code: again.searchParams.get("code") ?? "",
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      },
      false,
    );
    expect(right.status).toBe(200);
    const refreshed = await token(
      h,
      { grant_type: "refresh_token", refresh_token: right.body.refresh_token },
      false,
    );
    expect(refreshed.status).toBe(200);
  });
});
