/**
 * Pennylane shapes -> the normalized model. Amounts go through `parseCents` (exact decimal
 * strings, never floats); the status is ours, derived from facts, never Pennylane's word.
 */
import {
  type Address,
  type CalendarDate,
  type Customer,
  type Invoice,
  type InvoiceLine,
  type Payment,
  type PaymentMethod,
  type PaymentTerms,
  deriveInvoiceStatus,
  isCalendarDate,
  isVatCode,
  normalizeIdentifier,
  parisDateOf,
  parseCents,
  parseDecimal,
  paymentTermsSchema,
} from "@encaisse/shared";
import { unexpectedAnswer } from "./errors";
import type {
  PennylaneCustomer,
  PennylaneInvoice,
  PennylaneInvoiceLine,
  PennylanePayment,
} from "./schemas";

const blankToNull = (text: string | null | undefined): string | null => {
  const trimmed = text?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
};

/** `reg_no` holds the SIREN; some books carry a SIRET there, whose first 9 digits are it. */
function legalIdentifiers(regNo: string | null | undefined): {
  siren: string | null;
  siret: string | null;
} {
  const digits = normalizeIdentifier(regNo ?? "");
  if (/^\d{9}$/.test(digits)) return { siren: digits, siret: null };
  if (/^\d{14}$/.test(digits)) return { siren: digits.slice(0, 9), siret: digits };
  return { siren: null, siret: null };
}

/** Pennylane keeps the street as one text; its first line is line 1, the rest line 2. */
function billingAddressOf(customer: PennylaneCustomer): Address | null {
  const address = customer.billing_address;
  const [line1, ...rest] = (address?.address ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const postalCode = blankToNull(address?.postal_code);
  const city = blankToNull(address?.city);
  const countryCode = blankToNull(address?.country_alpha2)?.toUpperCase() ?? null;
  if (line1 === undefined || postalCode === null || city === null) return null;
  if (countryCode === null || !/^[A-Z]{2}$/.test(countryCode)) return null;
  return { line1, line2: rest.length > 0 ? rest.join(", ") : null, postalCode, city, countryCode };
}

/** `custom` means "no default" in Pennylane: the deadline is set invoice by invoice. */
function paymentTermsOf(conditions: string | null | undefined): PaymentTerms | null {
  const parsed = paymentTermsSchema.safeParse(conditions);
  return parsed.success ? parsed.data : null;
}

export function toCustomer(customer: PennylaneCustomer): Customer {
  const personName = [customer.first_name, customer.last_name]
    .map(blankToNull)
    .filter((part) => part !== null)
    .join(" ");
  const name = blankToNull(customer.name) ?? (personName || `Pennylane customer ${customer.id}`);
  return {
    provider: "pennylane",
    providerId: String(customer.id),
    kind: customer.customer_type,
    name,
    ...legalIdentifiers(customer.reg_no),
    vatNumber: blankToNull(customer.vat_number),
    emails: (customer.emails ?? []).map((email) => email.trim()).filter((email) => email !== ""),
    billingAddress: billingAddressOf(customer),
    paymentTerms: paymentTermsOf(customer.payment_conditions),
    externalReference: blankToNull(customer.external_reference),
  };
}

const MAX_DECIMALS = 6;
const MAX_WHOLE_DIGITS = 15;

/** Exact text of a decimal, trailing zeros beyond the point dropped: "12.500000" -> "12.5". */
function exactDecimal(text: string): string | null {
  const { units, scale } = parseDecimal(text);
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, "");
  if (fraction.length > MAX_DECIMALS || whole.length > MAX_WHOLE_DIGITS) return null;
  return `${negative && units !== 0n ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/**
 * A line we can state exactly in the normalized model, or null (a foreign VAT code, a
 * quantity with more than 6 decimals). The invoice's own totals stay exact either way.
 */
function toLine(line: PennylaneInvoiceLine): InvoiceLine | null {
  const quantity = exactDecimal(line.quantity);
  const unitPriceExclTax = exactDecimal(line.raw_currency_unit_price);
  if (quantity === null || unitPriceExclTax === null || !isVatCode(line.vat_rate)) return null;
  const discountValue = line.discount?.value;
  const discountPercent =
    line.discount?.type === "relative" && discountValue !== null && discountValue !== undefined
      ? exactDecimal(String(discountValue))
      : null;
  return {
    label: line.label,
    quantity,
    unitPriceExclTax,
    vatCode: line.vat_rate,
    discountPercent: discountPercent === "0" ? null : discountPercent,
    netCents: parseCents(line.currency_amount_before_tax),
    vatCents: parseCents(line.currency_tax),
    grossCents: parseCents(line.currency_amount),
  };
}

/** All lines, or none when one cannot be stated exactly: a partial list would mislead. */
export function toLines(lines: readonly PennylaneInvoiceLine[]): InvoiceLine[] {
  const mapped = lines.map(toLine);
  return mapped.every((line) => line !== null) ? (mapped as InvoiceLine[]) : [];
}

/** Payments that did not go through (or went back) are not money received. */
const NOT_RECEIVED = new Set(["aborted", "error", "not_found", "refunded"]);
/** The statuses of GoCardless direct debits, as the spec lists them. */
const DIRECT_DEBIT = new Set([
  "pending_customer_approval",
  "pending_submission",
  "submitted",
  "confirmed",
  "paid_out",
]);

/** Pennylane gives a payment no value date; the day it was recorded is the closest fact. */
export function toPayments(payments: readonly PennylanePayment[]): Payment[] {
  return payments
    .filter((payment) => !NOT_RECEIVED.has(payment.status))
    .map((payment) => {
      const method: PaymentMethod = DIRECT_DEBIT.has(payment.status) ? "direct_debit" : "other";
      return {
        id: String(payment.id),
        date: parisDateOf(new Date(payment.created_at)),
        amountCents: parseCents(payment.currency_amount),
        method,
        label: blankToNull(payment.label),
      };
    });
}

export interface InvoiceExtras {
  readonly customerName: string;
  readonly lines?: readonly InvoiceLine[];
  /** Known only when fetched per invoice; lists leave it undefined. */
  readonly payments?: readonly Payment[];
  readonly today: CalendarDate;
}

function calendarDateOr(value: string | null, fallback: CalendarDate): CalendarDate {
  return value !== null && isCalendarDate(value) ? value : fallback;
}

/** Invoices without a customer (some imports) cannot be attached to a CRM record. */
export function hasCustomer(
  invoice: PennylaneInvoice,
): invoice is PennylaneInvoice & { customer: { id: number } } {
  return invoice.customer !== null;
}

export function toInvoice(invoice: PennylaneInvoice, extras: InvoiceExtras): Invoice {
  if (!hasCustomer(invoice)) {
    throw unexpectedAnswer("an invoice without a customer", { invoiceId: invoice.id });
  }
  const grossCents = parseCents(invoice.currency_amount);
  const isCreditNote = invoice.status === "credit_note" || grossCents < 0;
  const isCancelled = invoice.status === "cancelled";
  const isDraft = invoice.draft;
  const createdOn = parisDateOf(new Date(invoice.created_at));
  const issueDate = calendarDateOr(invoice.date, createdOn);
  const dueDate = calendarDateOr(invoice.deadline, issueDate);
  const remainingCents =
    invoice.remaining_amount_with_tax !== null
      ? parseCents(invoice.remaining_amount_with_tax)
      : invoice.paid || isCancelled
        ? 0
        : grossCents;
  const paidCents =
    extras.payments !== undefined
      ? extras.payments.reduce((sum, payment) => sum + payment.amountCents, 0)
      : isDraft || isCancelled || isCreditNote
        ? 0
        : Math.max(0, grossCents - remainingCents);
  const { status, daysLate } = deriveInvoiceStatus(
    { isDraft, isCancelled, isCreditNote, grossCents, remainingCents, dueDate },
    extras.today,
  );
  return {
    provider: "pennylane",
    id: String(invoice.id),
    number: isDraft ? null : blankToNull(invoice.invoice_number),
    customerId: String(invoice.customer.id),
    customerName: extras.customerName,
    issueDate,
    dueDate,
    currency: invoice.currency,
    netCents: parseCents(invoice.currency_amount_before_tax),
    vatCents: parseCents(invoice.currency_tax),
    grossCents,
    paidCents,
    remainingCents,
    status,
    daysLate,
    isDraft,
    isCreditNote,
    isCancelled,
    providerStatus: invoice.status,
    lines: [...(extras.lines ?? [])],
    payments: [...(extras.payments ?? [])],
    externalReference: blankToNull(invoice.external_reference),
    // The API documents no stable web address for an invoice; PDF links are fetched on demand.
    webUrl: null,
    updatedAt: invoice.updated_at,
  };
}
