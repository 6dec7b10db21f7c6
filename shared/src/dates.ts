/**
 * Calendar dates in Europe/Paris, as "YYYY-MM-DD" strings.
 *
 * An invoice issued at 00:30 Paris time on the 1st is dated the 1st whatever the server's
 * timezone, so "today" is always derived from an instant through the Paris calendar.
 * Arithmetic is done on epoch days (whole days since 1970-01-01, UTC), which is exact.
 */
import { z } from "zod";
import { DomainError } from "./errors";

/** A calendar date, "YYYY-MM-DD". */
export type CalendarDate = string;

export const PARIS_TIME_ZONE = "Europe/Paris";
const MS_PER_DAY = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): boolean {
  const match = DATE_PATTERN.exec(value);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export const calendarDateSchema = z
  .string()
  .refine(isCalendarDate, { message: "Expected a calendar date YYYY-MM-DD." });

export function assertCalendarDate(value: string): CalendarDate {
  if (!isCalendarDate(value)) {
    throw new DomainError("DATE_INVALID", `"${value}" is not a calendar date (YYYY-MM-DD).`, {
      input: value,
    });
  }
  return value;
}

const parisFormatter = new Intl.DateTimeFormat("en-CA", {
  timeZone: PARIS_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

/** The Paris calendar date of an instant: 2026-02-28T23:30:00Z -> "2026-03-01". */
export function parisDateOf(instant: Date): CalendarDate {
  if (Number.isNaN(instant.getTime())) {
    throw new DomainError("DATE_INVALID", "Invalid instant.");
  }
  const parts = parisFormatter.formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

export function toEpochDay(date: CalendarDate): number {
  const [y, m, d] = assertCalendarDate(date).split("-").map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

export function fromEpochDay(epochDay: number): CalendarDate {
  return new Date(epochDay * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

export function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxDate(...dates: CalendarDate[]): CalendarDate {
  return dates.reduce((latest, date) => (date > latest ? date : latest));
}

export function endOfMonth(date: CalendarDate): CalendarDate {
  const [y, m] = assertCalendarDate(date).split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

export function startOfMonth(date: CalendarDate): CalendarDate {
  return `${assertCalendarDate(date).slice(0, 7)}-01`;
}

/**
 * Payment terms, in Pennylane's vocabulary (`payment_conditions`) plus any `N_days`:
 * `upon_receipt`, `7_days` … `60_days`, `30_days_end_of_month`, `45_days_end_of_month`.
 */
export const paymentTermsSchema = z
  .string()
  .regex(/^(upon_receipt|\d{1,3}_days|(30|45)_days_end_of_month)$/, {
    message: "Expected upon_receipt, N_days, 30_days_end_of_month or 45_days_end_of_month.",
  });
export type PaymentTerms = z.infer<typeof paymentTermsSchema>;

/**
 * "N days end of month" has two accepted readings (DGCCRF): add N days then go to the end of
 * that month (the default, and the most common), or go to the end of the issue month then add
 * N days. The contract says which; a tenant can choose.
 */
export type EndOfMonthConvention = "days_then_end_of_month" | "end_of_month_then_days";

/**
 * The latest due date French law allows (Code de commerce L441-10): 60 days from the
 * invoice date, or 45 days end of month under either reading — whichever is later.
 */
export function lmeCeiling(issueDate: CalendarDate): CalendarDate {
  return maxDate(
    addDays(issueDate, 60),
    endOfMonth(addDays(issueDate, 45)),
    addDays(endOfMonth(issueDate), 45),
  );
}

export function dueDateFor(
  issueDate: CalendarDate,
  terms: PaymentTerms,
  convention: EndOfMonthConvention = "days_then_end_of_month",
): CalendarDate {
  const parsed = paymentTermsSchema.safeParse(terms);
  if (!parsed.success) {
    throw new DomainError("PAYMENT_TERMS_INVALID", `"${terms}" is not a supported payment term.`, {
      terms,
    });
  }
  let due: CalendarDate;
  if (terms === "upon_receipt") {
    due = assertCalendarDate(issueDate);
  } else {
    const days = Number(terms.split("_")[0]);
    if (terms.endsWith("_end_of_month")) {
      due =
        convention === "days_then_end_of_month"
          ? endOfMonth(addDays(issueDate, days))
          : addDays(endOfMonth(issueDate), days);
    } else {
      due = addDays(issueDate, days);
    }
  }
  assertWithinLmeCeiling(issueDate, due);
  return due;
}

/** Refuses a due date beyond the legal maximum (PAYMENT_TERMS_EXCEED_LEGAL_MAXIMUM). */
export function assertWithinLmeCeiling(issueDate: CalendarDate, dueDate: CalendarDate): void {
  const ceiling = lmeCeiling(issueDate);
  if (dueDate > ceiling) {
    throw new DomainError(
      "PAYMENT_TERMS_EXCEED_LEGAL_MAXIMUM",
      `A due date of ${dueDate} exceeds the legal maximum for an invoice dated ${issueDate} (${ceiling}: 60 days, or 45 days end of month).`,
      { issueDate, dueDate, ceiling },
    );
  }
  if (dueDate < issueDate) {
    throw new DomainError(
      "PAYMENT_TERMS_INVALID",
      "A due date cannot be before the invoice date.",
      {
        issueDate,
        dueDate,
      },
    );
  }
}

/** Half-year of a date: 1 (January-June) or 2 (July-December). */
export function halfYearOf(date: CalendarDate): { year: number; half: 1 | 2 } {
  const [y, m] = assertCalendarDate(date).split("-").map(Number) as [number, number];
  return { year: y, half: m <= 6 ? 1 : 2 };
}

/** Formats a date for display in a locale: "2026-03-01" -> "01/03/2026" (fr-FR). */
export function formatDate(
  date: CalendarDate,
  locale = "fr-FR",
  style: "short" | "medium" = "short",
): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone: "UTC" }).format(
    new Date(toEpochDay(date) * MS_PER_DAY),
  );
}

/** "updated 3 min ago" / "mis à jour il y a 3 min" style ages, for freshness labels. */
export function formatAge(ageSeconds: number, locale = "fr-FR"): string {
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto", style: "short" });
  const seconds = Math.max(0, Math.trunc(ageSeconds));
  if (seconds < 60) return format.format(-seconds, "second");
  if (seconds < 3600) return format.format(-Math.trunc(seconds / 60), "minute");
  if (seconds < 86_400) return format.format(-Math.trunc(seconds / 3600), "hour");
  return format.format(-Math.trunc(seconds / 86_400), "day");
}
