import { describe, expect, it } from "vitest";
import {
  buildInvoiceDraft,
  externalReferenceForDeal,
  LATE_PAYMENT_MENTION,
  type BuildDraftInput,
  type DealLineItem,
} from "../src";

const line = (overrides: Partial<DealLineItem> = {}): DealLineItem => ({
  id: "101",
  name: "Audit de sécurité",
  quantity: "2",
  unitPriceExclTax: "1250.00",
  discountPercent: null,
  vatCode: "FR_200",
  ...overrides,
});

const input = (overrides: Partial<BuildDraftInput> = {}): BuildDraftInput => ({
  dealId: "9876543210",
  dealName: "Audit 2026",
  currency: "EUR",
  lineItems: [line()],
  customer: {
    name: "Boulangerie Martin SARL",
    siren: "732829320",
    siret: null,
    vatNumber: "FR44732829320",
    billingAddress: {
      line1: "12 rue de la Paix",
      line2: null,
      postalCode: "75002",
      city: "Paris",
      countryCode: "FR",
    },
    paymentTerms: "30_days",
  },
  providerCustomerId: "42",
  operationNature: "services",
  settings: {
    defaultVatCode: "FR_200",
    defaultPaymentTerms: "30_days",
    endOfMonthConvention: "days_then_end_of_month",
    finalize: false,
  },
  today: "2026-11-23",
  ...overrides,
});

function fieldErrorCodes(result: ReturnType<typeof buildInvoiceDraft>): string[] {
  if (result.ok) throw new Error("expected field errors");
  return result.fieldErrors.map((e) => e.code);
}

describe("an invoice draft from a deal", () => {
  it("carries the deal's lines, totals per line, the due date from the customer's terms and our reference", () => {
    const result = buildInvoiceDraft(
      input({
        lineItems: [
          line(),
          line({
            id: "102",
            name: "Formation",
            quantity: "1.5",
            unitPriceExclTax: "800",
            vatCode: null,
            discountPercent: "10",
          }),
          line({
            id: "103",
            name: "Livres",
            quantity: "3",
            unitPriceExclTax: "19.99",
            vatCode: "FR_55",
          }),
        ],
      }),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.fieldErrors));
    const { draft, lines, amounts } = result.preview;
    expect(draft.externalReference).toBe("hubspot-deal-9876543210");
    expect(draft.issueDate).toBe("2026-11-23");
    expect(draft.dueDate).toBe("2026-12-23");
    expect(draft.lines.map((l) => l.vatCode)).toEqual(["FR_200", "FR_200", "FR_55"]);
    // 2 x 1250 = 2500 (+500 VAT); 1.5 x 800 x 0.9 = 1080 (+216); 3 x 19.99 = 59.97 (+3.30)
    expect(lines.map((l) => [l.netCents, l.vatCents])).toEqual([
      [250000, 50000],
      [108000, 21600],
      [5997, 330],
    ]);
    expect(amounts.grossCents).toBe(250000 + 50000 + 108000 + 21600 + 5997 + 330);
    expect(draft.legalMentions).toEqual([LATE_PAYMENT_MENTION]);
    expect(draft.finalize).toBe(false);
  });

  it("falls back to the tenant's default terms, end-of-month convention included", () => {
    const result = buildInvoiceDraft(
      input({
        customer: { ...input().customer, paymentTerms: null },
        settings: { ...input().settings, defaultPaymentTerms: "45_days_end_of_month" },
      }),
    );
    expect(result.ok && result.preview.draft.dueDate).toBe("2027-01-31");
  });

  it("adds the exemption mention of lines that charge no French VAT", () => {
    const result = buildInvoiceDraft(
      input({
        lineItems: [line({ vatCode: "intracom_100" })],
        customer: {
          ...input().customer,
          billingAddress: {
            line1: "Hauptstr. 1",
            line2: null,
            postalCode: "10115",
            city: "Berlin",
            countryCode: "DE",
          },
          siren: null,
          vatNumber: "DE123456789",
        },
        operationNature: "goods",
      }),
    );
    expect(result.ok && result.preview.draft.legalMentions).toEqual([
      LATE_PAYMENT_MENTION,
      "Exonération de TVA, article 262 ter I du CGI",
    ]);
    expect(result.ok && result.preview.amounts.vatCents).toBe(0);
  });

  it("a second build for the same deal gives the same reference (what makes creation exactly-once)", () => {
    expect(externalReferenceForDeal("12")).toBe("hubspot-deal-12");
    expect(() => externalReferenceForDeal("12; DROP")).toThrowError(
      expect.objectContaining({ code: "VALIDATION_FAILED" }),
    );
  });
});

describe("missing mandatory information is refused field by field, before anything is sent", () => {
  it.each([
    [
      "a French customer without SIREN",
      { customer: { ...input().customer, siren: null } },
      ["CUSTOMER_SIREN_MISSING"],
    ],
    [
      "a SIREN with a bad check digit",
      { customer: { ...input().customer, siren: "732829321" } },
      ["SIREN_INVALID_CHECKSUM"],
    ],
    [
      "a bad SIRET",
      { customer: { ...input().customer, siren: null, siret: "73282932000075" } },
      ["SIRET_INVALID_CHECKSUM"],
    ],
    [
      "no billing address",
      { customer: { ...input().customer, billingAddress: null } },
      ["CUSTOMER_ADDRESS_MISSING"],
    ],
    [
      "an incomplete address",
      {
        customer: {
          ...input().customer,
          billingAddress: {
            line1: "1 rue X",
            line2: null,
            postalCode: " ",
            city: "Lyon",
            countryCode: "FR",
          },
        },
      },
      ["CUSTOMER_ADDRESS_MISSING"],
    ],
    ["no operation nature", { operationNature: null }, ["OPERATION_NATURE_MISSING"]],
    ["no line items", { lineItems: [] }, ["DEAL_HAS_NO_LINE_ITEMS"]],
    ["a zero quantity", { lineItems: [line({ quantity: "0" })] }, ["LINE_QUANTITY_INVALID"]],
    [
      "a quantity that is not a number",
      { lineItems: [line({ quantity: "deux" })] },
      ["LINE_QUANTITY_INVALID"],
    ],
    [
      "a price that is not a number",
      { lineItems: [line({ unitPriceExclTax: "12 €" })] },
      ["LINE_PRICE_INVALID"],
    ],
    ["a negative price", { lineItems: [line({ unitPriceExclTax: "-5" })] }, ["LINE_PRICE_INVALID"]],
    [
      "a price with 7 decimals",
      { lineItems: [line({ unitPriceExclTax: "1.1234567" })] },
      ["LINE_PRICE_INVALID"],
    ],
    [
      "a discount that is not a number",
      { lineItems: [line({ discountPercent: "dix" })] },
      ["LINE_DISCOUNT_INVALID"],
    ],
    ["an unknown VAT code", { lineItems: [line({ vatCode: "FR_190" })] }, ["VAT_RATE_UNKNOWN"]],
    ["a line without label", { lineItems: [line({ name: "  " })] }, ["LINE_LABEL_MISSING"]],
    [
      "reverse charge without VAT number",
      {
        lineItems: [line({ vatCode: "FR_200_construction" })],
        customer: { ...input().customer, vatNumber: null },
      },
      ["CUSTOMER_VAT_NUMBER_MISSING"],
    ],
    [
      "reverse charge with a bad VAT key",
      {
        lineItems: [line({ vatCode: "FR_200_construction" })],
        customer: { ...input().customer, vatNumber: "FR45732829320" },
      },
      ["VAT_NUMBER_INVALID_KEY"],
    ],
    [
      "terms beyond the legal maximum",
      { customer: { ...input().customer, paymentTerms: "90_days" } },
      ["PAYMENT_TERMS_EXCEED_LEGAL_MAXIMUM"],
    ],
  ] as const)("%s", (_label, overrides, codes) => {
    expect(
      fieldErrorCodes(buildInvoiceDraft(input(overrides as Partial<BuildDraftInput>))),
    ).toEqual(codes);
  });

  it("lists every problem at once, each on its field", () => {
    const result = buildInvoiceDraft(
      input({
        customer: { ...input().customer, siren: null, billingAddress: null },
        operationNature: null,
        lineItems: [line({ quantity: "0" })],
      }),
    );
    expect(result.ok ? [] : result.fieldErrors.map((e) => e.field)).toEqual([
      "lineItems[0].quantity",
      "customer.billingAddress",
      "customer.siren",
      "operationNature",
    ]);
  });

  it("an EU customer needs a VAT number rather than a SIREN", () => {
    const result = buildInvoiceDraft(
      input({
        customer: {
          ...input().customer,
          siren: null,
          vatNumber: null,
          billingAddress: {
            line1: "Rue Neuve 1",
            line2: null,
            postalCode: "1000",
            city: "Bruxelles",
            countryCode: "BE",
          },
        },
      }),
    );
    expect(fieldErrorCodes(result)).toEqual(["CUSTOMER_VAT_NUMBER_MISSING"]);
  });
});
