/**
 * `POST /v1/webhooks/hubspot`: HubSpot's webhook deliveries (signed v3, see app.ts). The
 * answer comes at once: the events are recorded and the work queued (deal-won-intake.ts);
 * a 5xx makes HubSpot deliver the batch again, and the events already taken in are then
 * recognised as duplicates.
 */
import { Hono } from "hono";
import { DomainError } from "@encaisse/shared";
import { hubspotWebhookBatchSchema } from "@encaisse/shared/contracts";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";
import { takeInDealStageEvents } from "../sync/deal-won-intake";

export function webhookRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.post("/v1/webhooks/hubspot", async (c) => {
    let body: unknown;
    try {
      body = JSON.parse(c.get("rawBody"));
    } catch {
      throw new DomainError("VALIDATION_FAILED", "The webhook body is not valid JSON.");
    }
    const events = hubspotWebhookBatchSchema.parse(body);
    const report = await takeInDealStageEvents(backend, events);
    if (report.accepted > 0 || report.duplicates > 0) {
      backend.logger.info("hubspot webhook delivery", { ...report });
    }
    return c.json({ accepted: report.accepted });
  });

  return routes;
}
