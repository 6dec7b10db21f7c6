/**
 * Exact decimal arithmetic for the values HubSpot calculates (a line item's net `amount`) and
 * compares (search filters on number properties): bigint units and a scale, never floats.
 */
import { type Decimal, parseDecimal, pow10 } from "@encaisse/shared";

const scaled = (value: Decimal, scale: number): bigint => value.units * pow10(scale - value.scale);

export function multiply(a: Decimal, b: Decimal): Decimal {
  return { units: a.units * b.units, scale: a.scale + b.scale };
}

export const ZERO: Decimal = { units: 0n, scale: 0 };

export function add(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: scaled(a, scale) + scaled(b, scale), scale };
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: scaled(a, scale) - scaled(b, scale), scale };
}

/** `value` less `percent` % of it, exactly. */
export function lessPercent(value: Decimal, percent: Decimal): Decimal {
  const remaining = subtract({ units: 100n, scale: 0 }, percent);
  return multiply(value, { units: remaining.units, scale: remaining.scale + 2 });
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const difference = scaled(a, scale) - scaled(b, scale);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Plain decimal text without trailing zeros ("212.5", "1200", "-3.25"). */
export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, "0");
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, "");
  const text = fraction === "" ? whole : `${whole}.${fraction}`;
  return negative && text !== "0" ? `-${text}` : text;
}

/** Parses HubSpot's number text ("12", "12.50", ".5", "+3"); null when it is not a number. */
export function decimalOf(text: string): Decimal | null {
  const normalized = text
    .trim()
    .replace(/^\+/, "")
    .replace(/^(-?)\./, "$10.");
  try {
    return parseDecimal(normalized.replace(/\.$/, ""));
  } catch {
    return null;
  }
}
