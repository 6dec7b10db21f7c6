/**
 * Brings one customer's invoices and payments in the read model up to date with the
 * accounting provider: every page of the customer's invoices, the payments of the invoices
 * whose paid amount changed since we last looked (lists do not carry payments on every
 * provider), and the removal of invoices the provider no longer lists for this customer.
 *
 * Progress is saved as it goes, in an order that survives an interruption: an invoice's
 * payments are written before the invoice itself, so an invoice whose new paid amount is
 * stored always has its new payments too, and a refresh cut short is finished by the next.
 */
import type { Invoice, Provider } from "@encaisse/shared";
import type { Clock } from "../../net/clock";
import type { AccountingProvider } from "../../providers/provider";
import type { InvoicePayment, Repositories } from "../../store";

/** Invoices per provider page (providers cap it at their own maximum). */
const PAGE_SIZE = 100;
/** Payment lookups in flight at once; the provider's throttle still paces them. */
const PAYMENT_LOOKUPS_AT_ONCE = 4;

export interface CustomerRefreshInput {
  readonly repos: Repositories;
  readonly provider: AccountingProvider;
  readonly tenantId: string;
  readonly customerId: string;
  readonly clock: Clock;
}

export interface CustomerRefreshReport {
  /** When the read model matched the provider: the moment the refresh started. */
  readonly syncedAt: Date;
  readonly invoices: number;
  /** Invoices whose payments were asked of the provider. */
  readonly paymentLookups: number;
  /** Invoices dropped because the provider no longer lists them for this customer. */
  readonly removed: number;
}

export async function refreshCustomer(input: CustomerRefreshInput): Promise<CustomerRefreshReport> {
  const { repos, provider, tenantId, customerId } = input;
  const syncedAt = new Date(input.clock.now());
  const name = provider.provider;

  if ((await repos.readModel.getCustomer(tenantId, name, customerId)) === null) {
    await repos.readModel.upsertCustomers(tenantId, [await provider.getCustomer(customerId)]);
  }

  const known = await repos.readModel.allCustomerInvoices(tenantId, name, customerId);
  const knownById = new Map(known.map((invoice) => [invoice.id, invoice]));
  // Rewriting what has not changed would only cost the database: most refreshes change little.
  const changedSinceKnown = (withPayments: boolean) => (invoice: Invoice) => {
    const stored = knownById.get(invoice.id);
    return (
      stored === undefined ||
      storedFactsOf(stored, withPayments) !== storedFactsOf(invoice, withPayments)
    );
  };
  const listed = new Set<string>();
  let paymentLookups = 0;
  let cursor: string | null = null;
  do {
    const page = await provider.listCustomerInvoices(customerId, { cursor, limit: PAGE_SIZE });
    for (const invoice of page.items) listed.add(invoice.id);
    if (page.paymentsIncluded) {
      await storeWithPayments(repos, tenantId, name, page.items.filter(changedSinceKnown(true)));
    } else {
      // A new invoice with nothing paid has no payment to look up.
      const paidChanged = page.items.filter(
        (invoice) => (knownById.get(invoice.id)?.paidCents ?? 0) !== invoice.paidCents,
      );
      const toLookUp = new Set(paidChanged);
      const samePaid = page.items.filter((invoice) => !toLookUp.has(invoice));
      await repos.readModel.upsertInvoices(tenantId, samePaid.filter(changedSinceKnown(false)));
      for (let start = 0; start < paidChanged.length; start += PAYMENT_LOOKUPS_AT_ONCE) {
        const batch = paidChanged.slice(start, start + PAYMENT_LOOKUPS_AT_ONCE);
        const payments = await Promise.all(
          batch.map((invoice) => provider.listInvoicePayments(invoice.id)),
        );
        paymentLookups += batch.length;
        await storeWithPayments(
          repos,
          tenantId,
          name,
          batch.map((invoice, index) => ({ ...invoice, payments: [...(payments[index] ?? [])] })),
        );
      }
    }
    cursor = page.nextCursor;
  } while (cursor !== null);

  // Only a complete listing proves an invoice is gone (deleted draft, moved to another customer).
  const gone = known.filter((invoice) => !listed.has(invoice.id));
  for (const invoice of gone) await repos.readModel.deleteInvoice(tenantId, name, invoice.id);

  await repos.readModel.markFresh(tenantId, name, customerId, syncedAt);
  return { syncedAt, invoices: listed.size, paymentLookups, removed: gone.length };
}

/** What the read model keeps of an invoice (with its payments or not), as one comparable string. */
function storedFactsOf(invoice: Invoice, withPayments: boolean): string {
  return JSON.stringify([
    invoice.customerId,
    invoice.customerName,
    invoice.number,
    invoice.issueDate,
    invoice.dueDate,
    invoice.currency,
    invoice.netCents,
    invoice.vatCents,
    invoice.grossCents,
    invoice.paidCents,
    invoice.remainingCents,
    invoice.providerStatus,
    invoice.isDraft,
    invoice.isCreditNote,
    invoice.isCancelled,
    invoice.externalReference,
    invoice.webUrl,
    invoice.lines,
    withPayments ? invoice.payments : null,
    new Date(invoice.updatedAt).toISOString(),
  ]);
}

/** Payments first, then the invoices: see the file comment. */
async function storeWithPayments(
  repos: Repositories,
  tenantId: string,
  provider: Provider,
  invoices: readonly Invoice[],
): Promise<void> {
  if (invoices.length === 0) return;
  const payments: InvoicePayment[] = invoices.flatMap((invoice) =>
    invoice.payments.map((payment) => ({ ...payment, invoiceId: invoice.id })),
  );
  await repos.readModel.replacePayments(
    tenantId,
    provider,
    invoices.map((invoice) => invoice.id),
    payments,
  );
  await repos.readModel.upsertInvoices(tenantId, invoices);
}
