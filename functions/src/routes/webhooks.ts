/**
 * `POST /v1/webhooks/hubspot`: HubSpot's webhook deliveries (signed v3).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";

export function webhookRoutes(_backend: Backend): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
