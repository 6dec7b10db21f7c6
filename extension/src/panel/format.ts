/**
 * Amounts, dates and delays for the panel. Money is the cards' own `formatMoney`, from
 * integer cents to an exact decimal string to Intl, never through a float; it comes from the
 * `@encaisse/shared/money` entry, which loads no zod (the whole `@encaisse/shared` entry
 * would bundle every schema into the panel).
 */
import { formatMoney } from "@encaisse/shared/money";

export interface Formats {
  money(cents: number, currency: string): string;
  /** A calendar date "2026-03-12". */
  date(date: string): string;
  /** An ISO 8601 instant. */
  instant(instant: string): string;
  days(days: number): string;
}

export function formatsFor(locale: string): Formats {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone: "UTC" });
  const instantFormat = new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "Europe/Paris",
  });
  const dayFormat = new Intl.NumberFormat(locale, {
    style: "unit",
    unit: "day",
    unitDisplay: "long",
    maximumFractionDigits: 0,
  });
  return {
    money: (cents, currency) => formatMoney(cents, currency, locale),
    date: (date) => dateFormat.format(new Date(`${date}T00:00:00Z`)),
    instant: (instant) => instantFormat.format(new Date(instant)),
    days: (days) => dayFormat.format(days),
  };
}
