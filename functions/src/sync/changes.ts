/**
 * The incremental sync: what changed since the saved change cursor (Pennylane changelogs,
 * Sage Active modification dates), page by page. For each page: read the changed invoices in
 * full (with their payments, all in one provider call) and the changed customers, record which customers and deals
 * owe HubSpot a write, apply to the read model, then save the cursor. A run cut short
 * re-reads at most the page it was on, and applying a page twice leaves the same read model.
 */
import { type Customer, DomainError, type Invoice } from "@encaisse/shared";
import type { ChangedRecord } from "../providers/provider";
import {
  type ApplyContext,
  deleteInvoices,
  prepareInvoices,
  storePrepared,
  touchedByDeletes,
} from "./apply-invoices";
import { type SyncRun, checkpoint } from "./run";
import {
  SYNC_STREAMS,
  loadLinkState,
  saveLinkState,
  saveRollupState,
  withPending,
} from "./sync-state";

/** Changes asked per page. */
const CHANGES_PAGE_SIZE = 100;
/** Customers read at once; the provider's throttle still paces them. */
const READS_AT_ONCE = 4;

const isGone = (error: unknown) =>
  error instanceof DomainError &&
  (error.code === "PROVIDER_NOT_FOUND" || error.code === "PROVIDER_CUSTOMER_NOT_FOUND");

/** Reads one record, or null when the provider no longer has it (deleted since the change). */
async function unlessGone<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

async function inBatches<T, R>(items: readonly T[], read: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += READS_AT_ONCE) {
    results.push(...(await Promise.all(items.slice(start, start + READS_AT_ONCE).map(read))));
  }
  return results;
}

/** Applies every change since `cursor`; returns the cursor reached. */
export async function applyChanges(run: SyncRun, cursor: string): Promise<string> {
  const { backend, tenantId } = run;
  const name = run.provider.provider;
  const context: ApplyContext = {
    repos: backend.repos,
    db: run.db,
    tenantId,
    provider: run.provider,
    signal: run.signal,
  };
  let position = cursor;
  for (;;) {
    checkpoint(run);
    const page = await run.provider.listChanges(position, {
      limit: run.pageSize ?? CHANGES_PAGE_SIZE,
    });
    await applyPage(run, context, page.changes);
    await backend.repos.cursors.save(tenantId, name, SYNC_STREAMS.changes, {
      cursor: page.cursor,
    });
    position = page.cursor;
    run.counters.changesApplied += page.changes.length;
    run.progress({
      phase: "changes",
      done: run.counters.changesApplied,
      total: null,
      etaSeconds: null,
    });
    if (!page.hasMore) return position;
  }
}

async function applyPage(
  run: SyncRun,
  context: ApplyContext,
  changes: readonly ChangedRecord[],
): Promise<void> {
  if (changes.length === 0) return;
  const { tenantId } = run;
  const name = run.provider.provider;
  const readModel = run.backend.repos.readModel;

  const customerChanges = changes.filter((c) => c.kind === "customer");
  const customerIds = customerChanges.map((c) => c.id);
  const customers = await inBatches(customerChanges, (change) =>
    change.operation === "delete"
      ? Promise.resolve(null)
      : unlessGone(() => run.provider.getCustomer(change.id)),
  );
  const invoiceUpserts = changes
    .filter((c) => c.kind === "invoice" && c.operation === "upsert")
    .map((c) => c.id);
  // Read together: a provider shares what it can between them (Pennylane: the customers' names).
  const read =
    invoiceUpserts.length === 0
      ? new Map<string, Invoice>()
      : await run.provider.getInvoices(invoiceUpserts);
  const invoices = invoiceUpserts
    .map((id) => read.get(id))
    .filter((invoice): invoice is Invoice => invoice !== undefined);
  const goneIds = [
    ...invoiceUpserts.filter((id) => !read.has(id)),
    ...changes.filter((c) => c.kind === "invoice" && c.operation === "delete").map((c) => c.id),
  ];
  run.counters.invoicesFetched += invoices.length;

  const prepared = await prepareInvoices(context, invoices, true);
  const deletes = await touchedByDeletes(context, goneIds);
  run.rollups = withPending(run.rollups, {
    customers: [...prepared.touched.customers, ...deletes.touched.customers],
    deals: [...prepared.touched.deals, ...deletes.touched.deals],
  });
  await saveRollupState(run.backend.repos.cursors, tenantId, name, run.rollups);

  const present = customers.filter((customer): customer is Customer => customer !== null);
  if (present.length > 0) {
    // A new customer, or new identifiers, may find its HubSpot company (link-companies.ts).
    const links = await loadLinkState(run.backend.repos.cursors, tenantId, name);
    await saveLinkState(run.backend.repos.cursors, tenantId, name, {
      ...links,
      customers: [...new Set([...links.customers, ...present.map((c) => c.providerId)])],
    });
    await readModel.upsertCustomers(tenantId, present);
  }
  for (const [index, id] of customerIds.entries()) {
    if (customers[index] === null) await readModel.deleteCustomer(tenantId, name, id);
  }
  run.counters.customersUpdated += customerIds.length;
  await storePrepared(context, prepared);
  await deleteInvoices(context, deletes.known);
  run.counters.invoicesDeleted += deletes.known.length;
}
