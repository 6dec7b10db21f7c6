/**
 * Line and invoice totals.
 *
 * Rounding rule (documented, and the one the emulators apply): each line is computed
 * exactly, then rounded half away from zero to cents — first its net amount
 * (quantity x unit price x (1 - discount)), then its VAT (net x rate). Invoice totals are
 * the sums of the rounded line amounts, so the sum of the lines always equals the invoice
 * total to the cent, and the VAT breakdown per rate sums to the VAT total. Pennylane and
 * Sage Active compute VAT per line too (Sage: "VAT = net x rate" per line, header = sums).
 */
import { DomainError } from "./errors";
import { type Cents, divideRoundHalfUp, parseDecimal, pow10, sumCents, toSafeCents } from "./money";

export interface LineAmountsInput {
  /** Decimal string, e.g. "3" or "1.5" (hours). */
  readonly quantity: string;
  /** Unit price before tax, decimal string with up to 6 decimals, e.g. "1234.567800". */
  readonly unitPriceExclTax: string;
  /** VAT rate in basis points: 20 % = 2000, 5.5 % = 550, exempt = 0. */
  readonly vatRateBasisPoints: number;
  /** Discount as a percentage, decimal string "0".."100". */
  readonly discountPercent?: string | undefined;
}

export interface LineAmounts {
  readonly netCents: Cents;
  readonly vatCents: Cents;
  readonly grossCents: Cents;
}

export interface VatBreakdownEntry {
  readonly vatRateBasisPoints: number;
  readonly netCents: Cents;
  readonly vatCents: Cents;
}

export interface InvoiceAmounts extends LineAmounts {
  readonly vatBreakdown: readonly VatBreakdownEntry[];
}

export function computeLineAmounts(line: LineAmountsInput, fractionDigits = 2): LineAmounts {
  if (!Number.isInteger(line.vatRateBasisPoints) || line.vatRateBasisPoints < 0) {
    throw new DomainError(
      "VAT_RATE_INVALID",
      "A VAT rate must be a whole, non-negative number of basis points.",
      {
        vatRateBasisPoints: line.vatRateBasisPoints,
      },
    );
  }
  const quantity = parseDecimal(line.quantity);
  const unitPrice = parseDecimal(line.unitPriceExclTax);
  const discount = parseDecimal(line.discountPercent ?? "0");
  const hundred = 100n * pow10(discount.scale);
  if (discount.units < 0n || discount.units > hundred) {
    throw new DomainError("DISCOUNT_OUT_OF_RANGE", "A discount must be between 0 % and 100 %.", {
      discountPercent: line.discountPercent,
    });
  }
  // net = q x p x (100 - d) / 100, all exact, then to cents.
  const numerator =
    quantity.units * unitPrice.units * (hundred - discount.units) * pow10(fractionDigits);
  const denominator = pow10(quantity.scale + unitPrice.scale) * hundred;
  const net = divideRoundHalfUp(numerator, denominator);
  const vat = divideRoundHalfUp(net * BigInt(line.vatRateBasisPoints), 10_000n);
  return {
    netCents: toSafeCents(net),
    vatCents: toSafeCents(vat),
    grossCents: toSafeCents(net + vat),
  };
}

export function computeInvoiceAmounts(
  lines: readonly LineAmountsInput[],
  fractionDigits = 2,
): InvoiceAmounts {
  const computed = lines.map((line) => ({
    line,
    amounts: computeLineAmounts(line, fractionDigits),
  }));
  const byRate = new Map<number, { net: Cents[]; vat: Cents[] }>();
  for (const { line, amounts } of computed) {
    const entry = byRate.get(line.vatRateBasisPoints) ?? { net: [], vat: [] };
    entry.net.push(amounts.netCents);
    entry.vat.push(amounts.vatCents);
    byRate.set(line.vatRateBasisPoints, entry);
  }
  const vatBreakdown = [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([vatRateBasisPoints, { net, vat }]) => ({
      vatRateBasisPoints,
      netCents: sumCents(net),
      vatCents: sumCents(vat),
    }));
  const netCents = sumCents(computed.map(({ amounts }) => amounts.netCents));
  const vatCents = sumCents(computed.map(({ amounts }) => amounts.vatCents));
  return { netCents, vatCents, grossCents: netCents + vatCents, vatBreakdown };
}
