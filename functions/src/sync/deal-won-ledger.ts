/**
 * What the deal-won webhook remembers between deliveries, in the `webhook_events` table:
 *
 * - each event, once (`recordOnce`), and whether it reached the queue (`markProcessed`). An
 *   event recorded but never queued (the process died in between) is claimed again by
 *   HubSpot's next redelivery once its claim is a minute old, so no event is lost;
 * - per deal, the newest stage change received (row `dealstage:<dealId>`, its `received_at`
 *   holding HubSpot's `occurredAt`): an older change delivered late is stale. The row is
 *   pruned with the events; by then HubSpot has stopped retrying anything older.
 */
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import type { Backend } from "../backend";
import { webhookEvents } from "../store/schema";

/** A claim older than this with nothing queued is taken to be a crashed delivery. */
const ABANDONED_CLAIM_MS = 60_000;

type LedgerBackend = Pick<Backend, "store" | "repos" | "clock">;

function dealStageKey(dealId: string): string {
  return `dealstage:${dealId}`;
}

/** True when this delivery should queue the event: first seen, or an earlier one died. */
export async function claimWebhookEvent(
  backend: LedgerBackend,
  tenantId: string,
  eventId: string,
): Promise<boolean> {
  if (await backend.repos.webhookEvents.recordOnce(tenantId, eventId)) return true;
  const now = backend.clock.now();
  const retaken = await backend.store.db
    .update(webhookEvents)
    .set({ receivedAt: new Date(now) })
    .where(
      and(
        eq(webhookEvents.tenantId, tenantId),
        eq(webhookEvents.eventId, eventId),
        isNull(webhookEvents.processedAt),
        lt(webhookEvents.receivedAt, new Date(now - ABANDONED_CLAIM_MS)),
      ),
    )
    .returning({ eventId: webhookEvents.eventId });
  return retaken.length > 0;
}

/** Remembers a stage change of the deal if it is the newest one received so far. */
export async function noteDealStageChange(
  backend: LedgerBackend,
  tenantId: string,
  dealId: string,
  occurredAt: number,
): Promise<void> {
  await backend.store.db
    .insert(webhookEvents)
    .values({
      tenantId,
      eventId: dealStageKey(dealId),
      receivedAt: new Date(occurredAt),
      processedAt: new Date(backend.clock.now()),
    })
    .onConflictDoUpdate({
      target: [webhookEvents.tenantId, webhookEvents.eventId],
      set: {
        receivedAt: sql`greatest(${webhookEvents.receivedAt}, excluded.received_at)`,
        processedAt: sql`excluded.processed_at`,
      },
    });
}

/** HubSpot's `occurredAt` (ms) of the newest stage change received for the deal, if any. */
export async function latestDealStageChange(
  backend: LedgerBackend,
  tenantId: string,
  dealId: string,
): Promise<number | null> {
  const [row] = await backend.store.db
    .select({ occurredAt: webhookEvents.receivedAt })
    .from(webhookEvents)
    .where(
      and(eq(webhookEvents.tenantId, tenantId), eq(webhookEvents.eventId, dealStageKey(dealId))),
    );
  return row ? row.occurredAt.getTime() : null;
}
