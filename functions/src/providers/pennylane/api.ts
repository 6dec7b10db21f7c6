/**
 * The Pennylane Company API v2 as the operation files see it: `ProviderHttp` underneath
 * (throttle, safe retries, 401 replay, errors), plus what every Pennylane call shares — the
 * 2026 behaviour opt-in, JSON-encoded filters and cursor pages.
 */
import type { z } from "zod";
import type { Clock } from "../../net/clock";
import type { ProviderHttp } from "../http";
import { unexpectedAnswer } from "./errors";
import { pageOf } from "./schemas";

export const DEFAULT_PENNYLANE_URL = "https://app.pennylane.com";
export const API_PATH = "/api/external/v2";
/** Pennylane's documented ceiling for `limit` on lists (changelogs allow 1000). */
export const MAX_PAGE_SIZE = 100;

/**
 * The spec asks new integrations to opt in to the 2026 API changes (parameter
 * `use_2026_api_changes`, "If you are already using the X-Use-2026-API-Changes header, you
 * can ignore this parameter … For new user, please use … true"). The header covers every
 * endpoint, including those whose operation does not list the parameter.
 */
export const API_VERSION_HEADERS: Readonly<Record<string, string>> = {
  "X-Use-2026-API-Changes": "true",
};

export type FilterOperator =
  "eq" | "not_eq" | "lt" | "lteq" | "gt" | "gteq" | "in" | "not_in" | "start_with";

export interface FilterCondition {
  readonly field: string;
  readonly operator: FilterOperator;
  readonly value: string | readonly string[];
}

/**
 * `filter` is one JSON-encoded query parameter, never form-style (`filter[0][field]=` is a
 * 400): `[{"field":"external_reference","operator":"eq","value":"deal-1"}]`.
 */
export function encodeFilter(conditions: readonly FilterCondition[]): string {
  return JSON.stringify(
    conditions.map(({ field, operator, value }) => ({ field, operator, value })),
  );
}

export type QueryParams = Readonly<Record<string, string | number | undefined>>;

export interface ListQuery {
  readonly filter?: readonly FilterCondition[];
  readonly sort?: string;
  readonly cursor?: string | null;
  readonly limit?: number;
}

export function listParams(query: ListQuery): QueryParams {
  return {
    ...(query.filter && query.filter.length > 0 ? { filter: encodeFilter(query.filter) } : {}),
    ...(query.sort ? { sort: query.sort } : {}),
    ...(query.cursor ? { cursor: query.cursor } : {}),
    limit: Math.min(Math.max(1, Math.trunc(query.limit ?? MAX_PAGE_SIZE)), MAX_PAGE_SIZE),
  };
}

/** Safety net against a server that keeps answering `has_more` forever. */
const MAX_PAGES_PER_WALK = 1_000;

export class PennylaneApi {
  constructor(
    readonly http: ProviderHttp,
    readonly clock: Clock,
  ) {}

  get<S extends z.ZodType>(
    path: string,
    schema: S,
    searchParams?: QueryParams,
  ): Promise<z.infer<S>> {
    return this.http.request({
      method: "GET",
      path,
      schema,
      headers: API_VERSION_HEADERS,
      ...(searchParams ? { searchParams } : {}),
    });
  }

  /**
   * A write. Never retried on a 5xx or a timeout, which may hide a success: the caller looks
   * the record up by its external reference instead. 401 replays and 429 waits stay on, as
   * neither was processed.
   */
  write<S extends z.ZodType>(
    method: "POST" | "PUT",
    path: string,
    schema: S,
    json?: unknown,
  ): Promise<z.infer<S>> {
    return this.http.request({
      method,
      path,
      schema,
      headers: API_VERSION_HEADERS,
      idempotent: false,
      ...(json === undefined ? {} : { json }),
    });
  }

  /** Every item of a cursor-paginated list. */
  async all<T extends z.ZodType>(
    path: string,
    item: T,
    query: Omit<ListQuery, "cursor" | "limit"> = {},
  ): Promise<z.infer<T>[]> {
    const schema = pageOf(item);
    const items: z.infer<T>[] = [];
    const seenCursors = new Set<string>();
    let cursor: string | null = null;
    for (let pages = 0; pages < MAX_PAGES_PER_WALK; pages += 1) {
      const page: z.infer<typeof schema> = await this.get(
        path,
        schema,
        listParams({ ...query, cursor, limit: MAX_PAGE_SIZE }),
      );
      items.push(...(page.items as z.infer<T>[]));
      if (!page.has_more || page.next_cursor === null) return items;
      if (seenCursors.has(page.next_cursor)) break;
      seenCursors.add(page.next_cursor);
      cursor = page.next_cursor;
    }
    throw unexpectedAnswer("a list that never ends", { path: path.replace(/\d+/g, ":id") });
  }
}
