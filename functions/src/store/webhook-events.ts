/**
 * Replay and duplicate protection for inbound requests.
 *
 * HubSpot retries a webhook delivery until it gets a 2xx, so each event is processed once
 * per (tenant, event id). Signed requests are also refused when their signature was already
 * seen: a captured request cannot be replayed. Signatures only need remembering for as long
 * as their timestamp is accepted (5 minutes), so entries older than 10 minutes are pruned.
 */
import { and, eq, lt } from "drizzle-orm";
import { type Clock, systemClock } from "../net/clock";
import { sha256Hex } from "./crypto";
import type { StoreDb } from "./open";
import { seenSignatures, webhookEvents } from "./schema";

export const SIGNATURE_MEMORY_MS = 10 * 60_000;

export class WebhookEventRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /** True the first time this event is seen for this tenant; false for a redelivery. */
  async recordOnce(tenantId: string, eventId: string): Promise<boolean> {
    const inserted = await this.db
      .insert(webhookEvents)
      .values({ tenantId, eventId, receivedAt: new Date(this.clock.now()) })
      .onConflictDoNothing()
      .returning({ eventId: webhookEvents.eventId });
    return inserted.length > 0;
  }

  async markProcessed(tenantId: string, eventId: string): Promise<void> {
    await this.db
      .update(webhookEvents)
      .set({ processedAt: new Date(this.clock.now()) })
      .where(and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.eventId, eventId)));
  }

  /** Forgets events received before `cutoff` (HubSpot stops retrying after about 3 days). */
  async prune(cutoff: Date): Promise<number> {
    const deleted = await this.db
      .delete(webhookEvents)
      .where(lt(webhookEvents.receivedAt, cutoff))
      .returning({ eventId: webhookEvents.eventId });
    return deleted.length;
  }
}

export class SeenSignatureRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /** True the first time `signature` is seen (within the memory window); false for a replay. */
  async recordOnce(signature: string): Promise<boolean> {
    const now = this.clock.now();
    await this.db
      .delete(seenSignatures)
      .where(lt(seenSignatures.seenAt, new Date(now - SIGNATURE_MEMORY_MS)));
    const inserted = await this.db
      .insert(seenSignatures)
      .values({ signatureHash: sha256Hex(signature), seenAt: new Date(now) })
      .onConflictDoNothing()
      .returning({ signatureHash: seenSignatures.signatureHash });
    return inserted.length > 0;
  }
}
