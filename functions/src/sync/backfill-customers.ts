/**
 * The first sync's customer listing: every customer of the book into the read model, page by
 * page (the listing cursor saved after each, so a run cut short resumes at the next page).
 * Linking HubSpot companies needs them all (link-companies.ts); so do the names of the
 * invoices read next, which Pennylane gives by customer id only.
 */
import { type SyncRun, checkpoint } from "./run";
import { BACKFILL_COMPLETE, SYNC_STREAMS, loadLinkState, saveLinkState } from "./sync-state";

/** Customers asked per page (each provider caps it: Pennylane 100, Sage Active 500). */
const CUSTOMERS_PAGE_SIZE = 500;

export async function backfillCustomers(run: SyncRun): Promise<void> {
  const { backend, tenantId } = run;
  const name = run.provider.provider;
  const cursors = backend.repos.cursors;
  const saved = await cursors.get(tenantId, name, SYNC_STREAMS.customers);
  if (saved?.cursor === BACKFILL_COMPLETE) return;
  let cursor = saved?.cursor ?? null;
  do {
    checkpoint(run);
    const page = await run.provider.listCustomers({
      cursor,
      limit: run.pageSize ?? CUSTOMERS_PAGE_SIZE,
    });
    if (page.items.length > 0) await backend.repos.readModel.upsertCustomers(tenantId, page.items);
    run.counters.customersListed += page.items.length;
    cursor = page.nextCursor;
    await cursors.save(tenantId, name, SYNC_STREAMS.customers, {
      cursor: cursor ?? BACKFILL_COMPLETE,
    });
  } while (cursor !== null);
  // Every company may now find its customer.
  const links = await loadLinkState(cursors, tenantId, name);
  await saveLinkState(cursors, tenantId, name, { ...links, all: true });
}
