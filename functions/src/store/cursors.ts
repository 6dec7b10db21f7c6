/**
 * Sync cursors: where each tenant's incremental sync of each stream (invoices, customers,
 * changelogs…) resumes, how far the first backfill got, and the last error to show.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Provider } from "@encaisse/shared";
import { type Clock, systemClock } from "../net/clock";
import type { StoreDb } from "./open";
import { syncCursors } from "./schema";

export interface SyncCursor {
  readonly provider: Provider;
  readonly stream: string;
  /** Null until the first page has been applied. */
  readonly cursor: string | null;
  readonly backfillDone: number;
  readonly backfillTotal: number | null;
  readonly startedAt: Date;
  readonly updatedAt: Date;
  readonly lastError: { readonly code: string; readonly message: string } | null;
}

export interface CursorProgress {
  readonly cursor: string | null;
  readonly backfillDone?: number;
  readonly backfillTotal?: number | null;
}

type CursorRow = typeof syncCursors.$inferSelect;

function toCursor(row: CursorRow): SyncCursor {
  return {
    provider: row.provider,
    stream: row.stream,
    cursor: row.cursor,
    backfillDone: row.backfillDone,
    backfillTotal: row.backfillTotal,
    startedAt: row.startedAt,
    updatedAt: row.updatedAt,
    lastError:
      row.lastErrorCode === null
        ? null
        : { code: row.lastErrorCode, message: row.lastErrorMessage ?? "" },
  };
}

export class CursorRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  async get(tenantId: string, provider: Provider, stream: string): Promise<SyncCursor | null> {
    const [row] = await this.db
      .select()
      .from(syncCursors)
      .where(this.key(tenantId, provider, stream));
    return row ? toCursor(row) : null;
  }

  async list(tenantId: string): Promise<SyncCursor[]> {
    const rows = await this.db
      .select()
      .from(syncCursors)
      .where(eq(syncCursors.tenantId, tenantId))
      .orderBy(asc(syncCursors.provider), asc(syncCursors.stream));
    return rows.map(toCursor);
  }

  /** Saves progress once a page is applied; clears the last error. */
  async save(
    tenantId: string,
    provider: Provider,
    stream: string,
    progress: CursorProgress,
  ): Promise<void> {
    const now = new Date(this.clock.now());
    const changes = {
      cursor: progress.cursor,
      ...(progress.backfillDone === undefined ? {} : { backfillDone: progress.backfillDone }),
      ...(progress.backfillTotal === undefined ? {} : { backfillTotal: progress.backfillTotal }),
      updatedAt: now,
      lastErrorCode: null,
      lastErrorMessage: null,
    };
    await this.db
      .insert(syncCursors)
      .values({ tenantId, provider, stream, startedAt: now, ...changes })
      .onConflictDoUpdate({
        target: [syncCursors.tenantId, syncCursors.provider, syncCursors.stream],
        set: changes,
      });
  }

  /** Keeps the cursor where it was and records why the run stopped. */
  async recordError(
    tenantId: string,
    provider: Provider,
    stream: string,
    error: { code: string; message: string },
  ): Promise<void> {
    const now = new Date(this.clock.now());
    const failure = { lastErrorCode: error.code, lastErrorMessage: error.message, updatedAt: now };
    await this.db
      .insert(syncCursors)
      .values({ tenantId, provider, stream, startedAt: now, ...failure })
      .onConflictDoUpdate({
        target: [syncCursors.tenantId, syncCursors.provider, syncCursors.stream],
        set: failure,
      });
  }

  /** Forgets a provider's cursors (reconnection to another company: sync from scratch). */
  async reset(tenantId: string, provider: Provider): Promise<void> {
    await this.db
      .delete(syncCursors)
      .where(and(eq(syncCursors.tenantId, tenantId), eq(syncCursors.provider, provider)));
  }

  private key(tenantId: string, provider: Provider, stream: string) {
    return and(
      eq(syncCursors.tenantId, tenantId),
      eq(syncCursors.provider, provider),
      eq(syncCursors.stream, stream),
    );
  }
}
