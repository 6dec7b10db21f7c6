/**
 * What Encaisse writes to HubSpot, as property values: the receivables rollups of a customer
 * on its company, and the state of the invoice a deal produced on that deal. The figures are
 * the card's (`summarizeReceivables` over the customer's invoices in their main currency), so
 * a list built on these properties never disagrees with the card a rep opens.
 *
 * HubSpot formats: numbers are plain decimal strings ("1234.50", never a float), dates are
 * midnight UTC in epoch milliseconds, and an empty string clears a value (kept as null here,
 * which is how the store remembers "cleared").
 */
import {
  type CalendarDate,
  type Invoice,
  centsToDecimalString,
  minorUnitDigits,
  summarizeReceivables,
} from "@encaisse/shared";
import { ENCAISSE_COMPANY_PROPERTIES, ENCAISSE_DEAL_PROPERTIES } from "../hubspot/properties";
import { dealPropertiesOf } from "../services/invoicing/deal-write-back";

/** One property of one record: null clears it. */
export type PropertyValues = Readonly<Record<string, string | null>>;

/** Invoices are in euros unless the provider says otherwise (as on the card). */
const DEFAULT_CURRENCY = "EUR";

/** A calendar date as HubSpot stores a date property: midnight UTC, epoch milliseconds. */
export function hubspotDateValue(date: CalendarDate): string {
  return String(Date.parse(`${date}T00:00:00.000Z`));
}

/** The currency the rollups add up: that of the customer's most recent invoice. */
function mainCurrency(invoices: readonly Invoice[]): string {
  const latest = [...invoices].sort(
    (a, b) => b.issueDate.localeCompare(a.issueDate) || a.id.localeCompare(b.id),
  )[0];
  return latest?.currency ?? DEFAULT_CURRENCY;
}

/**
 * The company properties of a customer with these invoices (statuses derived for `today`).
 * Credit notes never count as money owed nor as payments received (analytics excludes
 * them); a credit note applied to an invoice shows through that invoice's lower remaining.
 */
export function companyPropertiesOf(
  invoices: readonly Invoice[],
  today: CalendarDate,
): PropertyValues {
  const currency = mainCurrency(invoices);
  const digits = minorUnitDigits(currency);
  const summary = summarizeReceivables(
    invoices.filter((invoice) => invoice.currency === currency),
    today,
  );
  const p = ENCAISSE_COMPANY_PROPERTIES;
  return {
    [p.outstandingAmount.name]: centsToDecimalString(summary.outstandingCents, digits),
    [p.overdueAmount.name]: centsToDecimalString(summary.overdueCents, digits),
    // "Empty when nothing is overdue", as the property's description promises.
    [p.oldestOverdueDays.name]:
      summary.overdueInvoiceCount === 0 ? null : String(summary.oldestOverdueDays),
    [p.lastPaymentDate.name]:
      summary.lastPaymentDate === null ? null : hubspotDateValue(summary.lastPaymentDate),
    [p.averagePaymentDelayDays.name]:
      summary.averagePaymentDelayDays === null ? null : String(summary.averagePaymentDelayDays),
    [p.paymentRisk.name]: summary.paymentRisk,
  };
}

/** The date money last came in on a paid invoice; null while anything remains. */
function paidDateOf(invoice: Invoice): CalendarDate | null {
  if (invoice.status !== "paid") return null;
  const dates = invoice.payments.map((payment) => payment.date).sort();
  return dates.at(-1) ?? null;
}

/**
 * The deal properties of the invoice created from that deal. What the invoice does not have
 * (a draft's number, a web address) is left as it is on the deal rather than blanked, like
 * the write at creation time does.
 */
export function dealPropertiesFor(invoice: Invoice): PropertyValues {
  const paidDate = paidDateOf(invoice);
  return {
    ...dealPropertiesOf(invoice),
    [ENCAISSE_DEAL_PROPERTIES.paidDate.name]: paidDate === null ? null : hubspotDateValue(paidDate),
  };
}

/** The deal of an invoice we created from a deal, from our reference `hubspot-deal-<id>`. */
export function dealIdOf(externalReference: string | null): string | null {
  const match = /^hubspot-deal-(\d{1,20})$/.exec(externalReference ?? "");
  return match?.[1] ?? null;
}

/** Every deal property the sync owns, cleared: the deal's invoice was deleted. */
export function clearedDealProperties(): PropertyValues {
  return Object.fromEntries(
    Object.values(ENCAISSE_DEAL_PROPERTIES).map((property) => [property.name, null]),
  );
}
