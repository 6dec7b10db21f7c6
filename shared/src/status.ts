/**
 * One status vocabulary for every provider. Providers report facts (draft? cancelled?
 * credit note? how much paid? due when?) and this function decides the status, so that a
 * Pennylane "upcoming" and a Sage Active "Posted" past due both read "overdue".
 */
import type { InvoiceStatus } from "./model";
import { type CalendarDate, daysBetween } from "./dates";
import type { Cents } from "./money";

export interface InvoiceStatusFacts {
  readonly isDraft: boolean;
  readonly isCancelled: boolean;
  readonly isCreditNote: boolean;
  readonly grossCents: Cents;
  readonly remainingCents: Cents;
  readonly dueDate: CalendarDate;
}

export interface DerivedStatus {
  readonly status: InvoiceStatus;
  readonly daysLate: number;
}

/**
 * Precedence: credit note, cancelled, draft, paid, overdue, partially paid, open.
 * An invoice partly paid and past due is "overdue" (what matters to the rep); its paid
 * amount is still visible. Late counts from the day after the due date.
 */
export function deriveInvoiceStatus(facts: InvoiceStatusFacts, today: CalendarDate): DerivedStatus {
  if (facts.isCreditNote) return { status: "credit_note", daysLate: 0 };
  if (facts.isCancelled) return { status: "cancelled", daysLate: 0 };
  if (facts.isDraft) return { status: "draft", daysLate: 0 };
  if (facts.remainingCents <= 0) return { status: "paid", daysLate: 0 };
  const daysLate = daysBetween(facts.dueDate, today);
  if (daysLate > 0) return { status: "overdue", daysLate };
  if (facts.remainingCents < facts.grossCents) return { status: "partially_paid", daysLate: 0 };
  return { status: "open", daysLate: 0 };
}

/** Invoices that still count as receivables (money may still come in). */
export function isReceivable(status: InvoiceStatus): boolean {
  return status === "open" || status === "partially_paid" || status === "overdue";
}
