/**
 * What the settings page shows about the accounting connections and the sync, from our own
 * records only (no provider call: opening the settings must not cost an API request).
 *
 * A connection is `error` when its credentials no longer decrypt or when its sync stopped
 * on an error (a revoked token shows up there first); the sync is `queued` between the
 * connection and its first run, `running` while a backfill moves, `failed` when a stream
 * stopped on an error.
 */
import type { z } from "zod";
import { DomainError, type Provider } from "@encaisse/shared";
import { type connectionSchema, syncStatusResponseSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import { PROVIDERS } from "../../store/schema";
import type { SyncCursor, Tenant } from "../../store";
import { lastConnectionRecord } from "./connection-records";

export type Connection = z.infer<typeof connectionSchema>;
export type SyncStatus = z.infer<typeof syncStatusResponseSchema>;

/** A backfill whose cursors moved this recently is still going. */
export const RUNNING_WINDOW_MS = 5 * 60_000;

type ErrorSummary = { code: string; message: string };

function newestError(cursors: readonly SyncCursor[]): ErrorSummary | null {
  const failed = cursors
    .filter((cursor) => cursor.lastError !== null)
    .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime());
  return failed[0]?.lastError ?? null;
}

function lastSuccessAt(cursors: readonly SyncCursor[]): Date | null {
  const times = cursors
    .filter((cursor) => cursor.lastError === null && cursor.cursor !== null)
    .map((cursor) => cursor.updatedAt.getTime());
  return times.length === 0 ? null : new Date(Math.max(...times));
}

export async function describeConnection(
  backend: Backend,
  tenant: Tenant,
  provider: Provider,
): Promise<Connection> {
  const { tenantId } = tenant;
  const [summaries, cursors] = await Promise.all([
    backend.repos.credentials.list(tenantId),
    backend.repos.cursors.list(tenantId),
  ]);
  const summary = summaries.find((candidate) => candidate.kind === provider);
  if (!summary) {
    return {
      provider,
      status: "disconnected",
      method: null,
      companyName: null,
      connectedAt: null,
      lastSyncAt: null,
      lastError: null,
    };
  }
  const own = cursors.filter((cursor) => cursor.provider === provider);
  let lastError = newestError(own);
  try {
    await backend.repos.credentials.load(tenantId, provider);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    lastError = { code: error.code, message: error.message };
  }
  const record = await lastConnectionRecord(backend, tenantId, provider);
  const synced = lastSuccessAt(own);
  return {
    provider,
    status: lastError === null ? "connected" : "error",
    method: summary.method,
    companyName: record?.companyName ?? null,
    connectedAt: (record?.connectedAt ?? summary.updatedAt).toISOString(),
    lastSyncAt: synced?.toISOString() ?? null,
    lastError,
  };
}

export function describeConnections(backend: Backend, tenant: Tenant): Promise<Connection[]> {
  return Promise.all(PROVIDERS.map((provider) => describeConnection(backend, tenant, provider)));
}

function backfillOf(cursors: readonly SyncCursor[]): SyncStatus["backfill"] {
  const streams = cursors.filter(
    (cursor) => cursor.backfillTotal !== null || cursor.backfillDone > 0,
  );
  if (streams.length === 0) return null;
  const everyTotalKnown = streams.every((cursor) => cursor.backfillTotal !== null);
  const total = everyTotalKnown
    ? streams.reduce((sum, cursor) => sum + (cursor.backfillTotal ?? 0), 0)
    : null;
  const done = streams.reduce(
    (sum, cursor) => sum + Math.min(cursor.backfillDone, cursor.backfillTotal ?? Infinity),
    0,
  );
  let etaSeconds: number | null = null;
  if (total !== null && done >= total) etaSeconds = 0;
  else if (total !== null && done > 0) {
    const startedMs = Math.min(...streams.map((cursor) => cursor.startedAt.getTime()));
    const movedMs = Math.max(...streams.map((cursor) => cursor.updatedAt.getTime()));
    const elapsedSeconds = (movedMs - startedMs) / 1000;
    if (elapsedSeconds > 0) etaSeconds = Math.ceil(((total - done) * elapsedSeconds) / done);
  }
  return { done, total, etaSeconds };
}

export async function describeSyncStatus(backend: Backend, tenant: Tenant): Promise<SyncStatus> {
  const provider = tenant.activeProvider;
  if (provider === null) {
    return { state: "idle", backfill: null, lastRunAt: null, lastError: null };
  }
  const cursors = (await backend.repos.cursors.list(tenant.tenantId)).filter(
    (cursor) => cursor.provider === provider,
  );
  if (cursors.length === 0) {
    return { state: "queued", backfill: null, lastRunAt: null, lastError: null };
  }
  const lastError = newestError(cursors);
  const backfill = backfillOf(cursors);
  const lastRunMs = Math.max(...cursors.map((cursor) => cursor.updatedAt.getTime()));
  const backfillMoving =
    backfill !== null &&
    // A provider that does not count its book leaves the total unknown until the end.
    (backfill.total === null || backfill.done < backfill.total) &&
    backend.clock.now() - lastRunMs < RUNNING_WINDOW_MS;
  return syncStatusResponseSchema.parse({
    state: lastError !== null ? "failed" : backfillMoving ? "running" : "idle",
    backfill,
    lastRunAt: new Date(lastRunMs).toISOString(),
    lastError,
  });
}
