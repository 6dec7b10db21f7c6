/**
 * Late-payment penalties on a B2B invoice (Code de commerce L441-10 and D441-5).
 *
 * Interest is simple interest, `principal x rate x days / 365`, due without any reminder
 * from the day after the due date. The default rate is the ECB main refinancing rate of the
 * half-year plus 10 points; a contract may set its own rate, but not below 3 x the legal
 * interest rate. A fixed EUR 40 recovery indemnity is owed per late invoice by a business.
 *
 * Every period is kept as an exact fraction and the sum is rounded once, half away from
 * zero, so the total never drifts by a cent with the number of periods.
 */
import { z } from "zod";
import { type CalendarDate, fromEpochDay, halfYearOf, toEpochDay } from "./dates";
import { DomainError } from "./errors";
import { type Cents, assertCents, divideRoundHalfUp, toSafeCents } from "./money";

export interface EcbRateChange {
  /** First day the rate applies. */
  readonly effective: CalendarDate;
  /** 0.50 % = 50. */
  readonly basisPoints: number;
}

export interface EcbRateTable {
  readonly version: string;
  /** Rates are known up to this day; a half-year starting later uses the last known rate, provisionally. */
  readonly confirmedThrough: CalendarDate;
  readonly source: string;
  readonly changes: readonly EcbRateChange[];
}

/** Update `version` and `confirmedThrough` together with `changes` whenever the ECB moves its rates. */
export const ECB_RATES: EcbRateTable = {
  version: "2026-01",
  confirmedThrough: "2026-01-01",
  source:
    "ECB — Key ECB interest rates, main refinancing operations, https://www.ecb.europa.eu/stats/policy_and_exchange_rates/key_ecb_interest_rates/html/index.en.html",
  changes: [
    { effective: "2016-03-16", basisPoints: 0 },
    { effective: "2022-07-27", basisPoints: 50 },
    { effective: "2022-09-14", basisPoints: 125 },
    { effective: "2022-11-02", basisPoints: 200 },
    { effective: "2022-12-21", basisPoints: 250 },
    { effective: "2023-02-08", basisPoints: 300 },
    { effective: "2023-03-22", basisPoints: 350 },
    { effective: "2023-05-10", basisPoints: 375 },
    { effective: "2023-06-21", basisPoints: 400 },
    { effective: "2023-08-02", basisPoints: 425 },
    { effective: "2023-09-20", basisPoints: 450 },
    { effective: "2024-06-12", basisPoints: 425 },
    { effective: "2024-09-18", basisPoints: 365 },
    { effective: "2024-10-23", basisPoints: 340 },
    { effective: "2024-12-18", basisPoints: 315 },
    { effective: "2025-02-05", basisPoints: 290 },
    { effective: "2025-03-12", basisPoints: 265 },
    { effective: "2025-04-23", basisPoints: 240 },
    { effective: "2025-06-11", basisPoints: 215 },
  ],
};

export type HalfYear = 1 | 2;

export interface HalfYearRate {
  readonly year: number;
  readonly half: HalfYear;
  readonly basisPoints: number;
}

export interface LegalInterestRateTable {
  readonly version: string;
  readonly source: string;
  /** In chronological order; a half-year after the last entry uses it, provisionally. */
  readonly halfYears: readonly HalfYearRate[];
}

/** The rate for creditors acting for their business ("autres cas"), the floor for contractual rates. */
export const FRENCH_LEGAL_INTEREST_RATES: LegalInterestRateTable = {
  version: "2026-01",
  source:
    "Taux de l'intérêt légal, « autres cas » (creditors other than individuals acting outside a professional activity): arrêtés published each half-year in the Journal officiel, computed by the Banque de France under art. L313-2 of the Code monétaire et financier",
  halfYears: [
    { year: 2023, half: 1, basisPoints: 206 },
    { year: 2023, half: 2, basisPoints: 422 },
    { year: 2024, half: 1, basisPoints: 507 },
    { year: 2024, half: 2, basisPoints: 492 },
    { year: 2025, half: 1, basisPoints: 371 },
    { year: 2025, half: 2, basisPoints: 276 },
  ],
};

/** L441-10: the ECB rate plus 10 percentage points. */
export const STATUTORY_MARGIN_BASIS_POINTS = 1000;
/** D441-5: EUR 40 per late invoice. */
export const FIXED_RECOVERY_INDEMNITY_CENTS: Cents = 4000;
/** L441-10: a contractual rate may not be below 3 x the legal interest rate. */
const LEGAL_RATE_MULTIPLIER = 3;
const DAYS_PER_YEAR = 365n;
const BASIS_POINTS_PER_UNIT = 10_000n;

export const penaltyRateSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("ecb_plus_10") }),
  z.object({
    kind: z.literal("contractual"),
    basisPoints: z
      .number()
      .int("A contractual rate is a whole number of basis points (12.5 % = 1250).")
      .min(0)
      .max(10_000),
  }),
]);
export type PenaltyRate = z.infer<typeof penaltyRateSchema>;

export const DEFAULT_PENALTY_RATE: PenaltyRate = { kind: "ecb_plus_10" };

export interface ApplicableRate {
  readonly basisPoints: number;
  /** True when the rate of a half-year not yet published was assumed to be the last known one. */
  readonly provisional: boolean;
}

function assertHalfYear(year: number, half: number): void {
  if (!Number.isInteger(year) || year < 1000 || year > 9999 || (half !== 1 && half !== 2)) {
    throw new DomainError("HALF_YEAR_INVALID", `${year} H${half} is not a half-year.`, {
      year,
      half,
    });
  }
}

function referenceDateOf(year: number, half: HalfYear): CalendarDate {
  return `${year}-${half === 1 ? "01" : "07"}-01`;
}

/** The ECB rate in force on 1 January (first half) or 1 July (second half), as L441-10 requires. */
export function referenceRateForHalfYear(
  year: number,
  half: HalfYear,
): { ecbBasisPoints: number; provisional: boolean } {
  assertHalfYear(year, half);
  const referenceDate = referenceDateOf(year, half);
  const inForce = ECB_RATES.changes.filter((change) => change.effective <= referenceDate).at(-1);
  if (!inForce) {
    throw new DomainError(
      "ECB_RATE_UNKNOWN",
      `The ECB rate in force on ${referenceDate} is not in the rate table (it starts on ${ECB_RATES.changes[0]?.effective}).`,
      { referenceDate, tableVersion: ECB_RATES.version },
    );
  }
  return {
    ecbBasisPoints: inForce.basisPoints,
    provisional: referenceDate > ECB_RATES.confirmedThrough,
  };
}

/** The legal interest rate of a half-year for professional creditors. */
export function legalInterestRateForHalfYear(year: number, half: HalfYear): ApplicableRate {
  assertHalfYear(year, half);
  const rates = FRENCH_LEGAL_INTEREST_RATES.halfYears;
  const key = year * 2 + half;
  const exact = rates.find((rate) => rate.year * 2 + rate.half === key);
  if (exact) return { basisPoints: exact.basisPoints, provisional: false };
  const last = rates.at(-1);
  if (last && key > last.year * 2 + last.half) {
    return { basisPoints: last.basisPoints, provisional: true };
  }
  throw new DomainError(
    "LEGAL_INTEREST_RATE_UNKNOWN",
    `The legal interest rate of ${year} H${half} is not in the rate table.`,
    { year, half, tableVersion: FRENCH_LEGAL_INTEREST_RATES.version },
  );
}

/**
 * Refuses a contractual rate below 3 x the legal interest rate of the half-year of `date`.
 * After the last published half-year the last known legal rate is used.
 */
export function assertContractualRateAllowed(basisPoints: number, date: CalendarDate): void {
  if (!Number.isInteger(basisPoints) || basisPoints < 0) {
    throw new DomainError(
      "PENALTY_RATE_INVALID",
      `${basisPoints} is not a rate in basis points (12.5 % = 1250).`,
      { basisPoints },
    );
  }
  const { year, half } = halfYearOf(date);
  const legal = legalInterestRateForHalfYear(year, half);
  const minimum = legal.basisPoints * LEGAL_RATE_MULTIPLIER;
  if (basisPoints < minimum) {
    throw new DomainError(
      "PENALTY_RATE_BELOW_LEGAL_MINIMUM",
      `A late-payment rate of ${formatPercent(basisPoints)} is below the legal minimum of ${formatPercent(minimum)} for ${year} H${half} (3 x the legal interest rate of ${formatPercent(legal.basisPoints)}). Set a rate of at least ${formatPercent(minimum)} or use the default rate (ECB + 10 points).`,
      { basisPoints, minimumBasisPoints: minimum, year, half, provisional: legal.provisional },
    );
  }
}

function formatPercent(basisPoints: number): string {
  const whole = (basisPoints - (basisPoints % 100)) / 100;
  return `${whole}.${String(basisPoints % 100).padStart(2, "0")} %`;
}

/**
 * The yearly penalty rate applying on `date`. A contractual rate is certain once allowed,
 * so only the default rate can be provisional.
 */
export function penaltyRateFor(
  date: CalendarDate,
  rate: PenaltyRate = DEFAULT_PENALTY_RATE,
): ApplicableRate {
  if (rate.kind === "contractual") {
    assertContractualRateAllowed(rate.basisPoints, date);
    return { basisPoints: rate.basisPoints, provisional: false };
  }
  const { year, half } = halfYearOf(date);
  const reference = referenceRateForHalfYear(year, half);
  return {
    basisPoints: reference.ecbBasisPoints + STATUTORY_MARGIN_BASIS_POINTS,
    provisional: reference.provisional,
  };
}

export interface LatePaymentPenaltiesInput {
  readonly dueDate: CalendarDate;
  readonly grossCents: Cents;
  readonly payments: readonly { readonly date: CalendarDate; readonly amountCents: Cents }[];
  readonly today: CalendarDate;
  readonly rate?: PenaltyRate;
  readonly isBusinessCustomer: boolean;
  readonly debtorInInsolvencyProceedings?: boolean;
}

/** A run of days charged at one rate on one principal; `from` and `to` are both charged. */
export interface PenaltyPeriod {
  readonly from: CalendarDate;
  readonly to: CalendarDate;
  readonly days: number;
  readonly principalCents: Cents;
  readonly rateBasisPoints: number;
  readonly provisional: boolean;
}

export interface LatePaymentPenalties {
  /** Days from the due date to today, or to the day the invoice was settled if it was paid late. */
  readonly daysLate: number;
  readonly interestCents: Cents;
  readonly indemnityCents: Cents;
  readonly totalCents: Cents;
  readonly provisional: boolean;
  readonly periods: readonly PenaltyPeriod[];
}

const NO_PENALTIES: LatePaymentPenalties = {
  daysLate: 0,
  interestCents: 0,
  indemnityCents: 0,
  totalCents: 0,
  provisional: false,
  periods: [],
};

/**
 * Penalties owed on an invoice as of `today`.
 *
 * Interest runs from the day after the due date up to and including the payment date, as
 * French practice counts it (paid on the 11th, due on the 1st: 10 days): the principal of a
 * day is what was owed at its start, so a payment dated P stops interest on its amount from
 * P + 1. Payments on or before the due date reduce the principal from the start. Periods are split at each half-year (the rate may
 * change) and at each payment (the principal changes).
 */
export function computeLatePaymentPenalties(
  input: LatePaymentPenaltiesInput,
): LatePaymentPenalties {
  assertCents(input.grossCents);
  const dueDay = toEpochDay(input.dueDate);
  const todayDay = toEpochDay(input.today);
  const payments = input.payments
    .map((payment) => {
      assertCents(payment.amountCents);
      return { day: toEpochDay(payment.date), amount: BigInt(payment.amountCents) };
    })
    .filter((payment) => payment.day <= todayDay)
    .sort((a, b) => a.day - b.day);

  const gross = BigInt(input.grossCents);
  const owedAtEndOf = (day: number): bigint =>
    payments.reduce((owed, payment) => (payment.day <= day ? owed - payment.amount : owed), gross);
  const owedDuring = (day: number): bigint => owedAtEndOf(day - 1);

  const daysLate = daysLateOf(dueDay, todayDay, payments, owedAtEndOf);
  if (daysLate === 0) return NO_PENALTIES;

  const periods: PenaltyPeriod[] = [];
  let numerator = 0n;
  const boundaries = periodStarts(dueDay + 1, todayDay, payments);
  for (const [index, start] of boundaries.entries()) {
    const end = (boundaries[index + 1] ?? todayDay + 1) - 1;
    const owed = owedDuring(start);
    if (owed <= 0n) continue;
    const from = fromEpochDay(start);
    const rate = penaltyRateFor(from, input.rate);
    const days = end - start + 1;
    numerator += owed * BigInt(rate.basisPoints) * BigInt(days);
    periods.push({
      from,
      to: fromEpochDay(end),
      days,
      principalCents: toSafeCents(owed),
      rateBasisPoints: rate.basisPoints,
      provisional: rate.provisional,
    });
  }

  const interestCents = toSafeCents(
    divideRoundHalfUp(numerator, BASIS_POINTS_PER_UNIT * DAYS_PER_YEAR),
  );
  const indemnityCents =
    input.isBusinessCustomer && input.debtorInInsolvencyProceedings !== true
      ? FIXED_RECOVERY_INDEMNITY_CENTS
      : 0;
  return {
    daysLate,
    interestCents,
    indemnityCents,
    totalCents: interestCents + indemnityCents,
    provisional: periods.some((period) => period.provisional),
    periods,
  };
}

/**
 * The invoice is late from the first day after the due date on which money was still owed
 * at the end of the previous day. Paid in full on day P, it was late until P (P - due days).
 */
function daysLateOf(
  dueDay: number,
  todayDay: number,
  payments: readonly { day: number }[],
  owedAtEndOf: (day: number) => bigint,
): number {
  if (todayDay <= dueDay) return 0;
  if (owedAtEndOf(todayDay) > 0n) return todayDay - dueDay;
  // Settled by today: find the last day money was owed; owed amounts only change on payment days.
  const lastDaysOfRuns = payments
    .map((payment) => payment.day - 1)
    .filter((day) => day >= dueDay)
    .sort((a, b) => b - a);
  const lastOwingDay = lastDaysOfRuns.find((day) => owedAtEndOf(day) > 0n);
  return lastOwingDay === undefined ? 0 : lastOwingDay + 1 - dueDay;
}

/** First days of the periods in [firstDay, lastDay]: the first day, each 1 Jan / 1 Jul, each day after a payment. */
function periodStarts(
  firstDay: number,
  lastDay: number,
  payments: readonly { day: number }[],
): number[] {
  const starts = new Set<number>([firstDay]);
  const firstYear = Number(fromEpochDay(firstDay).slice(0, 4));
  const lastYear = Number(fromEpochDay(lastDay).slice(0, 4));
  for (let year = firstYear; year <= lastYear; year += 1) {
    for (const half of [1, 2] as const) {
      const day = toEpochDay(referenceDateOf(year, half));
      if (day > firstDay && day <= lastDay) starts.add(day);
    }
  }
  for (const payment of payments) {
    const principalChanges = payment.day + 1;
    if (principalChanges > firstDay && principalChanges <= lastDay) starts.add(principalChanges);
  }
  return [...starts].sort((a, b) => a - b);
}
