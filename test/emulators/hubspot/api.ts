/**
 * The pipeline every CRM API request goes through, in HubSpot's order: authentication (the
 * token decides the portal), injected faults, the portal's rate limits, scopes (any one of the
 * route's scopes suffices, as the specs list them), then the handler. Errors thrown anywhere
 * become HubSpot error bodies here, in one place; stats are kept on the way.
 */
import { randomUUID } from "node:crypto";
import type { Context, Hono } from "hono";
import type { z } from "zod";
import {
  type ErrorDetail,
  HubSpotHttpError,
  expiredToken,
  missingCredentials,
  missingScopes,
  rateLimitBody,
  validationError,
} from "./errors";
import type { HubSpotFaults } from "./faults";
import type { Portal } from "./portal";
import type { HubSpotRateLimiter, RateLimitDecision } from "./rate-limit";
import type { HubSpotStats } from "./stats";
import type { Authentication, Grant, TokenStore } from "./tokens";

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface ApiCall {
  readonly request: Request;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  readonly portal: Portal;
  readonly grant: Grant;
  /** The JSON body (undefined when empty); a 400 when it is not JSON. */
  body(): Promise<unknown>;
  /** Every value of a repeatable query parameter, comma-separated lists split. */
  list(name: string): string[];
  /** Records created, updated or archived by this call, for the stats. */
  countWrites(records: number): void;
  /** The emulator's clock, ms. */
  nowMs(): number;
}

export interface ApiRoute {
  readonly method: Method;
  /** Hono pattern, e.g. "/crm/v3/objects/:objectType/batch/read". */
  readonly path: string;
  /** Stats key for this call, e.g. "POST /crm/v3/objects/companies/batch/read". */
  readonly endpoint: (params: Readonly<Record<string, string>>) => string;
  /** Any one of these scopes grants access; empty means any valid token. May throw a 400. */
  readonly scopes: (params: Readonly<Record<string, string>>) => readonly string[];
  /** Search has its own limit (5/s) and is outside the ten-secondly budget. */
  readonly search?: boolean;
  readonly handle: (call: ApiCall) => Response | Promise<Response>;
}

export interface ApiRuntime {
  readonly tokens: TokenStore;
  readonly limiter: HubSpotRateLimiter;
  readonly stats: HubSpotStats;
  readonly faults: HubSpotFaults;
  readonly nowMs: () => number;
  portal(portalId: number): Portal;
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  Response.json(body, {
    status,
    headers: { "Content-Type": "application/json;charset=utf-8", ...headers },
  });

export const noContent = () => new Response(null, { status: 204 });

export const errorResponse = (error: HubSpotHttpError) =>
  json(error.body, error.status, {
    ...error.headers,
    "X-HubSpot-Correlation-Id": error.body.correlationId,
  });

/** Parses a body with a zod schema, answering HubSpot's 400 with the issues listed. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors: ErrorDetail[] = parsed.error.issues.map((issue) => ({
    message: issue.message,
    in: issue.path.join("."),
    code: "INVALID_INPUT",
  }));
  throw validationError(
    `Invalid input JSON: ${what} does not match the expected shape (${errors.map((e) => `${e.in}: ${e.message}`).join("; ")}).`,
    errors,
  );
}

export function registerApiRoutes(
  app: Hono,
  routes: readonly ApiRoute[],
  runtime: ApiRuntime,
): void {
  for (const route of routes) {
    app.on(route.method, route.path, (c: Context) =>
      runPipeline(route, c.req.raw, c.req.param(), runtime),
    );
  }
}

async function runPipeline(
  route: ApiRoute,
  request: Request,
  params: Readonly<Record<string, string>>,
  runtime: ApiRuntime,
): Promise<Response> {
  const { stats } = runtime;
  stats.countRequest(`${route.method} ${safeEndpoint(route, params)}`);
  let response: Response;
  try {
    response = await answer(route, request, params, runtime);
  } catch (error) {
    if (!(error instanceof HubSpotHttpError)) throw error;
    response = errorResponse(error);
  }
  stats.countStatus(response.status);
  return response;
}

function safeEndpoint(route: ApiRoute, params: Readonly<Record<string, string>>): string {
  try {
    return route.endpoint(params);
  } catch {
    return route.path;
  }
}

async function answer(
  route: ApiRoute,
  request: Request,
  params: Readonly<Record<string, string>>,
  runtime: ApiRuntime,
): Promise<Response> {
  const { faults, stats, limiter } = runtime;
  const search = route.search === true;
  const authentication = authenticate(request, runtime);
  stats.countPortalRequest(authentication.ok ? authentication.grant.portalId : null, { search });
  await faults.delay(request.signal);
  if (!authentication.ok) {
    throw authentication.reason === "expired"
      ? expiredToken(authentication.expiredForMs)
      : missingCredentials();
  }
  const { grant } = authentication;

  const fault = faults.draw();
  if (fault.kind === "rate_limit_storm") {
    stats.countRateLimited(fault.policy);
    return json(rateLimitBody(fault.policy), 429, {
      ...limiter.peek(grant.portalId),
      "X-HubSpot-RateLimit-Remaining": "0",
    });
  }
  if (fault.kind === "timeout") {
    stats.injectedTimeouts += 1;
    await faults.hang(request.signal);
    throw new HubSpotHttpError(504, "BAD_GATEWAY", "The upstream service did not answer in time.");
  }
  if (fault.kind === "server_error") {
    stats.injectedServerErrors += 1;
    throw new HubSpotHttpError(fault.status, "INTERNAL_ERROR", "internal error");
  }

  const decision: RateLimitDecision = search
    ? limiter.admitSearch(grant.portalId)
    : limiter.admit(grant.portalId);
  if (!decision.allowed && decision.policy !== null) {
    stats.countRateLimited(decision.policy);
    return json(rateLimitBody(decision.policy), 429, { ...decision.headers });
  }
  const batch = route.path.includes("/batch/");
  if (batch) stats.batchCalls += 1;

  try {
    const required = route.scopes(params);
    if (required.length > 0 && !required.some((scope) => grant.scopes.includes(scope)))
      throw missingScopes(required);
    const portal = runtime.portal(grant.portalId);
    const response = await route.handle(
      callFor(request, params, { portal, grant, stats, batch, nowMs: runtime.nowMs }),
    );
    return withHeaders(response, decision.headers);
  } catch (error) {
    if (error instanceof HubSpotHttpError)
      return withHeaders(errorResponse(error), decision.headers);
    throw error;
  }
}

function authenticate(request: Request, runtime: ApiRuntime): Authentication {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return runtime.tokens.authenticate(match?.[1]?.trim() ?? null);
}

function callFor(
  request: Request,
  params: Readonly<Record<string, string>>,
  context: {
    portal: Portal;
    grant: Grant;
    stats: HubSpotStats;
    batch: boolean;
    nowMs: () => number;
  },
): ApiCall {
  const url = new URL(request.url);
  const { portal, grant, stats, batch } = context;
  return {
    request,
    url,
    params,
    portal,
    grant,
    nowMs: context.nowMs,
    async body() {
      const text = await request.text();
      if (text.trim() === "") return undefined;
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw validationError(
          `Invalid input JSON on line 1: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    },
    list(name) {
      return url.searchParams
        .getAll(name)
        .flatMap((value) => value.split(","))
        .map((value) => value.trim())
        .filter((value) => value !== "");
    },
    countWrites(records) {
      stats.countWrites(records, { batch });
    },
  };
}

function withHeaders(response: Response, headers: Readonly<Record<string, string>>): Response {
  // Copied one by one: msw replays the header names it saw being set, and `new Headers(other)`
  // would hide the ones the runtime added itself (content-type) from node-fetch clients.
  const merged = new Headers();
  for (const [name, value] of response.headers) merged.set(name, value);
  for (const [name, value] of Object.entries(headers)) merged.set(name, value);
  if (!merged.has("X-HubSpot-Correlation-Id")) merged.set("X-HubSpot-Correlation-Id", randomUUID());
  return new Response(response.body, { status: response.status, headers: merged });
}
