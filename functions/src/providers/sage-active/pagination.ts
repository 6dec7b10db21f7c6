/**
 * Cursor paging (reference §2.3): `first` (at most 500) and `after`, until
 * `pageInfo.hasNextPage` is false. A cursor that comes back unchanged ends the walk too,
 * so a server that stops advancing cannot loop us forever.
 */
import { SAGE_MAX_PAGE_SIZE } from "./config";
import type { SagePageInfo } from "./schemas";

export const DEFAULT_PAGE_SIZE = 100;

export function pageSize(limit: number | undefined, fallback = DEFAULT_PAGE_SIZE): number {
  if (limit === undefined || !Number.isFinite(limit)) return fallback;
  return Math.min(SAGE_MAX_PAGE_SIZE, Math.max(1, Math.trunc(limit)));
}

/** The cursor of the next page, or null when this one is the last. */
export function nextCursorOf(pageInfo: SagePageInfo, requested: string | null): string | null {
  if (!pageInfo.hasNextPage || !pageInfo.endCursor) return null;
  return pageInfo.endCursor === requested ? null : pageInfo.endCursor;
}

/** Every row of a connection, page after page. */
export async function collectPages<T>(
  fetchPage: (after: string | null) => Promise<{ nodes: readonly T[]; pageInfo: SagePageInfo }>,
): Promise<T[]> {
  const rows: T[] = [];
  const seen = new Set<string>();
  let after: string | null = null;
  for (;;) {
    const page = await fetchPage(after);
    rows.push(...page.nodes);
    const next = nextCursorOf(page.pageInfo, after);
    if (next === null || seen.has(next)) return rows;
    seen.add(next);
    after = next;
  }
}
