/**
 * Amounts, dates and delays for the panel. The shared helpers do the same for the cards, but
 * importing them here would bundle zod and every shared schema into the panel (the whole
 * `@encaisse/shared` entry loads at once), so the two exact formatters are repeated: money goes
 * from integer cents to an exact decimal string to Intl, never through a float.
 */
export interface Formats {
  money(cents: number, currency: string): string;
  /** A calendar date "2026-03-12". */
  date(date: string): string;
  /** An ISO 8601 instant. */
  instant(instant: string): string;
  days(days: number): string;
}

function minorDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** 123456 -> "1234.56" with the currency's minor digits. */
export function exactDecimal(cents: number, digits: number): `${number}` {
  const negative = cents < 0;
  const text = String(negative ? -cents : cents).padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const fraction = digits > 0 ? `.${text.slice(text.length - digits)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}` as `${number}`;
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
    money(cents, currency) {
      const digits = minorDigits(currency);
      return new Intl.NumberFormat(locale, {
        style: "currency",
        currency,
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      }).format(exactDecimal(cents, digits));
    },
    date: (date) => dateFormat.format(new Date(`${date}T00:00:00Z`)),
    instant: (instant) => instantFormat.format(new Date(instant)),
    days: (days) => dayFormat.format(days),
  };
}
