import { describe, expect, it } from "vitest";
import { HubSpotError, toHubSpotError } from "../../functions/src/hubspot/errors";
import {
  billingAddressOf,
  countryCodeOf,
  parisInstantAt,
  recordUrl,
  toCrmCompany,
  toCrmDeal,
  toDealLineItem,
} from "../../functions/src/hubspot/mapping";

describe("reading HubSpot countries", () => {
  it.each([
    ["France", "FR"],
    ["france", "FR"],
    ["FR", "FR"],
    ["fr", "FR"],
    ["Belgique", "BE"],
    ["Belgium", "BE"],
    ["Royaume-Uni", "GB"],
    ["United Kingdom", "GB"],
    ["UK", "GB"],
    ["Suisse", "CH"],
    ["Allemagne", "DE"],
    ["Germany", "DE"],
    ["États-Unis", "US"],
    ["USA", "US"],
    ["Côte d’Ivoire", "CI"],
    ["  luxembourg ", "LU"],
  ])("%s is the country %s", (typed, code) => {
    expect(countryCodeOf(typed)).toBe(code);
  });

  it.each(["Atlantis", "ZZ", "EU", "Europe"])("%s is not read as a country", (typed) => {
    expect(countryCodeOf(typed)).toBeNull();
  });
});

describe("a HubSpot company in our words", () => {
  const company = (properties: Record<string, string | null>) =>
    toCrmCompany({ id: "101", properties }, "siren");

  it("a company with no country is French, and a grouped SIREN is read as digits", () => {
    const read = company({
      name: "Boulangerie Martin",
      siren: "732 829 320",
      address: "12 rue des Lilas",
      zip: "69003",
      city: "Lyon",
      country: "",
    });
    expect(read.siren).toBe("732829320");
    expect(read.address).toEqual({
      line1: "12 rue des Lilas",
      line2: null,
      postalCode: "69003",
      city: "Lyon",
      countryCode: "FR",
    });
    expect(billingAddressOf(read)).toEqual({
      line1: "12 rue des Lilas",
      line2: null,
      postalCode: "69003",
      city: "Lyon",
      countryCode: "FR",
    });
  });

  it("an unreadable country gives no billing address rather than a French one", () => {
    const read = company({
      address: "1 Main St",
      zip: "1000",
      city: "Nowhere",
      country: "Atlantis",
    });
    expect(read.address.countryCode).toBeNull();
    expect(billingAddressOf(read)).toBeNull();
  });

  it("the last activity is the later of the last note and HubSpot's last activity", () => {
    const read = company({
      notes_last_updated: "2026-10-01T08:00:00.000Z",
      hs_last_activity_date: String(Date.parse("2026-11-02T09:30:00.000Z")),
    });
    expect(read.lastActivityAt).toBe("2026-11-02T09:30:00.000Z");
  });

  it("a VAT number typed with spaces and lower case is normalized", () => {
    expect(company({ encaisse_vat_number: "fr 44 732829320" }).vatNumber).toBe("FR44732829320");
  });
});

describe("deals", () => {
  it("a deal without hs_is_closed is closed when in a closed stage", () => {
    expect(toCrmDeal({ id: "1", properties: { dealstage: "closedwon" } }).closed).toBe(true);
    expect(toCrmDeal({ id: "2", properties: { dealstage: "contractsent" } }).closed).toBe(false);
    expect(
      toCrmDeal({ id: "3", properties: { dealstage: "custom_won", hs_is_closed: "true" } }).closed,
    ).toBe(true);
  });

  it("the amount stays HubSpot's decimal string, with exact cents beside it", () => {
    const deal = toCrmDeal({
      id: "1",
      properties: { amount: "12500.505", deal_currency_code: "eur" },
    });
    expect(deal.amount).toBe("12500.505");
    expect(deal.amountCents).toBe(1_250_051);
    expect(deal.currency).toBe("EUR");
  });

  it("a close date late in the UTC evening is the next day in Paris", () => {
    const deal = toCrmDeal({ id: "1", properties: { closedate: "2026-03-31T22:30:00.000Z" } });
    expect(deal.closeDate).toBe("2026-04-01");
  });
});

describe("line items", () => {
  it("the VAT code of the line item wins over its product's, which is the fallback", () => {
    const products = new Map([["900", "FR_100"]]);
    const own = toDealLineItem(
      { id: "1", properties: { name: "A", hs_product_id: "900", encaisse_vat_code: "FR_200" } },
      products,
    );
    const inherited = toDealLineItem(
      { id: "2", properties: { name: "B", hs_product_id: "900", encaisse_vat_code: "" } },
      products,
    );
    const none = toDealLineItem({ id: "3", properties: { name: "C" } }, products);
    expect([own.vatCode, inherited.vatCode, none.vatCode]).toEqual(["FR_200", "FR_100", null]);
  });
});

describe("dates and links", () => {
  it.each([
    ["2026-12-01", "2026-12-01T08:00:00.000Z"],
    ["2026-07-01", "2026-07-01T07:00:00.000Z"],
    ["2026-03-29", "2026-03-29T07:00:00.000Z"],
  ])("a task due %s is due at 9:00 in Paris (%s)", (date, instant) => {
    expect(parisInstantAt(date, 9)).toBe(instant);
  });

  it("record links follow HubSpot's /contacts/{portal}/record/{type}/{id} pattern", () => {
    expect(recordUrl("https://app.hubspot.com/", "123", "companies", "42")).toBe(
      "https://app.hubspot.com/contacts/123/record/0-2/42",
    );
    expect(recordUrl("https://app-eu1.hubspot.com", "9", "deals", "7")).toBe(
      "https://app-eu1.hubspot.com/contacts/9/record/0-3/7",
    );
  });
});

describe("HubSpot failures as error codes", () => {
  const apiException = (code: number, body: unknown, headers: Record<string, string> = {}) =>
    Object.assign(new Error("An error occurred."), { code, body, headers });
  const NOW = 1_700_000_000_000;

  it.each([
    [401, "HUBSPOT_AUTH_FAILED"],
    [403, "FORBIDDEN"],
    [404, "NOT_FOUND"],
    [400, "HUBSPOT_REJECTED"],
    [409, "HUBSPOT_REJECTED"],
    [500, "HUBSPOT_UNAVAILABLE"],
    [502, "HUBSPOT_UNAVAILABLE"],
    [429, "HUBSPOT_RATE_LIMITED"],
  ])("HTTP %i becomes %s", (status, code) => {
    expect(toHubSpotError(apiException(status, { category: "X" }), "op", NOW).code).toBe(code);
  });

  it("a network failure is HUBSPOT_UNAVAILABLE", () => {
    const error = toHubSpotError(new TypeError("socket hang up"), "companies.getById", NOW);
    expect(error.code).toBe("HUBSPOT_UNAVAILABLE");
    expect(error.transient).toBe(true);
  });

  it("a missing scope names the scopes to grant", () => {
    const error = toHubSpotError(
      apiException(403, {
        category: "MISSING_SCOPES",
        errors: [{ context: { requiredGranularScopes: ["crm.objects.deals.read"] } }],
      }),
      "deals.getById",
      NOW,
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(error.details?.missingScopes).toEqual(["crm.objects.deals.read"]);
    expect(error.message).toContain("crm.objects.deals.read");
  });

  it.each([
    [{ "retry-after": "2" }, 2_000],
    [{ "x-hubspot-ratelimit-interval-milliseconds": "10000" }, 10_000],
    [{}, 1_000],
  ])("a 429 with headers %j asks for a %i ms wait", (headers, waitMs) => {
    const error = toHubSpotError(apiException(429, {}, headers), "op", NOW);
    expect(error.retryAfterMs).toBe(waitMs);
    expect(error.rateLimitedBriefly).toBe(true);
  });

  it("the daily quota is not waited out", () => {
    const error = toHubSpotError(
      apiException(429, {}, { "x-hubspot-ratelimit-daily-remaining": "0" }),
      "op",
      NOW,
    );
    expect(error.code).toBe("HUBSPOT_RATE_LIMITED");
    expect(error.rateLimitedBriefly).toBe(false);
  });

  it("HubSpot's own message, which may quote record values, never reaches ours", () => {
    const error = toHubSpotError(
      apiException(400, {
        category: "VALIDATION_ERROR",
        message: "Property values were not valid: jeanne.dupont@example.fr",
        correlationId: "c-1",
      }),
      "contacts.update",
      NOW,
    );
    expect(error).toBeInstanceOf(HubSpotError);
    expect(JSON.stringify(error.toBody())).not.toContain("jeanne.dupont");
    expect(error.details).toMatchObject({ category: "VALIDATION_ERROR", correlationId: "c-1" });
  });
});
