/**
 * Where a tenant's sync stands, kept in the sync cursors (one row per stream) so that a run
 * cut short anywhere resumes without losing or repeating work:
 *
 * - `changes`: the provider's change cursor, taken before the backfill reads anything, so
 *   nothing changed during the backfill is missed; saved after each applied page.
 * - `invoices`: the backfill's listing cursor, with records done / total; `complete` once the
 *   whole book has been read.
 * - `customers`: the customer listing's cursor, `complete` once every customer is stored.
 * - `links`: whether HubSpot companies must be matched to customers again (after the
 *   customers were listed, when changes bring customers, and once per Paris day), with the
 *   changed customers that asked for it.
 * - `rollups`: which customers and deals still owe HubSpot a write (saved before the read
 *   model changes, cleared once HubSpot accepted the values), and the Paris day of the last
 *   full recompute (lateness moves every day even when nothing changes).
 */
import { z } from "zod";
import type { Provider } from "@encaisse/shared";
import type { CursorRepository } from "../store";

export const SYNC_STREAMS = {
  changes: "changes",
  backfill: "invoices",
  rollups: "rollups",
  customers: "customers",
  links: "links",
} as const;

/** The backfill's cursor once the whole book has been read. */
export const BACKFILL_COMPLETE = "complete";

const rollupStateSchema = z.object({
  v: z.literal(1),
  /** Every linked customer must be recomputed (after a backfill). */
  all: z.boolean(),
  customers: z.array(z.string()),
  deals: z.array(z.string()),
  /** Paris day of the last full recompute. */
  fullDay: z.string().nullable(),
});
export type RollupState = z.infer<typeof rollupStateSchema>;

export const NOTHING_PENDING: RollupState = {
  v: 1,
  all: false,
  customers: [],
  deals: [],
  fullDay: null,
};

export function readRollupState(cursor: string | null): RollupState {
  if (cursor === null) return NOTHING_PENDING;
  try {
    return rollupStateSchema.parse(JSON.parse(cursor));
  } catch {
    // Unreadable: recomputing everything is always correct, only slower.
    return { ...NOTHING_PENDING, all: true };
  }
}

export function withPending(
  state: RollupState,
  more: { customers?: Iterable<string>; deals?: Iterable<string>; all?: boolean },
): RollupState {
  return {
    ...state,
    all: state.all || more.all === true,
    customers: [...new Set([...state.customers, ...(more.customers ?? [])])].sort(),
    deals: [...new Set([...state.deals, ...(more.deals ?? [])])].sort(),
  };
}

export async function saveRollupState(
  cursors: CursorRepository,
  tenantId: string,
  provider: Provider,
  state: RollupState,
): Promise<void> {
  await cursors.save(tenantId, provider, SYNC_STREAMS.rollups, { cursor: JSON.stringify(state) });
}

const linkStateSchema = z.object({
  v: z.literal(1),
  /** Every company must be matched (the customers were just listed). */
  all: z.boolean(),
  /** Customers brought by changes since the last pass. */
  customers: z.array(z.string()),
  /** Paris day of the last pass over every company. */
  day: z.string().nullable(),
});
export type LinkState = z.infer<typeof linkStateSchema>;

export function readLinkState(cursor: string | null): LinkState {
  if (cursor === null) return { v: 1, all: true, customers: [], day: null };
  try {
    return linkStateSchema.parse(JSON.parse(cursor));
  } catch {
    return { v: 1, all: true, customers: [], day: null };
  }
}

export async function loadLinkState(
  cursors: CursorRepository,
  tenantId: string,
  provider: Provider,
): Promise<LinkState> {
  return readLinkState((await cursors.get(tenantId, provider, SYNC_STREAMS.links))?.cursor ?? null);
}

export async function saveLinkState(
  cursors: CursorRepository,
  tenantId: string,
  provider: Provider,
  state: LinkState,
): Promise<void> {
  await cursors.save(tenantId, provider, SYNC_STREAMS.links, { cursor: JSON.stringify(state) });
}
