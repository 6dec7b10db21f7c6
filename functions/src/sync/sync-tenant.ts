/**
 * One sync of one tenant, the job queue's `sync` handler and `encaisse sync`:
 *
 * 1. the change cursor, taken first on a new connection ("from now"), so that whatever
 *    changes while the backfill reads the book is applied after it;
 * 2. the backfill (customers, then invoices), on a new connection (or after the provider forgot our change cursor);
 * 3. every change since the cursor;
 * 4. the links between HubSpot companies and customers that strong identifiers make certain;
 * 5. the HubSpot values of the customers and deals those touched (all of them once a day).
 *
 * Each step saves where it got to as it goes (see sync-state.ts): a crash, a timeout or a
 * shutdown loses no work and repeats none, and the next run picks up where this one stopped.
 */
import { DomainError, type Provider, parisDateOf } from "@encaisse/shared";
import type { Backend } from "../backend";
import { backfill } from "./backfill";
import { backfillCustomers } from "./backfill-customers";
import { applyChanges } from "./changes";
import { type SyncCounters, type SyncProgress, type SyncRun, emptyCounters } from "./run";
import {
  BACKFILL_COMPLETE,
  SYNC_STREAMS,
  readRollupState,
  saveRollupState,
  withPending,
} from "./sync-state";
import { linkCompanies } from "./link-companies";
import { writeRollups } from "./write-back";

export type { SyncProgress } from "./run";

export interface SyncOptions {
  /** Stops the run between two pages; everything done so far is kept. */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: SyncProgress) => void;
  /** Records per provider page (tests and tuning); each step has its own default. */
  readonly pageSize?: number;
}

export interface SyncReport extends SyncCounters {
  readonly tenantId: string;
  /** Null when the tenant has no accounting connection: nothing was done. */
  readonly provider: Provider | null;
  /** True when this run read the whole book (first connection, or a forgotten cursor). */
  readonly backfilled: boolean;
  readonly durationMs: number;
}

/** Codes saying the provider no longer knows our change cursor: read the book again. */
const CURSOR_LOST = new Set(["PROVIDER_CHANGES_EXPIRED", "SYNC_CURSOR_INVALID"]);

export async function syncTenant(
  backend: Backend,
  tenantId: string,
  options: SyncOptions = {},
): Promise<SyncReport> {
  const startedAt = backend.clock.now();
  const tenant = await backend.tenant(tenantId);
  const provider = await backend.provider(tenant);
  const counters = emptyCounters();
  if (provider === null) {
    return { tenantId, provider: null, backfilled: false, durationMs: 0, ...counters };
  }
  const name = provider.provider;
  const cursors = backend.repos.cursors;
  const crm = backend.crm(tenantId);
  const run: SyncRun = {
    backend,
    db: backend.store.db,
    tenantId,
    provider,
    signal: options.signal,
    pageSize: options.pageSize,
    counters,
    rollups: readRollupState(
      (await cursors.get(tenantId, name, SYNC_STREAMS.rollups))?.cursor ?? null,
    ),
    progress: (progress) => options.onProgress?.(progress),
  };

  let stream: string = SYNC_STREAMS.changes;
  let backfilled = false;
  /** Steps 1 and 2: the change cursor, then the book if it has not been read yet. */
  const startingPoint = async (): Promise<string> => {
    stream = SYNC_STREAMS.changes;
    let cursor = (await cursors.get(tenantId, name, SYNC_STREAMS.changes))?.cursor ?? null;
    if (cursor === null) {
      cursor = (await provider.listChanges(null)).cursor;
      await cursors.save(tenantId, name, SYNC_STREAMS.changes, { cursor });
    }
    // Customers first: linking needs them, and Pennylane's invoices need their names.
    stream = SYNC_STREAMS.customers;
    await backfillCustomers(run);
    stream = SYNC_STREAMS.backfill;
    const listed = (await cursors.get(tenantId, name, SYNC_STREAMS.backfill))?.cursor;
    if (listed !== BACKFILL_COMPLETE) {
      // A new connection: the properties must exist before the first write.
      await crm.ensureEncaisseProperties();
      await backfill(run);
      backfilled = true;
    }
    stream = SYNC_STREAMS.changes;
    return cursor;
  };

  try {
    const cursor = await startingPoint();
    try {
      await applyChanges(run, cursor);
    } catch (error) {
      if (!(error instanceof DomainError && CURSOR_LOST.has(error.code))) throw error;
      backend.logger.warn("sync cursor lost, reading the whole book again", {
        tenantId,
        provider: name,
        code: error.code,
      });
      await cursors.reset(tenantId, name);
      run.rollups = withPending(run.rollups, { all: true });
      await saveRollupState(cursors, tenantId, name, run.rollups);
      await applyChanges(run, await startingPoint());
    }
    const today = parisDateOf(new Date(backend.clock.now()));
    stream = SYNC_STREAMS.links;
    await linkCompanies(run, crm, today);
    stream = SYNC_STREAMS.rollups;
    await writeRollups(run, crm, today);
  } catch (error) {
    if (!options.signal?.aborted) {
      const failure =
        error instanceof DomainError
          ? { code: error.code, message: error.message }
          : { code: "INTERNAL", message: "The sync stopped on an unexpected error." };
      await cursors.recordError(tenantId, name, stream, failure).catch(() => undefined);
      backend.logger.error("sync failed", { tenantId, provider: name, stream, code: failure.code });
    }
    throw error;
  }

  const report: SyncReport = {
    tenantId,
    provider: name,
    backfilled,
    durationMs: backend.clock.now() - startedAt,
    ...counters,
  };
  backend.logger.info("sync done", {
    tenantId,
    provider: name,
    backfilled,
    changes: counters.changesApplied,
    hubspotWriteCalls: counters.hubspotWriteCalls,
    durationMs: report.durationMs,
  });
  return report;
}
