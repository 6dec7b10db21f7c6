/**
 * Amounts as Pennylane writes them: decimal strings in the style of its examples ("230.32",
 * "34.0", "1.0"), trailing zeros dropped but one decimal kept, so a client that assumes two
 * decimals or parses through a float is caught here rather than in production.
 */
import { type Cents, type Decimal, centsToDecimalString, parseDecimal } from "@encaisse/shared";

function trimFraction(text: string): string {
  if (!text.includes(".")) return `${text}.0`;
  const trimmed = text.replace(/0+$/, "");
  return trimmed.endsWith(".") ? `${trimmed}0` : trimmed;
}

/** 12300 -> "123.0", 12345 -> "123.45", -500 -> "-5.0". */
export function pennylaneAmount(cents: Cents): string {
  return trimFraction(centsToDecimalString(cents));
}

function decimalToText({ units, scale }: Decimal): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale);
  return `${negative ? "-" : ""}${whole}${scale > 0 ? `.${fraction}` : ""}`;
}

/** A quantity or unit price as Pennylane echoes it: "3" -> "3.0", "33.333300" -> "33.3333". */
export function pennylaneDecimal(text: string): string {
  return trimFraction(decimalToText(parseDecimal(text)));
}

const PLAIN_DECIMAL = /^-?\d{1,15}(\.\d{1,10})?$/;

/** JSON numbers arrive as floats; accept only those whose shortest text is a plain decimal. */
export function quantityText(quantity: number): string | null {
  const text = String(quantity);
  return PLAIN_DECIMAL.test(text) ? text : null;
}

const UNIT_PRICE = /^-?\d{1,15}(\.\d{1,6})?$/;

/** `raw_currency_unit_price`: a decimal string with at most 6 decimals. */
export function isUnitPrice(text: string): boolean {
  return UNIT_PRICE.test(text);
}

const PERCENT = /^\d{1,3}(\.\d{1,6})?$/;

export function isPercentage(text: string): boolean {
  if (!PERCENT.test(text)) return false;
  const { units, scale } = parseDecimal(text);
  return units <= 100n * 10n ** BigInt(scale);
}

/**
 * Two successive relative discounts as one exact percentage: a line discount d1 and an invoice
 * discount d2 leave (1 - d1)(1 - d2) of the price, i.e. a combined 100 - (100 - d1)(100 - d2)/100.
 */
export function combinePercentages(first: string | null, second: string | null): string | null {
  if (first === null) return second;
  if (second === null) return first;
  const a = parseDecimal(first);
  const b = parseDecimal(second);
  const hundredA = 100n * 10n ** BigInt(a.scale);
  const hundredB = 100n * 10n ** BigInt(b.scale);
  // remaining = (100 - a)(100 - b) / 100, at scale a.scale + b.scale
  const remaining = (hundredA - a.units) * (hundredB - b.units);
  const scale = a.scale + b.scale + 2;
  const hundred = 100n * 10n ** BigInt(scale);
  return decimalToText({ units: hundred - remaining, scale });
}
