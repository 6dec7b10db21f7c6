import { describe, expect, it } from "vitest";
import { quantityAsNumber } from "../../../functions/src/providers/pennylane/create-invoice";
import { describePennylaneError } from "../../../functions/src/providers/pennylane/errors";
import {
  toCustomer,
  toInvoice,
  toLines,
  toPayments,
} from "../../../functions/src/providers/pennylane/mapping";
import {
  customerSchema,
  invoiceLineSchema,
  invoiceSchema,
  paymentSchema,
} from "../../../functions/src/providers/pennylane/schemas";

describe("Pennylane error bodies", () => {
  const cases = [
    {
      status: 401,
      body: { error: "The access token is invalid", status: 401 },
      code: "PROVIDER_AUTH_FAILED",
      said: "The access token is invalid",
    },
    {
      status: 403,
      body: { error: 'Access to this resource requires scope "customers:all".', status: 403 },
      code: "PROVIDER_AUTH_FAILED",
      said: 'Access to this resource requires scope "customers:all".',
    },
    {
      status: 404,
      body: { error: "Not Found", status: 404 },
      code: "PROVIDER_NOT_FOUND",
      said: "Not Found",
    },
    {
      status: 400,
      body: { message: "limit must be at most 100", code: "MoreThanMaximum", field: "limit" },
      code: "PROVIDER_REJECTED",
      said: "limit must be at most 100",
    },
    {
      status: 409,
      body: { error: "Resource already exists.", status: 409 },
      code: "PROVIDER_REJECTED",
      said: "Resource already exists.",
    },
    {
      status: 422,
      body: {
        error: "Unprocessable",
        message: "Date is in the future",
        details: { date: ["future"] },
      },
      code: "PROVIDER_REJECTED",
      said: "Date is in the future — Unprocessable",
    },
  ] as const;

  it.each(cases)(
    "HTTP $status reads as $code with Pennylane's words kept",
    ({ status, body, code, said }) => {
      const described = describePennylaneError(status, body);
      expect(described.code).toBe(code);
      expect(described.details?.["providerMessage"]).toBe(said);
    },
  );

  it("keeps the field and code of a 400 so support can see what was wrong", () => {
    expect(
      describePennylaneError(400, { message: "bad", code: "NotEnumInclude", field: "vat_rate" })
        .details,
    ).toMatchObject({ providerCode: "NotEnumInclude", field: "vat_rate" });
  });

  it("an unreadable body still gives a usable error", () => {
    expect(describePennylaneError(422, "<html>oops</html>")).toMatchObject({
      code: "PROVIDER_REJECTED",
      details: { providerMessage: "<html>oops</html>" },
    });
    expect(describePennylaneError(418, null).code).toBe("PROVIDER_REJECTED");
  });
});

const invoice = (overrides: Record<string, unknown> = {}) =>
  invoiceSchema.parse({
    id: 12,
    invoice_number: "F-2026-0012",
    label: null,
    currency: "EUR",
    currency_amount: "1200.0",
    currency_amount_before_tax: "1000.0",
    currency_tax: "200.0",
    remaining_amount_with_tax: "1200.0",
    date: "2026-02-01",
    deadline: "2026-03-03",
    paid: false,
    draft: false,
    status: "upcoming",
    public_file_url: null,
    customer: { id: 4, url: "https://app.pennylane.com/api/external/v2/customers/4" },
    external_reference: "hubspot-deal-12",
    created_at: "2026-02-01T10:00:00Z",
    updated_at: "2026-02-01T10:00:00Z",
    some_field_added_later: { anything: true },
    ...overrides,
  });

describe("Pennylane invoices in our words", () => {
  const today = "2026-03-10";
  const cases = [
    { when: "unpaid and past due", overrides: {}, status: "overdue", daysLate: 7, paidCents: 0 },
    {
      when: "paid in part, not yet due",
      overrides: {
        deadline: "2026-03-31",
        remaining_amount_with_tax: "200.0",
        status: "partially_paid",
      },
      status: "partially_paid",
      daysLate: 0,
      paidCents: 100_000,
    },
    {
      when: "paid",
      overrides: { remaining_amount_with_tax: "0.0", paid: true, status: "paid" },
      status: "paid",
      daysLate: 0,
      paidCents: 120_000,
    },
    {
      when: "a draft",
      overrides: { draft: true, status: "draft", invoice_number: "" },
      status: "draft",
      daysLate: 0,
      paidCents: 0,
    },
    {
      when: "cancelled by a credit note",
      overrides: { remaining_amount_with_tax: "0.0", status: "cancelled" },
      status: "cancelled",
      daysLate: 0,
      paidCents: 0,
    },
    {
      when: "a credit note",
      overrides: {
        currency_amount: "-240.0",
        currency_amount_before_tax: "-200.0",
        currency_tax: "-40.0",
        remaining_amount_with_tax: "0.0",
        status: "credit_note",
      },
      status: "credit_note",
      daysLate: 0,
      paidCents: 0,
    },
  ] as const;

  it.each(cases)("an invoice $when reads $status", ({ overrides, status, daysLate, paidCents }) => {
    const mapped = toInvoice(invoice(overrides), { customerName: "Boulangerie Martin", today });
    expect(mapped).toMatchObject({ status, daysLate, paidCents });
    expect(mapped.providerStatus).toBe(invoice(overrides).status);
  });

  it("a draft has no number yet, even when Pennylane sends an empty one", () => {
    expect(
      toInvoice(invoice({ draft: true, status: "draft", invoice_number: "" }), {
        customerName: "",
        today,
      }).number,
    ).toBeNull();
  });

  it("amounts are read exactly, whatever the number of decimals", () => {
    const mapped = toInvoice(
      invoice({
        currency_amount: "1481.481360",
        currency_amount_before_tax: "1234.5678",
        currency_tax: "246.91356",
        remaining_amount_with_tax: "1481.481360",
      }),
      { customerName: "", today },
    );
    expect(mapped).toMatchObject({ grossCents: 148_148, netCents: 123_457, vatCents: 24_691 });
  });

  it("an invoice with no customer cannot be mapped", () => {
    expect(() => toInvoice(invoice({ customer: null }), { customerName: "", today })).toThrow(
      expect.objectContaining({ code: "PROVIDER_RESPONSE_INVALID" }),
    );
  });
});

describe("Pennylane lines and payments in our words", () => {
  const line = (overrides: Record<string, unknown> = {}) =>
    invoiceLineSchema.parse({
      id: 1,
      label: "Conseil",
      unit: "hour",
      quantity: "2.50",
      raw_currency_unit_price: "33.333334",
      vat_rate: "FR_200",
      currency_amount: "100.0",
      currency_amount_before_tax: "83.33",
      currency_tax: "16.67",
      discount: { type: "relative", value: "0.0" },
      ...overrides,
    });

  it("keeps quantities and unit prices as exact decimal text", () => {
    expect(toLines([line()])).toEqual([
      {
        label: "Conseil",
        quantity: "2.5",
        unitPriceExclTax: "33.333334",
        vatCode: "FR_200",
        discountPercent: null,
        netCents: 8_333,
        vatCents: 1_667,
        grossCents: 10_000,
      },
    ]);
  });

  it("reads a relative line discount as a percentage", () => {
    expect(
      toLines([line({ discount: { type: "relative", value: "12.5" } })])[0]?.discountPercent,
    ).toBe("12.5");
  });

  it("gives no lines rather than a partial list when one uses a VAT code outside France", () => {
    expect(toLines([line(), line({ id: 2, vat_rate: "DE_190" })])).toEqual([]);
  });

  it("leaves out payments that did not go through", () => {
    const payment = (id: number, status: string) =>
      paymentSchema.parse({
        id,
        label: `P${id}`,
        currency: "EUR",
        currency_amount: "50.5",
        status,
        created_at: "2026-03-01T23:30:00Z",
        updated_at: "2026-03-01T23:30:00Z",
      });
    const payments = toPayments([
      payment(1, "paid_out"),
      payment(2, "aborted"),
      payment(3, "found"),
    ]);
    expect(payments).toEqual([
      // 23:30 UTC on 1 March is 2 March in Paris.
      { id: "1", date: "2026-03-02", amountCents: 5_050, method: "direct_debit", label: "P1" },
      { id: "3", date: "2026-03-02", amountCents: 5_050, method: "other", label: "P3" },
    ]);
  });
});

describe("Pennylane customers in our words", () => {
  const customer = (overrides: Record<string, unknown> = {}) =>
    customerSchema.parse({
      id: 8,
      customer_type: "company",
      name: "Garage Petit",
      reg_no: "552 100 554 00013",
      vat_number: "",
      emails: [" contact@garage-petit.fr ", ""],
      billing_address: {
        address: "1 place du Marché\nZone artisanale",
        postal_code: "44000",
        city: "Nantes",
        country_alpha2: "fr",
      },
      payment_conditions: "custom",
      external_reference: "",
      ...overrides,
    });

  it("reads a SIRET kept in reg_no as both SIRET and SIREN, and blanks as nothing", () => {
    expect(toCustomer(customer())).toMatchObject({
      siren: "552100554",
      siret: "55210055400013",
      vatNumber: null,
      emails: ["contact@garage-petit.fr"],
      billingAddress: { line1: "1 place du Marché", line2: "Zone artisanale", countryCode: "FR" },
      paymentTerms: null,
      externalReference: null,
    });
  });

  it("names an individual by first and last name when the name is empty", () => {
    expect(
      toCustomer(
        customer({
          customer_type: "individual",
          name: " ",
          first_name: "Jeanne",
          last_name: "Roux",
        }),
      ).name,
    ).toBe("Jeanne Roux");
  });

  it("an incomplete address reads as no address", () => {
    expect(
      toCustomer(
        customer({
          billing_address: { address: "", postal_code: "", city: "", country_alpha2: "" },
        }),
      ).billingAddress,
    ).toBeNull();
  });
});

describe("quantities sent to Pennylane", () => {
  it.each([
    ["3", 3],
    ["1.5", 1.5],
    ["0.125", 0.125],
    ["-2", -2],
    ["12.000000", 12],
  ])("%s is sent as the number %d", (text, number) => {
    expect(quantityAsNumber(text)).toBe(number);
  });

  it("a quantity too precise for a JSON number is refused, not rounded", () => {
    expect(() => quantityAsNumber("123456789012345.123456")).toThrow(
      expect.objectContaining({ code: "INVOICE_QUANTITY_TOO_PRECISE" }),
    );
  });
});
