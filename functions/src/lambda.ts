/**
 * AWS Lambda entry, behind an API Gateway HTTP API (payload format 2.0) or a Function URL.
 * The backend opens once per cold start and is reused by every invocation of the instance.
 *
 * HubSpot signs the exact URL it called and the raw body, so:
 * - bodies reach the app byte for byte (API Gateway's base64 bodies are decoded, never
 *   re-serialized);
 * - the signed URL is rebuilt from PUBLIC_BASE_URL (the address HubSpot was given), and a
 *   stage prefix that PUBLIC_BASE_URL carries (`https://…/prod`) is taken off the path
 *   before routing, since the routes know nothing of stages.
 * Payload format 2.0 keeps the query string as sent (`rawQueryString`); format 1.0 only has
 * it re-encoded, which can break a signature: use 2.0.
 */
import type { Hono } from "hono";
import {
  type APIGatewayProxyResult,
  handle,
  type LambdaContext,
  type LambdaEvent,
} from "hono/aws-lambda";
import { DomainError } from "@encaisse/shared";
import { type AppEnv, createApp } from "./app";
import { jsonLogger, type Logger, openBackend } from "./backend";
import { type Config, loadConfig } from "./config";
import { jobHandlers } from "./jobs/handlers";
import { PgBossJobQueue } from "./jobs/pg-boss";
import { enqueueDueJobs } from "./jobs/tick";

export type LambdaHandler = (
  event: LambdaEvent,
  context?: LambdaContext,
) => Promise<APIGatewayProxyResult>;

export interface LambdaApplication {
  readonly app: Hono<AppEnv>;
  /** The path PUBLIC_BASE_URL puts before every route ("/prod"), or "". */
  readonly basePath: string;
}

/** Opens the backend from the environment: PostgreSQL is required (instances share nothing). */
export async function openLambdaApplication(
  environment: Readonly<Record<string, string | undefined>>,
): Promise<LambdaApplication> {
  const config = loadConfig(environment);
  if (!config.DATABASE_URL) {
    throw new DomainError(
      "CONFIG_INVALID",
      "Set DATABASE_URL on Lambda: instances share no disk, so the embedded database cannot hold the state.",
    );
  }
  const backend = await openBackend(config);
  return { app: createApp(backend), basePath: basePathOf(config) };
}

export function basePathOf(config: Pick<Config, "PUBLIC_BASE_URL">): string {
  if (!config.PUBLIC_BASE_URL) return "";
  return new URL(config.PUBLIC_BASE_URL).pathname.replace(/\/+$/, "");
}

/**
 * A handler over an application opened at most once at a time: the first invocation opens it,
 * the others wait for the same promise; a failed open is retried by the next invocation.
 */
export function createLambdaHandler(open: () => Promise<LambdaApplication>): LambdaHandler {
  let opening: Promise<{ application: LambdaApplication; handler: LambdaHandler }> | null = null;
  const ready = () =>
    (opening ??= open().then(
      (application) => ({ application, handler: handle(application.app) as LambdaHandler }),
      (error: unknown) => {
        opening = null;
        throw error;
      },
    ));
  return async (event, context) => {
    let opened: Awaited<ReturnType<typeof ready>>;
    try {
      opened = await ready();
    } catch (error) {
      jsonLogger.error("backend could not open", {
        code: error instanceof DomainError ? error.code : "INTERNAL",
        detail: error instanceof Error ? error.message : String(error),
      });
      return unavailable();
    }
    return opened.handler(withoutBasePath(event, opened.application.basePath), context);
  };
}

/** Takes the stage prefix off the routed path; the signature check puts it back from PUBLIC_BASE_URL. */
export function withoutBasePath(event: LambdaEvent, basePath: string): LambdaEvent {
  if (!basePath) return event;
  const strip = (path: string) =>
    path === basePath ? "/" : path.startsWith(`${basePath}/`) ? path.slice(basePath.length) : path;
  if ("rawPath" in event) return { ...event, rawPath: strip(event.rawPath) };
  return { ...event, path: strip(event.path) };
}

function unavailable(): APIGatewayProxyResult {
  return {
    statusCode: 503,
    headers: { "content-type": "application/json" },
    isBase64Encoded: false,
    body: JSON.stringify({
      error: {
        code: "INTERNAL",
        message:
          "The service is starting or misconfigured; nothing was changed. Try again shortly.",
      },
    }),
  };
}

export const handler: LambdaHandler = createLambdaHandler(() => openLambdaApplication(process.env));

/**
 * The scheduled worker on Lambda (an EventBridge Scheduler target, every
 * ENCAISSE_SYNC_EVERY_MINUTES): queues the jobs due now, then runs queued jobs until none
 * is left or the invocation is about to time out. Jobs still running then are failed back to
 * pg-boss and retried by the next invocation, so set the function's timeout well above the
 * schedule's period (15 minutes for a 15-minute schedule).
 */
export async function runScheduledWorker(
  environment: Readonly<Record<string, string | undefined>>,
  remainingMs: () => number,
  options: { readonly logger?: Logger; readonly at?: Date } = {},
): Promise<{ queued: number; left: number }> {
  const config = loadConfig({ ...environment, ENCAISSE_WORKERS: "1" });
  if (!config.DATABASE_URL) {
    throw new DomainError("CONFIG_INVALID", "Set DATABASE_URL: the Lambda worker runs pg-boss.");
  }
  const backend = await openBackend(config, options.logger ? { logger: options.logger } : {});
  try {
    const report = await enqueueDueJobs(backend, options.at ?? new Date(backend.clock.now()));
    const queued = report.sync + report.dunning;
    const queue = backend.workers;
    if (!(queue instanceof PgBossJobQueue)) return { queued, left: 0 };
    await queue.start(jobHandlers(backend));
    // Leave a minute to hand unfinished jobs back before Lambda stops the process. Jobs
    // waiting out a retry delay are left to the next invocation. Nothing due is asked twice,
    // a second apart: a job being fetched is in neither count for a moment.
    let quietLooks = 0;
    while (remainingMs() > 60_000 && quietLooks < 2) {
      quietLooks = (await queue.hasWorkDue()) ? 0 : quietLooks + 1;
      await backend.clock.sleep(1_000);
    }
    // Jobs still running count as left: closing hands them back to pg-boss.
    return { queued, left: await queue.pending() };
  } finally {
    await backend.close();
  }
}

export const worker = (_event: unknown, context?: { getRemainingTimeInMillis(): number }) =>
  runScheduledWorker(process.env, () => context?.getRemainingTimeInMillis() ?? 14 * 60_000);
