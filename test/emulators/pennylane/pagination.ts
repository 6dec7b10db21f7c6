/**
 * Cursor pagination as the spec describes it: `cursor` (opaque) and `limit` (1..100, default
 * 20) in, `{ items, has_more, next_cursor }` out. The cursor remembers the sort and the last
 * row's sort key and id, so pages stay stable while records are added.
 */
import { badRequest } from "./errors";

export interface Page<T> {
  readonly items: T[];
  readonly has_more: boolean;
  readonly next_cursor: string | null;
}

export interface SortOrder {
  readonly field: string;
  readonly descending: boolean;
}

type SortKey = number | string;

interface CursorPayload {
  readonly sort: string;
  readonly key: SortKey;
  readonly id: number;
}

export function parseLimit(raw: string | undefined, maximum = 100): number {
  if (raw === undefined || raw === "") return 20;
  if (!/^-?\d+$/.test(raw)) {
    throw badRequest(`limit must be an integer (got "${raw}")`, "limit");
  }
  const limit = Number(raw);
  if (limit < 1)
    throw badRequest(`limit must be at least 1 (got ${raw})`, "limit", "LessThanMinimum");
  if (limit > maximum) {
    throw badRequest(`limit must be at most ${maximum} (got ${raw})`, "limit", "MoreThanMaximum");
  }
  return limit;
}

export function parseSort(raw: string | undefined, available: readonly string[]): SortOrder {
  const text = raw === undefined || raw === "" ? "-id" : raw;
  const descending = text.startsWith("-");
  const field = descending ? text.slice(1) : text;
  if (!available.includes(field)) {
    throw badRequest(
      `sort must be one of ${available.flatMap((name) => [name, `-${name}`]).join(", ")} (got "${text}")`,
      "sort",
      "NotEnumInclude",
    );
  }
  return { field, descending };
}

const sortText = (order: SortOrder) => `${order.descending ? "-" : ""}${order.field}`;

export function encodeCursor(payload: object): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

export function decodeCursor(raw: string): unknown {
  try {
    return JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw badRequest("cursor is not a cursor returned by this endpoint", "cursor");
  }
}

function parseCursor(raw: string, order: SortOrder): CursorPayload {
  const payload = decodeCursor(raw) as Partial<CursorPayload> | null;
  if (
    payload === null ||
    typeof payload !== "object" ||
    typeof payload.id !== "number" ||
    (typeof payload.key !== "number" && typeof payload.key !== "string") ||
    typeof payload.sort !== "string"
  ) {
    throw badRequest("cursor is not a cursor returned by this endpoint", "cursor");
  }
  if (payload.sort !== sortText(order)) {
    throw badRequest(
      `cursor was issued for sort "${payload.sort}", not "${sortText(order)}"`,
      "cursor",
    );
  }
  return payload as CursorPayload;
}

function compare(a: SortKey, b: SortKey): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function paginate<T>(
  rows: readonly T[],
  options: {
    readonly cursor: string | undefined;
    readonly limit: number;
    readonly order: SortOrder;
    readonly idOf: (row: T) => number;
    readonly keyOf: (row: T, field: string) => SortKey;
  },
): Page<T> {
  const { order, idOf, keyOf } = options;
  const direction = order.descending ? -1 : 1;
  // Each row's key and id are read once, not at every comparison: a book has thousands of rows.
  const keyed = rows.map((row) => ({ row, key: keyOf(row, order.field), id: idOf(row) }));
  keyed.sort((a, b) => direction * (compare(a.key, b.key) || compare(a.id, b.id)));
  let sorted = keyed;
  if (options.cursor !== undefined && options.cursor !== "") {
    const after = parseCursor(options.cursor, order);
    sorted = keyed.filter(
      (entry) => direction * (compare(entry.key, after.key) || compare(entry.id, after.id)) > 0,
    );
  }
  const page = sorted.slice(0, options.limit);
  const hasMore = sorted.length > page.length;
  const last = page.at(-1);
  return {
    items: page.map((entry) => entry.row),
    has_more: hasMore,
    next_cursor:
      hasMore && last !== undefined
        ? encodeCursor({ sort: sortText(order), key: last.key, id: last.id })
        : null,
  };
}
