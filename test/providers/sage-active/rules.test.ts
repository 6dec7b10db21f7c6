import { describe, expect, it } from "vitest";
import { type VatCode, invoiceSchema } from "@encaisse/shared";
import {
  decimalFromSage,
  decimalToSage,
} from "../../../functions/src/providers/sage-active/decimal";
import { describeGraphqlErrors } from "../../../functions/src/providers/sage-active/graphql-errors";
import { paymentTermsOf, toInvoice } from "../../../functions/src/providers/sage-active/mapping";
import {
  fromSageReference,
  toSageReference,
} from "../../../functions/src/providers/sage-active/references";
import type { SageInvoice } from "../../../functions/src/providers/sage-active/schemas";
import {
  type CustomerSituation,
  vatCodeOfSageLine,
} from "../../../functions/src/providers/sage-active/vat-codes";

describe("our references in Sage's 20-character externalReference", () => {
  it.each([
    ["hubspot-deal-123456789012", 20, "HSD123456789012"],
    ["hubspot-company-42", 17, "HSC42"],
    ["hubspot-contact-7", 17, "HSP7"],
    ["PO-2026/0042", 20, "PO-2026/0042"],
  ])("%s is stored as %s", (ours, max, stored) => {
    expect(toSageReference(ours, max)).toBe(stored);
    expect(fromSageReference(stored)).toBe(ours);
  });

  it.each([
    ["hubspot-deal-123456789012345678", 20],
    ["a reference with spaces", 20],
    ["an-order-reference-that-is-long", 20],
    ["HSD42", 20],
  ])("%s cannot be stored and is refused with SAGE_REFERENCE_TOO_LONG", (ours, max) => {
    expect(() => toSageReference(ours, max)).toThrow(
      expect.objectContaining({ code: "SAGE_REFERENCE_TOO_LONG" }),
    );
  });

  it("a reference Sage users typed themselves reads back unchanged", () => {
    expect(fromSageReference("Commande 12")).toBe("Commande 12");
    expect(fromSageReference("  ")).toBeNull();
  });
});

describe("Sage Decimal values (JSON numbers) read exactly", () => {
  it.each([
    [150.5, "150.5"],
    [0.1, "0.1"],
    [1e-7, "0.0000001"],
    [-42, "-42"],
    [1234567890123.45, "1234567890123.45"],
    ["12.340", "12.34"],
  ] as const)("%s reads as %s", (sent, exact) => {
    expect(decimalFromSage(sent)).toBe(exact);
  });

  it("a number that cannot be the decimal Sage wrote is refused rather than guessed", () => {
    expect(decimalFromSage(0.1 + 0.2)).toBeNull();
    expect(decimalFromSage(Number.NaN)).toBeNull();
  });

  it.each([
    ["1234.567800", 1234.5678],
    ["-0.05", -0.05],
    ["5.5", 5.5],
  ])("%s is sent as the JSON number %s", (text, number) => {
    expect(decimalToSage(text)).toBe(number);
    expect(JSON.stringify(decimalToSage(text))).toBe(JSON.stringify(number));
  });

  it("a decimal of more than 15 significant digits is refused with DECIMAL_NOT_REPRESENTABLE", () => {
    expect(() => decimalToSage("1234567890123.4567")).toThrow(
      expect.objectContaining({ code: "DECIMAL_NOT_REPRESENTABLE" }),
    );
  });
});

describe("Sage payment term lines in our vocabulary", () => {
  const line = (overrides: Record<string, unknown>) => ({
    order: 9999,
    type: "REMAINING_AMOUNT",
    value: "0",
    condition: "NONE",
    day: 30,
    ...overrides,
  });
  it.each([
    [[line({ day: 0 })], "upon_receipt"],
    [[line({ day: 45 })], "45_days"],
    [[line({ condition: "END_OF_MONTH", day: 30 })], "30_days_end_of_month"],
    [[line({ type: "PERCENTAGE", value: "100", order: 1 })], "30_days"],
    [[line({ condition: "END_OF_MONTH", day: 10 })], null],
    [[line({ type: "PERCENTAGE", value: "50", order: 1 }), line({})], null],
    [[line({ condition: "DAY_OF_PAYMENT" })], null],
    [null, null],
  ] as const)("%j reads as %s", (lines, terms) => {
    expect(paymentTermsOf(lines as never)).toBe(terms);
  });
});

describe("the VAT code of a line Sage computed", () => {
  it.each<[number, string | null, number | null, CustomerSituation, VatCode]>([
    [2000, "PRESTA-TVA20", null, "domestic", "FR_200"],
    [550, null, null, "domestic", "FR_55"],
    [850, null, null, "domestic", "FR_85"],
    [0, "ENC-IC10", 1000, "intra_eu", "intracom_100"],
    [0, "PRESTA-TVA55", 550, "intra_eu", "intracom_55"],
    [0, "PRESTA-TVA20", 2000, "intra_eu", "crossborder"],
    [0, "PRESTA-EXO", 0, "domestic", "exempt"],
    [0, "PRESTA-TVA20", 2000, "export", "extracom"],
    [0, "ENC-AUTO20", 0, "domestic", "FR_200_construction"],
    // One of our products, but Sage charged another rate: the rate wins.
    [1000, "ENC-IC10", 1000, "domestic", "FR_100"],
  ])(
    "%s bp on %s (group %s, %s customer) is %s",
    (charged, productCode, group, situation, code) => {
      expect(
        vatCodeOfSageLine({
          chargedBasisPoints: charged,
          productCode,
          groupBasisPoints: group,
          situation,
        }),
      ).toBe(code);
    },
  );

  it("a rate France does not have is refused with VAT_RATE_UNKNOWN", () => {
    expect(() =>
      vatCodeOfSageLine({
        chargedBasisPoints: 1700,
        productCode: null,
        groupBasisPoints: null,
        situation: "domestic",
      }),
    ).toThrow(expect.objectContaining({ code: "VAT_RATE_UNKNOWN" }));
  });
});

describe("Sage invoice statuses in the normalized vocabulary", () => {
  const now = new Date("2026-03-20T10:00:00Z");
  const base: SageInvoice = {
    id: "6b0f6a2e-8f1d-4f57-9a43-0d5b6f8a1c01",
    creationDate: "2026-03-01T08:00:00.000Z",
    modificationDate: null,
    customerId: "0c1a6e55-4c2e-4a0e-8f5e-2b8f0c9d7e11",
    socialName: "DUPONT SA",
    operationalNumber: "0007",
    status: "Posted",
    type: "NORMAL",
    documentDate: "2026-03-01",
    firstDueDate: "2026-03-31",
    countryAcronym: "FR",
    vatNumber: null,
    externalReference: "HSD42",
    totalNet: "100",
    totalVat: "20",
    totalLiquid: "120",
    hasCreditNote: false,
    openItems: [],
  };
  const item = (amount: string, paid: string, dueDate: string) => ({
    id: `item-${amount}-${paid}-${dueDate}`,
    amount,
    paidAmountAccumulated: paid,
    dueDate,
    status: null,
  });

  it.each([
    ["Pending", "NORMAL", [], null, "draft", 0, 12000],
    ["Closed", "NORMAL", [], "0007", "open", 0, 12000],
    ["Posted", "NORMAL", [item("120", "0", "2026-03-31")], "0007", "open", 0, 12000],
    [
      "PartiallyCollected",
      "NORMAL",
      [item("120", "50", "2026-03-31")],
      "0007",
      "partially_paid",
      5000,
      7000,
    ],
    ["Collected", "NORMAL", [item("120", "120", "2026-03-31")], "0007", "paid", 12000, 0],
    ["Posted", "NORMAL", [item("120", "0", "2026-03-15")], "0007", "overdue", 0, 12000],
    [
      "PartiallyCollected",
      "NORMAL",
      [item("60", "60", "2026-03-10"), item("60", "0", "2026-04-10")],
      "0007",
      "partially_paid",
      6000,
      6000,
    ],
    ["Posted", "CREDIT_NOTE", [item("120", "0", "2026-03-31")], "AV0001", "credit_note", 0, 12000],
    ["SomethingNew", "NORMAL", [], "0007", "open", 0, 12000],
  ] as const)(
    "%s (%s) with %j open items is %s",
    (status, type, openItems, number, expected, paidCents, remainingCents) => {
      const invoice = toInvoice(
        { ...base, status, type, operationalNumber: number, openItems: [...openItems] },
        [],
        { currency: "EUR", now, groupRates: new Map() },
      );
      expect(invoice.status).toBe(expected);
      expect(invoice.paidCents).toBe(paidCents);
      expect(invoice.remainingCents).toBe(remainingCents);
      expect(invoice.providerStatus).toBe(status);
      expect(invoice.externalReference).toBe("hubspot-deal-42");
      expect(invoiceSchema.safeParse(invoice).success).toBe(true);
    },
  );

  it("an overdue invoice counts its days late from the earliest instalment still owed", () => {
    const invoice = toInvoice(
      {
        ...base,
        status: "PartiallyCollected",
        openItems: [item("60", "60", "2026-03-05"), item("60", "10", "2026-03-12")],
      },
      [],
      { currency: "EUR", now, groupRates: new Map() },
    );
    expect(invoice.dueDate).toBe("2026-03-12");
    expect(invoice.status).toBe("overdue");
    expect(invoice.daysLate).toBe(8);
  });
});

describe("Sage errors at HTTP 200 mean something a user can act on", () => {
  it.each([
    [
      [{ message: "global.businessErrors.documentIdAlreadyExistInOrganization" }],
      "PROVIDER_REJECTED",
      ["global.businessErrors.documentIdAlreadyExistInOrganization"],
    ],
    [
      [
        {
          message: "global.businessErrors.authorizationPolicy",
          extensions: { details: "add-product" },
        },
      ],
      "PROVIDER_AUTH_FAILED",
      ["global.businessErrors.authorizationPolicy"],
    ],
    [
      [
        {
          message: "global.businessErrors.authorizationFeature",
          extensions: { details: "add-product" },
        },
      ],
      "PROVIDER_AUTH_FAILED",
      ["global.businessErrors.authorizationFeature"],
    ],
    [
      [
        {
          message: "The current user is not authorized to access this resource.",
          extensions: { code: "AUTH_NOT_AUTHORIZED" },
        },
      ],
      "PROVIDER_AUTH_FAILED",
      [],
    ],
    [
      [
        {
          message: "The maximum allowed operation complexity was exceeded.",
          extensions: { code: "HC0047" },
        },
      ],
      "PROVIDER_REJECTED",
      [],
    ],
    [
      [
        {
          message: "The maximum allowed items per page were exceeded.",
          extensions: { code: "HC0051" },
        },
      ],
      "PROVIDER_REJECTED",
      [],
    ],
    [[{ message: "X-OrganizationId header is mandatory" }], "PROVIDER_REJECTED", []],
  ] as const)("%j -> %s", (errors, code, keys) => {
    const described = describeGraphqlErrors(errors, "SageTest");
    expect(described.code).toBe(code);
    expect(described.details["sageErrorKeys"]).toEqual(keys);
    expect(described.message).not.toMatch(/^Sage Active refused the request: /);
  });

  it("a missing organization header says which setting to fix", () => {
    const described = describeGraphqlErrors(
      [{ message: "X-OrganizationId header is mandatory" }],
      null,
    );
    expect(described.message).toMatch(/organization/i);
    expect(described.details["reason"]).toBe("organization_missing");
  });
});
