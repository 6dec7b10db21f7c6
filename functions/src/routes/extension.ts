/**
 * `/v1/extension/*`: pairing (from the HubSpot settings page, signed) and the browser
 * extension's own endpoints (with its paired token).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";

export function extensionRoutes(_backend: Backend): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
