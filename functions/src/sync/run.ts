/**
 * One sync run of one tenant: what every step needs, what it reports as it goes, and the
 * counters that end up in the run's report.
 */
import type { Backend } from "../backend";
import type { AccountingProvider } from "../providers/provider";
import type { StoreDb } from "../store";
import type { RollupState } from "./sync-state";

export type SyncPhase = "backfill" | "changes" | "hubspot";

export interface SyncProgress {
  readonly phase: SyncPhase;
  /** Invoices read (backfill), changes applied (changes) or companies and deals computed (hubspot). */
  readonly done: number;
  /** Null while unknown (a provider that does not count its book). */
  readonly total: number | null;
  readonly etaSeconds: number | null;
}

export interface SyncCounters {
  backfillInvoices: number;
  /** Customers stored by the customer listing (first sync). */
  customersListed: number;
  /** HubSpot companies linked to their customer by this run (strong identifiers only). */
  companiesLinked: number;
  /** HubSpot companies read to find their customers, and the calls it took. */
  companiesScanned: number;
  hubspotReadCalls: number;
  changesApplied: number;
  invoicesFetched: number;
  invoicesDeleted: number;
  customersUpdated: number;
  paymentLookups: number;
  companiesComputed: number;
  dealsComputed: number;
  companyValuesWritten: number;
  dealValuesWritten: number;
  companiesWritten: number;
  dealsWritten: number;
  hubspotWriteCalls: number;
  /** HubSpot records that refused their values (deleted meanwhile): ids only. */
  hubspotFailedIds: string[];
}

export const emptyCounters = (): SyncCounters => ({
  backfillInvoices: 0,
  customersListed: 0,
  companiesLinked: 0,
  companiesScanned: 0,
  hubspotReadCalls: 0,
  changesApplied: 0,
  invoicesFetched: 0,
  invoicesDeleted: 0,
  customersUpdated: 0,
  paymentLookups: 0,
  companiesComputed: 0,
  dealsComputed: 0,
  companyValuesWritten: 0,
  dealValuesWritten: 0,
  companiesWritten: 0,
  dealsWritten: 0,
  hubspotWriteCalls: 0,
  hubspotFailedIds: [],
});

export interface SyncRun {
  readonly backend: Backend;
  readonly db: StoreDb;
  readonly tenantId: string;
  readonly provider: AccountingProvider;
  readonly signal: AbortSignal | undefined;
  /** Records asked per provider page; each step's default when undefined. */
  readonly pageSize: number | undefined;
  readonly counters: SyncCounters;
  /** The customers and deals owing HubSpot a write; saved before the read model changes. */
  rollups: RollupState;
  progress(progress: SyncProgress): void;
}

/** Stops between two pages when the run was asked to (shutdown, a job's time limit). */
export function checkpoint(run: SyncRun): void {
  run.signal?.throwIfAborted();
}

/** Seconds left at the pace of this run so far; null until something moved or with no total. */
export function etaSeconds(
  startedAtMs: number,
  nowMs: number,
  doneThisRun: number,
  remaining: number | null,
): number | null {
  if (remaining === null) return null;
  if (remaining <= 0) return 0;
  if (doneThisRun <= 0) return null;
  return Math.ceil(((nowMs - startedAtMs) / 1000 / doneThisRun) * remaining);
}
