/**
 * Receivables analytics for one customer (or a whole book): what is owed, how late, how
 * the customer pays. Inputs are normalized invoices; statuses must already be derived for
 * `today` (see status.ts).
 */
import { type CalendarDate, addDays, daysBetween, startOfMonth } from "./dates";
import type { Invoice } from "./model";
import { type Cents, divideRoundHalfUp, sumCents } from "./money";
import { isReceivable } from "./status";

export type ReceivableInvoice = Pick<
  Invoice,
  "status" | "issueDate" | "dueDate" | "grossCents" | "remainingCents" | "daysLate" | "payments"
>;

export interface AgingBuckets {
  readonly notDueCents: Cents;
  readonly days1To30Cents: Cents;
  readonly days31To60Cents: Cents;
  readonly days61To90Cents: Cents;
  readonly over90DaysCents: Cents;
}

export type PaymentRisk = "low" | "medium" | "high";

export interface ReceivablesSummary {
  readonly outstandingCents: Cents;
  readonly overdueCents: Cents;
  readonly openInvoiceCount: number;
  readonly overdueInvoiceCount: number;
  /** Days late of the oldest unpaid invoice; 0 when nothing is late. */
  readonly oldestOverdueDays: number;
  readonly aging: AgingBuckets;
  /** Days after the due date money arrives, weighted by amount; negative = early; null without payments. */
  readonly averagePaymentDelayDays: number | null;
  /** Days sales outstanding, countback method; null without revenue. */
  readonly dsoDays: number | null;
  /** Still owed on invoices more than `atRiskAfterDays` late. */
  readonly atRiskCents: Cents;
  /** atRiskCents over the revenue of the trailing 12 months, in basis points. */
  readonly atRiskShareBasisPoints: number;
  readonly paymentRisk: PaymentRisk;
  readonly lastPaymentDate: CalendarDate | null;
  /** Credit notes not yet used against an invoice (a negative remaining). */
  readonly unappliedCreditCents: Cents;
}

export interface AnalyticsOptions {
  readonly atRiskAfterDays?: number;
}

export function agingBuckets(invoices: readonly ReceivableInvoice[]): AgingBuckets {
  const buckets = {
    notDue: [] as Cents[],
    d30: [] as Cents[],
    d60: [] as Cents[],
    d90: [] as Cents[],
    over: [] as Cents[],
  };
  for (const invoice of invoices) {
    if (!isReceivable(invoice.status)) continue;
    const late = invoice.daysLate;
    const bucket =
      late <= 0
        ? buckets.notDue
        : late <= 30
          ? buckets.d30
          : late <= 60
            ? buckets.d60
            : late <= 90
              ? buckets.d90
              : buckets.over;
    bucket.push(invoice.remainingCents);
  }
  return {
    notDueCents: sumCents(buckets.notDue),
    days1To30Cents: sumCents(buckets.d30),
    days31To60Cents: sumCents(buckets.d60),
    days61To90Cents: sumCents(buckets.d90),
    over90DaysCents: sumCents(buckets.over),
  };
}

/**
 * Average delay between due date and payment, weighted by the amount of each payment, over
 * invoices that are not drafts, credit notes or cancelled. One decimal.
 */
export function averagePaymentDelayDays(invoices: readonly ReceivableInvoice[]): number | null {
  let weightedDays = 0n;
  let weight = 0n;
  for (const invoice of invoices) {
    if (
      invoice.status === "draft" ||
      invoice.status === "credit_note" ||
      invoice.status === "cancelled"
    )
      continue;
    for (const payment of invoice.payments) {
      if (payment.amountCents <= 0) continue;
      weightedDays +=
        BigInt(payment.amountCents) * BigInt(daysBetween(invoice.dueDate, payment.date));
      weight += BigInt(payment.amountCents);
    }
  }
  if (weight === 0n) return null;
  return Number(divideRoundHalfUp(weightedDays * 10n, weight)) / 10;
}

function counts(status: Invoice["status"]): boolean {
  return status !== "draft" && status !== "cancelled";
}

/**
 * DSO by the countback method: walk back month by month from today, absorbing the
 * receivables balance with each month's revenue (gross invoiced, credit notes deducted);
 * DSO is the number of days it takes. The current month counts up to today. At most 24
 * months are walked; a balance still not absorbed then gives the days walked.
 */
export function dsoCountbackDays(
  invoices: readonly ReceivableInvoice[],
  today: CalendarDate,
): number | null {
  const balance = sumCents(
    invoices.filter((i) => isReceivable(i.status)).map((i) => i.remainingCents),
  );
  const billed = invoices.filter((i) => counts(i.status));
  if (billed.length === 0) return null;
  if (balance <= 0) return 0;
  let remaining = balance;
  let days = 0;
  let periodEnd = today;
  for (let month = 0; month < 24; month += 1) {
    const periodStart = startOfMonth(periodEnd);
    const periodDays = daysBetween(periodStart, periodEnd) + 1;
    const revenue = sumCents(
      billed
        .filter((i) => i.issueDate >= periodStart && i.issueDate <= periodEnd)
        .map((i) => i.grossCents),
    );
    if (revenue >= remaining && revenue > 0) {
      return (
        Number(
          ((BigInt(days) * BigInt(revenue) + BigInt(periodDays) * BigInt(remaining)) * 10n) /
            BigInt(revenue),
        ) / 10
      );
    }
    remaining -= Math.max(revenue, 0);
    days += periodDays;
    periodEnd = addDays(periodStart, -1);
  }
  return days;
}

export function summarizeReceivables(
  invoices: readonly ReceivableInvoice[],
  today: CalendarDate,
  options: AnalyticsOptions = {},
): ReceivablesSummary {
  const atRiskAfterDays = options.atRiskAfterDays ?? 30;
  const receivables = invoices.filter((i) => isReceivable(i.status));
  const overdue = receivables.filter((i) => i.status === "overdue");
  const atRisk = overdue.filter((i) => i.daysLate > atRiskAfterDays);
  const yearAgo = addDays(today, -365);
  const trailingRevenue = sumCents(
    invoices
      .filter((i) => counts(i.status) && i.issueDate > yearAgo && i.issueDate <= today)
      .map((i) => i.grossCents),
  );
  const atRiskCents = sumCents(atRisk.map((i) => i.remainingCents));
  const atRiskShareBasisPoints =
    trailingRevenue > 0
      ? Number((BigInt(atRiskCents) * 10_000n) / BigInt(trailingRevenue))
      : atRiskCents > 0
        ? 10_000
        : 0;
  const oldestOverdueDays = overdue.reduce((oldest, i) => Math.max(oldest, i.daysLate), 0);
  const averageDelay = averagePaymentDelayDays(invoices);
  const paymentDates = invoices.flatMap((i) => i.payments.map((p) => p.date)).sort();

  return {
    outstandingCents: sumCents(receivables.map((i) => i.remainingCents)),
    overdueCents: sumCents(overdue.map((i) => i.remainingCents)),
    openInvoiceCount: receivables.length,
    overdueInvoiceCount: overdue.length,
    oldestOverdueDays,
    aging: agingBuckets(invoices),
    averagePaymentDelayDays: averageDelay,
    dsoDays: dsoCountbackDays(invoices, today),
    atRiskCents,
    atRiskShareBasisPoints,
    paymentRisk: paymentRiskOf({
      oldestOverdueDays,
      atRiskShareBasisPoints,
      averagePaymentDelayDays: averageDelay,
    }),
    lastPaymentDate: paymentDates.at(-1) ?? null,
    unappliedCreditCents: sumCents(
      invoices
        .filter((i) => i.status === "credit_note" && i.remainingCents < 0)
        .map((i) => -i.remainingCents),
    ),
  };
}

/**
 * High: something is more than 60 days late, or a fifth of the year's revenue is at risk.
 * Medium: something is more than 30 days late, or the customer pays 15+ days late on average.
 */
export function paymentRiskOf(facts: {
  oldestOverdueDays: number;
  atRiskShareBasisPoints: number;
  averagePaymentDelayDays: number | null;
}): PaymentRisk {
  if (facts.oldestOverdueDays > 60 || facts.atRiskShareBasisPoints >= 2000) return "high";
  if (facts.oldestOverdueDays > 30 || (facts.averagePaymentDelayDays ?? 0) >= 15) return "medium";
  return "low";
}
