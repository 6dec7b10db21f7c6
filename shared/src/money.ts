/**
 * Money is integer minor units (cents) everywhere in the domain.
 *
 * Provider amounts arrive as decimal strings ("1234.567800"); user input may use a
 * French comma ("12,50") or grouping ("1 234,56 €"). Both are parsed into an exact
 * `Decimal` (bigint units + scale) and rounded once, half away from zero ("arrondi
 * commercial": 0.005 -> 0.01, -0.005 -> -0.01). No value ever goes through a float.
 */
import { DomainError } from "./errors";

/** Integer minor units of a currency (cents for EUR). */
export type Cents = number;

/** An exact decimal number: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL_PATTERN = /^([+-])?(\d+)(?:[.,](\d+))?$/;
const MAX_DIGITS = 30;

/**
 * Parses a plain decimal string, as providers send them: "1234.567800", "-0.1", "12,5".
 * No grouping separators, no exponent. Throws MONEY_INVALID_FORMAT otherwise.
 */
export function parseDecimal(text: string): Decimal {
  const trimmed = text.trim();
  const match = DECIMAL_PATTERN.exec(trimmed);
  if (!match || trimmed.length > MAX_DIGITS + 2) {
    throw new DomainError(
      "MONEY_INVALID_FORMAT",
      `"${text}" is not a decimal amount (expected digits with an optional "." or "," decimal part, e.g. 1234.56).`,
      { input: text },
    );
  }
  const [, sign, whole = "", fraction = ""] = match;
  const magnitude = BigInt(whole + fraction);
  return { units: sign === "-" ? -magnitude : magnitude, scale: fraction.length };
}

export function pow10(exponent: number): bigint {
  return 10n ** BigInt(exponent);
}

/** numerator / denominator, rounded half away from zero. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new RangeError("division by zero");
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (d * 2n);
  return negative ? -quotient : quotient;
}

/** Converts an exact bigint amount of cents to a JS number, refusing unsafe magnitudes. */
export function toSafeCents(value: bigint): Cents {
  if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new DomainError(
      "MONEY_OUT_OF_RANGE",
      "The amount is too large to be represented exactly.",
      {
        value: value.toString(),
      },
    );
  }
  return Number(value);
}

/** Rounds an exact decimal to minor units (half away from zero). */
export function decimalToCents(value: Decimal, fractionDigits = 2): Cents {
  return toSafeCents(divideRoundHalfUp(value.units * pow10(fractionDigits), pow10(value.scale)));
}

/** "1234.5678" -> 123457 (cents). */
export function parseCents(text: string, fractionDigits = 2): Cents {
  return decimalToCents(parseDecimal(text), fractionDigits);
}

/** 123456 -> "1234.56"; -5 -> "-0.05". The canonical string sent to providers. */
export function centsToDecimalString(cents: Cents, fractionDigits = 2): string {
  assertCents(cents);
  const negative = cents < 0;
  const digits = String(negative ? -cents : cents).padStart(fractionDigits + 1, "0");
  const whole = digits.slice(0, digits.length - fractionDigits);
  const fraction = digits.slice(digits.length - fractionDigits);
  return `${negative ? "-" : ""}${whole}${fractionDigits > 0 ? `.${fraction}` : ""}`;
}

export function assertCents(value: number): asserts value is Cents {
  if (!Number.isSafeInteger(value)) {
    throw new DomainError(
      "MONEY_NOT_INTEGER_CENTS",
      `${value} is not an integer amount of cents.`,
      {
        value,
      },
    );
  }
}

const minorDigitsCache = new Map<string, number>();

/** Minor unit digits of an ISO 4217 currency (EUR 2, JPY 0), from the platform's ICU data. */
export function minorUnitDigits(currency: string): number {
  const code = currency.toUpperCase();
  let digits = minorDigitsCache.get(code);
  if (digits === undefined) {
    try {
      digits = new Intl.NumberFormat("en", { style: "currency", currency: code }).resolvedOptions()
        .maximumFractionDigits;
    } catch {
      throw new DomainError("CURRENCY_UNKNOWN", `"${currency}" is not an ISO 4217 currency code.`, {
        currency,
      });
    }
    minorDigitsCache.set(code, digits ?? 2);
  }
  return digits ?? 2;
}

export type SupportedLocale = "fr-FR" | "en-US" | "en-GB";

/** Formats cents for display, e.g. 123456 -> "1 234,56 €" (fr-FR) or "€1,234.56" (en-US). */
export function formatMoney(cents: Cents, currency = "EUR", locale: string = "fr-FR"): string {
  const digits = minorUnitDigits(currency);
  const exact = centsToDecimalString(cents, digits) as `${number}`;
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(exact);
}

interface Separators {
  group: string;
  decimal: string;
}

const separatorCache = new Map<string, Separators>();

function separatorsOf(locale: string): Separators {
  let separators = separatorCache.get(locale);
  if (!separators) {
    const parts = new Intl.NumberFormat(locale).formatToParts(1234567.5);
    separators = {
      group: parts.find((part) => part.type === "group")?.value ?? ",",
      decimal: parts.find((part) => part.type === "decimal")?.value ?? ".",
    };
    separatorCache.set(locale, separators);
  }
  return separators;
}

const WHITESPACE = /[\s\u00a0\u202f]/g;

/**
 * Parses an amount typed or displayed in a locale: "1 234,56 €" (fr-FR), "€1,234.56" (en-US),
 * "-12,5". Currency symbols and codes are ignored. In a comma-decimal locale a lone "." is
 * accepted as the decimal point too, since French users type both.
 */
export function parseLocalizedAmount(
  text: string,
  locale: string = "fr-FR",
  fractionDigits = 2,
): Cents {
  const { group, decimal } = separatorsOf(locale);
  let cleaned = text
    .replace(/[\u2212\u2012\u2013]/g, "-")
    .replace(/[^\d.,+\-\s\u00a0\u202f]/g, "")
    .replace(WHITESPACE, "");
  if (!/^[\s\u00a0\u202f]$/.test(group)) {
    cleaned = cleaned.split(group).join("");
  }
  if (decimal === "," && !cleaned.includes(",") && (cleaned.match(/\./g) ?? []).length === 1) {
    cleaned = cleaned.replace(".", ",");
  }
  if (decimal !== "." && decimal !== ",") {
    cleaned = cleaned.split(decimal).join(".");
  }
  if (cleaned === "" || cleaned === "-" || cleaned === "+") {
    throw new DomainError("MONEY_INVALID_FORMAT", `"${text}" does not contain an amount.`, {
      input: text,
    });
  }
  try {
    return parseCents(cleaned, fractionDigits);
  } catch (error) {
    if (error instanceof DomainError) {
      throw new DomainError(
        "MONEY_INVALID_FORMAT",
        `"${text}" is not an amount in ${locale} format.`,
        {
          input: text,
          locale,
        },
      );
    }
    throw error;
  }
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0n;
  for (const value of values) total += BigInt(value);
  return toSafeCents(total);
}
