/**
 * Helpers for writing many rows in few statements. PostgreSQL takes at most 65,535 bind
 * parameters per statement, and an `ON CONFLICT DO UPDATE` may not touch the same row twice,
 * so batches are deduplicated (last one wins) and cut into chunks.
 */
import { type SQL, getTableColumns, sql } from "drizzle-orm";
import type { PgTable } from "drizzle-orm/pg-core";

export function chunked<T>(rows: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < rows.length; start += size) {
    chunks.push(rows.slice(start, start + size));
  }
  return chunks;
}

export function lastByKey<T>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  return [...new Map(rows.map((row) => [keyOf(row), row])).values()];
}

/** `set` for an upsert: each listed column takes the value the insert proposed. */
export function fromExcluded<TTable extends PgTable, TKey extends keyof TTable["$inferInsert"]>(
  table: TTable,
  keys: readonly TKey[],
): Record<TKey, SQL> {
  const columns = getTableColumns(table) as Record<PropertyKey, { name: string }>;
  const entries = keys.map((key) => {
    const column = columns[key];
    if (!column) throw new Error(`Unknown column ${String(key)}.`);
    return [key, sql.raw(`excluded."${column.name}"`)] as const;
  });
  return Object.fromEntries(entries) as Record<TKey, SQL>;
}

/** Rows per statement for a table of `columns` columns, well under the parameter limit. */
export function rowsPerStatement(columns: number): number {
  return Math.max(1, Math.min(1000, Math.floor(30_000 / columns)));
}
