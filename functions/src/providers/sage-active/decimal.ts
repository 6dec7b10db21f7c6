/**
 * Sage Active's `Decimal` scalar travels as a JSON number (Hot Chocolate's DecimalType):
 * answers carry `150.5`, and variables must be numbers, never strings.
 *
 * A JSON number read by `JSON.parse` becomes the nearest double, and `String(double)` is the
 * shortest text that reads back as that double. For any decimal written with at most 15
 * significant digits that text is the decimal itself, so `String(n)` recovers the exact value
 * Sage wrote. Beyond 15 digits it may not, and we refuse the value rather than guess. Money
 * amounts (at most 13 integer digits and 2 decimals) are always well inside that bound.
 * The same bound applies to what we send: a decimal string of at most 15 significant digits
 * becomes a number whose JSON text is that very decimal.
 */
import { DomainError, parseDecimal } from "@encaisse/shared";

export const MAX_EXACT_SIGNIFICANT_DIGITS = 15;

const NUMBER_TEXT = /^(-)?(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/i;

/** Shifts the exponent of "1.5e-7" on the digits: "0.00000015". Never computed in floats. */
export function plainDecimalText(numberText: string): string {
  const match = NUMBER_TEXT.exec(numberText);
  if (!match) throw new RangeError(`"${numberText}" is not a number.`);
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  let digits = `${whole}${fraction}`;
  let pointAt = whole.length + exponent;
  if (pointAt <= 0) {
    digits = `${"0".repeat(1 - pointAt)}${digits}`;
    pointAt = 1;
  } else if (pointAt > digits.length) {
    digits = digits.padEnd(pointAt, "0");
  }
  const integerPart = digits.slice(0, pointAt).replace(/^0+(?=\d)/, "");
  const fractionPart = digits.slice(pointAt).replace(/0+$/, "");
  const body = fractionPart === "" ? integerPart : `${integerPart}.${fractionPart}`;
  return body === "0" ? "0" : `${sign}${body}`;
}

/** Significant digits of a plain decimal string ("0.0012" -> 2, "1200" -> 4). */
export function significantDigits(decimalText: string): number {
  const digits = decimalText.replace(/^-/, "").replace(".", "").replace(/^0+/, "");
  return Math.max(digits.length, 1);
}

/**
 * The exact decimal string of a `Decimal` from a Sage answer. Strings are accepted too, in
 * case a gateway or a future version serialises decimals as text. Null when not exact.
 */
export function decimalFromSage(value: number | string): string | null {
  if (typeof value === "string") {
    return NUMBER_TEXT.test(value.trim()) ? plainDecimalText(value.trim()) : null;
  }
  if (!Number.isFinite(value)) return null;
  const text = plainDecimalText(String(value));
  return significantDigits(text) <= MAX_EXACT_SIGNIFICANT_DIGITS ? text : null;
}

/**
 * The JSON number to send for an exact decimal string ("1234.567800" -> 1234.5678), or a
 * DECIMAL_NOT_REPRESENTABLE error when Sage could not receive it exactly.
 */
export function decimalToSage(decimalText: string): number {
  const parsed = parseDecimal(decimalText);
  const plain = plainDecimalText(
    `${parsed.units < 0n ? "-" : ""}${formatUnits(parsed.units < 0n ? -parsed.units : parsed.units, parsed.scale)}`,
  );
  if (significantDigits(plain) > MAX_EXACT_SIGNIFICANT_DIGITS) {
    throw new DomainError(
      "DECIMAL_NOT_REPRESENTABLE",
      `${decimalText} has more than ${MAX_EXACT_SIGNIFICANT_DIGITS} significant digits; Sage Active cannot receive it exactly.`,
      { value: decimalText },
    );
  }
  return Number(plain);
}

function formatUnits(units: bigint, scale: number): string {
  const digits = units.toString().padStart(scale + 1, "0");
  return scale === 0
    ? digits
    : `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
}
