/**
 * What changed since the last poll (reference §7). Sage Active has no webhooks, so three
 * streams are polled on their system dates: sales invoices, open items (where payments
 * show: a settlement updates the items, and whether it touches the invoice's own
 * `modificationDate` is undocumented) and customers. Each asks for
 * `modificationDate >= since OR creationDate >= since` (rows never updated have no
 * modification date), ordered by `modificationDate` ascending.
 *
 * The cursor is opaque to callers: base64url JSON of, per stream, `since`, the Sage page
 * cursor while a round spans several pages, the latest change time seen, and the rows
 * already reported within the overlap window (id -> change time). Each round re-reads the
 * last `overlapMs` (5 minutes by default) before the latest change seen, because commits
 * can land out of timestamp order and the time zone and precision of Sage's timestamps are
 * undocumented; rows already reported with the same change time are skipped, so a change
 * is reported once.
 *
 * Limits, by design: deletions leave no tombstone (drafts can be deleted), so nothing here
 * reports them — the sync reconciles the id sets it holds with Sage's periodically. Within
 * a round spanning several pages, Sage's offset-style cursors can skip a row if another
 * row of the round is modified meanwhile; large pages (500) make such rounds rare and the
 * periodic reconciliation catches what slips through.
 */
import { DomainError } from "@encaisse/shared";
import { z } from "zod";
import type { Clock } from "../../net/clock";
import type { ChangedRecord, ChangePage } from "../provider";
import type { SageGraphql } from "./graphql";
import { nextCursorOf, pageSize } from "./pagination";
import {
  CUSTOMERS_CHANGED_SINCE,
  INVOICES_CHANGED_SINCE,
  OPEN_ITEMS_CHANGED_SINCE,
} from "./queries";
import {
  customerChangesDataSchema,
  invoiceChangesDataSchema,
  openItemChangesDataSchema,
  type SageChangedRow,
  type SagePageInfo,
} from "./schemas";

export const DEFAULT_CHANGE_OVERLAP_MS = 5 * 60_000;
/** Rows remembered per stream for de-duplication; beyond, the oldest are forgotten. */
const MAX_REMEMBERED = 2_000;

const streamStateSchema = z.object({
  since: z.iso.datetime(),
  after: z.string().nullable(),
  latest: z.iso.datetime(),
  reported: z.array(z.tuple([z.string(), z.number()])),
});
type StreamState = z.infer<typeof streamStateSchema>;

const STREAMS = ["invoices", "openItems", "customers"] as const;
type StreamName = (typeof STREAMS)[number];

const cursorSchema = z.object({
  v: z.literal(1),
  streams: z.object({
    invoices: streamStateSchema,
    openItems: streamStateSchema,
    customers: streamStateSchema,
  }),
});
type ChangeCursor = z.infer<typeof cursorSchema>;

export function encodeChangeCursor(cursor: ChangeCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

export function decodeChangeCursor(text: string): ChangeCursor {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw new DomainError(
      "SYNC_CURSOR_INVALID",
      "The Sage Active sync cursor is unreadable; restart the sync from a full backfill.",
    );
  }
}

interface StreamPage {
  readonly rows: readonly SageChangedRow[];
  readonly pageInfo: SagePageInfo;
}

export class SageChanges {
  constructor(
    private readonly graphql: SageGraphql,
    private readonly clock: Clock,
    private readonly overlapMs: number = DEFAULT_CHANGE_OVERLAP_MS,
  ) {}

  async list(
    cursor: string | null,
    options: { readonly limit?: number } = {},
  ): Promise<ChangePage> {
    if (cursor === null) {
      // "From now": nothing to report yet, only a starting point.
      const now = new Date(this.clock.now()).toISOString();
      const fresh: StreamState = {
        since: this.minusOverlap(now),
        after: null,
        latest: now,
        reported: [],
      };
      const streams = { invoices: fresh, openItems: fresh, customers: fresh };
      return { changes: [], cursor: encodeChangeCursor({ v: 1, streams }), hasMore: false };
    }
    const state = decodeChangeCursor(cursor);
    const limit = pageSize(options.limit);
    const changes = new Map<string, ChangedRecord>();
    const streams = { ...state.streams };
    for (const name of STREAMS) {
      const before = state.streams[name];
      const page = await this.fetch(name, before, limit);
      const { next, changed } = this.advance(before, page);
      streams[name] = next;
      for (const row of changed) {
        const record = recordOf(name, row);
        if (record) changes.set(`${record.kind}:${record.id}`, record);
      }
    }
    return {
      changes: [...changes.values()],
      cursor: encodeChangeCursor({ v: 1, streams }),
      hasMore: STREAMS.some((name) => streams[name].after !== null),
    };
  }

  private minusOverlap(instant: string): string {
    return new Date(Date.parse(instant) - this.overlapMs).toISOString();
  }

  private async fetch(name: StreamName, state: StreamState, limit: number): Promise<StreamPage> {
    const variables = { since: state.since, first: limit, after: state.after };
    switch (name) {
      case "invoices": {
        const data = await this.graphql.run(
          INVOICES_CHANGED_SINCE,
          variables,
          invoiceChangesDataSchema,
        );
        return { rows: data.salesInvoices.nodes, pageInfo: data.salesInvoices.pageInfo };
      }
      case "openItems": {
        const data = await this.graphql.run(
          OPEN_ITEMS_CHANGED_SINCE,
          variables,
          openItemChangesDataSchema,
        );
        return {
          rows: data.salesInvoiceOpenItems.nodes,
          pageInfo: data.salesInvoiceOpenItems.pageInfo,
        };
      }
      case "customers": {
        const data = await this.graphql.run(
          CUSTOMERS_CHANGED_SINCE,
          variables,
          customerChangesDataSchema,
        );
        return { rows: data.customers.nodes, pageInfo: data.customers.pageInfo };
      }
    }
  }

  /** The rows not reported yet, and the stream's next state. */
  private advance(
    state: StreamState,
    page: StreamPage,
  ): { next: StreamState; changed: SageChangedRow[] } {
    const reported = new Map(state.reported);
    let latest = Date.parse(state.latest);
    const changed: SageChangedRow[] = [];
    for (const row of page.rows) {
      const changedAt = row.modificationDate ?? row.creationDate;
      if (changedAt === null) continue;
      const changedAtMs = Date.parse(changedAt);
      if (reported.get(row.id) === changedAtMs) continue;
      reported.set(row.id, changedAtMs);
      changed.push(row);
      latest = Math.max(latest, changedAtMs);
    }
    const latestIso = new Date(latest).toISOString();
    const after = nextCursorOf(page.pageInfo, state.after);
    if (after !== null) {
      // Mid-round: same `since`, next page.
      return { next: { ...state, after, latest: latestIso, reported: [...reported] }, changed };
    }
    const since = this.minusOverlap(latestIso);
    const sinceMs = Date.parse(since);
    const kept = [...reported]
      .filter(([, changedAtMs]) => changedAtMs >= sinceMs)
      .sort((a, b) => b[1] - a[1])
      .slice(0, MAX_REMEMBERED);
    return { next: { since, after: null, latest: latestIso, reported: kept }, changed };
  }
}

function recordOf(stream: StreamName, row: SageChangedRow): ChangedRecord | null {
  switch (stream) {
    case "invoices":
      return { kind: "invoice", id: row.id, operation: "upsert" };
    case "openItems":
      return row.salesInvoiceId
        ? { kind: "invoice", id: row.salesInvoiceId, operation: "upsert" }
        : null;
    case "customers":
      return { kind: "customer", id: row.id, operation: "upsert" };
  }
}
