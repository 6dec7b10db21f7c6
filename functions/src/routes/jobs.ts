/**
 * `/v1/jobs/*`: the cron entry of serverless platforms (queues the scheduled sync and
 * dunning of every tenant).
 */
import { Hono } from "hono";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";

export function jobRoutes(_backend: Backend): Hono<AppEnv> {
  return new Hono<AppEnv>();
}
