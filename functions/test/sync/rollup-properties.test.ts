/**
 * From a customer's invoices to the values HubSpot shows on its company and on the deal an
 * invoice came from: plain decimal amounts, dates at midnight UTC, empty where there is
 * nothing to say, credit notes never counted as money owed.
 */
import { describe, expect, it } from "vitest";
import { type Invoice, deriveInvoiceStatus } from "@encaisse/shared";
import {
  clearedDealProperties,
  companyPropertiesOf,
  dealIdOf,
  dealPropertiesFor,
  hubspotDateValue,
} from "../../src/sync/rollup-properties";

const TODAY = "2026-11-23";

function invoice(
  facts: Partial<Invoice> & Pick<Invoice, "id" | "grossCents" | "remainingCents" | "dueDate">,
): Invoice {
  const base = {
    provider: "pennylane" as const,
    number: `F-${facts.id}`,
    customerId: "c1",
    customerName: "Atelier Dubois",
    issueDate: "2026-09-01",
    currency: "EUR",
    netCents: 0,
    vatCents: 0,
    paidCents: facts.grossCents - facts.remainingCents,
    isDraft: false,
    isCreditNote: false,
    isCancelled: false,
    providerStatus: "upcoming",
    lines: [],
    payments: [],
    externalReference: null,
    webUrl: null,
    updatedAt: "2026-11-01T00:00:00.000Z",
    ...facts,
  };
  return { ...base, ...deriveInvoiceStatus(base, TODAY) };
}

const transfer = (id: string, date: string, amountCents: number) => ({
  id,
  date,
  amountCents,
  method: "transfer" as const,
  label: null,
});

describe("company rollups", () => {
  it("adds up what is owed and what is late, in euros with two decimals", () => {
    const values = companyPropertiesOf(
      [
        invoice({ id: "1", grossCents: 120_000, remainingCents: 120_000, dueDate: "2026-12-15" }),
        invoice({ id: "2", grossCents: 60_050, remainingCents: 30_025, dueDate: "2026-11-13" }),
        invoice({ id: "3", grossCents: 10_000, remainingCents: 10_000, dueDate: "2026-10-24" }),
      ],
      TODAY,
    );
    expect(values).toEqual({
      encaisse_outstanding_amount: "1600.25",
      encaisse_overdue_amount: "400.25",
      encaisse_oldest_overdue_days: "30",
      encaisse_last_payment_date: null,
      encaisse_average_payment_delay_days: null,
      encaisse_payment_risk: "low",
    });
  });

  it("leaves the oldest delay empty when nothing is late, and dates the last payment at midnight UTC", () => {
    const values = companyPropertiesOf(
      [
        invoice({
          id: "1",
          grossCents: 50_000,
          remainingCents: 0,
          dueDate: "2026-10-01",
          payments: [transfer("p1", "2026-10-11", 20_000), transfer("p2", "2026-10-21", 30_000)],
        }),
      ],
      TODAY,
    );
    expect(values.encaisse_outstanding_amount).toBe("0.00");
    expect(values.encaisse_oldest_overdue_days).toBeNull();
    expect(values.encaisse_last_payment_date).toBe(String(Date.UTC(2026, 9, 21)));
    // 20,000 cents 10 days late and 30,000 cents 20 days late: 16 days on average.
    expect(values.encaisse_average_payment_delay_days).toBe("16");
  });

  it("never counts a credit note as owed, nor its refund as a payment", () => {
    const values = companyPropertiesOf(
      [
        invoice({ id: "1", grossCents: 30_000, remainingCents: 30_000, dueDate: "2026-12-01" }),
        invoice({
          id: "2",
          grossCents: -10_000,
          remainingCents: -10_000,
          dueDate: "2026-11-01",
          isCreditNote: true,
          payments: [transfer("r1", "2026-11-20", 10_000)],
        }),
      ],
      TODAY,
    );
    expect(values.encaisse_outstanding_amount).toBe("300.00");
    expect(values.encaisse_overdue_amount).toBe("0.00");
    expect(values.encaisse_average_payment_delay_days).toBeNull();
  });

  it("rates a customer more than 60 days late as a high payment risk", () => {
    const values = companyPropertiesOf(
      [invoice({ id: "1", grossCents: 10_000, remainingCents: 10_000, dueDate: "2026-09-01" })],
      TODAY,
    );
    expect(values.encaisse_payment_risk).toBe("high");
    expect(values.encaisse_oldest_overdue_days).toBe("83");
  });

  it("gives a customer without invoices zero amounts and a low risk", () => {
    expect(companyPropertiesOf([], TODAY)).toMatchObject({
      encaisse_outstanding_amount: "0.00",
      encaisse_overdue_amount: "0.00",
      encaisse_payment_risk: "low",
    });
  });
});

describe("deal properties", () => {
  it("show the invoice's number, status, what remains and, once paid, the day it was", () => {
    const paid = invoice({
      id: "9",
      grossCents: 150_000,
      remainingCents: 0,
      dueDate: "2026-11-30",
      externalReference: "hubspot-deal-4711",
      webUrl: "https://app.pennylane.com/invoices/9",
      payments: [transfer("p1", "2026-11-02", 100_000), transfer("p2", "2026-11-20", 50_000)],
    });
    expect(dealPropertiesFor(paid)).toEqual({
      encaisse_invoice_number: "F-9",
      encaisse_invoice_status: "paid",
      encaisse_amount_remaining: "0.00",
      encaisse_invoice_link: "https://app.pennylane.com/invoices/9",
      encaisse_paid_date: String(Date.UTC(2026, 10, 20)),
    });
  });

  it("leave a draft's missing number alone and clear the paid date while money is owed", () => {
    const draft = invoice({
      id: "10",
      number: null,
      isDraft: true,
      grossCents: 20_000,
      remainingCents: 20_000,
      dueDate: "2026-12-30",
    });
    const values = dealPropertiesFor(draft);
    expect(values).not.toHaveProperty("encaisse_invoice_number");
    expect(values).toMatchObject({ encaisse_invoice_status: "draft", encaisse_paid_date: null });
  });

  it("come from our reference on the invoice, and are all cleared when the invoice is gone", () => {
    expect(dealIdOf("hubspot-deal-4711")).toBe("4711");
    expect(dealIdOf("hubspot-company-4711")).toBeNull();
    expect(dealIdOf(null)).toBeNull();
    expect(Object.values(clearedDealProperties())).toEqual([null, null, null, null, null]);
  });

  it("write dates as HubSpot stores them: midnight UTC in milliseconds", () => {
    expect(hubspotDateValue("2026-03-01")).toBe("1772323200000");
  });
});
