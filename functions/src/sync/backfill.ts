/**
 * The first sync of a connection: the whole book, page by page, oldest first. Only one page
 * is ever held in memory; after each page is stored, the listing cursor and the records done
 * (and the total, where the provider counts) are saved, so a run cut short resumes at the
 * next page and the settings page and the CLI show how far it got.
 *
 * When the listing is complete, invoices the read model holds but the listing did not return
 * are gone from the provider (deleted while we were away): they are removed.
 */
import {
  type ApplyContext,
  deleteInvoices,
  prepareInvoices,
  storePrepared,
} from "./apply-invoices";
import { invoicesNotSeenSince } from "./read-model-queries";
import { dealIdOf } from "./rollup-properties";
import { type SyncRun, checkpoint, etaSeconds } from "./run";
import { BACKFILL_COMPLETE, SYNC_STREAMS, saveRollupState, withPending } from "./sync-state";

/** Invoices asked per page (each provider caps it: Pennylane 100, Sage Active 500). */
const BACKFILL_PAGE_SIZE = 500;

export async function backfill(run: SyncRun): Promise<void> {
  const { backend, tenantId } = run;
  const name = run.provider.provider;
  const cursors = backend.repos.cursors;
  const saved = await cursors.get(tenantId, name, SYNC_STREAMS.backfill);
  if (saved?.cursor === BACKFILL_COMPLETE) return;

  // Every company's rollups are rewritten after a backfill: say so before changing anything.
  if (!run.rollups.all) {
    run.rollups = withPending(run.rollups, { all: true });
    await saveRollupState(cursors, tenantId, name, run.rollups);
  }
  if (saved === null) {
    // The row's creation time marks the start of the pass (see `sweepUnseen`).
    await cursors.save(tenantId, name, SYNC_STREAMS.backfill, {
      cursor: null,
      backfillDone: 0,
      backfillTotal: null,
    });
  }
  const startedAt = (await cursors.get(tenantId, name, SYNC_STREAMS.backfill))?.startedAt;
  const context: ApplyContext = {
    repos: backend.repos,
    db: run.db,
    tenantId,
    provider: run.provider,
    signal: run.signal,
  };
  const runStartedMs = backend.clock.now();
  let cursor = saved?.cursor ?? null;
  let done = saved?.backfillDone ?? 0;
  let total = saved?.backfillTotal ?? null;
  let doneThisRun = 0;
  do {
    checkpoint(run);
    const page = await run.provider.listInvoices({
      cursor,
      limit: run.pageSize ?? BACKFILL_PAGE_SIZE,
    });
    const prepared = await prepareInvoices(context, page.items, page.paymentsIncluded);
    await storePrepared(context, prepared);
    run.counters.backfillInvoices += page.items.length;
    run.counters.paymentLookups += prepared.paymentLookups;
    done += page.items.length;
    doneThisRun += page.items.length;
    total = page.total ?? total;
    cursor = page.nextCursor;
    // The total is known for certain once the listing ends.
    if (cursor === null) total = done;
    await cursors.save(tenantId, name, SYNC_STREAMS.backfill, {
      cursor: cursor ?? BACKFILL_COMPLETE,
      backfillDone: done,
      backfillTotal: total,
    });
    run.progress({
      phase: "backfill",
      done,
      total,
      etaSeconds: etaSeconds(
        runStartedMs,
        backend.clock.now(),
        doneThisRun,
        total === null ? null : total - done,
      ),
    });
  } while (cursor !== null);

  if (startedAt !== undefined) await sweepUnseen(run, context, startedAt);
}

/**
 * Every invoice the listing returned was stored again (its `syncedAt` moved past the start of
 * the pass); what was not is no longer in the provider.
 */
async function sweepUnseen(run: SyncRun, context: ApplyContext, since: Date): Promise<void> {
  const gone = await invoicesNotSeenSince(run.db, run.tenantId, run.provider.provider, since);
  if (gone.length === 0) return;
  run.rollups = withPending(run.rollups, {
    deals: gone
      .map((invoice) => dealIdOf(invoice.externalReference))
      .filter((id): id is string => id !== null),
  });
  await saveRollupState(
    run.backend.repos.cursors,
    run.tenantId,
    run.provider.provider,
    run.rollups,
  );
  await deleteInvoices(context, gone);
  run.counters.invoicesDeleted += gone.length;
}
