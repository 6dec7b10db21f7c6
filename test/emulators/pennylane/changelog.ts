/**
 * Changelogs (`GET /changelogs/customer_invoices`, `/changelogs/customers`): every insert,
 * update and delete, oldest first by `processed_at`. Only the last 4 weeks are kept; asking
 * for an older `start_date` is a 422, and `start_date` with `cursor` a 400 (spec).
 */
import { badRequest, unprocessable } from "./errors";
import { type Page, decodeCursor, encodeCursor } from "./pagination";

export type ChangelogResource = "customer_invoices" | "customers";
export type ChangeOperation = "insert" | "update" | "delete";

export const CHANGELOG_RETENTION_MS = 28 * 24 * 60 * 60 * 1000;

export interface ChangeEntry {
  /** Position in the log; cursors point after it. */
  readonly sequence: number;
  readonly resource: ChangelogResource;
  readonly id: number;
  readonly operation: ChangeOperation;
  readonly processedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface ChangeItem {
  readonly id: number;
  readonly operation: ChangeOperation;
  readonly processed_at: string;
  readonly created_at: string;
  readonly updated_at: string;
}

// RFC 3339 date-time, as the spec's `format: date-time` asks.
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export class Changelog {
  private entries: ChangeEntry[] = [];
  private nextSequence = 1;
  /** Entries dropped by retention, so positions (and cursors) survive purges. */
  private purgedCount = 0;

  record(entry: Omit<ChangeEntry, "sequence">): void {
    // Entries are kept in processed_at order, so a seeded history can be recorded out of order.
    const stored = { ...entry, sequence: this.nextSequence };
    this.nextSequence += 1;
    const at = this.entries.findIndex((existing) => existing.processedAt > stored.processedAt);
    if (at === -1) this.entries.push(stored);
    else this.entries.splice(at, 0, stored);
  }

  /** Every retained entry of a resource, oldest first (for tests). */
  retained(resource: ChangelogResource, nowMs: number): ChangeEntry[] {
    this.purge(nowMs);
    return this.entries.filter((entry) => entry.resource === resource);
  }

  list(
    resource: ChangelogResource,
    query: { startDate: string | undefined; cursor: string | undefined; limit: number },
    nowMs: number,
  ): Page<ChangeItem> {
    this.purge(nowMs);
    const hasStart = query.startDate !== undefined && query.startDate !== "";
    const hasCursor = query.cursor !== undefined && query.cursor !== "";
    if (hasStart && hasCursor) {
      throw badRequest("Providing both start_date and cursor is not allowed", "start_date");
    }
    let candidates = this.entries.filter((entry) => entry.resource === resource);
    if (hasStart) {
      const startDate = query.startDate as string;
      if (!RFC3339.test(startDate) || Number.isNaN(Date.parse(startDate))) {
        throw badRequest(
          `start_date must be an RFC 3339 date-time (got "${startDate}")`,
          "start_date",
          "InvalidDateTimeFormat",
        );
      }
      const startMs = Date.parse(startDate);
      if (startMs < nowMs - CHANGELOG_RETENTION_MS) {
        throw unprocessable(
          "start_date must be within the last 4 weeks: older changes are not retained",
        );
      }
      candidates = candidates.filter((entry) => Date.parse(entry.processedAt) >= startMs);
    } else if (hasCursor) {
      const after = this.cursorPosition(query.cursor as string);
      candidates = candidates.filter((entry) => this.positionOf(entry) > after);
    }
    const page = candidates.slice(0, query.limit);
    const hasMore = candidates.length > page.length;
    const last = page.at(-1);
    return {
      items: page.map((entry) => ({
        id: entry.id,
        operation: entry.operation,
        processed_at: entry.processedAt,
        created_at: entry.createdAt,
        updated_at: entry.updatedAt,
      })),
      has_more: hasMore,
      next_cursor:
        hasMore && last !== undefined ? encodeCursor({ after: this.positionOf(last) }) : null,
    };
  }

  private positionOf(entry: ChangeEntry): number {
    return this.entries.indexOf(entry) + this.purgedCount;
  }

  private cursorPosition(raw: string): number {
    const payload = decodeCursor(raw) as { after?: unknown } | null;
    if (payload === null || typeof payload !== "object" || typeof payload.after !== "number") {
      throw badRequest("cursor is not a cursor returned by this endpoint", "cursor");
    }
    return payload.after;
  }

  private purge(nowMs: number): void {
    const horizon = nowMs - CHANGELOG_RETENTION_MS;
    const kept = this.entries.filter((entry) => Date.parse(entry.processedAt) >= horizon);
    this.purgedCount += this.entries.length - kept.length;
    this.entries = kept;
  }
}
