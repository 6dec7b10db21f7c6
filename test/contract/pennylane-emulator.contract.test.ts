import { addDays } from "@encaisse/shared";
import { beforeAll, describe, expect, it } from "vitest";
import {
  API_ROUTES,
  CUSTOMER_FILTERS,
  CUSTOMER_INVOICE_FILTERS,
  type FilterTable,
  ManualClock,
  PRODUCT_FILTERS,
  PennylaneEmulator,
} from "../emulators/pennylane/index";
import { SAMPLE_BOOK, SAMPLE_TODAY } from "../emulators/pennylane/sample-book";
import {
  assertValidPennylaneRequest,
  assertValidPennylaneResponse,
  documentedFilters,
  documentedScopes,
  documentedSortFields,
  pennylaneOperationId,
  validatePennylaneExchange,
  validatePennylaneRequest,
  validatePennylaneResponse,
} from "./pennylane-contract";

const ORIGIN = "https://app.pennylane.com";
const ROOT = "/api/external/v2";
const TOKEN = "contract-token";

interface Exchange {
  readonly label: string;
  readonly status: number;
  readonly body: unknown;
  readonly problems: string[];
}

/**
 * Drives the emulator like a client would, and validates each request and each response with
 * the checker. The clock moves 300 ms per call so a long session stays under the rate limit.
 */
class Session {
  constructor(
    readonly emulator: PennylaneEmulator,
    private readonly clock: ManualClock,
    private readonly token = TOKEN,
    readonly exchanges: Exchange[] = [],
  ) {}

  /** The same session, calling with another token. */
  as(token: string): Session {
    return new Session(this.emulator, this.clock, token, this.exchanges);
  }

  /**
   * Sends one request. `invalidRequest` marks a request the session sends wrong on purpose (to
   * see the error answer): the checker must flag it, and only the answer has to be valid.
   */
  async send<T = Record<string, unknown>>(
    method: string,
    pathAndQuery: string,
    body?: unknown,
    options: { invalidRequest?: boolean } = {},
  ): Promise<{ status: number; body: T }> {
    this.clock.advance(300);
    const request = new Request(`${ORIGIN}${ROOT}${pathAndQuery}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const response = await this.emulator.handle(request.clone());
    let problems = await validatePennylaneExchange(request, response.clone());
    const text = await response.text();
    const parsed = text === "" ? null : (JSON.parse(text) as T);
    if (options.invalidRequest === true) {
      const answerProblems = validatePennylaneResponse({
        method,
        path: new URL(request.url).pathname,
        status: response.status,
        body: parsed,
      });
      problems =
        problems.length > answerProblems.length
          ? answerProblems
          : [...answerProblems, "the checker did not flag a request sent wrong on purpose"];
    }
    this.exchanges.push({
      label: `${method} ${pathAndQuery} -> ${response.status}`,
      status: response.status,
      body: parsed,
      problems,
    });
    return { status: response.status, body: parsed as T };
  }
}

const filter = (conditions: unknown) => `filter=${encodeURIComponent(JSON.stringify(conditions))}`;

interface Listed {
  items: { id: number }[];
  has_more: boolean;
  next_cursor: string | null;
}

describe("the emulator answers a realistic client session exactly as the official spec declares", () => {
  const clock = new ManualClock(`${SAMPLE_TODAY}T08:00:00.000Z`);
  const emulator = new PennylaneEmulator({ now: clock.now });
  emulator.addApiToken(TOKEN);
  emulator.addApiToken("customers-only", ["customers:readonly"]);
  const loaded = emulator.loadBook(SAMPLE_BOOK);
  const product = emulator.addProduct({
    label: "Maintenance annuelle",
    priceBeforeTax: "1200",
    vatRate: "FR_200",
    unit: "year",
  });
  emulator.addInvoiceTemplate("Modèle standard");
  emulator.addIndividualCustomer({
    firstName: "Louise",
    lastName: "Petit",
    emails: ["louise.petit@example.fr"],
    billingAddress: {
      address: "5 allée des Tilleuls",
      postal_code: "31000",
      city: "Toulouse",
      country_alpha2: "FR",
    },
  });
  const session = new Session(emulator, clock);
  const invoiceOf = (key: string) => loaded.invoiceIds.get(key) ?? 0;
  const sentByEmail: { status: number }[] = [];
  let draftSendStatus = 0;

  beforeAll(async () => {
    await session.send("GET", "/me");

    // Customers: list, paginate, look one up by SIREN and by external reference, create, read, update.
    let customersPage = await session.send<Listed>("GET", "/customers?limit=2");
    while (customersPage.body.next_cursor !== null) {
      customersPage = await session.send<Listed>(
        "GET",
        `/customers?limit=2&cursor=${encodeURIComponent(customersPage.body.next_cursor)}`,
      );
    }
    await session.send(
      "GET",
      `/customers?${filter([{ field: "reg_no", operator: "eq", value: "732829320" }])}`,
    );
    await session.send(
      "GET",
      `/customers?${filter([{ field: "external_reference", operator: "in", value: ["book-c001", "book-c002"] }])}&sort=id`,
    );
    const created = await session.send<{ id: number }>("POST", "/company_customers", {
      name: "Menuiserie Lefèvre SARL",
      reg_no: "409264538",
      vat_number: "FR51409264538",
      external_reference: "hubspot-company-901",
      emails: ["compta@lefevre-menuiserie.fr"],
      payment_conditions: "30_days_end_of_month",
      billing_address: {
        address: "8 rue des Artisans",
        postal_code: "35000",
        city: "Rennes",
        country_alpha2: "FR",
      },
    });
    const customerId = created.body.id;
    await session.send("GET", `/company_customers/${customerId}`);
    await session.send("GET", `/customers/${customerId}`);
    await session.send("PUT", `/company_customers/${customerId}`, { phone: "+33 2 99 00 00 00" });

    // Catalogue.
    await session.send("GET", "/products?sort=id");
    await session.send("GET", `/products/${product.id}`);
    await session.send("GET", "/customer_invoice_templates");

    // A draft, edited, listed line by line, then finalized.
    const draft = await session.send<{ id: number }>("POST", "/customer_invoices", {
      date: SAMPLE_TODAY,
      deadline: addDays(SAMPLE_TODAY, 45),
      customer_id: customerId,
      draft: true,
      external_reference: "hubspot-deal-1001",
      pdf_invoice_subject: "Agencement bureaux",
      invoice_lines: [
        {
          label: "Pose",
          quantity: 2.5,
          raw_currency_unit_price: "480",
          unit: "day",
          vat_rate: "FR_200",
        },
        { product_id: product.id, quantity: 1 },
      ],
    });
    await session.send("PUT", `/customer_invoices/${draft.body.id}`, {
      invoice_lines: {
        create: [
          {
            label: "Déplacement",
            quantity: 1,
            raw_currency_unit_price: "65.00",
            unit: "piece",
            vat_rate: "FR_200",
          },
        ],
      },
    });
    await session.send("GET", `/customer_invoices/${draft.body.id}/invoice_lines?sort=rank`);
    await session.send("GET", `/customer_invoices/${draft.body.id}/payments`);
    const draftSent = await session.send(
      "POST",
      `/customer_invoices/${draft.body.id}/send_by_email`,
    );
    draftSendStatus = draftSent.status;
    await session.send("PUT", `/customer_invoices/${draft.body.id}/finalize`);

    // A finalized invoice in one call, paid in part, then in full.
    const finalized = await session.send<{ id: number }>("POST", "/customer_invoices", {
      date: SAMPLE_TODAY,
      deadline: addDays(SAMPLE_TODAY, 30),
      customer_id: customerId,
      external_reference: "hubspot-deal-1002",
      invoice_lines: [
        {
          label: "Étagères",
          quantity: 3,
          raw_currency_unit_price: "210.333333",
          unit: "piece",
          vat_rate: "FR_100",
        },
      ],
    });
    emulator.recordPayment(finalized.body.id, {
      date: SAMPLE_TODAY,
      amountCents: 20_000,
      label: "VIR LEFEVRE",
    });
    await session.send("GET", `/customer_invoices/${finalized.body.id}`);
    await session.send("GET", `/customer_invoices/${finalized.body.id}/payments`);
    await session.send("GET", `/customer_invoices/${finalized.body.id}/matched_transactions`);
    await session.send("PUT", `/customer_invoices/${finalized.body.id}/mark_as_paid`);
    // Sent to the customer's own addresses, then to named ones; a draft cannot be sent.
    sentByEmail.push(
      await session.send("POST", `/customer_invoices/${finalized.body.id}/send_by_email`),
      await session.send("POST", `/customer_invoices/${finalized.body.id}/send_by_email`, {
        recipients: ["compta@example.fr"],
      }),
    );

    // A credit note cancelling a book invoice.
    const credit = await session.send<{ id: number }>("POST", "/customer_invoices", {
      date: SAMPLE_TODAY,
      deadline: SAMPLE_TODAY,
      customer_id: loaded.customerIds.get("c002"),
      invoice_lines: [
        {
          label: "Pneus (avoir)",
          quantity: -4,
          raw_currency_unit_price: "112.45",
          unit: "piece",
          vat_rate: "FR_200",
        },
      ],
    });
    await session.send("POST", `/customer_invoices/${invoiceOf("i0004")}/link_credit_note`, {
      credit_note_id: credit.body.id,
    });

    // A draft thrown away.
    const discarded = await session.send<{ id: number }>("POST", "/customer_invoices", {
      date: SAMPLE_TODAY,
      deadline: SAMPLE_TODAY,
      customer_id: customerId,
      draft: true,
      invoice_lines: [
        {
          label: "Essai",
          quantity: 1,
          raw_currency_unit_price: "1",
          unit: "piece",
          vat_rate: "FR_200",
        },
      ],
    });
    await session.send("DELETE", `/customer_invoices/${discarded.body.id}`);

    // Invoice lists: every status, filtered, sorted, paginated.
    let invoicesPage = await session.send<Listed>("GET", "/customer_invoices?limit=3");
    while (invoicesPage.body.next_cursor !== null) {
      invoicesPage = await session.send<Listed>(
        "GET",
        `/customer_invoices?limit=3&cursor=${encodeURIComponent(invoicesPage.body.next_cursor)}`,
      );
    }
    await session.send(
      "GET",
      `/customer_invoices?${filter([{ field: "customer_id", operator: "eq", value: String(customerId) }])}&sort=-date`,
    );
    await session.send(
      "GET",
      `/customer_invoices?${filter([{ field: "external_reference", operator: "eq", value: "hubspot-deal-1001" }])}`,
    );
    await session.send(
      "GET",
      `/customer_invoices?${filter([
        { field: "date", operator: "gteq", value: addDays(SAMPLE_TODAY, -10) },
        { field: "draft", operator: "eq", value: "false" },
      ])}`,
    );
    for (const key of ["i0001", "i0002", "i0003", "i0005", "i0006", "i0007"]) {
      await session.send("GET", `/customer_invoices/${invoiceOf(key)}`);
    }

    // Changelogs: from a start date, then by cursor.
    const since = new Date(clock.nowMs() - 7 * 24 * 60 * 60 * 1000).toISOString();
    const changes = await session.send<Listed>(
      "GET",
      `/changelogs/customer_invoices?start_date=${since}&limit=5`,
    );
    if (changes.body.next_cursor !== null) {
      await session.send(
        "GET",
        `/changelogs/customer_invoices?cursor=${encodeURIComponent(changes.body.next_cursor)}&limit=1000`,
      );
    }
    await session.send("GET", "/changelogs/customers?limit=1000");

    // The answers a client must handle, in their documented shapes.
    await session.send("GET", "/customer_invoices/999999");
    await session.send("PUT", `/customer_invoices/${draft.body.id}/finalize`);
    await session.send("POST", "/customer_invoices", {
      date: addDays(SAMPLE_TODAY, 1),
      deadline: addDays(SAMPLE_TODAY, 31),
      customer_id: customerId,
      invoice_lines: [
        {
          label: "Futur",
          quantity: 1,
          raw_currency_unit_price: "10",
          unit: "piece",
          vat_rate: "FR_200",
        },
      ],
    });
    await session.send("POST", "/company_customers", {
      name: "Doublon",
      external_reference: "hubspot-company-901",
      billing_address: {
        address: "1 rue",
        postal_code: "35000",
        city: "Rennes",
        country_alpha2: "FR",
      },
    });
    await session.send(
      "GET",
      `/customer_invoices?${filter([{ field: "status", operator: "eq", value: "paid" }])}`,
      undefined,
      { invalidRequest: true },
    );
    await session.send(
      "GET",
      `/changelogs/customer_invoices?start_date=${new Date(clock.nowMs() - 40 * 24 * 60 * 60 * 1000).toISOString()}`,
    );
    await session.as("customers-only").send("GET", "/customer_invoices");
    await session.as("wrong-token").send("GET", "/me");
  });

  it("every response (and every request the session sent) is valid against the spec", () => {
    const problems = session.exchanges.flatMap((exchange) =>
      exchange.problems.map((problem) => `${exchange.label}: ${problem}`),
    );
    expect(problems).toEqual([]);
    expect(session.exchanges.length).toBeGreaterThan(40);
  });

  it("send_by_email answers 204 and the emulator keeps who the invoice went to; a draft is refused", () => {
    expect(sentByEmail.map((answer) => answer.status)).toEqual([204, 204]);
    expect(draftSendStatus).toBe(422);
    const sent = emulator.ledger.sentEmails.slice(-2);
    expect(sent[0]?.recipients.length).toBeGreaterThan(0);
    expect(sent[1]?.recipients).toEqual(["compta@example.fr"]);
  });

  it("the session covered success and error statuses", () => {
    const statuses = new Set(session.exchanges.map((exchange) => exchange.status));
    for (const status of [200, 201, 204, 400, 401, 403, 404, 409, 422])
      expect(statuses).toContain(status);
  });

  it("the invoices listed cover every status the emulator derives", () => {
    const statuses = new Set(
      session.exchanges.flatMap((exchange) => {
        const body = exchange.body as { status?: unknown; items?: { status?: unknown }[] } | null;
        return [body?.status, ...(body?.items ?? []).map((item) => item.status)].filter(
          (status) => typeof status === "string",
        );
      }),
    );
    for (const status of [
      "draft",
      "upcoming",
      "late",
      "paid",
      "partially_paid",
      "cancelled",
      "credit_note",
    ]) {
      expect(statuses).toContain(status);
    }
  });
});

describe("the emulator's tables match what the spec documents", () => {
  const asDocumented = (table: FilterTable) =>
    Object.fromEntries(
      Object.entries(table).map(([field, definition]) => [field, [...definition.operators].sort()]),
    );
  const sortedValues = (table: Record<string, string[]> | null) =>
    table === null
      ? null
      : Object.fromEntries(
          Object.entries(table).map(([field, operators]) => [field, [...operators].sort()]),
        );

  it.each([
    ["getCustomerInvoices", CUSTOMER_INVOICE_FILTERS],
    ["getCustomers", CUSTOMER_FILTERS],
    ["getProducts", PRODUCT_FILTERS],
  ] as const)("the filters of %s are the documented fields and operators", (operationId, table) => {
    expect(asDocumented(table)).toEqual(sortedValues(documentedFilters(operationId)));
  });

  it("the sort fields the emulator accepts are the documented ones", () => {
    expect(documentedSortFields("getCustomerInvoices")).toEqual(["id", "date"]);
    expect(documentedSortFields("getCustomers")).toEqual(["id"]);
    expect(documentedSortFields("getCustomerInvoiceInvoiceLines")).toEqual(["id", "rank"]);
  });

  it.each(API_ROUTES.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "%s is a spec operation and requires the spec's scopes",
    (_label, route) => {
      const operationId = pennylaneOperationId(
        route.method,
        `${ROOT}${route.path.replace(/\{\w+\}/g, "1")}`,
      );
      expect(operationId).toBeDefined();
      expect([...route.scopes].sort()).toEqual(
        [...(documentedScopes(operationId ?? "") ?? [])].sort(),
      );
    },
  );
});

describe("the checker fails loudly on drift", () => {
  const clock = new ManualClock(`${SAMPLE_TODAY}T08:00:00.000Z`);
  const emulator = new PennylaneEmulator({ now: clock.now });
  emulator.addApiToken(TOKEN);
  const loaded = emulator.loadBook(SAMPLE_BOOK);
  const invoicePath = `${ROOT}/customer_invoices/${loaded.invoiceIds.get("i0002") ?? 0}`;
  let invoice: Record<string, unknown> = {};

  beforeAll(async () => {
    const response = await emulator.handle(
      new Request(`${ORIGIN}${invoicePath}`, { headers: { authorization: `Bearer ${TOKEN}` } }),
    );
    invoice = (await response.json()) as Record<string, unknown>;
    expect(
      validatePennylaneResponse({ method: "GET", path: invoicePath, status: 200, body: invoice }),
    ).toEqual([]);
  });

  const drifted: [string, (body: Record<string, unknown>) => Record<string, unknown>, RegExp][] = [
    [
      "an amount sent as a number",
      (body) => ({ ...body, amount: 1242.2 }),
      /\/amount must be string/,
    ],
    [
      "a missing required field",
      ({ remaining_amount_with_tax: _gone, ...rest }) => rest,
      /required property 'remaining_amount_with_tax'/,
    ],
    [
      "a property the spec does not declare",
      (body) => ({ ...body, amount_cents: 124_220 }),
      /additional properties 'amount_cents'/,
    ],
    [
      "a status outside the enum",
      (body) => ({ ...body, status: "overdue" }),
      /\/status must be equal to one of the allowed values/,
    ],
    [
      "a null where the spec forbids it",
      (body) => ({ ...body, invoice_number: null }),
      /\/invoice_number must be string/,
    ],
    [
      "a date that is not a date",
      (body) => ({ ...body, deadline: "30/03/2026" }),
      /\/deadline must match format "date"/,
    ],
  ];

  it.each(drifted)("a response with %s is reported", (_name, change, expected) => {
    const errors = validatePennylaneResponse({
      method: "GET",
      path: invoicePath,
      status: 200,
      body: change(invoice),
    });
    expect(errors.join("\n")).toMatch(expected);
    expect(() =>
      assertValidPennylaneResponse({
        method: "GET",
        path: invoicePath,
        status: 200,
        body: change(invoice),
      }),
    ).toThrow(/Pennylane contract violated/);
  });

  it("an error body in the wrong shape is reported", () => {
    const errors = validatePennylaneResponse({
      method: "GET",
      path: invoicePath,
      status: 404,
      body: { message: "Not found" },
    });
    expect(errors.join("\n")).toMatch(/required property 'error'/);
  });

  it("a status the spec does not document for the operation is reported; a 429 needs retry-after", () => {
    expect(
      validatePennylaneResponse({ method: "GET", path: invoicePath, status: 418, body: {} }),
    ).toEqual([`GET ${invoicePath} -> 418: status 418 is not documented for getCustomerInvoice`]);
    expect(
      validatePennylaneResponse({
        method: "GET",
        path: invoicePath,
        status: 429,
        body: "slow down",
        headers: {},
      }),
    ).toHaveLength(1);
    expect(
      validatePennylaneResponse({
        method: "GET",
        path: invoicePath,
        status: 429,
        body: "slow down",
        headers: { "retry-after": "2" },
      }),
    ).toEqual([]);
  });

  const auth = { authorization: `Bearer ${TOKEN}` };
  const validLine = {
    label: "Pose",
    quantity: 1,
    raw_currency_unit_price: "10",
    unit: "piece",
    vat_rate: "FR_200",
  };
  const requests: [string, Parameters<typeof validatePennylaneRequest>[0], RegExp][] = [
    [
      "a form-style filter",
      {
        method: "GET",
        path: `${ROOT}/customer_invoices`,
        query: "filter[0][field]=id&filter[0][operator]=eq&filter[0][value]=1",
        headers: auth,
      },
      /form-style/,
    ],
    [
      "a filter on an undocumented field",
      {
        method: "GET",
        path: `${ROOT}/customer_invoices`,
        query: { filter: JSON.stringify([{ field: "status", operator: "eq", value: "paid" }]) },
        headers: auth,
      },
      /"status" is not filterable/,
    ],
    [
      "an undocumented operator",
      {
        method: "GET",
        path: `${ROOT}/customers`,
        query: {
          filter: JSON.stringify([{ field: "reg_no", operator: "start_with", value: "73" }]),
        },
        headers: auth,
      },
      /not documented for reg_no/,
    ],
    [
      "a limit above 100",
      { method: "GET", path: `${ROOT}/customer_invoices`, query: { limit: "500" }, headers: auth },
      /must be <= 100/,
    ],
    [
      "an undocumented sort",
      { method: "GET", path: `${ROOT}/customers`, query: { sort: "-name" }, headers: auth },
      /sort "-name" is not documented/,
    ],
    ["no bearer token", { method: "GET", path: `${ROOT}/me` }, /Bearer token is required/],
    [
      "a quantity sent as a string",
      {
        method: "POST",
        path: `${ROOT}/customer_invoices`,
        headers: auth,
        body: {
          date: SAMPLE_TODAY,
          deadline: SAMPLE_TODAY,
          customer_id: 1,
          invoice_lines: [{ ...validLine, quantity: "1" }],
        },
      },
      /quantity must be number/,
    ],
    [
      "a customer without billing_address",
      {
        method: "POST",
        path: `${ROOT}/company_customers`,
        headers: auth,
        body: { name: "Sans adresse" },
      },
      /required property 'billing_address'/,
    ],
    [
      "an operation the spec does not have",
      { method: "GET", path: `${ROOT}/invoices`, headers: auth },
      /no such operation/,
    ],
  ];

  it.each(requests)("a request with %s is reported", (_name, request, expected) => {
    expect(validatePennylaneRequest(request).join("\n")).toMatch(expected);
    expect(() => assertValidPennylaneRequest(request)).toThrow(/Pennylane contract violated/);
  });

  it("a well-formed request passes", () => {
    expect(
      validatePennylaneRequest({
        method: "POST",
        path: `${ROOT}/customer_invoices`,
        headers: auth,
        body: {
          date: SAMPLE_TODAY,
          deadline: SAMPLE_TODAY,
          customer_id: 1,
          draft: true,
          invoice_lines: [validLine],
        },
      }),
    ).toEqual([]);
    expect(
      validatePennylaneRequest({
        method: "GET",
        path: `${ROOT}/customer_invoices?sort=-date`,
        query: {
          filter: JSON.stringify([{ field: "customer_id", operator: "in", value: ["1", "2"] }]),
          limit: "100",
        },
        headers: auth,
      }),
    ).toEqual([]);
  });
});
