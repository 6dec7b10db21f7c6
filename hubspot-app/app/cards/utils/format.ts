/**
 * Amounts, dates, ages and rates in the user's locale, through the shared helpers, so the
 * cards show "1 234,56 €" and "12/03/2026" the way the rest of Encaisse does.
 */
import { type VatCode, chargedRateOf, formatAge, formatDate, formatMoney } from "@encaisse/shared";

export interface DayCount {
  readonly text: string;
  readonly plural: boolean;
}

export interface Formats {
  money(cents: number, currency: string): string;
  /** An exact decimal string such as a unit price ("1500.125"), never through a float. */
  decimalMoney(amount: string, currency: string): string;
  quantity(quantity: string): string;
  date(date: string): string;
  age(seconds: number): string;
  /** How long ago an ISO 8601 instant was, seen from `now`. */
  ageSince(instant: string, now: Date): string;
  time(instant: string): string;
  /** A remaining duration: 90 -> "2 min". */
  duration(seconds: number): string;
  dayCount(days: number): DayCount;
  /** 2000 -> "20 %" (fr) / "20%" (en). */
  basisPoints(basisPoints: number): string;
  vatRate(code: VatCode): string;
}

export function formatsFor(locale: string): Formats {
  const days = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const plural = new Intl.PluralRules(locale);
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 2 });
  const time = new Intl.DateTimeFormat(locale, { timeStyle: "short" });
  const basisPoints = (value: number) => percent.format(value / 10_000);
  return {
    money: (cents, currency) => formatMoney(cents, currency, locale),
    decimalMoney: (amount, currency) =>
      new Intl.NumberFormat(locale, {
        style: "currency",
        currency,
        minimumFractionDigits: 2,
        maximumFractionDigits: 6,
      }).format(amount as `${number}`),
    quantity: (quantity) =>
      new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(quantity as `${number}`),
    date: (date) => formatDate(date, locale),
    age: (seconds) => formatAge(seconds, locale),
    ageSince: (instant, now) =>
      formatAge(Math.max(0, (now.getTime() - Date.parse(instant)) / 1000), locale),
    time: (instant) => time.format(new Date(instant)),
    duration: (seconds) =>
      seconds < 3600
        ? new Intl.NumberFormat(locale, {
            style: "unit",
            unit: "minute",
            unitDisplay: "short",
          }).format(Math.max(1, Math.ceil(seconds / 60)))
        : new Intl.NumberFormat(locale, {
            style: "unit",
            unit: "hour",
            unitDisplay: "short",
          }).format(Math.ceil(seconds / 3600)),
    dayCount: (count) => ({ text: days.format(count), plural: plural.select(count) !== "one" }),
    basisPoints,
    vatRate: (code) => basisPoints(chargedRateOf(code)),
  };
}
