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
  /** Kept in `processed_at` order, ties in recording order. */
  private entries: ChangeEntry[] = [];
  /** `processed_at` of each entry in ms, index for index, so reads never re-parse dates. */
  private processedMs: number[] = [];
  /**
   * Entries recorded since the last read, in recording order. A seeded history arrives out
   * of order (a payment dated after invoices issued later), so sorting them in at each
   * record would cost the whole log each time; they are merged in at the next read instead.
   */
  private pending: ChangeEntry[] = [];
  private nextSequence = 1;
  /** Entries dropped by retention, so positions (and cursors) survive purges. */
  private purgedCount = 0;

  record(entry: Omit<ChangeEntry, "sequence">): void {
    this.pending.push({ ...entry, sequence: this.nextSequence });
    this.nextSequence += 1;
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
    let startMs = Number.NEGATIVE_INFINITY;
    let firstIndex = 0;
    if (hasStart) {
      const startDate = query.startDate as string;
      if (!RFC3339.test(startDate) || Number.isNaN(Date.parse(startDate))) {
        throw badRequest(
          `start_date must be an RFC 3339 date-time (got "${startDate}")`,
          "start_date",
          "InvalidDateTimeFormat",
        );
      }
      startMs = Date.parse(startDate);
      if (startMs < nowMs - CHANGELOG_RETENTION_MS) {
        throw unprocessable(
          "start_date must be within the last 4 weeks: older changes are not retained",
        );
      }
    } else if (hasCursor) {
      const after = this.cursorPosition(query.cursor as string);
      firstIndex = Math.max(0, Math.floor(after) + 1 - this.purgedCount);
    }
    // One entry past the page tells whether there is more.
    const pageIndexes: number[] = [];
    for (
      let index = firstIndex;
      index < this.entries.length && pageIndexes.length <= query.limit;
      index += 1
    ) {
      const entry = this.entries[index] as ChangeEntry;
      if (entry.resource !== resource) continue;
      if (!hasStart || (this.processedMs[index] as number) >= startMs) pageIndexes.push(index);
    }
    const hasMore = pageIndexes.length > query.limit;
    const page = pageIndexes.slice(0, query.limit);
    const lastIndex = page.at(-1);
    return {
      items: page.map((index) => {
        const entry = this.entries[index] as ChangeEntry;
        return {
          id: entry.id,
          operation: entry.operation,
          processed_at: entry.processedAt,
          created_at: entry.createdAt,
          updated_at: entry.updatedAt,
        };
      }),
      has_more: hasMore,
      next_cursor:
        hasMore && lastIndex !== undefined
          ? encodeCursor({ after: lastIndex + this.purgedCount })
          : null,
    };
  }

  private cursorPosition(raw: string): number {
    const payload = decodeCursor(raw) as { after?: unknown } | null;
    if (payload === null || typeof payload !== "object" || typeof payload.after !== "number") {
      throw badRequest("cursor is not a cursor returned by this endpoint", "cursor");
    }
    return payload.after;
  }

  /** Merges the entries recorded since the last read into the ordered log. */
  private settle(): void {
    if (this.pending.length === 0) return;
    // A stable sort keeps recording order among equal instants.
    const arrived = this.pending.sort((a, b) =>
      a.processedAt < b.processedAt ? -1 : a.processedAt > b.processedAt ? 1 : 0,
    );
    this.pending = [];
    const last = this.entries.at(-1);
    const first = arrived[0] as ChangeEntry;
    if (last === undefined || last.processedAt <= first.processedAt) {
      for (const entry of arrived) {
        this.entries.push(entry);
        this.processedMs.push(Date.parse(entry.processedAt));
      }
      return;
    }
    // An entry goes after every entry processed at the same instant or before it.
    const merged: ChangeEntry[] = [];
    const mergedMs: number[] = [];
    let kept = 0;
    for (const entry of arrived) {
      while (
        kept < this.entries.length &&
        (this.entries[kept] as ChangeEntry).processedAt <= entry.processedAt
      ) {
        merged.push(this.entries[kept] as ChangeEntry);
        mergedMs.push(this.processedMs[kept] as number);
        kept += 1;
      }
      merged.push(entry);
      mergedMs.push(Date.parse(entry.processedAt));
    }
    for (; kept < this.entries.length; kept += 1) {
      merged.push(this.entries[kept] as ChangeEntry);
      mergedMs.push(this.processedMs[kept] as number);
    }
    this.entries = merged;
    this.processedMs = mergedMs;
  }

  private purge(nowMs: number): void {
    this.settle();
    const horizon = nowMs - CHANGELOG_RETENTION_MS;
    if (this.processedMs.every((ms) => ms >= horizon)) return;
    const keptEntries: ChangeEntry[] = [];
    const keptMs: number[] = [];
    this.processedMs.forEach((ms, index) => {
      if (ms >= horizon) {
        keptEntries.push(this.entries[index] as ChangeEntry);
        keptMs.push(ms);
      }
    });
    this.purgedCount += this.entries.length - keptEntries.length;
    this.entries = keptEntries;
    this.processedMs = keptMs;
  }
}
