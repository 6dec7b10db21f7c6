/**
 * What changed since the last sync, from two changelogs read side by side:
 * GET /changelogs/customers — https://pennylane.readme.io/reference/getcustomerchanges
 * GET /changelogs/customer_invoices — https://pennylane.readme.io/reference/getcustomerinvoiceschanges
 *
 * Our cursor is opaque to callers: base64url JSON holding, per stream, Pennylane's own
 * cursor while a backlog is being read, else the `processed_at` reached (resumed with
 * `start_date`) and the entries already returned at that instant, so that resuming from it
 * repeats nothing. Pennylane keeps 4 weeks of changes: a position older than that, or one
 * Pennylane refuses, is PROVIDER_CHANGES_EXPIRED and the sync falls back to a backfill.
 */
import { z } from "zod";
import type { ChangePage, ChangedRecord } from "../provider";
import { ProviderError } from "../errors";
import type { PennylaneApi, QueryParams } from "./api";
import { changesExpired } from "./errors";
import { type PennylaneChange, changePageSchema } from "./schemas";

export const CHANGELOG_RETENTION_MS = 28 * 24 * 60 * 60 * 1000;
const MAX_CHANGES_PER_PAGE = 1000;
const DEFAULT_CHANGES_PER_PAGE = 100;
/**
 * When a stream is idle we move its position up to this far behind our clock, so a quiet
 * month does not read as expired; the margin absorbs clock skew and changelog lag.
 */
const IDLE_LAG_MS = 60 * 60 * 1000;

const streamPositionSchema = z.object({
  /** Pennylane's cursor, while `has_more`. */
  cursor: z.string().min(1).nullable(),
  /** The `processed_at` reached (RFC 3339). */
  at: z.string().refine((text) => !Number.isNaN(Date.parse(text))),
  /** Entries processed exactly at `at` that were already returned. */
  seen: z.array(z.string()),
});
type StreamPosition = z.infer<typeof streamPositionSchema>;

const changesCursorSchema = z.object({
  v: z.literal(1),
  customers: streamPositionSchema,
  invoices: streamPositionSchema,
});
type ChangesCursor = z.infer<typeof changesCursorSchema>;

function encodeCursor(cursor: ChangesCursor): string {
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

function decodeCursor(text: string): ChangesCursor {
  try {
    return changesCursorSchema.parse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
  } catch {
    throw changesExpired("unreadable cursor");
  }
}

const entryKey = (change: PennylaneChange) =>
  `${change.id}:${change.operation}:${change.updated_at ?? ""}`;
const sameInstant = (a: string, b: string) => Date.parse(a) === Date.parse(b);

interface StreamRead {
  readonly changes: readonly PennylaneChange[];
  readonly position: StreamPosition;
  readonly hasMore: boolean;
}

async function readStream(
  api: PennylaneApi,
  path: string,
  position: StreamPosition,
  limit: number,
): Promise<StreamRead> {
  const params: QueryParams =
    position.cursor !== null
      ? { cursor: position.cursor, limit }
      : { start_date: position.at, limit };
  let page: z.infer<typeof changePageSchema>;
  try {
    page = await api.get(path, changePageSchema, params);
  } catch (error) {
    // 422: start_date beyond retention; 400/422 on a cursor: Pennylane no longer knows it.
    const refused =
      error instanceof ProviderError &&
      (error.httpStatus === 422 || (error.httpStatus === 400 && position.cursor !== null));
    if (refused) throw changesExpired("position refused by Pennylane", { stream: path });
    throw error;
  }
  const seen = new Set(position.seen);
  const fresh = page.items.filter(
    (change) => !(sameInstant(change.processed_at, position.at) && seen.has(entryKey(change))),
  );
  let { at } = position;
  let seenAtPosition = position.seen;
  const last = page.items.at(-1);
  if (last !== undefined) {
    const atLast = page.items
      .filter((change) => sameInstant(change.processed_at, last.processed_at))
      .map(entryKey);
    seenAtPosition = sameInstant(last.processed_at, at)
      ? [...new Set([...position.seen, ...atLast])]
      : atLast;
    at = last.processed_at;
  }
  if (page.has_more && page.next_cursor !== null) {
    return {
      changes: fresh,
      position: { cursor: page.next_cursor, at, seen: seenAtPosition },
      hasMore: true,
    };
  }
  const idleUntil = api.clock.now() - IDLE_LAG_MS;
  if (fresh.length === 0 && Date.parse(at) < idleUntil) {
    return {
      changes: [],
      position: { cursor: null, at: new Date(idleUntil).toISOString(), seen: [] },
      hasMore: false,
    };
  }
  return { changes: fresh, position: { cursor: null, at, seen: seenAtPosition }, hasMore: false };
}

/** One entry per record, its last operation winning; customers first, so invoices find them. */
function toChangedRecords(
  customers: readonly PennylaneChange[],
  invoices: readonly PennylaneChange[],
): ChangedRecord[] {
  const latest = new Map<string, ChangedRecord>();
  const add = (kind: "customer" | "invoice", changes: readonly PennylaneChange[]) => {
    for (const change of changes) {
      const key = `${kind}:${change.id}`;
      latest.delete(key);
      latest.set(key, {
        kind,
        id: String(change.id),
        operation: change.operation === "delete" ? "delete" : "upsert",
      });
    }
  };
  add("customer", customers);
  add("invoice", invoices);
  return [...latest.values()];
}

export async function listChanges(
  api: PennylaneApi,
  cursor: string | null,
  options: { readonly limit?: number } = {},
): Promise<ChangePage> {
  const now = api.clock.now();
  if (cursor === null) {
    const start: StreamPosition = { cursor: null, at: new Date(now).toISOString(), seen: [] };
    return {
      changes: [],
      cursor: encodeCursor({ v: 1, customers: start, invoices: start }),
      hasMore: false,
    };
  }
  const position = decodeCursor(cursor);
  const horizon = now - CHANGELOG_RETENTION_MS;
  for (const [stream, streamPosition] of Object.entries({
    customers: position.customers,
    invoices: position.invoices,
  })) {
    if (Date.parse(streamPosition.at) < horizon) {
      throw changesExpired("position older than the 4-week retention", {
        stream,
        at: streamPosition.at,
      });
    }
  }
  const limit = Math.min(
    Math.max(1, Math.trunc(options.limit ?? DEFAULT_CHANGES_PER_PAGE)),
    MAX_CHANGES_PER_PAGE,
  );
  const customers = await readStream(api, "changelogs/customers", position.customers, limit);
  const invoices = await readStream(api, "changelogs/customer_invoices", position.invoices, limit);
  return {
    changes: toChangedRecords(customers.changes, invoices.changes),
    cursor: encodeCursor({ v: 1, customers: customers.position, invoices: invoices.position }),
    hasMore: customers.hasMore || invoices.hasMore,
  };
}
