import { describe, expect, it } from "vitest";
import {
  agingBuckets,
  averagePaymentDelayDays,
  dsoCountbackDays,
  paymentRiskOf,
  summarizeReceivables,
  type ReceivableInvoice,
} from "../src";

function invoice(overrides: Partial<ReceivableInvoice>): ReceivableInvoice {
  return {
    status: "open",
    issueDate: "2026-10-01",
    dueDate: "2026-10-31",
    grossCents: 1000_00,
    remainingCents: 1000_00,
    daysLate: 0,
    payments: [],
    ...overrides,
  };
}

const today = "2026-11-23";

describe("aging buckets", () => {
  it("puts what is still owed in the bucket of its lateness", () => {
    const aging = agingBuckets([
      invoice({ remainingCents: 100 }),
      invoice({ status: "overdue", daysLate: 1, remainingCents: 200 }),
      invoice({ status: "overdue", daysLate: 30, remainingCents: 300 }),
      invoice({ status: "overdue", daysLate: 31, remainingCents: 400 }),
      invoice({ status: "overdue", daysLate: 60, remainingCents: 500 }),
      invoice({ status: "overdue", daysLate: 61, remainingCents: 600 }),
      invoice({ status: "overdue", daysLate: 90, remainingCents: 700 }),
      invoice({ status: "overdue", daysLate: 91, remainingCents: 800 }),
      invoice({ status: "partially_paid", remainingCents: 900 }),
      invoice({ status: "paid", remainingCents: 0 }),
      invoice({ status: "draft", remainingCents: 5000 }),
      invoice({ status: "cancelled", remainingCents: 5000 }),
    ]);
    expect(aging).toEqual({
      notDueCents: 1000,
      days1To30Cents: 500,
      days31To60Cents: 900,
      days61To90Cents: 1300,
      over90DaysCents: 800,
    });
  });
});

describe("average payment delay", () => {
  it("weights each payment by its amount", () => {
    // 900 EUR paid 10 days late and 100 EUR paid 5 days early: (900x10 - 100x5) / 1000 = 8.5 days.
    const delay = averagePaymentDelayDays([
      invoice({
        status: "paid",
        dueDate: "2026-01-31",
        payments: [
          { id: "p1", date: "2026-02-10", amountCents: 900_00, method: "transfer", label: null },
        ],
      }),
      invoice({
        status: "paid",
        dueDate: "2026-03-31",
        payments: [
          { id: "p2", date: "2026-03-26", amountCents: 100_00, method: "transfer", label: null },
        ],
      }),
    ]);
    expect(delay).toBe(8.5);
  });

  it("rounds to a tenth of a day, half away from zero, early payers included", () => {
    // (1 x -1 + 1 x -2) / 2 = -1.5 -> -1.5 ; (2 x -1 + 1 x 0) / 3 = -0.666 -> -0.7
    const pay = (date: string, amountCents: number) => ({
      id: date,
      date,
      amountCents,
      method: "card" as const,
      label: null,
    });
    expect(
      averagePaymentDelayDays([
        invoice({
          status: "paid",
          dueDate: "2026-01-10",
          payments: [pay("2026-01-09", 1), pay("2026-01-08", 1)],
        }),
      ]),
    ).toBe(-1.5);
    expect(
      averagePaymentDelayDays([
        invoice({
          status: "paid",
          dueDate: "2026-01-10",
          payments: [pay("2026-01-09", 2), pay("2026-01-10", 1)],
        }),
      ]),
    ).toBe(-0.7);
  });

  it("ignores credit notes, drafts and cancelled invoices, and is null without payments", () => {
    const pay = {
      id: "p",
      date: "2026-05-01",
      amountCents: 100,
      method: "credit_note" as const,
      label: null,
    };
    expect(
      averagePaymentDelayDays([
        invoice({ status: "credit_note", payments: [pay] }),
        invoice({ status: "cancelled", payments: [pay] }),
        invoice({ status: "draft", payments: [pay] }),
        invoice({ status: "open" }),
      ]),
    ).toBeNull();
  });
});

describe("DSO, countback method", () => {
  it("is zero when nothing is owed", () => {
    expect(dsoCountbackDays([invoice({ status: "paid", remainingCents: 0 })], today)).toBe(0);
  });

  it("is null with no revenue at all", () => {
    expect(dsoCountbackDays([], today)).toBeNull();
  });

  it("absorbs the balance month by month", () => {
    // Owed: 3 000. November to the 23rd: 23 days, revenue 1 000. October: 31 days, revenue 1 000.
    // September: 30 days, revenue 2 000, of which 1 000 remains to absorb: 30 x 1000/2000 = 15.
    // DSO = 23 + 31 + 15 = 69 days.
    const invoices = [
      invoice({ issueDate: "2026-11-05", grossCents: 1000, remainingCents: 1000 }),
      invoice({ issueDate: "2026-10-10", grossCents: 1000, remainingCents: 1000 }),
      invoice({
        issueDate: "2026-09-10",
        grossCents: 2000,
        remainingCents: 1000,
        status: "partially_paid",
      }),
      invoice({ issueDate: "2026-09-20", grossCents: 0, remainingCents: 0, status: "paid" }),
    ];
    expect(dsoCountbackDays(invoices, today)).toBe(69);
  });

  it("deducts credit notes from a month's revenue and ignores drafts", () => {
    // November revenue = 2 000 - 1 000 (credit note) = 1 000 = the balance: 23 days.
    const invoices = [
      invoice({
        issueDate: "2026-11-02",
        grossCents: 2000,
        remainingCents: 1000,
        status: "partially_paid",
      }),
      invoice({
        issueDate: "2026-11-03",
        grossCents: -1000,
        remainingCents: 0,
        status: "credit_note",
      }),
      invoice({
        issueDate: "2026-11-04",
        grossCents: 50_000,
        remainingCents: 50_000,
        status: "draft",
      }),
    ];
    expect(dsoCountbackDays(invoices, today)).toBe(23);
  });

  it("stops after 24 months when old debt is never absorbed", () => {
    const invoices = [
      invoice({
        issueDate: "2020-01-01",
        dueDate: "2020-01-31",
        grossCents: 1000,
        remainingCents: 1000,
        status: "overdue",
        daysLate: 2000,
      }),
    ];
    const days = dsoCountbackDays(invoices, today);
    expect(days).toBeGreaterThan(700);
    expect(days).toBeLessThan(735);
  });
});

describe("customer summary", () => {
  it("adds up what is owed, what is late and what is at risk", () => {
    const summary = summarizeReceivables(
      [
        invoice({ issueDate: "2026-11-10", grossCents: 5000_00, remainingCents: 5000_00 }),
        invoice({
          issueDate: "2026-08-01",
          dueDate: "2026-08-31",
          status: "overdue",
          daysLate: 84,
          grossCents: 2000_00,
          remainingCents: 1500_00,
          payments: [
            { id: "p", date: "2026-09-15", amountCents: 500_00, method: "transfer", label: null },
          ],
        }),
        invoice({
          issueDate: "2026-10-01",
          dueDate: "2026-10-31",
          status: "overdue",
          daysLate: 23,
          grossCents: 1000_00,
          remainingCents: 1000_00,
        }),
        invoice({
          issueDate: "2026-06-01",
          dueDate: "2026-07-01",
          status: "paid",
          grossCents: 2000_00,
          remainingCents: 0,
          payments: [
            { id: "q", date: "2026-07-03", amountCents: 2000_00, method: "transfer", label: null },
          ],
        }),
        invoice({
          issueDate: "2026-06-02",
          status: "credit_note",
          grossCents: -300_00,
          remainingCents: -300_00,
        }),
      ],
      today,
    );
    expect(summary.outstandingCents).toBe(7500_00);
    expect(summary.overdueCents).toBe(2500_00);
    expect(summary.openInvoiceCount).toBe(3);
    expect(summary.overdueInvoiceCount).toBe(2);
    expect(summary.oldestOverdueDays).toBe(84);
    expect(summary.atRiskCents).toBe(1500_00);
    // revenue over 12 months = 5000 + 2000 + 1000 + 2000 - 300 = 9 700; 1500 / 9700 = 15.46 %
    expect(summary.atRiskShareBasisPoints).toBe(1546);
    expect(summary.paymentRisk).toBe("high");
    expect(summary.lastPaymentDate).toBe("2026-09-15");
    expect(summary.unappliedCreditCents).toBe(300_00);
    // (500 x 15 + 2000 x 2) / 2500 = 4.6 days
    expect(summary.averagePaymentDelayDays).toBe(4.6);
    expect(summary.aging.days61To90Cents).toBe(1500_00);
  });

  it("a customer with nothing owed is low risk with empty figures", () => {
    const summary = summarizeReceivables([], today);
    expect(summary).toMatchObject({
      outstandingCents: 0,
      overdueCents: 0,
      oldestOverdueDays: 0,
      averagePaymentDelayDays: null,
      dsoDays: null,
      atRiskShareBasisPoints: 0,
      paymentRisk: "low",
      lastPaymentDate: null,
    });
  });

  it("counts debt with no revenue in the year as entirely at risk", () => {
    const summary = summarizeReceivables(
      [
        invoice({
          issueDate: "2024-01-01",
          dueDate: "2024-01-31",
          status: "overdue",
          daysLate: 600,
          remainingCents: 100,
        }),
      ],
      today,
    );
    expect(summary.atRiskShareBasisPoints).toBe(10_000);
  });
});

describe("payment risk", () => {
  it.each([
    [{ oldestOverdueDays: 61, atRiskShareBasisPoints: 0, averagePaymentDelayDays: 0 }, "high"],
    [{ oldestOverdueDays: 0, atRiskShareBasisPoints: 2000, averagePaymentDelayDays: 0 }, "high"],
    [{ oldestOverdueDays: 31, atRiskShareBasisPoints: 0, averagePaymentDelayDays: 0 }, "medium"],
    [{ oldestOverdueDays: 0, atRiskShareBasisPoints: 0, averagePaymentDelayDays: 15 }, "medium"],
    [{ oldestOverdueDays: 30, atRiskShareBasisPoints: 1999, averagePaymentDelayDays: 14.9 }, "low"],
    [{ oldestOverdueDays: 0, atRiskShareBasisPoints: 0, averagePaymentDelayDays: null }, "low"],
  ] as const)("%o is %s", (facts, risk) => {
    expect(paymentRiskOf(facts)).toBe(risk);
  });
});
