import {
  addDays,
  chargedRateOf,
  computeInvoiceAmounts,
  parseCents,
  type VatCode,
} from "@encaisse/shared";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../common/clock";
import {
  CHANGELOG_RETENTION_MS,
  PennylaneEmulator,
  pennylaneMswHandlers,
  startPennylaneServer,
} from "./index";
import { SAMPLE_BOOK, SAMPLE_TODAY } from "./sample-book";

const ORIGIN = "https://app.pennylane.com";
const API = `${ORIGIN}/api/external/v2`;
const TOKEN = "company-token";
const START = `${SAMPLE_TODAY}T09:00:00.000Z`;

interface Page<T> {
  items: T[];
  has_more: boolean;
  next_cursor: string | null;
}
interface InvoiceJson {
  id: number;
  invoice_number: string;
  status: string;
  paid: boolean;
  draft: boolean;
  date: string;
  deadline: string;
  amount: string;
  currency_amount_before_tax: string;
  tax: string;
  remaining_amount_with_tax: string;
  public_file_url: string;
  external_reference: string;
  label: string | null;
  customer: { id: number };
  credited_invoice: { id: number } | null;
}
interface LineJson {
  label: string;
  quantity: string;
  raw_currency_unit_price: string;
  vat_rate: string;
  amount: string;
  currency_amount_before_tax: string;
  tax: string;
  product: { id: number } | null;
}
interface ChangeJson {
  id: number;
  operation: "insert" | "update" | "delete";
  processed_at: string;
}
interface ErrorJson {
  error?: string;
  status?: number;
  message?: string;
  code?: string;
  field?: string;
}
interface TokenJson {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
  error?: string;
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json<T>(): T;
}

async function answerOf(response: Response): Promise<Answer> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

function apiCall(
  emulator: PennylaneEmulator,
  method: string,
  path: string,
  options: { token?: string | null; body?: unknown; signal?: AbortSignal } = {},
): Promise<Answer> {
  const token = options.token === undefined ? TOKEN : options.token;
  const headers: Record<string, string> = { accept: "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  return emulator
    .handle(
      new Request(`${API}${path}`, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      }),
    )
    .then(answerOf);
}

const filterQuery = (conditions: unknown) =>
  `filter=${encodeURIComponent(JSON.stringify(conditions))}`;

interface Setup {
  clock: ManualClock;
  emulator: PennylaneEmulator;
  ids: ReadonlyMap<string, number>;
  customers: ReadonlyMap<string, number>;
}

/** An emulator on a hand-moved clock, loaded with the sample book. */
function setup(): Setup {
  const clock = new ManualClock(START);
  const emulator = new PennylaneEmulator({ now: clock.now });
  emulator.addApiToken(TOKEN);
  const loaded = emulator.loadBook(SAMPLE_BOOK);
  return { clock, emulator, ids: loaded.invoiceIds, customers: loaded.customerIds };
}

const idOf = (ids: ReadonlyMap<string, number>, key: string) => {
  const id = ids.get(key);
  if (id === undefined) throw new Error(`no invoice ${key} in the sample book`);
  return id;
};

const explicitLine = (overrides: Record<string, unknown> = {}) => ({
  label: "Prestation de conseil",
  quantity: 2,
  raw_currency_unit_price: "450.50",
  unit: "day",
  vat_rate: "FR_200",
  ...overrides,
});

async function createInvoice(
  emulator: PennylaneEmulator,
  customerId: number,
  overrides: Record<string, unknown> = {},
): Promise<Answer> {
  return apiCall(emulator, "POST", "/customer_invoices", {
    body: {
      date: SAMPLE_TODAY,
      deadline: addDays(SAMPLE_TODAY, 30),
      customer_id: customerId,
      invoice_lines: [explicitLine()],
      ...overrides,
    },
  });
}

describe("lists: cursor pagination, filters and sorting", () => {
  it("following next_cursor with limit 2 returns every invoice exactly once, newest id first", async () => {
    const { emulator } = setup();
    const seen: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string =
        cursor === null ? "limit=2" : `limit=2&cursor=${encodeURIComponent(cursor)}`;
      const page: Page<InvoiceJson> = (
        await apiCall(emulator, "GET", `/customer_invoices?${query}`)
      ).json();
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next_cursor;
      pages += 1;
      if (!page.has_more) expect(page.next_cursor).toBeNull();
    } while (cursor !== null);
    const all = [...emulator.ledger.invoices.keys()];
    expect(pages).toBe(Math.ceil(all.length / 2));
    expect(seen).toEqual([...all].sort((a, b) => b - a));
  });

  it("a page stays stable when an invoice is created between two pages", async () => {
    const { emulator, customers } = setup();
    const first: Page<InvoiceJson> = (
      await apiCall(emulator, "GET", "/customer_invoices?limit=3&sort=id")
    ).json();
    await createInvoice(emulator, idOf(customers, "c001"));
    const second: Page<InvoiceJson> = (
      await apiCall(
        emulator,
        "GET",
        `/customer_invoices?limit=3&sort=id&cursor=${first.next_cursor ?? ""}`,
      )
    ).json();
    const lastOfFirst = first.items.at(-1)?.id ?? 0;
    expect(second.items.every((item) => item.id > lastOfFirst)).toBe(true);
    expect(second.items.map((item) => item.id)).toEqual([
      lastOfFirst + 1,
      lastOfFirst + 2,
      lastOfFirst + 3,
    ]);
  });

  it("sort=date orders by issue date, -date the reverse", async () => {
    const { emulator } = setup();
    const ascending: Page<InvoiceJson> = (
      await apiCall(emulator, "GET", "/customer_invoices?sort=date")
    ).json();
    const dates = ascending.items.map((item) => item.date);
    expect(dates).toEqual([...dates].sort());
    const descending: Page<InvoiceJson> = (
      await apiCall(emulator, "GET", "/customer_invoices?sort=-date")
    ).json();
    expect(descending.items.map((item) => item.date)).toEqual([...dates].reverse());
  });

  const filterCases: [string, (s: Setup) => unknown[], (s: Setup) => string[]][] = [
    [
      "customer_id eq",
      (s) => [{ field: "customer_id", operator: "eq", value: String(idOf(s.customers, "c001")) }],
      () => ["i0001", "i0002", "i0007"],
    ],
    [
      "date gteq",
      () => [{ field: "date", operator: "gteq", value: addDays(SAMPLE_TODAY, -10) }],
      () => ["i0004", "i0005", "i0006", "i0007"],
    ],
    [
      "date lt and customer_id eq combined",
      (s) => [
        { field: "date", operator: "lt", value: addDays(SAMPLE_TODAY, -10) },
        { field: "customer_id", operator: "eq", value: idOf(s.customers, "c002") },
      ],
      () => ["i0003"],
    ],
    [
      "id in",
      (s) => [{ field: "id", operator: "in", value: [idOf(s.ids, "i0001"), idOf(s.ids, "i0004")] }],
      () => ["i0001", "i0004"],
    ],
    [
      "id not_in",
      (s) => [
        {
          field: "id",
          operator: "not_in",
          value: ["i0001", "i0002", "i0003", "i0004", "i0005"].map((key) =>
            String(idOf(s.ids, key)),
          ),
        },
      ],
      () => ["i0006", "i0007"],
    ],
    ["draft eq true", () => [{ field: "draft", operator: "eq", value: "true" }], () => ["i0007"]],
    [
      "credit_note eq true",
      () => [{ field: "credit_note", operator: "eq", value: true }],
      () => ["i0006"],
    ],
    [
      "external_reference eq",
      () => [{ field: "external_reference", operator: "eq", value: "book-i0003" }],
      () => ["i0003"],
    ],
    [
      "invoice_number eq",
      () => [{ field: "invoice_number", operator: "eq", value: "F-2026-00004" }],
      () => ["i0004"],
    ],
  ];

  it.each(filterCases)(
    "filter %s selects exactly the matching invoices",
    async (_name, conditions, expected) => {
      const s = setup();
      const page: Page<InvoiceJson> = (
        await apiCall(
          s.emulator,
          "GET",
          `/customer_invoices?limit=100&${filterQuery(conditions(s))}`,
        )
      ).json();
      expect(page.items.map((item) => item.id).sort()).toEqual(
        expected(s)
          .map((key) => idOf(s.ids, key))
          .sort(),
      );
    },
  );

  it("customers can be found by SIREN (reg_no) and by external_reference", async () => {
    const { emulator, customers } = setup();
    const bySiren: Page<{ id: number; reg_no: string }> = (
      await apiCall(
        emulator,
        "GET",
        `/customers?${filterQuery([{ field: "reg_no", operator: "eq", value: "552100554" }])}`,
      )
    ).json();
    expect(bySiren.items.map((item) => item.id)).toEqual([idOf(customers, "c002")]);
    const byReference: Page<{ id: number }> = (
      await apiCall(
        emulator,
        "GET",
        `/customers?${filterQuery([{ field: "external_reference", operator: "eq", value: "book-c001" }])}`,
      )
    ).json();
    expect(byReference.items.map((item) => item.id)).toEqual([idOf(customers, "c001")]);
  });

  const badQueries: [string, string, string][] = [
    [
      "a form-style filter",
      "filter[0][field]=id&filter[0][operator]=eq&filter[0][value]=1",
      "filter",
    ],
    ["a filter that is not JSON", "filter=id%3D1", "filter"],
    [
      "a filter on an undocumented field",
      filterQuery([{ field: "status", operator: "eq", value: "paid" }]),
      "filter",
    ],
    [
      "an operator the field does not support",
      filterQuery([{ field: "external_reference", operator: "start_with", value: "book" }]),
      "filter",
    ],
    [
      "a date filter with a bad date",
      filterQuery([{ field: "date", operator: "gt", value: "16/03/2026" }]),
      "filter",
    ],
    ["limit 0", "limit=0", "limit"],
    ["limit 101", "limit=101", "limit"],
    ["a non-numeric limit", "limit=ten", "limit"],
    ["an unknown sort field", "sort=-amount", "sort"],
    ["a cursor that was not issued by the API", "cursor=not-a-cursor", "cursor"],
  ];

  it.each(badQueries)(
    "%s is refused with 400 naming the parameter",
    async (_name, query, field) => {
      const { emulator } = setup();
      const answer = await apiCall(emulator, "GET", `/customer_invoices?${query}`);
      expect(answer.status).toBe(400);
      const body = answer.json<ErrorJson>();
      expect(body.field).toBe(field);
      expect(body.message).toEqual(expect.any(String));
      expect(body.code).toEqual(expect.any(String));
    },
  );

  it("a cursor issued for one sort is refused for another", async () => {
    const { emulator } = setup();
    const page: Page<InvoiceJson> = (
      await apiCall(emulator, "GET", "/customer_invoices?limit=2&sort=id")
    ).json();
    const answer = await apiCall(
      emulator,
      "GET",
      `/customer_invoices?limit=2&sort=date&cursor=${page.next_cursor ?? ""}`,
    );
    expect(answer.status).toBe(400);
  });
});

describe("authentication and scopes", () => {
  const CLIENT = {
    clientId: "encaisse",
    clientSecret: "s3cret",
    redirectUris: ["https://encaisse.test/oauth/callback"],
  };

  async function authorize(
    emulator: PennylaneEmulator,
    scope = "customers:all customer_invoices:all",
  ) {
    const url = new URL(`${ORIGIN}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: CLIENT.clientId,
      redirect_uri: CLIENT.redirectUris[0] ?? "",
      response_type: "code",
      scope,
      state: "xyz-123",
    }).toString();
    const answer = await emulator.handle(new Request(url));
    return new URL(answer.headers.get("location") ?? "");
  }

  async function token(
    emulator: PennylaneEmulator,
    form: Record<string, string>,
    path = "/oauth/token",
  ) {
    return answerOf(
      await emulator.handle(
        new Request(`${ORIGIN}${path}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({
            client_id: CLIENT.clientId,
            client_secret: CLIENT.clientSecret,
            ...form,
          }),
        }),
      ),
    );
  }

  async function connect(emulator: PennylaneEmulator) {
    const code = (await authorize(emulator)).searchParams.get("code") ?? "";
    return token(emulator, {
      grant_type: "authorization_code",
      code,
      redirect_uri: CLIENT.redirectUris[0] ?? "",
    });
  }

  it("authorize approves at once and redirects back with a code and the caller's state", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient(CLIENT);
    const back = await authorize(emulator);
    expect(`${back.origin}${back.pathname}`).toBe(CLIENT.redirectUris[0]);
    expect(back.searchParams.get("state")).toBe("xyz-123");
    expect(back.searchParams.get("code")).toMatch(/.{20,}/);
  });

  it("a code buys a 24 h access token and a refresh token carrying the granted scopes", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient(CLIENT);
    const granted = (await connect(emulator)).json<TokenJson>();
    expect(granted).toMatchObject({
      token_type: "Bearer",
      expires_in: 86_400,
      scope: "customers:all customer_invoices:all",
    });
    const me = await apiCall(emulator, "GET", "/me", { token: granted.access_token });
    expect(me.status).toBe(200);
    expect(me.json<{ scopes: string[] }>().scopes).toEqual([
      "customers:all",
      "customer_invoices:all",
    ]);
  });

  it("a code cannot be exchanged twice", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient(CLIENT);
    const code = (await authorize(emulator)).searchParams.get("code") ?? "";
    const form = {
      grant_type: "authorization_code",
      code,
      redirect_uri: CLIENT.redirectUris[0] ?? "",
    };
    expect((await token(emulator, form)).status).toBe(200);
    const second = await token(emulator, form);
    expect(second.status).toBe(400);
    expect(second.json<TokenJson>().error).toBe("invalid_grant");
  });

  it("a refresh token works once: the new pair replaces the old one, and reusing it is invalid_grant", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient(CLIENT);
    const first = (await connect(emulator)).json<TokenJson>();
    const rotated = await token(emulator, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
    });
    expect(rotated.status).toBe(200);
    const second = rotated.json<TokenJson>();
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);

    const reuse = await token(emulator, {
      grant_type: "refresh_token",
      refresh_token: first.refresh_token,
    });
    expect(reuse.status).toBe(400);
    expect(reuse.json<TokenJson>().error).toBe("invalid_grant");
    expect((await apiCall(emulator, "GET", "/me", { token: first.access_token })).status).toBe(401);
    expect((await apiCall(emulator, "GET", "/me", { token: second.access_token })).status).toBe(
      200,
    );
  });

  it("the spec's token URL /oauth/oauth/token rotates tokens too", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient(CLIENT);
    const first = (await connect(emulator)).json<TokenJson>();
    const rotated = await token(
      emulator,
      { grant_type: "refresh_token", refresh_token: first.refresh_token },
      "/oauth/oauth/token",
    );
    expect(rotated.status).toBe(200);
  });

  it("access tokens expire after 24 hours and when expireAccessTokens is called; refreshing recovers", async () => {
    const { emulator, clock } = setup();
    emulator.registerOAuthClient(CLIENT);
    const first = (await connect(emulator)).json<TokenJson>();
    clock.advance(24 * 60 * 60 * 1000);
    const expired = await apiCall(emulator, "GET", "/me", { token: first.access_token });
    expect(expired.status).toBe(401);
    expect(expired.json<ErrorJson>()).toEqual({ error: "The access token expired", status: 401 });
    expect(expired.headers.get("www-authenticate")).toContain("invalid_token");

    const second = (
      await token(emulator, { grant_type: "refresh_token", refresh_token: first.refresh_token })
    ).json<TokenJson>();
    expect((await apiCall(emulator, "GET", "/me", { token: second.access_token })).status).toBe(
      200,
    );
    expect(emulator.expireAccessTokens()).toBe(1);
    expect((await apiCall(emulator, "GET", "/me", { token: second.access_token })).status).toBe(
      401,
    );
  });

  it("a revoked token is refused", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient(CLIENT);
    const granted = (await connect(emulator)).json<TokenJson>();
    const revoke = await emulator.handle(
      new Request(`${ORIGIN}/oauth/revoke`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          token: granted.access_token,
          client_id: CLIENT.clientId,
          client_secret: CLIENT.clientSecret,
        }),
      }),
    );
    expect(revoke.status).toBe(200);
    expect((await apiCall(emulator, "GET", "/me", { token: granted.access_token })).status).toBe(
      401,
    );
    const refresh = await token(emulator, {
      grant_type: "refresh_token",
      refresh_token: granted.refresh_token,
    });
    expect(refresh.json<TokenJson>().error).toBe("invalid_grant");
  });

  it("a wrong client secret is invalid_client (401)", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient(CLIENT);
    const answer = await token(emulator, {
      grant_type: "authorization_code",
      code: "x",
      client_secret: "wrong",
    });
    expect(answer.status).toBe(401);
    expect(answer.json<TokenJson>().error).toBe("invalid_client");
  });

  it.each([
    ["no token", null, "The access token is missing"],
    ["an unknown token", "nope", "The access token is invalid"],
  ])("%s is answered 401 { error, status }", async (_name, token, message) => {
    const { emulator } = setup();
    const answer = await apiCall(emulator, "GET", "/customer_invoices", { token });
    expect(answer.status).toBe(401);
    expect(answer.json<ErrorJson>()).toEqual({ error: message, status: 401 });
  });

  const scopeCases: [string, string[], string, string, number][] = [
    [
      "a token without customer_invoices scopes cannot list invoices",
      ["customers:all"],
      "GET",
      "/customer_invoices",
      403,
    ],
    [
      "a read-only invoice token can list invoices",
      ["customer_invoices:readonly"],
      "GET",
      "/customer_invoices",
      200,
    ],
    [
      "a read-only invoice token cannot create one",
      ["customer_invoices:readonly"],
      "POST",
      "/customer_invoices",
      403,
    ],
    [
      "a read-only customers token cannot create a customer",
      ["customers:readonly"],
      "POST",
      "/company_customers",
      403,
    ],
    [
      "customers:readonly is enough for the customers changelog",
      ["customers:readonly"],
      "GET",
      "/changelogs/customers",
      200,
    ],
    ["any valid token may call /me", [], "GET", "/me", 200],
    ["products need a products scope", ["customers:all"], "GET", "/products", 403],
  ];

  it.each(scopeCases)("%s", async (_name, scopes, method, path, status) => {
    const { emulator } = setup();
    emulator.addApiToken("scoped", scopes);
    const answer = await apiCall(emulator, method, path, {
      token: "scoped",
      body: method === "POST" ? {} : undefined,
    });
    expect(answer.status).toBe(status);
    if (status === 403) expect(answer.json<ErrorJson>().error).toMatch(/requires scope/);
  });
});

describe("rate limit: 25 requests per 5 seconds per token, sliding window", () => {
  it("every answer carries the limit, what remains and when the window frees (Unix seconds)", async () => {
    const { emulator, clock } = setup();
    const first = await apiCall(emulator, "GET", "/me");
    const second = await apiCall(emulator, "GET", "/customers/0");
    expect(first.headers.get("ratelimit-limit")).toBe("25");
    expect(first.headers.get("ratelimit-remaining")).toBe("24");
    expect(second.status).toBe(404);
    expect(second.headers.get("ratelimit-remaining")).toBe("23");
    expect(Number(first.headers.get("ratelimit-reset"))).toBe(
      Math.ceil((clock.nowMs() + 5000) / 1000),
    );
  });

  it("the 26th request within 5 s is answered 429 with retry-after, then requests pass again", async () => {
    const { emulator, clock } = setup();
    for (let index = 0; index < 25; index += 1) {
      expect((await apiCall(emulator, "GET", "/me")).status).toBe(200);
      clock.advance(100);
    }
    const refused = await apiCall(emulator, "GET", "/me");
    expect(refused.status).toBe(429);
    expect(refused.text).toMatch(/^Rate limit exceeded\. Please retry in \d+ seconds\.$/);
    expect(Number(refused.headers.get("retry-after"))).toBe(3);
    expect(refused.headers.get("ratelimit-remaining")).toBe("0");
    clock.advance(2600);
    expect((await apiCall(emulator, "GET", "/me")).status).toBe(200);
    expect(emulator.stats.rateLimited).toBe(1);
  });

  it("the window slides: requests from the last 5 s still count after a fixed window would have reset", async () => {
    const { emulator, clock } = setup();
    for (let index = 0; index < 12; index += 1) await apiCall(emulator, "GET", "/me");
    clock.advance(3000);
    for (let index = 0; index < 13; index += 1) await apiCall(emulator, "GET", "/me");
    clock.advance(2500); // 5.5 s after the first burst: only the 13 later requests remain in the window
    const statuses: number[] = [];
    for (let index = 0; index < 13; index += 1)
      statuses.push((await apiCall(emulator, "GET", "/me")).status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(12);
    expect(statuses.at(-1)).toBe(429);
  });

  it("each token has its own window", async () => {
    const { emulator } = setup();
    emulator.addApiToken("other");
    for (let index = 0; index < 25; index += 1) await apiCall(emulator, "GET", "/me");
    expect((await apiCall(emulator, "GET", "/me")).status).toBe(429);
    expect((await apiCall(emulator, "GET", "/me", { token: "other" })).status).toBe(200);
  });

  it("stats count requests per endpoint, 429s and the busiest 5 s window per token", async () => {
    const { emulator, ids } = setup();
    for (let index = 0; index < 27; index += 1)
      await apiCall(emulator, "GET", `/customer_invoices/${idOf(ids, "i0001")}`);
    await apiCall(emulator, "GET", "/me", { token: "unknown" });
    const stats = emulator.stats;
    expect(stats.totalRequests).toBe(28);
    expect(stats.byEndpoint).toEqual({ "GET /customer_invoices/{id}": 27, "GET /me": 1 });
    expect(stats.rateLimited).toBe(2);
    expect(stats.byStatus).toEqual({ "200": 25, "429": 2, "401": 1 });
    expect(stats.maxRequestsInWindowByToken[TOKEN]).toBe(27);
    expect(stats.maxRequestsInWindow).toBe(27);
  });
});

describe("invoices: amounts, business rules and statuses", () => {
  it("amounts are strings computed line by line with the shared rounding rule", async () => {
    const { emulator, customers } = setup();
    const lines = [
      {
        label: "Conseil",
        quantity: 3,
        raw_currency_unit_price: "1234.5678",
        unit: "day",
        vat_rate: "FR_200",
      },
      {
        label: "Ouvrage",
        quantity: 1.5,
        raw_currency_unit_price: "33.333334",
        unit: "piece",
        vat_rate: "FR_55",
      },
      {
        label: "Transport",
        quantity: 1,
        raw_currency_unit_price: "19.99",
        unit: "piece",
        vat_rate: "exempt",
      },
    ];
    const created = await createInvoice(emulator, idOf(customers, "c001"), {
      invoice_lines: lines,
    });
    expect(created.status).toBe(201);
    const invoice = created.json<InvoiceJson>();
    const expected = computeInvoiceAmounts(
      lines.map((item) => ({
        quantity: String(item.quantity),
        unitPriceExclTax: item.raw_currency_unit_price,
        vatRateBasisPoints: chargedRateOf(item.vat_rate as VatCode),
      })),
    );
    for (const field of ["amount", "currency_amount_before_tax", "tax"] as const)
      expect(typeof invoice[field]).toBe("string");
    expect(parseCents(invoice.amount)).toBe(expected.grossCents);
    expect(parseCents(invoice.currency_amount_before_tax)).toBe(expected.netCents);
    expect(parseCents(invoice.tax)).toBe(expected.vatCents);
    expect(invoice.status).toBe("upcoming");
    expect(invoice.invoice_number).toMatch(/^F-2026-\d{5}$/);

    const linesPage: Page<LineJson> = (
      await apiCall(emulator, "GET", `/customer_invoices/${invoice.id}/invoice_lines?sort=rank`)
    ).json();
    expect(linesPage.items.map((item) => item.quantity)).toEqual(["3.0", "1.5", "1.0"]);
    expect(linesPage.items.reduce((sum, item) => sum + parseCents(item.amount), 0)).toBe(
      expected.grossCents,
    );
  });

  it("a product line takes the product's label, price and VAT rate", async () => {
    const { emulator, customers } = setup();
    const product = emulator.addProduct({
      label: "Abonnement mensuel",
      priceBeforeTax: "49.90",
      vatRate: "FR_200",
      unit: "month",
    });
    const created = (
      await createInvoice(emulator, idOf(customers, "c002"), {
        invoice_lines: [{ product_id: product.id, quantity: 2 }],
      })
    ).json<InvoiceJson>();
    expect(parseCents(created.amount)).toBe(11_976);
    const lines: Page<LineJson> = (
      await apiCall(emulator, "GET", `/customer_invoices/${created.id}/invoice_lines`)
    ).json();
    expect(lines.items[0]).toMatchObject({
      label: "Abonnement mensuel",
      vat_rate: "FR_200",
      product: { id: product.id },
    });
  });

  it("an issue date in the future is refused with 422, drafts included", async () => {
    const { emulator, customers } = setup();
    for (const draft of [true, false]) {
      const answer = await createInvoice(emulator, idOf(customers, "c001"), {
        draft,
        date: addDays(SAMPLE_TODAY, 1),
        deadline: addDays(SAMPLE_TODAY, 31),
      });
      expect(answer.status).toBe(422);
      expect(answer.json<ErrorJson>().error).toMatch(/future/);
    }
  });

  it("today is the Paris date: at 23:30 UTC on the 16th it is already the 17th in Paris", async () => {
    const { emulator, customers, clock } = setup();
    clock.set(`${SAMPLE_TODAY}T23:30:00.000Z`);
    const answer = await createInvoice(emulator, idOf(customers, "c001"), {
      date: addDays(SAMPLE_TODAY, 1),
      deadline: addDays(SAMPLE_TODAY, 31),
    });
    expect(answer.status).toBe(201);
  });

  it("an invoice dated before the last finalized invoice is refused with 422; the same date is fine", async () => {
    const { emulator, customers } = setup();
    const lastFinalized = addDays(SAMPLE_TODAY, -7); // the sample credit note
    const earlier = await createInvoice(emulator, idOf(customers, "c001"), {
      date: addDays(lastFinalized, -1),
    });
    expect(earlier.status).toBe(422);
    expect(earlier.json<ErrorJson>().error).toContain(lastFinalized);
    expect(
      (await createInvoice(emulator, idOf(customers, "c001"), { date: lastFinalized })).status,
    ).toBe(201);
  });

  it("a draft dated before the last finalized invoice can be saved but not finalized", async () => {
    const { emulator, customers } = setup();
    const draft = await createInvoice(emulator, idOf(customers, "c001"), {
      draft: true,
      date: addDays(SAMPLE_TODAY, -30),
    });
    expect(draft.status).toBe(201);
    const finalize = await apiCall(
      emulator,
      "PUT",
      `/customer_invoices/${draft.json<InvoiceJson>().id}/finalize`,
    );
    expect(finalize.status).toBe(422);
  });

  it("a deadline before the issue date is refused with 422", async () => {
    const { emulator, customers } = setup();
    const answer = await createInvoice(emulator, idOf(customers, "c001"), {
      deadline: addDays(SAMPLE_TODAY, -1),
    });
    expect(answer.status).toBe(422);
  });

  it("a draft gets its number when finalized, and finalizing it again is refused", async () => {
    const { emulator, customers } = setup();
    const draft = (
      await createInvoice(emulator, idOf(customers, "c001"), { draft: true })
    ).json<InvoiceJson>();
    expect(draft).toMatchObject({ draft: true, status: "draft", invoice_number: "", paid: false });
    const finalized = await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}/finalize`);
    expect(finalized.status).toBe(200);
    // The sample book's last invoice number is F-2026-00006 (a draft keeps none), so the next is 00006.
    expect(finalized.json<InvoiceJson>()).toMatchObject({
      draft: false,
      status: "upcoming",
      invoice_number: "F-2026-00006",
    });
    const again = await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}/finalize`);
    expect(again.status).toBe(422);
    expect(again.json<ErrorJson>()).toEqual({
      error: "This invoice is already finalized.",
      status: 422,
    });
  });

  it("a draft can be edited; a finalized invoice only in its label and external reference", async () => {
    const { emulator, customers } = setup();
    const draft = (
      await createInvoice(emulator, idOf(customers, "c001"), { draft: true })
    ).json<InvoiceJson>();
    const edited = await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}`, {
      body: {
        invoice_lines: { create: [explicitLine({ quantity: 1, raw_currency_unit_price: "100" })] },
      },
    });
    expect(edited.status).toBe(200);
    expect(parseCents(edited.json<InvoiceJson>().amount)).toBe(parseCents(draft.amount) + 12_000);

    await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}/finalize`);
    const changeDate = await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}`, {
      body: { deadline: addDays(SAMPLE_TODAY, 60) },
    });
    expect(changeDate.status).toBe(422);
    expect(changeDate.json<ErrorJson>().error).toMatch(/credit note/);
    const changeLines = await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}`, {
      body: { invoice_lines: { create: [explicitLine()] } },
    });
    expect(changeLines.status).toBe(422);
    const relabel = await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}`, {
      body: { label: "Facture mars" },
    });
    expect(relabel.status).toBe(200);
    expect(relabel.json<InvoiceJson>().label).toBe("Facture mars");
    expect((await apiCall(emulator, "DELETE", `/customer_invoices/${draft.id}`)).status).toBe(422);
  });

  it("a refused update leaves the draft as it was", async () => {
    const { emulator, customers } = setup();
    const draft = (
      await createInvoice(emulator, idOf(customers, "c001"), { draft: true })
    ).json<InvoiceJson>();
    const lines: Page<{ id: number }> = (
      await apiCall(emulator, "GET", `/customer_invoices/${draft.id}/invoice_lines`)
    ).json();
    const refused = await apiCall(emulator, "PUT", `/customer_invoices/${draft.id}`, {
      body: {
        deadline: addDays(SAMPLE_TODAY, 45),
        invoice_lines: { delete: lines.items.map((line) => ({ id: line.id })) },
      },
    });
    expect(refused.status).toBe(422);
    const after = (
      await apiCall(emulator, "GET", `/customer_invoices/${draft.id}`)
    ).json<InvoiceJson>();
    expect(after).toMatchObject({ amount: draft.amount, deadline: draft.deadline });
    const linesAfter: Page<{ id: number }> = (
      await apiCall(emulator, "GET", `/customer_invoices/${draft.id}/invoice_lines`)
    ).json();
    expect(linesAfter.items.map((line) => line.id)).toEqual(lines.items.map((line) => line.id));
  });

  it("a draft can be deleted (204), then it is gone (404) and the changelog says delete", async () => {
    const { emulator, customers } = setup();
    const draft = (
      await createInvoice(emulator, idOf(customers, "c001"), { draft: true })
    ).json<InvoiceJson>();
    expect((await apiCall(emulator, "DELETE", `/customer_invoices/${draft.id}`)).status).toBe(204);
    expect((await apiCall(emulator, "GET", `/customer_invoices/${draft.id}`)).status).toBe(404);
    const changes: Page<ChangeJson> = (
      await apiCall(emulator, "GET", "/changelogs/customer_invoices?limit=1000")
    ).json();
    expect(
      changes.items.filter((change) => change.id === draft.id).map((change) => change.operation),
    ).toEqual(["insert", "delete"]);
  });

  it("a second invoice with the same external_reference is refused with 422, a second customer with 409", async () => {
    const { emulator, customers } = setup();
    expect(
      (
        await createInvoice(emulator, idOf(customers, "c001"), {
          external_reference: "hubspot-deal-42",
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await createInvoice(emulator, idOf(customers, "c001"), {
          external_reference: "hubspot-deal-42",
        })
      ).status,
    ).toBe(422);
    const duplicate = await apiCall(emulator, "POST", "/company_customers", {
      body: {
        name: "Autre Martin",
        external_reference: "book-c001",
        billing_address: {
          address: "1 rue A",
          postal_code: "69001",
          city: "Lyon",
          country_alpha2: "FR",
        },
      },
    });
    expect(duplicate.status).toBe(409);
  });

  it.each([
    [
      "a missing billing_address",
      { name: "Sans Adresse SAS" },
      "billing_address",
      "NotExistRequiredKey",
    ],
    [
      "an incomplete billing_address",
      { name: "X", billing_address: { address: "1 rue A", city: "Lyon", country_alpha2: "FR" } },
      "billing_address.postal_code",
      "NotExistRequiredKey",
    ],
    [
      "an unknown payment condition",
      {
        name: "X",
        payment_conditions: "90_days",
        billing_address: { address: "a", postal_code: "1", city: "c", country_alpha2: "FR" },
      },
      "payment_conditions",
      "NotEnumInclude",
    ],
    [
      "an unknown property",
      {
        name: "X",
        siren: "1",
        billing_address: { address: "a", postal_code: "1", city: "c", country_alpha2: "FR" },
      },
      "siren",
      "NotExistPropertyDefinition",
    ],
  ])("a customer with %s is refused with 400", async (_name, body, field, code) => {
    const { emulator } = setup();
    const answer = await apiCall(emulator, "POST", "/company_customers", { body });
    expect(answer.status).toBe(400);
    expect(answer.json<ErrorJson>()).toMatchObject({ field, code });
  });

  it.each([
    [
      "quantity sent as a string",
      { invoice_lines: [explicitLine({ quantity: "2" })] },
      "invoice_lines.0.quantity",
    ],
    [
      "a price with 7 decimals",
      { invoice_lines: [explicitLine({ raw_currency_unit_price: "1.1234567" })] },
      "invoice_lines.0.raw_currency_unit_price",
    ],
    [
      "a percentage instead of a VAT code",
      { invoice_lines: [explicitLine({ vat_rate: "20" })] },
      "invoice_lines.0.vat_rate",
    ],
    [
      "a line without its unit",
      {
        invoice_lines: [
          { label: "x", quantity: 1, raw_currency_unit_price: "1", vat_rate: "FR_200" },
        ],
      },
      "invoice_lines.0.unit",
    ],
    ["no lines", { invoice_lines: [] }, "invoice_lines"],
  ])("an invoice with %s is refused with 400", async (_name, overrides, field) => {
    const { emulator, customers } = setup();
    const answer = await createInvoice(emulator, idOf(customers, "c001"), overrides);
    expect(answer.status).toBe(400);
    expect(answer.json<ErrorJson>().field).toBe(field);
  });

  it("an unknown customer is 404", async () => {
    const { emulator } = setup();
    expect((await createInvoice(emulator, 999_999)).status).toBe(404);
  });

  const statusCases: [string, string, boolean, string][] = [
    ["i0001", "paid", true, "0.0"],
    ["i0002", "partially_paid", false, "742.2"],
    ["i0003", "late", false, "107.88"],
    ["i0004", "upcoming", false, "539.76"],
    ["i0005", "cancelled", false, "0.0"],
    ["i0006", "credit_note", true, "0.0"],
    ["i0007", "draft", false, "1260.0"],
  ];

  it.each(statusCases)(
    "sample invoice %s reads %s (paid=%s, remaining %s)",
    async (key, status, paid, remaining) => {
      const { emulator, ids } = setup();
      const invoice = (
        await apiCall(emulator, "GET", `/customer_invoices/${idOf(ids, key)}`)
      ).json<InvoiceJson>();
      expect(invoice).toMatchObject({ status, paid, remaining_amount_with_tax: remaining });
    },
  );

  it("money arriving moves an invoice from late to partially paid to paid, with payments, transactions and changelog", async () => {
    const { emulator, ids, clock } = setup();
    const id = idOf(ids, "i0003");
    emulator.recordPayment(id, {
      date: addDays(SAMPLE_TODAY, -1),
      amountCents: 5_000,
      label: "VIR DUPONT 1",
    });
    expect(
      (await apiCall(emulator, "GET", `/customer_invoices/${id}`)).json<InvoiceJson>(),
    ).toMatchObject({
      status: "partially_paid",
      remaining_amount_with_tax: "57.88",
      paid: false,
    });
    clock.advance(60_000);
    emulator.recordPayment(id, { date: SAMPLE_TODAY, amountCents: 5_788, label: "VIR DUPONT 2" });
    expect(
      (await apiCall(emulator, "GET", `/customer_invoices/${id}`)).json<InvoiceJson>(),
    ).toMatchObject({
      status: "paid",
      remaining_amount_with_tax: "0.0",
      paid: true,
    });
    const payments: Page<{ currency_amount: string; label: string }> = (
      await apiCall(emulator, "GET", `/customer_invoices/${id}/payments?sort=id`)
    ).json();
    expect(payments.items.map((item) => [item.label, item.currency_amount])).toEqual([
      ["VIR DUPONT 1", "50.0"],
      ["VIR DUPONT 2", "57.88"],
    ]);
    const transactions: Page<{ date: string; amount: string }> = (
      await apiCall(emulator, "GET", `/customer_invoices/${id}/matched_transactions?sort=id`)
    ).json();
    expect(transactions.items.map((item) => item.date)).toEqual([
      addDays(SAMPLE_TODAY, -1),
      SAMPLE_TODAY,
    ]);
    const changes = emulator.ledger.changelog
      .retained("customer_invoices", clock.nowMs())
      .filter((entry) => entry.id === id);
    // Issued 30 days ago, its insert has aged out of the 4-week log; both payments are there.
    expect(changes.map((entry) => entry.operation)).toEqual(["update", "update"]);
  });

  it("recordPayment refuses drafts, credit notes and amounts that are not positive cents", () => {
    const { emulator, ids } = setup();
    expect(() =>
      emulator.recordPayment(idOf(ids, "i0007"), {
        date: SAMPLE_TODAY,
        amountCents: 100,
        label: "x",
      }),
    ).toThrow(/finalized/);
    expect(() =>
      emulator.recordPayment(idOf(ids, "i0006"), {
        date: SAMPLE_TODAY,
        amountCents: 100,
        label: "x",
      }),
    ).toThrow(/finalized/);
    expect(() =>
      emulator.recordPayment(idOf(ids, "i0003"), {
        date: SAMPLE_TODAY,
        amountCents: 10.5,
        label: "x",
      }),
    ).toThrow(/cents/);
  });

  it("a credit note linked to an invoice cancels it; mark_as_paid settles another", async () => {
    const { emulator, ids, customers } = setup();
    const invoiceId = idOf(ids, "i0004");
    const credit = (
      await createInvoice(emulator, idOf(customers, "c002"), {
        invoice_lines: [
          {
            label: "Pneus",
            quantity: -4,
            raw_currency_unit_price: "112.45",
            unit: "piece",
            vat_rate: "FR_200",
          },
        ],
      })
    ).json<InvoiceJson>();
    expect(credit.status).toBe("credit_note");
    expect(credit.invoice_number).toMatch(/^AV-2026-\d{5}$/);
    const linked = await apiCall(
      emulator,
      "POST",
      `/customer_invoices/${invoiceId}/link_credit_note`,
      { body: { credit_note_id: credit.id } },
    );
    expect(linked.status).toBe(200);
    expect(linked.json<InvoiceJson>().credited_invoice?.id).toBe(invoiceId);
    expect(
      (await apiCall(emulator, "GET", `/customer_invoices/${invoiceId}`)).json<InvoiceJson>(),
    ).toMatchObject({ status: "cancelled", remaining_amount_with_tax: "0.0" });

    const lateId = idOf(ids, "i0003");
    expect(
      (await apiCall(emulator, "PUT", `/customer_invoices/${lateId}/mark_as_paid`)).status,
    ).toBe(204);
    expect(
      (await apiCall(emulator, "GET", `/customer_invoices/${lateId}`)).json<InvoiceJson>(),
    ).toMatchObject({ status: "paid", paid: true });
  });
});

describe("public_file_url: a signed PDF link that expires after 30 minutes", () => {
  it("serves the PDF for 30 minutes, then answers 403", async () => {
    const { emulator, ids, clock } = setup();
    const invoice = (
      await apiCall(emulator, "GET", `/customer_invoices/${idOf(ids, "i0004")}`)
    ).json<InvoiceJson>();
    expect(invoice.public_file_url.startsWith(`${ORIGIN}/public/invoice/pdf?encrypted_id=`)).toBe(
      true,
    );
    const fresh = await emulator.handle(new Request(invoice.public_file_url));
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get("content-type")).toBe("application/pdf");
    expect(new TextDecoder().decode(await fresh.arrayBuffer())).toMatch(
      /^%PDF-1\.4[\s\S]*F-2026-00004[\s\S]*%%EOF\n$/,
    );
    clock.advance(29 * 60 * 1000);
    expect((await emulator.handle(new Request(invoice.public_file_url))).status).toBe(200);
    clock.advance(60 * 1000);
    const expired = await emulator.handle(new Request(invoice.public_file_url));
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("Request has expired");
  });

  it("a tampered link is refused", async () => {
    const { emulator, ids } = setup();
    const invoice = (
      await apiCall(emulator, "GET", `/customer_invoices/${idOf(ids, "i0004")}`)
    ).json<InvoiceJson>();
    const tampered = invoice.public_file_url.replace(
      /encrypted_id=(.)/,
      (_match, first: string) => `encrypted_id=${first === "A" ? "B" : "A"}`,
    );
    expect((await emulator.handle(new Request(tampered))).status).toBe(403);
  });
});

describe("changelogs: every change, 4 weeks kept", () => {
  it("lists inserts and updates oldest first, only within the last 4 weeks", async () => {
    const { emulator, ids, clock } = setup();
    const changes: Page<ChangeJson> = (
      await apiCall(emulator, "GET", "/changelogs/customer_invoices?limit=1000")
    ).json();
    const horizon = clock.nowMs() - CHANGELOG_RETENTION_MS;
    expect(changes.items.length).toBeGreaterThan(0);
    expect(changes.items.every((change) => Date.parse(change.processed_at) >= horizon)).toBe(true);
    const times = changes.items.map((change) => change.processed_at);
    expect(times).toEqual([...times].sort());
    // i0001 was issued and paid more than 4 weeks ago: nothing about it remains.
    expect(changes.items.some((change) => change.id === idOf(ids, "i0001"))).toBe(false);
    expect(
      changes.items
        .filter((change) => change.id === idOf(ids, "i0004"))
        .map((change) => change.operation),
    ).toEqual(["insert"]);
  });

  it("a start_date older than 4 weeks is 422; start_date with cursor is 400", async () => {
    const { emulator, clock } = setup();
    const old = new Date(clock.nowMs() - CHANGELOG_RETENTION_MS - 60_000).toISOString();
    const tooOld = await apiCall(
      emulator,
      "GET",
      `/changelogs/customer_invoices?start_date=${old}`,
    );
    expect(tooOld.status).toBe(422);
    expect(tooOld.json<ErrorJson>().status).toBe(422);
    const recent = new Date(clock.nowMs() - 60_000).toISOString();
    const both = await apiCall(
      emulator,
      "GET",
      `/changelogs/customer_invoices?start_date=${recent}&cursor=abc`,
    );
    expect(both.status).toBe(400);
  });

  it("start_date returns changes from that instant, and next_cursor pages through the rest", async () => {
    const { emulator, customers, clock } = setup();
    const since = new Date(clock.nowMs()).toISOString();
    const created: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      clock.advance(1000);
      created.push((await createInvoice(emulator, idOf(customers, "c002"))).json<InvoiceJson>().id);
    }
    const first: Page<ChangeJson> = (
      await apiCall(emulator, "GET", `/changelogs/customer_invoices?start_date=${since}&limit=2`)
    ).json();
    expect(first.has_more).toBe(true);
    const rest: Page<ChangeJson> = (
      await apiCall(
        emulator,
        "GET",
        `/changelogs/customer_invoices?cursor=${first.next_cursor ?? ""}&limit=2`,
      )
    ).json();
    expect([...first.items, ...rest.items].map((change) => change.id)).toEqual(created);
    expect(rest.has_more).toBe(false);
  });

  it("entries age out: 4 weeks after a change it is no longer listed", async () => {
    const { emulator, customers, clock } = setup();
    const id = (await createInvoice(emulator, idOf(customers, "c002"))).json<InvoiceJson>().id;
    const listed = async () =>
      (await apiCall(emulator, "GET", "/changelogs/customer_invoices?limit=1000"))
        .json<Page<ChangeJson>>()
        .items.some((change) => change.id === id);
    expect(await listed()).toBe(true);
    clock.advance(CHANGELOG_RETENTION_MS + 1000);
    expect(await listed()).toBe(false);
  });

  it("customer creations and updates are in the customers changelog", async () => {
    const { emulator } = setup();
    const created = (
      await apiCall(emulator, "POST", "/company_customers", {
        body: {
          name: "Nouvelle SAS",
          reg_no: "409264538",
          billing_address: {
            address: "3 quai B",
            postal_code: "33000",
            city: "Bordeaux",
            country_alpha2: "FR",
          },
        },
      })
    ).json<{ id: number }>();
    await apiCall(emulator, "PUT", `/company_customers/${created.id}`, {
      body: { emails: ["compta@nouvelle.fr"] },
    });
    const changes: Page<ChangeJson> = (
      await apiCall(emulator, "GET", "/changelogs/customers?limit=100")
    ).json();
    expect(
      changes.items.filter((change) => change.id === created.id).map((change) => change.operation),
    ).toEqual(["insert", "update"]);
  });
});

describe("fault injection", () => {
  it("adds latency to API answers", async () => {
    const { emulator } = setup();
    emulator.faults.latencyMs = 60;
    const started = performance.now();
    await apiCall(emulator, "GET", "/me");
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it("a 5xx rate draws from a seeded generator: the same seed fails the same requests", async () => {
    const run = async (seed: number) => {
      const { emulator } = setup();
      emulator.faults.seed(seed).serverErrorRate = 0.3;
      const statuses: number[] = [];
      for (let index = 0; index < 20; index += 1)
        statuses.push((await apiCall(emulator, "GET", "/me")).status);
      return { statuses, injected: emulator.stats.injectedServerErrors };
    };
    const first = await run(7);
    const again = await run(7);
    expect(again.statuses).toEqual(first.statuses);
    expect(first.injected).toBe(first.statuses.filter((status) => status === 500).length);
    expect(first.injected).toBeGreaterThan(0);
    expect(first.injected).toBeLessThan(20);
    expect((await run(8)).statuses).not.toEqual(first.statuses);
  });

  it("a 429 storm for the next N requests, with retry-after, then calm", async () => {
    const { emulator } = setup();
    emulator.faults.rateLimitStorm({ requests: 3, retryAfterSeconds: 7 });
    const answers = [];
    for (let index = 0; index < 4; index += 1) answers.push(await apiCall(emulator, "GET", "/me"));
    expect(answers.map((answer) => answer.status)).toEqual([429, 429, 429, 200]);
    expect(answers[0]?.headers.get("retry-after")).toBe("7");
    expect(emulator.stats.rateLimited).toBe(3);
  });

  it("a 429 storm for a duration ends when the duration has passed", async () => {
    const { emulator, clock } = setup();
    emulator.faults.rateLimitStorm({ durationMs: 10_000 });
    expect((await apiCall(emulator, "GET", "/me")).status).toBe(429);
    clock.advance(9_000);
    expect((await apiCall(emulator, "GET", "/me")).status).toBe(429);
    clock.advance(1_000);
    expect((await apiCall(emulator, "GET", "/me")).status).toBe(200);
  });

  it("a timeout hangs the request until the client aborts it", async () => {
    const { emulator } = setup();
    emulator.faults.timeouts({ requests: 1 });
    const controller = new AbortController();
    let settled = false;
    const pending = apiCall(emulator, "GET", "/me", { signal: controller.signal }).then(
      (answer) => {
        settled = true;
        return answer;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(settled).toBe(false);
    controller.abort();
    expect((await pending).status).toBe(504);
    expect(emulator.stats.injectedTimeouts).toBe(1);
    expect((await apiCall(emulator, "GET", "/me")).status).toBe(200);
  });

  it("token expiry: faults.expireAccessTokens expires OAuth tokens, not company API tokens", async () => {
    const { emulator } = setup();
    emulator.registerOAuthClient({ clientId: "c", clientSecret: "s" });
    const redirect = await emulator.handle(
      new Request(
        `${ORIGIN}/oauth/authorize?client_id=c&redirect_uri=${encodeURIComponent("https://app.test/cb")}&response_type=code&scope=customers:all`,
      ),
    );
    const code = new URL(redirect.headers.get("location") ?? "").searchParams.get("code") ?? "";
    const granted = (
      await answerOf(
        await emulator.handle(
          new Request(`${ORIGIN}/oauth/token`, {
            method: "POST",
            headers: {
              authorization: `Basic ${Buffer.from("c:s").toString("base64")}`,
              "content-type": "application/x-www-form-urlencoded",
            },
            body: new URLSearchParams({
              grant_type: "authorization_code",
              code,
              redirect_uri: "https://app.test/cb",
            }),
          }),
        ),
      )
    ).json<TokenJson>();
    expect(emulator.faults.expireAccessTokens()).toBe(1);
    expect((await apiCall(emulator, "GET", "/me", { token: granted.access_token })).status).toBe(
      401,
    );
    expect((await apiCall(emulator, "GET", "/me")).status).toBe(200);
  });
});

describe("serving through msw", () => {
  const emulator = new PennylaneEmulator({ now: () => new Date(START) });
  emulator.addApiToken(TOKEN);
  const exchanges: string[] = [];
  const server = setupServer(
    ...pennylaneMswHandlers(emulator, ORIGIN, {
      onExchange: (request, response) => {
        exchanges.push(`${request.method} ${new URL(request.url).pathname} ${response.status}`);
      },
    }),
    http.get("https://elsewhere.test/ping", () => HttpResponse.text("pong")),
  );

  beforeEach(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => server.close());

  it("msw routes fetch calls to the emulator and reports each exchange", async () => {
    const response = await fetch(`${API}/me`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { company: { reg_no: string } }).company.reg_no).toBe(
      "732829320",
    );
    expect(exchanges).toContain("GET /api/external/v2/me 200");
    expect(await (await fetch("https://elsewhere.test/ping")).text()).toBe("pong");
  });

  it("through msw, an injected timeout makes fetch fail when the client aborts", async () => {
    emulator.faults.timeouts({ requests: 1 });
    await expect(
      fetch(`${API}/me`, {
        headers: { authorization: `Bearer ${TOKEN}` },
        signal: AbortSignal.timeout(100),
      }),
    ).rejects.toThrow(/abort|timeout/i);
  });
});

describe("serving over real HTTP", () => {
  const emulator = new PennylaneEmulator({ now: () => new Date(START) });
  emulator.addApiToken(TOKEN);

  it("the HTTP server answers on 127.0.0.1 with links on its own origin, and closes", async () => {
    const running = await startPennylaneServer(emulator, { port: 0 });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const created = await fetch(`${running.url}/api/external/v2/company_customers`, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({
          name: "Serveur SAS",
          billing_address: {
            address: "1 rue",
            postal_code: "75001",
            city: "Paris",
            country_alpha2: "FR",
          },
        }),
      });
      expect(created.status).toBe(201);
      const body = (await created.json()) as { contacts: { url: string } };
      expect(body.contacts.url.startsWith(`${running.url}/api/external/v2/customers/`)).toBe(true);
    } finally {
      await running.close();
    }
  });
});
