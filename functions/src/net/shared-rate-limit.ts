/**
 * The sliding-window limit shared by every process on one PostgreSQL database: web handlers
 * and job workers calling with the same Pennylane token or HubSpot account draw from one
 * budget, where `SlidingWindowLimiter` only knows its own process.
 *
 * One row per key holds the send instants still inside the window. Taking a slot is one
 * statement: the upsert locks the row, keeps the instants younger than the window and adds
 * "now" only when there is room, so two processes can never both take the last slot. Time is
 * the database's clock, the one clock every instance shares. A caller that got no slot waits
 * until the oldest instant leaves the window and asks again; the callers of one process ask
 * one at a time per key, so a crowd of waiters costs one query per freed slot, not one each.
 *
 * A request counts from its slot until its answer (`release`), not from the slot alone: the
 * provider counts it when it arrives, which a busy process or network can delay by more than
 * any fixed margin. While in flight its instant is set in the future (`inFlightMs`), so a
 * worker that dies mid-request frees its slots after that long; the answer brings the instant
 * back to the moment it came.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { z } from "zod";
import type { StoreDb } from "../store/open";
import { type Clock, systemClock } from "./clock";
import { isStoreUnavailable } from "./shared-store-errors";
import type { RateLimiter } from "./rate-limit";

export interface SharedWindowOptions {
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Extra spacing for the time between the slot and the request's arrival at the provider,
   * which varies more across busy processes than within one (default 5 % of the window).
   */
  readonly safetyMs?: number;
  /** Prefix of every key in the table, so two limits never share a row ("hubspot:"). */
  readonly namespace: string;
  /** How long an unanswered request keeps counting (default 30 s, above every HTTP timeout). */
  readonly inFlightMs?: number;
  readonly clock?: Clock;
  /**
   * Told when the table could not be written (a server's "wait": the local hold still
   * applies; an answer's return: its slot keeps counting until `inFlightMs`) or read for a
   * moment (the request waits and asks again).
   */
  readonly onError?: (error: unknown) => void;
}

const answerSchema = z.object({
  rows: z.array(
    z.object({
      sent_ms: z.array(z.coerce.number()),
      blocked_until_ms: z.coerce.number(),
      granted: z.boolean(),
      now_ms: z.coerce.number(),
    }),
  ),
});

/** Longest wait between two looks at a full window. */
const MAX_POLL_MS = 250;
/** Looks at the table that may fail on an unavailable database before giving up (~3 s). */
const STORE_RETRIES = 5;
const STORE_RETRY_MS = 200;

export class SharedWindowLimiter implements RateLimiter {
  private readonly clock: Clock;
  private readonly spanMs: number;
  /** Waiters of this process, one at a time per key. */
  private readonly turns = new Map<string, Promise<void>>();
  /** 429 holds, in this process's clock, applied before asking the database. */
  private readonly localHolds = new Map<string, number>();
  /** In-flight instants of this process's requests per key, oldest first. */
  private readonly inFlight = new Map<string, number[]>();
  private readonly inFlightMs: number;

  constructor(
    private readonly db: StoreDb,
    private readonly options: SharedWindowOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.spanMs = options.windowMs + (options.safetyMs ?? Math.ceil(options.windowMs * 0.05));
    this.inFlightMs = options.inFlightMs ?? 30_000;
  }

  acquire(key: string, signal?: AbortSignal): Promise<void> {
    const previous = this.turns.get(key) ?? Promise.resolve();
    const turn = previous.then(() => this.waitForSlot(key, signal));
    const tail = turn.catch(() => undefined);
    this.turns.set(key, tail);
    void tail.then(() => {
      if (this.turns.get(key) === tail) this.turns.delete(key);
    });
    return turn;
  }

  block(key: string, untilMs: number): void {
    this.localHolds.set(key, Math.max(this.localHolds.get(key) ?? 0, untilMs));
    const waitMs = Math.max(0, Math.ceil(untilMs - this.clock.now()));
    const rowKey = this.rowKey(key);
    this.db
      .execute(
        sql`insert into rate_limit_windows as w (key, sent_ms, blocked_until_ms)
            values (${rowKey}, '{}', (extract(epoch from clock_timestamp()) * 1000)::bigint + ${waitMs})
            on conflict (key) do update set blocked_until_ms = greatest(
              w.blocked_until_ms, (extract(epoch from clock_timestamp()) * 1000)::bigint + ${waitMs})`,
      )
      .then(
        () => undefined,
        (error: unknown) => this.options.onError?.(error),
      );
  }

  release(key: string): void {
    // Answers may come back in any order; every in-flight instant of the key is alike, so
    // bringing back the oldest one keeps the count right.
    const pending = this.inFlight.get(key);
    const instant = pending?.shift();
    if (pending?.length === 0) this.inFlight.delete(key);
    if (instant === undefined) return;
    const rowKey = this.rowKey(key);
    this.db
      .execute(
        sql`update rate_limit_windows set sent_ms = array(
              select s from unnest(array_replace(sent_ms, ${instant}::bigint,
                (extract(epoch from clock_timestamp()) * 1000)::bigint)) s order by s)
            where key = ${rowKey}`,
      )
      .then(
        () => undefined,
        (error: unknown) => this.options.onError?.(error),
      );
  }

  /**
   * Takes a slot now, or says how long until one frees up (ms, at least 1), without waiting:
   * for budgets that refuse instead of queueing. The slot is not in flight (nothing to release).
   */
  async tryAcquire(key: string): Promise<number> {
    return this.tryTake(key, false);
  }

  private async waitForSlot(key: string, signal?: AbortSignal): Promise<void> {
    let storeFailures = 0;
    for (;;) {
      signal?.throwIfAborted();
      const heldUntil = this.localHolds.get(key) ?? 0;
      const now = this.clock.now();
      if (heldUntil > now) {
        await this.clock.sleep(heldUntil - now, signal);
        continue;
      }
      let waitMs: number;
      try {
        waitMs = await this.tryTake(key);
        storeFailures = 0;
      } catch (error) {
        // A database briefly out of connections or restarting is a wait like any other; a
        // slot taken by a statement whose answer was lost only counts one request too many.
        storeFailures += 1;
        if (!isStoreUnavailable(error) || storeFailures > STORE_RETRIES) throw error;
        this.options.onError?.(error);
        await this.clock.sleep(STORE_RETRY_MS * storeFailures, signal);
        continue;
      }
      if (waitMs === 0) return;
      // A slot held in flight frees when its answer comes: look again soon, not at its expiry.
      await this.clock.sleep(Math.min(waitMs, MAX_POLL_MS), signal);
    }
  }

  /** Takes a slot (0) or says how long until one frees up (ms, at least 1). */
  private async tryTake(key: string, inFlight = true): Promise<number> {
    const { limit } = this.options;
    const rowKey = this.rowKey(key);
    const caller = randomUUID();
    const span = this.spanMs;
    const heldForMs = inFlight ? this.inFlightMs : 0;
    const answer = answerSchema.parse(
      await this.db.execute(sql`
        with clock as (select (extract(epoch from clock_timestamp()) * 1000)::bigint as now_ms)
        insert into rate_limit_windows as w (key, sent_ms, blocked_until_ms, granted_to)
        select ${rowKey}, array[clock.now_ms + ${heldForMs}], 0, ${caller} from clock
        on conflict (key) do update set
          sent_ms = case
            when w.blocked_until_ms <= (select now_ms from clock)
              and cardinality(array(
                select s from unnest(w.sent_ms) s where s > (select now_ms from clock) - ${span}
              )) < ${limit}
            then array(
                select s from unnest(w.sent_ms) s where s > (select now_ms from clock) - ${span}
                order by s
              ) || ((select now_ms from clock) + ${heldForMs})
            else array(
                select s from unnest(w.sent_ms) s where s > (select now_ms from clock) - ${span}
                order by s
              )
            end,
          granted_to = case
            when w.blocked_until_ms <= (select now_ms from clock)
              and cardinality(array(
                select s from unnest(w.sent_ms) s where s > (select now_ms from clock) - ${span}
              )) < ${limit}
            then ${caller}
            else w.granted_to
            end
        returning w.sent_ms, w.blocked_until_ms, coalesce(w.granted_to = ${caller}, false) as granted,
          (select now_ms from clock) as now_ms`),
    );
    const row = answer.rows[0];
    if (!row) throw new Error("The rate limit table answered no row.");
    if (row.granted) {
      if (!inFlight) return 0;
      const pending = this.inFlight.get(key) ?? [];
      pending.push(row.now_ms + heldForMs);
      this.inFlight.set(key, pending);
      return 0;
    }
    const sent = row.sent_ms;
    const oldestCounted = sent.length >= limit ? sent[sent.length - limit] : undefined;
    const windowFreeAt = oldestCounted === undefined ? 0 : oldestCounted + span;
    return Math.max(1, Math.max(windowFreeAt, row.blocked_until_ms) - row.now_ms);
  }

  private rowKey(key: string): string {
    return `${this.options.namespace}${key}`;
  }
}
