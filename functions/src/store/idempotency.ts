/**
 * Exactly-once for operations with side effects elsewhere (creating an invoice in the
 * accounting software): the first request with a key claims it, retries while it runs are
 * told it is in progress, and retries after it succeeded get the same response back.
 *
 * A claim is one atomic statement: insert the key, or take it over when the previous holder
 * failed or its lock expired (it crashed). Under concurrency exactly one caller wins.
 */
import { and, eq, lt, sql } from "drizzle-orm";
import { type Clock, systemClock } from "../net/clock";
import type { StoreDb } from "./open";
import { idempotencyKeys } from "./schema";

export type ClaimResult =
  | { readonly state: "claimed" }
  | { readonly state: "in_progress" }
  | { readonly state: "succeeded"; readonly response: unknown }
  /** The key was used for a different request (its fingerprint differs). */
  | { readonly state: "mismatch" };

export class IdempotencyRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Claims `key` for `lockMs`. `fingerprint` identifies the request (e.g. a hash of the deal
   * id and the options): the same key with another fingerprint is a "mismatch".
   */
  async claim(
    tenantId: string,
    key: string,
    fingerprint: string,
    lockMs: number,
  ): Promise<ClaimResult> {
    const now = new Date(this.clock.now());
    const lockedUntil = new Date(now.getTime() + lockMs);
    const claimed = await this.db
      .insert(idempotencyKeys)
      .values({
        tenantId,
        key,
        fingerprint,
        state: "pending",
        lockedUntil,
        createdAt: now,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: [idempotencyKeys.tenantId, idempotencyKeys.key],
        set: { state: "pending", response: null, lockedUntil, updatedAt: now },
        setWhere: sql`${idempotencyKeys.fingerprint} = excluded.fingerprint and (${idempotencyKeys.state} = 'failed' or (${idempotencyKeys.state} = 'pending' and ${idempotencyKeys.lockedUntil} <= excluded.created_at))`,
      })
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) return { state: "claimed" };

    const [existing] = await this.db
      .select({
        fingerprint: idempotencyKeys.fingerprint,
        state: idempotencyKeys.state,
        response: idempotencyKeys.response,
      })
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.tenantId, tenantId), eq(idempotencyKeys.key, key)));
    if (!existing) return this.claim(tenantId, key, fingerprint, lockMs);
    if (existing.fingerprint !== fingerprint) return { state: "mismatch" };
    if (existing.state === "succeeded") return { state: "succeeded", response: existing.response };
    return { state: "in_progress" };
  }

  /** Records the response that every later retry with this key receives. */
  async complete(tenantId: string, key: string, response: unknown): Promise<boolean> {
    return this.finish(tenantId, key, "succeeded", response);
  }

  /** Releases the key after a failure with no effect: the next retry may claim it again. */
  async fail(tenantId: string, key: string): Promise<boolean> {
    return this.finish(tenantId, key, "failed", null);
  }

  /** Deletes keys older than `cutoff` (retries past that are new requests). */
  async prune(cutoff: Date): Promise<number> {
    const deleted = await this.db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.updatedAt, cutoff))
      .returning({ key: idempotencyKeys.key });
    return deleted.length;
  }

  private async finish(
    tenantId: string,
    key: string,
    state: "succeeded" | "failed",
    response: unknown,
  ): Promise<boolean> {
    const now = new Date(this.clock.now());
    const updated = await this.db
      .update(idempotencyKeys)
      .set({ state, response, lockedUntil: now, updatedAt: now })
      .where(
        and(
          eq(idempotencyKeys.tenantId, tenantId),
          eq(idempotencyKeys.key, key),
          eq(idempotencyKeys.state, "pending"),
        ),
      )
      .returning({ key: idempotencyKeys.key });
    return updated.length > 0;
  }
}
