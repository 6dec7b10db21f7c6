/**
 * Putting invoices read from the provider into the read model, with their payments.
 *
 * Lists do not carry payments on every provider: an invoice whose paid amount moved since we
 * last stored it has its payments asked for, the others keep the ones we hold. Payments are
 * written before their invoice, so an invoice stored with its new paid amount always has its
 * new payments too, whatever interrupts the run (as in services/cards/refresh.ts).
 *
 * Every step returns what it touched, the customers and deals whose HubSpot values must be
 * recomputed, before it writes anything, so the caller can record that first.
 */
import type { Invoice, Provider } from "@encaisse/shared";
import type { AccountingProvider } from "../providers/provider";
import type { InvoicePayment, Repositories, StoreDb } from "../store";
import { type KnownInvoice, knownInvoices } from "./read-model-queries";
import { dealIdOf } from "./rollup-properties";

/** Payment lookups in flight at once; the provider's throttle still paces them. */
const PAYMENT_LOOKUPS_AT_ONCE = 4;

export interface Touched {
  readonly customers: Set<string>;
  readonly deals: Set<string>;
}

export const nothingTouched = (): Touched => ({ customers: new Set(), deals: new Set() });

function touch(touched: Touched, invoice: Pick<KnownInvoice, "customerId" | "externalReference">) {
  touched.customers.add(invoice.customerId);
  const dealId = dealIdOf(invoice.externalReference);
  if (dealId !== null) touched.deals.add(dealId);
}

export interface ApplyContext {
  readonly repos: Repositories;
  readonly db: StoreDb;
  readonly tenantId: string;
  readonly provider: AccountingProvider;
  /**
   * Stops a page's payment look-ups (a page can need a hundred: 20 s at Pennylane's limit)
   * when the run is asked to stop; nothing of the page is written yet, so it is read again.
   */
  readonly signal?: AbortSignal | undefined;
}

/** Invoices ready to store (payments complete), and what storing them touches. */
export interface PreparedInvoices {
  readonly invoices: readonly Invoice[];
  /** Invoices whose payments are unchanged: stored without touching their payments. */
  readonly keepPayments: readonly Invoice[];
  readonly touched: Touched;
  readonly paymentLookups: number;
}

/**
 * Reads what is missing (payments of the invoices whose paid amount moved) without writing:
 * `paymentsIncluded` says whether `invoices` already carry their complete payments.
 */
export async function prepareInvoices(
  context: ApplyContext,
  invoices: readonly Invoice[],
  paymentsIncluded: boolean,
): Promise<PreparedInvoices> {
  const name = context.provider.provider;
  const known = await knownInvoices(
    context.db,
    context.tenantId,
    name,
    invoices.map((invoice) => invoice.id),
  );
  const touched = nothingTouched();
  for (const invoice of invoices) {
    touch(touched, invoice);
    // An invoice that moved to another customer (or lost its deal) changes the old one too.
    const before = known.get(invoice.id);
    if (before !== undefined) touch(touched, before);
  }
  if (paymentsIncluded) {
    return { invoices, keepPayments: [], touched, paymentLookups: 0 };
  }
  const paidMoved = invoices.filter(
    (invoice) => (known.get(invoice.id)?.paidCents ?? 0) !== invoice.paidCents,
  );
  const moved = new Set(paidMoved.map((invoice) => invoice.id));
  const withPayments: Invoice[] = [];
  for (let start = 0; start < paidMoved.length; start += PAYMENT_LOOKUPS_AT_ONCE) {
    context.signal?.throwIfAborted();
    const batch = paidMoved.slice(start, start + PAYMENT_LOOKUPS_AT_ONCE);
    const payments = await Promise.all(
      batch.map((invoice) => context.provider.listInvoicePayments(invoice.id)),
    );
    batch.forEach((invoice, index) =>
      withPayments.push({ ...invoice, payments: [...(payments[index] ?? [])] }),
    );
  }
  // A new invoice with nothing paid has no payments: storing it "with" none is exact.
  const fresh = invoices.filter((invoice) => !moved.has(invoice.id) && !known.has(invoice.id));
  const keepPayments = invoices.filter(
    (invoice) => !moved.has(invoice.id) && known.has(invoice.id),
  );
  return {
    invoices: [...withPayments, ...fresh],
    keepPayments,
    touched,
    paymentLookups: paidMoved.length,
  };
}

export async function storePrepared(
  context: ApplyContext,
  prepared: PreparedInvoices,
): Promise<void> {
  const { repos, tenantId } = context;
  const name: Provider = context.provider.provider;
  if (prepared.invoices.length > 0) {
    const payments: InvoicePayment[] = prepared.invoices.flatMap((invoice) =>
      invoice.payments.map((payment) => ({ ...payment, invoiceId: invoice.id })),
    );
    await repos.readModel.replacePayments(
      tenantId,
      name,
      prepared.invoices.map((invoice) => invoice.id),
      payments,
    );
  }
  await repos.readModel.upsertInvoices(tenantId, [...prepared.invoices, ...prepared.keepPayments]);
}

/** What deleting these invoices touches (read before they are gone). */
export async function touchedByDeletes(
  context: ApplyContext,
  invoiceIds: readonly string[],
): Promise<{ readonly known: readonly KnownInvoice[]; readonly touched: Touched }> {
  const known = await knownInvoices(
    context.db,
    context.tenantId,
    context.provider.provider,
    invoiceIds,
  );
  const touched = nothingTouched();
  for (const invoice of known.values()) touch(touched, invoice);
  return { known: [...known.values()], touched };
}

export async function deleteInvoices(
  context: ApplyContext,
  invoices: readonly KnownInvoice[],
): Promise<void> {
  for (const invoice of invoices) {
    await context.repos.readModel.deleteInvoice(
      context.tenantId,
      context.provider.provider,
      invoice.id,
    );
  }
}
