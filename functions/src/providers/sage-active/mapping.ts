/**
 * Sage Active shapes -> the normalized model. Pure functions over parsed answers
 * (schemas.ts); the VAT table lives in vat-codes.ts.
 *
 * Invoice status words (a String in Sage, reference §4.1):
 *
 * | Sage `status`        | meaning                       | normalized                         |
 * |----------------------|-------------------------------|------------------------------------|
 * | `Pending` (`Draft`)  | draft, no number              | draft                              |
 * | `Closed`             | numbered, not yet in ledger   | open / overdue (nothing paid yet)  |
 * | `Posted`             | awaiting collection           | open / overdue                     |
 * | `PartiallyCollected` | partly paid                   | partially_paid / overdue           |
 * | `Collected`          | paid                          | paid                               |
 * | `type: CREDIT_NOTE`  | a credit note, any status     | credit_note                        |
 *
 * Sage never answers "Overdue" (its UI derives it): paid and remaining come from the open
 * items (`amount - paidAmountAccumulated`), the due date from the earliest instalment still
 * owed, and `deriveInvoiceStatus` decides, as for every provider. Unknown status words are
 * kept in `providerStatus` and read as issued invoices.
 */
import {
  type CalendarDate,
  type Cents,
  type Customer,
  type Invoice,
  type InvoiceLine,
  type Payment,
  type PaymentTerms,
  deriveInvoiceStatus,
  isCalendarDate,
  parisDateOf,
  parseCents,
  sumCents,
} from "@encaisse/shared";
import { ProviderError } from "../errors";
import { fromSageReference } from "./references";
import type { SageCustomer, SageInvoice, SageInvoiceLine, SageOpenItem } from "./schemas";
import { customerSituation, percentageToBasisPoints, vatCodeOfSageLine } from "./vat-codes";

const DRAFT_STATUSES = new Set(["pending", "draft"]);

function invalid(message: string, details: Record<string, unknown>): ProviderError {
  return new ProviderError("PROVIDER_RESPONSE_INVALID", message, {
    provider: "sage_active",
    details,
  });
}

// ---------------------------------------------------------------------------------------
// Customers

function digitsOf(value: string | null): string {
  return (value ?? "").replace(/[\s.-]/g, "");
}

/** Sage files SIREN or SIRET in `documentId` (reference §3.1). */
export function sirenAndSiretOf(documentId: string | null): {
  siren: string | null;
  siret: string | null;
} {
  const digits = digitsOf(documentId);
  if (/^\d{14}$/.test(digits)) return { siren: digits.slice(0, 9), siret: digits };
  if (/^\d{9}$/.test(digits)) return { siren: digits, siret: null };
  return { siren: null, siret: null };
}

type SageTermLine = NonNullable<SageCustomer["paymentTermLines"]>[number];

/**
 * Single-instalment terms in our vocabulary; null for anything richer (several
 * instalments, payment days) which the normalized model does not express.
 */
export function paymentTermsOf(lines: readonly SageTermLine[] | null): PaymentTerms | null {
  if (!lines || lines.length !== 1) return null;
  const [line] = lines;
  if (!line) return null;
  const whole =
    line.type === "REMAINING_AMOUNT" ||
    (line.type === "PERCENTAGE" &&
      line.value !== null &&
      percentageToBasisPoints(line.value) === 10_000);
  if (!whole) return null;
  const days = line.day ?? 0;
  if (!Number.isInteger(days) || days < 0 || days > 999) return null;
  if (line.condition === "END_OF_MONTH") {
    return days === 30 || days === 45 ? `${days}_days_end_of_month` : null;
  }
  if (line.condition !== null && line.condition !== "NONE") return null;
  return days === 0 ? "upon_receipt" : `${days}_days`;
}

export function toCustomer(sage: SageCustomer): Customer {
  const addresses = sage.addresses ?? [];
  const main = addresses.find((address) => address.isMainAddress) ?? addresses[0] ?? null;
  const country = (main?.countryIsoCodeAlpha2 ?? sage.countryAcronym ?? "").toUpperCase();
  const billingAddress =
    main && main.firstLine && main.zipCode && main.city && /^[A-Z]{2}$/.test(country)
      ? {
          line1: main.firstLine,
          line2: main.secondLine || null,
          postalCode: main.zipCode,
          city: main.city,
          countryCode: country,
        }
      : null;
  const contacts = [...(sage.contacts ?? [])].sort(
    (a, b) => Number(b.isDefaultCustomer ?? false) - Number(a.isDefaultCustomer ?? false),
  );
  const emails = [
    ...new Set(
      contacts.flatMap((contact) =>
        [...(contact.emails ?? [])]
          .sort((a, b) => Number(b.isDefault ?? false) - Number(a.isDefault ?? false))
          .map((email) => email.emailAddress?.trim() ?? "")
          .filter((email) => email !== ""),
      ),
    ),
  ];
  const { siren, siret } = sirenAndSiretOf(sage.documentId);
  return {
    provider: "sage_active",
    providerId: sage.id,
    kind: sage.customerType === "INDIVIDUAL" ? "individual" : "company",
    name: sage.socialName?.trim() || sage.code || sage.id,
    siren,
    siret,
    vatNumber: sage.vatNumber?.trim() || null,
    emails,
    billingAddress,
    paymentTerms: paymentTermsOf(sage.paymentTermLines),
    externalReference: sage.code === null ? null : toExternalReferenceIfOurs(sage.code),
  };
}

/** A customer code is ours only when it is one of our compact forms (references.ts). */
function toExternalReferenceIfOurs(code: string): string | null {
  const expanded = fromSageReference(code);
  return expanded !== null && expanded !== code ? expanded : null;
}

// ---------------------------------------------------------------------------------------
// Invoices

export interface InvoiceContext {
  /** The organization's currency (EUR in France). */
  readonly currency: string;
  readonly now: Date;
  /** Tax group id -> its rate in basis points, to name zero-charged intra-EU lines. */
  readonly groupRates: ReadonlyMap<string, number>;
}

function cents(value: string | null): Cents {
  return value === null ? 0 : parseCents(value);
}

export function isDraftStatus(status: string | null): boolean {
  return status !== null && DRAFT_STATUSES.has(status.toLowerCase());
}

function openItemOwedCents(item: SageOpenItem): Cents {
  return cents(item.amount) - cents(item.paidAmountAccumulated);
}

/** Paid and remaining from the open items; before posting there are none (reference §5.3). */
export function receivableOf(sage: SageInvoice): { paidCents: Cents; remainingCents: Cents } {
  const grossCents = cents(sage.totalLiquid);
  const items = sage.openItems ?? [];
  if (items.length > 0) {
    return {
      paidCents: sumCents(items.map((item) => cents(item.paidAmountAccumulated))),
      remainingCents: sumCents(items.map(openItemOwedCents)),
    };
  }
  if (sage.status === "Collected") return { paidCents: grossCents, remainingCents: 0 };
  return { paidCents: 0, remainingCents: grossCents };
}

function dueDateOf(sage: SageInvoice, issueDate: CalendarDate): CalendarDate {
  const owed = (sage.openItems ?? [])
    .filter((item) => item.dueDate !== null && openItemOwedCents(item) > 0)
    .map((item) => item.dueDate as CalendarDate)
    .sort();
  return owed[0] ?? sage.firstDueDate ?? issueDate;
}

function issueDateOf(sage: SageInvoice): CalendarDate {
  if (sage.documentDate) return sage.documentDate;
  if (sage.creationDate) return parisDateOf(new Date(sage.creationDate));
  throw invalid("A Sage Active invoice came without a date.", { invoiceId: sage.id });
}

function toLine(line: SageInvoiceLine, sage: SageInvoice, context: InvoiceContext): InvoiceLine {
  const chargedBasisPoints =
    line.vatPercentage === null ? 0 : percentageToBasisPoints(line.vatPercentage);
  if (chargedBasisPoints === null) {
    throw invalid("A Sage Active invoice line has a VAT rate France does not have.", {
      invoiceId: sage.id,
      vatPercentage: line.vatPercentage,
    });
  }
  const groupId = line.product?.taxGroupId ?? null;
  const vatCode = vatCodeOfSageLine({
    chargedBasisPoints,
    productCode: line.productCode ?? line.product?.code ?? null,
    groupBasisPoints: groupId === null ? null : (context.groupRates.get(groupId) ?? null),
    situation: customerSituation(sage.countryAcronym, sage.vatNumber),
  });
  const discount = line.firstDiscount;
  return {
    label: line.productName ?? line.productCode ?? "",
    quantity: line.totalQuantity ?? "0",
    unitPriceExclTax: line.unitPrice ?? "0",
    vatCode,
    discountPercent: discount === null || /^-?0(\.0+)?$/.test(discount) ? null : discount,
    netCents: cents(line.totalNet),
    vatCents: cents(line.totalVat),
    grossCents: cents(line.totalLiquid),
  };
}

/** Whether reading the lines needs the tax-group rates (a zero-charged intra-EU line). */
export function needsGroupRates(sage: SageInvoice): boolean {
  if (customerSituation(sage.countryAcronym, sage.vatNumber) !== "intra_eu") return false;
  return (sage.lines ?? []).some(
    (line) => line.vatPercentage === null || percentageToBasisPoints(line.vatPercentage) === 0,
  );
}

export function toInvoice(
  sage: SageInvoice,
  payments: readonly Payment[],
  context: InvoiceContext,
): Invoice {
  if (!sage.customerId) {
    throw invalid("A Sage Active invoice came without its customer.", { invoiceId: sage.id });
  }
  const issueDate = issueDateOf(sage);
  const dueDate = dueDateOf(sage, issueDate);
  if (!isCalendarDate(dueDate)) {
    throw invalid("A Sage Active invoice has an unreadable due date.", { invoiceId: sage.id });
  }
  const grossCents = cents(sage.totalLiquid);
  const { paidCents, remainingCents } = receivableOf(sage);
  const isDraft = isDraftStatus(sage.status);
  const isCreditNote = sage.type === "CREDIT_NOTE";
  const { status, daysLate } = deriveInvoiceStatus(
    { isDraft, isCancelled: false, isCreditNote, grossCents, remainingCents, dueDate },
    parisDateOf(context.now),
  );
  const lines = [...(sage.lines ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  return {
    provider: "sage_active",
    id: sage.id,
    number: sage.operationalNumber || null,
    customerId: sage.customerId,
    customerName: sage.socialName ?? "",
    issueDate,
    dueDate,
    currency: context.currency,
    netCents: cents(sage.totalNet),
    vatCents: cents(sage.totalVat),
    grossCents,
    paidCents,
    remainingCents,
    status,
    daysLate,
    isDraft,
    isCreditNote,
    isCancelled: false,
    providerStatus: sage.status ?? "Unknown",
    lines: lines.map((line) => toLine(line, sage, context)),
    payments: [...payments],
    externalReference: fromSageReference(sage.externalReference),
    // Sage Active has no documented deep link to an invoice.
    webUrl: null,
    updatedAt: sage.modificationDate ?? sage.creationDate ?? context.now.toISOString(),
  };
}
