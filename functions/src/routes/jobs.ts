/**
 * `/v1/jobs/*`: the cron entry of serverless platforms. `POST /v1/jobs/tick`, called every
 * ENCAISSE_SYNC_EVERY_MINUTES by the platform's scheduler with `Authorization: Bearer
 * <CRON_SECRET>`, queues the jobs due now (every tenant's sync; dunning in the 08:00 Paris
 * slot). Workers elsewhere run them. Not signed by HubSpot, so the secret is the only gate.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { Hono } from "hono";
import { DomainError } from "@encaisse/shared";
import { endpoints } from "@encaisse/shared/contracts";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";
import { enqueueDueJobs } from "../jobs/tick";

export function jobRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  routes.post(endpoints.jobTick.path, async (c) => {
    requireCronSecret(backend, c.req.header("authorization"));
    const report = await enqueueDueJobs(backend, new Date(backend.clock.now()));
    return c.json(endpoints.jobTick.response.parse(report));
  });
  return routes;
}

function requireCronSecret(backend: Backend, authorization: string | undefined): void {
  const secret = backend.config.CRON_SECRET;
  if (!secret) {
    throw new DomainError(
      "CRON_NOT_CONFIGURED",
      "Set CRON_SECRET to let a scheduler call /v1/jobs/tick.",
    );
  }
  const presented = /^Bearer (.+)$/.exec(authorization ?? "")?.[1] ?? "";
  // Digests have one length whatever was sent, so the comparison time says nothing.
  const digest = (value: string) => createHash("sha256").update(value).digest();
  if (!timingSafeEqual(digest(presented), digest(secret))) {
    throw new DomainError("CRON_SECRET_INVALID", "This call needs the cron secret.");
  }
}
