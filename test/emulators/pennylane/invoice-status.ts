/**
 * Pennylane's invoice `status`, `paid` and `remaining_amount_with_tax`, derived from the data
 * rather than stored, so a payment or a credit note changes them the way it does in Pennylane.
 *
 * Precedence (Pennylane's status word describes settlement first, lateness last):
 * draft, credit_note, cancelled (fully credited), paid, partially_cancelled, partially_paid,
 * late (deadline passed, nothing received), upcoming. A client must therefore derive
 * lateness from `deadline` and the remaining amount, not from the word "late".
 */
import { type CalendarDate, type Cents, divideRoundHalfUp, toSafeCents } from "@encaisse/shared";
import type { InvoiceRecord } from "./records";

export type PennylaneInvoiceStatus =
  | "draft"
  | "credit_note"
  | "cancelled"
  | "paid"
  | "partially_cancelled"
  | "partially_paid"
  | "late"
  | "upcoming";

export interface Settlement {
  /** Sum of the payments recorded on the invoice. */
  readonly paidCents: Cents;
  /** Sum of the (positive) amounts of the finalized credit notes linked to it. */
  readonly creditedCents: Cents;
}

export interface DerivedInvoiceState {
  readonly status: PennylaneInvoiceStatus;
  readonly paid: boolean;
  readonly remainingWithTaxCents: Cents;
  readonly remainingWithoutTaxCents: Cents;
}

function withoutTax(invoice: InvoiceRecord, remainingWithTax: Cents): Cents {
  if (invoice.grossCents === 0) return 0;
  return toSafeCents(
    divideRoundHalfUp(
      BigInt(remainingWithTax) * BigInt(invoice.netCents),
      BigInt(invoice.grossCents),
    ),
  );
}

function state(
  invoice: InvoiceRecord,
  status: PennylaneInvoiceStatus,
  paid: boolean,
  remaining: Cents,
): DerivedInvoiceState {
  return {
    status,
    paid,
    remainingWithTaxCents: remaining,
    remainingWithoutTaxCents: withoutTax(invoice, remaining),
  };
}

export function deriveInvoiceState(
  invoice: InvoiceRecord,
  settlement: Settlement,
  today: CalendarDate,
): DerivedInvoiceState {
  if (invoice.draft) return state(invoice, "draft", false, invoice.grossCents);
  if (invoice.creditNote) {
    // A credit note allocated to an invoice is used up; an unallocated one is still owed back.
    const allocated = invoice.creditedInvoiceId !== null;
    return state(invoice, "credit_note", allocated, allocated ? 0 : invoice.grossCents);
  }
  if (
    invoice.cancelledInBook ||
    (settlement.creditedCents > 0 && settlement.creditedCents >= invoice.grossCents)
  ) {
    return state(invoice, "cancelled", false, 0);
  }
  const owed = invoice.grossCents - settlement.paidCents - settlement.creditedCents;
  if (invoice.markedPaid || owed <= 0) return state(invoice, "paid", true, 0);
  if (settlement.creditedCents > 0) return state(invoice, "partially_cancelled", false, owed);
  if (settlement.paidCents > 0) return state(invoice, "partially_paid", false, owed);
  if (invoice.deadline < today) return state(invoice, "late", false, owed);
  return state(invoice, "upcoming", false, owed);
}
