/**
 * Exact arithmetic on the decimal strings the emulator keeps (quantities, prices,
 * percentages): bigint units with a scale, the `Decimal` of shared/src/money.ts.
 */
import { parseDecimal, pow10, type Decimal } from "@encaisse/shared";

function aligned(a: string, b: string): { left: bigint; right: bigint; scale: number } {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  const scale = Math.max(x.scale, y.scale);
  return { left: x.units * pow10(scale - x.scale), right: y.units * pow10(scale - y.scale), scale };
}

export function formatDecimal(value: Decimal): string {
  const negative = value.units < 0n;
  const digits = (negative ? -value.units : value.units).toString().padStart(value.scale + 1, "0");
  const whole = digits.slice(0, digits.length - value.scale);
  const fraction = digits.slice(digits.length - value.scale).replace(/0+$/, "");
  const body = fraction === "" ? whole : `${whole}.${fraction}`;
  return negative && body !== "0" ? `-${body}` : body;
}

export function compareDecimals(a: string, b: string): number {
  const { left, right } = aligned(a, b);
  return left < right ? -1 : left > right ? 1 : 0;
}

export function addDecimals(a: string, b: string): string {
  const { left, right, scale } = aligned(a, b);
  return formatDecimal({ units: left + right, scale });
}

export function subtractDecimals(a: string, b: string): string {
  const { left, right, scale } = aligned(a, b);
  return formatDecimal({ units: left - right, scale });
}

export function negateDecimal(a: string): string {
  const value = parseDecimal(a);
  return formatDecimal({ units: -value.units, scale: value.scale });
}

export function minDecimal(a: string, b: string): string {
  return compareDecimals(a, b) <= 0 ? a : b;
}

export function isZeroDecimal(a: string): boolean {
  return parseDecimal(a).units === 0n;
}

/** Canonical text of a decimal ("150.10" -> "150.1"). */
export function normalizeDecimal(a: string): string {
  return formatDecimal(parseDecimal(a));
}

/** Number of decimals written, to refuse sub-cent amounts instead of rounding them. */
export function scaleOf(a: string): number {
  return formatDecimal(parseDecimal(a)).split(".")[1]?.length ?? 0;
}
