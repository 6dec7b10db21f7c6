/**
 * The webhook's side of "deal won -> invoice": take a signed delivery apart, keep what
 * concerns Encaisse, and queue the work. HubSpot wants an answer within 5 s and delivers
 * at least once, in any order, so nothing here calls HubSpot or the accounting software:
 * each event is recorded once per tenant, the deal's newest stage change is remembered (to
 * recognise an older one arriving late), and a won stage on a tenant that turned the rule
 * on becomes a `deal-won` job. The job re-reads the deal before invoicing anything.
 */
import type { z } from "zod";
import type { hubspotWebhookEventSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../backend";
import type { Tenant } from "../store";
import { claimWebhookEvent, noteDealStageChange } from "./deal-won-ledger";

export type HubSpotWebhookEvent = z.infer<typeof hubspotWebhookEventSchema>;

const DEAL_OBJECT_TYPE_ID = "0-3";

export interface WebhookIntakeReport {
  /** Events seen for the first time (or taken over from a delivery that died). */
  readonly accepted: number;
  /** Events already taken in by an earlier delivery. */
  readonly duplicates: number;
  /** Events for a portal without Encaisse installed, another app, or another property. */
  readonly ignored: number;
  readonly queued: number;
}

function isDealStageChange(event: HubSpotWebhookEvent): boolean {
  if (event.propertyName !== "dealstage" || event.propertyValue === undefined) return false;
  const type = event.subscriptionType ?? event.eventType ?? "";
  if (type === "deal.propertyChange") return true;
  return type === "object.propertyChange" && event.objectTypeId === DEAL_OBJECT_TYPE_ID;
}

export async function takeInDealStageEvents(
  backend: Backend,
  events: readonly HubSpotWebhookEvent[],
): Promise<WebhookIntakeReport> {
  const expectedAppId = backend.config.HUBSPOT_APP_ID ?? null;
  const tenants = new Map<number, Tenant | null>();
  const installedTenant = async (portalId: number): Promise<Tenant | null> => {
    if (!tenants.has(portalId)) {
      const tenant = await backend.repos.tenants.get(String(portalId));
      tenants.set(portalId, tenant && !tenant.uninstalledAt ? tenant : null);
    }
    return tenants.get(portalId) ?? null;
  };

  let accepted = 0;
  let duplicates = 0;
  let ignored = 0;
  let queued = 0;
  for (const event of events) {
    // Each event names its portal, inside the body HubSpot signed with our app's secret.
    const tenant = await installedTenant(event.portalId);
    const ours = expectedAppId === null || String(event.appId) === expectedAppId;
    if (tenant === null || !ours || !isDealStageChange(event)) {
      ignored += 1;
      continue;
    }
    const eventId = String(event.eventId);
    if (!(await claimWebhookEvent(backend, tenant.tenantId, eventId))) {
      duplicates += 1;
      continue;
    }
    accepted += 1;
    const dealId = String(event.objectId);
    const stageId = event.propertyValue ?? "";
    await noteDealStageChange(backend, tenant.tenantId, dealId, event.occurredAt);
    const { settings } = tenant;
    if (settings.autoInvoiceOnDealWon && settings.wonStageIds.includes(stageId)) {
      await backend.jobs.enqueue({
        kind: "deal-won",
        tenantId: tenant.tenantId,
        dealId,
        occurredAt: event.occurredAt,
        stageId,
      });
      queued += 1;
    }
    await backend.repos.webhookEvents.markProcessed(tenant.tenantId, eventId);
  }
  return { accepted, duplicates, ignored, queued };
}
