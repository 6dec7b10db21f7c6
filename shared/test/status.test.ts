import { describe, expect, it } from "vitest";
import { deriveInvoiceStatus, isReceivable, type InvoiceStatusFacts } from "../src";

const base: InvoiceStatusFacts = {
  isDraft: false,
  isCancelled: false,
  isCreditNote: false,
  grossCents: 120_00,
  remainingCents: 120_00,
  dueDate: "2026-03-31",
};

describe("one status for every provider", () => {
  it.each([
    [
      "a credit note",
      { isCreditNote: true, remainingCents: -120_00 },
      "2026-05-01",
      "credit_note",
      0,
    ],
    ["a cancelled invoice", { isCancelled: true }, "2026-05-01", "cancelled", 0],
    ["a draft", { isDraft: true }, "2026-05-01", "draft", 0],
    ["a fully paid invoice", { remainingCents: 0 }, "2026-05-01", "paid", 0],
    ["an overpaid invoice", { remainingCents: -1 }, "2026-05-01", "paid", 0],
    ["an unpaid invoice on its due date", {}, "2026-03-31", "open", 0],
    ["an unpaid invoice the day after", {}, "2026-04-01", "overdue", 1],
    ["an unpaid invoice 40 days late", {}, "2026-05-10", "overdue", 40],
    [
      "a partly paid invoice not yet due",
      { remainingCents: 50_00 },
      "2026-03-01",
      "partially_paid",
      0,
    ],
    ["a partly paid invoice past due", { remainingCents: 50_00 }, "2026-04-10", "overdue", 10],
  ] as const)("%s is %s", (_label, facts, today, status, daysLate) => {
    expect(deriveInvoiceStatus({ ...base, ...facts }, today)).toEqual({ status, daysLate });
  });

  it("counts only open, partly paid and overdue invoices as receivables", () => {
    expect(["open", "partially_paid", "overdue"].every((s) => isReceivable(s as never))).toBe(true);
    expect(
      ["draft", "paid", "cancelled", "credit_note"].some((s) => isReceivable(s as never)),
    ).toBe(false);
  });
});
