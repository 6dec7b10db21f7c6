/**
 * The HTTP surface: OAuth, public PDF links, and the pipeline every API request goes through
 * in Pennylane's order of checks: stats, injected 429 storms, the rate limiter, injected
 * hangs and 5xx, latency, authentication, scopes, then the endpoint's handler.
 */
import { DomainError } from "@encaisse/shared";
import { type Context, Hono } from "hono";
import { API_ROUTES, type ApiCall, type ApiRoute, type PennylaneRuntime } from "./endpoints";
import { PennylaneHttpError, badRequest, forbidden, notFound, unauthorized } from "./errors";
import { PUBLIC_FILE_PATH, invoicePdf } from "./public-files";
import { API_BASE_PATH } from "./render";

export type { CompanyProfile, PennylaneRuntime } from "./endpoints";

const honoPath = (specPath: string) => `${API_BASE_PATH}${specPath.replace(/\{(\w+)\}/g, ":$1")}`;

function bearerOf(request: Request): string | null {
  const header = request.headers.get("authorization");
  if (header === null) return null;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return match?.[1] ?? "";
}

const UNAUTHORIZED_MESSAGES = {
  missing: "The access token is missing",
  invalid: "The access token is invalid",
  expired: "The access token expired",
  revoked: "The access token was revoked",
} as const;

function errorResponse(error: unknown): Response {
  if (error instanceof PennylaneHttpError) {
    return Response.json(error.body, { status: error.status, headers: error.headers });
  }
  if (error instanceof DomainError) {
    return Response.json(
      { error: `${error.code}: ${error.message}`, status: 422 },
      { status: 422 },
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return Response.json(
    { error: `Internal emulator error: ${message}`, status: 500 },
    { status: 500 },
  );
}

async function callApi(
  route: ApiRoute,
  c: Context,
  runtime: PennylaneRuntime,
  token: string | null,
): Promise<Response> {
  try {
    const authentication = runtime.tokens.authenticate(token);
    if (!authentication.ok) throw unauthorized(UNAUTHORIZED_MESSAGES[authentication.reason]);
    const { grant } = authentication;
    if (route.scopes.length > 0 && !route.scopes.some((scope) => grant.scopes.includes(scope))) {
      throw forbidden(
        `Access to this resource requires scope ${route.scopes.map((scope) => `"${scope}"`).join(" or ")}.`,
      );
    }
    const url = new URL(c.req.url);
    for (const key of url.searchParams.keys()) {
      if (key.startsWith("filter[")) {
        throw badRequest(
          'filter must be a JSON-encoded string, e.g. filter=[{"field":"id","operator":"eq","value":"42"}]; form-style filter[0][field]= is not supported',
          "filter",
        );
      }
    }
    const call: ApiCall = {
      request: c.req.raw,
      origin: url.origin,
      query: url.searchParams,
      grant,
      id: (name) => {
        const raw = c.req.param(name) ?? "";
        if (!/^\d{1,15}$/.test(raw))
          throw badRequest(`${name} must be an integer (got "${raw}")`, name);
        return Number(raw);
      },
      body: async () => {
        const text = await c.req.raw.text();
        if (text.trim() === "") return undefined;
        try {
          return JSON.parse(text) as unknown;
        } catch {
          throw badRequest("The request body is not valid JSON");
        }
      },
    };
    return await route.handle(call, runtime);
  } catch (error) {
    return errorResponse(error);
  }
}

function tooManyRequests(
  retryAfterSeconds: number,
  headers: Readonly<Record<string, string>>,
): Response {
  return new Response(`Rate limit exceeded. Please retry in ${retryAfterSeconds} seconds.`, {
    status: 429,
    headers: {
      ...headers,
      "ratelimit-remaining": "0",
      "retry-after": String(retryAfterSeconds),
      "content-type": "text/plain",
    },
  });
}

/** The pipeline every API request goes through, in Pennylane's order of checks. */
async function serveApi(
  route: ApiRoute | null,
  c: Context,
  runtime: PennylaneRuntime,
): Promise<Response> {
  const request = c.req.raw;
  const token = bearerOf(request);
  const key = token ?? "anonymous";
  const { faults, limiter, stats } = runtime;
  stats.countRequest(
    route === null ? `${request.method} (unknown endpoint)` : `${route.method} ${route.path}`,
    key,
  );
  let response: Response;
  const storm = faults.drawStorm();
  if (storm !== null) {
    response = tooManyRequests(storm.retryAfterSeconds, limiter.peek(key).headers);
  } else {
    const admission = limiter.admit(key);
    if (!admission.allowed) {
      response = tooManyRequests(admission.retryAfterSeconds, admission.headers);
    } else {
      const failure = faults.drawFailure();
      if (failure?.kind === "timeout") {
        stats.injectedTimeouts += 1;
        await faults.hang(request.signal);
        response = Response.json({ error: "Gateway Timeout", status: 504 }, { status: 504 });
      } else if (failure?.kind === "server_error") {
        stats.injectedServerErrors += 1;
        response = Response.json(
          { error: "Internal Server Error", status: failure.status },
          { status: failure.status },
        );
      } else {
        await faults.delay(request.signal);
        response =
          route === null ? errorResponse(notFound()) : await callApi(route, c, runtime, token);
      }
      for (const [name, value] of Object.entries(admission.headers))
        response.headers.set(name, value);
    }
  }
  stats.countStatus(response.status);
  return response;
}

function servePublicFile(c: Context, runtime: PennylaneRuntime): Response {
  const check = runtime.publicFiles.check(c.req.query("encrypted_id"), runtime.nowMs());
  const invoice = check.ok ? runtime.ledger.invoices.get(check.invoiceId) : undefined;
  if (!check.ok || invoice === undefined) {
    const message = check.ok
      ? "The file no longer exists"
      : check.reason === "expired"
        ? "Request has expired"
        : "Invalid signature";
    return new Response(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`,
      {
        status: 403,
        headers: { "content-type": "application/xml" },
      },
    );
  }
  const name = invoice.number ?? `brouillon-${invoice.id}`;
  return new Response(invoicePdf(`${invoice.creditNote ? "Avoir" : "Facture"} ${name}`), {
    headers: {
      "content-type": "application/pdf",
      "content-disposition": `inline; filename="${name}.pdf"`,
    },
  });
}

export function buildPennylaneApp(runtime: PennylaneRuntime): Hono {
  const app = new Hono();
  runtime.oauth.mount(app);
  app.get(PUBLIC_FILE_PATH, (c) => servePublicFile(c, runtime));
  for (const route of API_ROUTES) {
    app.on(route.method, honoPath(route.path), (c) => serveApi(route, c, runtime));
  }
  app.all(`${API_BASE_PATH}/*`, (c) => serveApi(null, c, runtime));
  app.notFound(() => Response.json({ error: "Not Found", status: 404 }, { status: 404 }));
  return app;
}
