/**
 * Every endpoint of the backend, in one place. Handlers are Web-standard (Request ->
 * Response) through Hono, so the same app runs on Node (server.ts), AWS Lambda (lambda.ts)
 * or any other Fetch-API platform.
 *
 * Who may call what:
 * - `/v1/cards/*`, `/v1/deals/*`, `/v1/invoices/*`, `/v1/settings`, `/v1/connections/*`,
 *   `/v1/sync/*`, `/v1/extension/pairing-codes|tokens`: HubSpot (`hubspot.fetch`), signed v3.
 * - `/v1/webhooks/hubspot`: HubSpot webhooks, signed v3.
 * - `/v1/extension/*` (the rest): the browser extension, with its paired token.
 * - `/oauth/*`: browsers during install and connection flows (state-checked).
 */
import { Hono } from "hono";
import { DomainError } from "@encaisse/shared";
import type { Backend } from "./backend";
import { respondWithError } from "./http/errors";
import type { ExtensionAuthVariables } from "./http/extension-auth";
import { type HubSpotAuthVariables, hubspotSigned } from "./http/hubspot-auth";
import { cardRoutes } from "./routes/cards";
import {
  EXTENSION_ORIGIN_PATHS,
  EXTENSION_TOKEN_PATHS,
  extensionCors,
  extensionRoutes,
  extensionTokenAuth,
} from "./routes/extension";
import { invoiceRoutes } from "./routes/invoices";
import { jobRoutes } from "./routes/jobs";
import { oauthRoutes } from "./routes/oauth";
import { settingsRoutes } from "./routes/settings";
import { webhookRoutes } from "./routes/webhooks";

export type AppEnv = { Variables: HubSpotAuthVariables & ExtensionAuthVariables };

export function createApp(backend: Backend): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.onError((error, c) => respondWithError(c, error, backend.logger));
  app.notFound((c) =>
    c.json(
      {
        error: {
          code: "NOT_FOUND",
          message: `No endpoint ${c.req.method} ${new URL(c.req.url).pathname}.`,
        },
      },
      404,
    ),
  );

  app.get("/health", (c) =>
    c.json({ status: "ok", sandbox: backend.config.sandbox, driver: backend.store.driver }),
  );

  const signedOptions = {
    clientSecret: requireSecret(backend),
    publicBaseUrl: backend.config.PUBLIC_BASE_URL ?? null,
    replayGuard: {
      recordOnce: (fingerprint: string) => backend.repos.seenSignatures.recordOnce(fingerprint),
    },
    clock: backend.clock,
  };
  const signed = hubspotSigned(signedOptions);
  // "/x/*" also matches "/x" itself; listing both would verify (and so "replay") twice.
  for (const prefix of [
    "/v1/cards/*",
    "/v1/deals/*",
    "/v1/invoices/*",
    "/v1/settings",
    "/v1/connections/*",
    "/v1/sync/*",
    "/v1/extension/pairing-codes",
    "/v1/extension/tokens/*",
  ]) {
    app.use(prefix, signed);
  }
  // Webhook deliveries name their portal per event, inside the signed body, not in the query.
  app.use("/v1/webhooks/*", hubspotSigned({ ...signedOptions, portalFrom: "none" }));
  for (const path of EXTENSION_ORIGIN_PATHS) app.use(path, extensionCors);
  const paired = extensionTokenAuth(backend);
  for (const path of EXTENSION_TOKEN_PATHS) app.use(path, paired);

  app.route("/", cardRoutes(backend));
  app.route("/", invoiceRoutes(backend));
  app.route("/", settingsRoutes(backend));
  app.route("/", oauthRoutes(backend));
  app.route("/", webhookRoutes(backend));
  app.route("/", extensionRoutes(backend));
  app.route("/", jobRoutes(backend));
  return app;
}

function requireSecret(backend: Backend): string {
  const secret = backend.config.HUBSPOT_CLIENT_SECRET;
  if (!secret)
    throw new DomainError(
      "CONFIG_INVALID",
      "HUBSPOT_CLIENT_SECRET is needed to verify HubSpot's signatures.",
    );
  return secret;
}
