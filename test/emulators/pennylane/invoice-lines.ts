/**
 * Invoice lines: what a request line becomes (a product fills in what the line leaves out),
 * and the amounts, computed with the shared rule (each line rounded to cents, invoice totals
 * as sums of lines) so Pennylane's figures and ours agree to the cent.
 */
import {
  type Cents,
  type LineAmountsInput,
  computeInvoiceAmounts,
  computeLineAmounts,
} from "@encaisse/shared";
import { combinePercentages, isPercentage, isUnitPrice, quantityText } from "./amounts";
import { badRequest, unprocessable } from "./errors";
import type { InvoiceLineRecord, ProductRecord } from "./records";
import type { InvoiceLineUpdate, NewInvoiceLine } from "./request-bodies";
import { chargedBasisPointsOf, isPennylaneVatRate } from "./vat-rates";

/** A line's content before it gets an id and amounts. */
export interface LineDraft {
  readonly label: string;
  readonly unit: string | null;
  readonly quantity: string;
  readonly rawUnitPrice: string;
  readonly vatRate: string;
  readonly discountPercent: string | null;
  readonly description: string;
  readonly productId: number | null;
  readonly sectionRank: number | null;
}

export interface Amounts {
  readonly netCents: Cents;
  readonly vatCents: Cents;
  readonly grossCents: Cents;
}

type Discount = { readonly type: "absolute" | "relative"; readonly value: string } | undefined;

/** A relative discount as a percentage string; absolute discounts are not emulated (422). */
export function relativeDiscount(discount: Discount, field: string): string | null {
  if (discount === undefined) return null;
  if (discount.type === "absolute") {
    throw unprocessable(`${field}: this emulator supports relative (percentage) discounts only.`);
  }
  if (!isPercentage(discount.value)) {
    throw badRequest(
      `${field}.value must be a percentage between 0 and 100`,
      `${field}.value`,
      "InvalidPattern",
    );
  }
  return discount.value;
}

export function lineDraftOf(
  line: NewInvoiceLine,
  field: string,
  productOf: (id: number) => ProductRecord,
): LineDraft {
  const product = "product_id" in line ? productOf(line.product_id) : null;
  const rawUnitPrice = line.raw_currency_unit_price ?? product?.priceBeforeTax ?? "0";
  const vatRate = line.vat_rate ?? product?.vatRate ?? "FR_200";
  const quantity = quantityText(line.quantity);
  if (quantity === null) {
    throw badRequest(`${field}.quantity must be a plain decimal number`, `${field}.quantity`);
  }
  if (!isUnitPrice(rawUnitPrice)) {
    throw badRequest(
      `${field}.raw_currency_unit_price must be a decimal string with at most 6 decimals (got "${rawUnitPrice}")`,
      `${field}.raw_currency_unit_price`,
      "InvalidPattern",
    );
  }
  if (!isPennylaneVatRate(vatRate)) {
    throw badRequest(
      `${field}.vat_rate "${vatRate}" is not a Pennylane VAT code`,
      `${field}.vat_rate`,
      "NotEnumInclude",
    );
  }
  if (chargedBasisPointsOf(vatRate) === null) {
    throw unprocessable(`${field}.vat_rate ${vatRate}: this emulator cannot compute that rate.`);
  }
  return {
    label: line.label ?? product?.label ?? "",
    unit: line.unit ?? product?.unit ?? null,
    quantity,
    rawUnitPrice,
    vatRate,
    discountPercent: relativeDiscount(line.discount, `${field}.discount`),
    description: line.description ?? "",
    productId: product?.id ?? null,
    sectionRank: line.section_rank ?? null,
  };
}

/** An existing line with the fields an update names replaced (a new product refills the rest). */
export function updatedLineDraft(
  line: InvoiceLineRecord,
  update: InvoiceLineUpdate,
  field: string,
  productOf: (id: number) => ProductRecord,
): LineDraft {
  const product = update.product_id === undefined ? null : productOf(update.product_id);
  const draft = lineDraftOf(
    {
      label: update.label ?? product?.label ?? line.label,
      quantity: update.quantity ?? Number(line.quantity),
      raw_currency_unit_price:
        update.raw_currency_unit_price ?? product?.priceBeforeTax ?? line.rawUnitPrice,
      unit: update.unit ?? product?.unit ?? line.unit ?? "",
      vat_rate: update.vat_rate ?? product?.vatRate ?? line.vatRate,
      description: update.description ?? line.description,
      ...(update.discount === undefined ? {} : { discount: update.discount }),
    },
    field,
    productOf,
  );
  return {
    ...draft,
    productId: product?.id ?? line.productId,
    discountPercent: update.discount === undefined ? line.discountPercent : draft.discountPercent,
    sectionRank: update.section_rank ?? line.sectionRank,
  };
}

/** Sets each line's amounts and returns the invoice totals; an invoice discount applies to every line. */
export function priceLines(lines: InvoiceLineRecord[], invoiceDiscount: string | null): Amounts {
  const inputs: LineAmountsInput[] = lines.map((line) => ({
    quantity: line.quantity,
    unitPriceExclTax: line.rawUnitPrice,
    vatRateBasisPoints: chargedBasisPointsOf(line.vatRate) ?? 0,
    discountPercent: combinePercentages(line.discountPercent, invoiceDiscount) ?? undefined,
  }));
  lines.forEach((line, index) => {
    const input = inputs[index];
    if (input !== undefined) Object.assign(line, computeLineAmounts(input));
  });
  const { netCents, vatCents, grossCents } = computeInvoiceAmounts(inputs);
  return { netCents, vatCents, grossCents };
}
