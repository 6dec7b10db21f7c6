/**
 * Creating and finalizing customer invoices, exactly once per external reference (see
 * exactly-once.ts). The issue date is today in Europe/Paris: Pennylane refuses a date in the
 * future or before the last finalized invoice, so a draft prepared yesterday is issued today.
 */
import {
  type CalendarDate,
  DomainError,
  type DraftLine,
  type Invoice,
  type InvoiceDraft,
  parseDecimal,
} from "@encaisse/shared";
import { ProviderError } from "../errors";
import type { PennylaneApi } from "./api";
import type { CustomerNames } from "./customers";
import { createExactlyOnce } from "./exactly-once";
import { findInvoiceByExternalReference, readInvoice, todayOf, withCustomerName } from "./invoices";
import { invoiceSchema } from "./schemas";

/** Our lines carry no unit; Pennylane requires one and prints it. */
const LINE_UNIT = "piece";

function sameDecimal(a: string, b: string): boolean {
  try {
    const x = parseDecimal(a);
    const y = parseDecimal(b);
    const scale = Math.max(x.scale, y.scale);
    return x.units * 10n ** BigInt(scale - x.scale) === y.units * 10n ** BigInt(scale - y.scale);
  } catch {
    return false;
  }
}

/**
 * The spec types `quantity` as a JSON number. A decimal of up to 15 significant digits
 * survives the trip through a double exactly; anything finer is refused rather than rounded.
 */
export function quantityAsNumber(quantity: string): number {
  const value = Number(quantity);
  if (!Number.isFinite(value) || !sameDecimal(String(value), quantity)) {
    throw new DomainError(
      "INVOICE_QUANTITY_TOO_PRECISE",
      `The quantity ${quantity} has more digits than Pennylane can receive exactly; round it.`,
      { quantity },
    );
  }
  return value;
}

function lineBody(line: DraftLine): Record<string, unknown> {
  const discounted =
    line.discountPercent !== null && !sameDecimal(line.discountPercent, "0")
      ? { discount: { type: "relative", value: line.discountPercent } }
      : {};
  return {
    label: line.label,
    quantity: quantityAsNumber(line.quantity),
    raw_currency_unit_price: line.unitPriceExclTax,
    unit: LINE_UNIT,
    vat_rate: line.vatCode,
    ...discounted,
  };
}

function customerIdOf(draft: InvoiceDraft): number {
  const id = Number(draft.customerId);
  if (!/^\d+$/.test(draft.customerId) || !Number.isSafeInteger(id) || id <= 0) {
    throw new DomainError(
      "INVOICE_CUSTOMER_INVALID",
      `"${draft.customerId}" is not a Pennylane customer id; link the company to its Pennylane customer again.`,
      { customerId: draft.customerId },
    );
  }
  return id;
}

/** The body of POST /customer_invoices, draft or finalized. */
export function invoiceBody(draft: InvoiceDraft, today: CalendarDate): Record<string, unknown> {
  const mentions = draft.legalMentions.map((mention) => mention.trim()).filter(Boolean);
  return {
    date: today,
    deadline: draft.dueDate,
    customer_id: customerIdOf(draft),
    currency: draft.currency,
    external_reference: draft.externalReference,
    draft: !draft.finalize,
    invoice_lines: draft.lines.map(lineBody),
    ...(mentions.length > 0 ? { special_mention: mentions.join("\n") } : {}),
    ...(draft.label ? { pdf_invoice_subject: draft.label } : {}),
  };
}

/** POST /customer_invoices — https://pennylane.readme.io/reference/postcustomerinvoices */
export async function createInvoice(
  api: PennylaneApi,
  names: CustomerNames,
  draft: InvoiceDraft,
  connectionKey: string,
): Promise<Invoice> {
  const body = invoiceBody(draft, todayOf(api));
  return createExactlyOnce({
    key: `${connectionKey}:invoice:${draft.externalReference}`,
    lookup: () => findInvoiceByExternalReference(api, names, draft.externalReference),
    create: async () => {
      const created = await api.write("POST", "customer_invoices", invoiceSchema, body);
      return withCustomerName(api, names, created, { payments: [] });
    },
  });
}

/**
 * PUT /customer_invoices/{id}/finalize — https://pennylane.readme.io/reference/finalizecustomerinvoice
 * A finalize that timed out, or is refused because the invoice is already final, is checked
 * by reading the invoice: finalized is finalized.
 */
export async function finalizeInvoice(
  api: PennylaneApi,
  names: CustomerNames,
  id: string,
): Promise<Invoice> {
  try {
    const finalized = await api.write(
      "PUT",
      `customer_invoices/${encodeURIComponent(id)}/finalize`,
      invoiceSchema,
    );
    return await withCustomerName(api, names, finalized);
  } catch (error) {
    const checkable =
      error instanceof ProviderError && (error.mayHaveReachedProvider || error.httpStatus === 422);
    if (!checkable) throw error;
    const current = await readInvoice(api, id).catch(() => {
      throw error;
    });
    if (current.draft) throw error;
    return withCustomerName(api, names, current);
  }
}
