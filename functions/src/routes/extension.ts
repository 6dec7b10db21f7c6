/**
 * `/v1/extension/*`: pairing (from the HubSpot settings page, signed) and the browser
 * extension's own endpoints (with its paired token; see http/extension-auth.ts). Inputs are
 * parsed with the shared contracts before anything runs.
 *
 * - `POST   /v1/extension/pairing-codes`       signed: a one-time code for the calling user
 * - `GET    /v1/extension/tokens`              signed: the account's paired extensions
 * - `DELETE /v1/extension/tokens/:tokenId`     signed: revoke one
 * - `POST   /v1/extension/pair`                the code is the credential: code -> token
 * - `GET    /v1/extension/context`             token: HubSpot context of a customer/invoice,
 *                                              or of a company picked in the search
 * - `GET    /v1/extension/search`              token: companies by name, SIREN, invoice number
 * - `POST   /v1/extension/notes|tasks`         token: note on a company, task for its owner,
 *                                              once per `requestId`
 */
import { Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import {
  createNoteRequestSchema,
  createTaskRequestSchema,
  endpoints,
  extensionContextQuerySchema,
  extensionSearchQuerySchema,
  pairRequestSchema,
} from "@encaisse/shared/contracts";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";
import { type ExtensionAuthVariables, extensionAuthenticated } from "../http/extension-auth";
import { cardLocale } from "../services/cards/card-request";
import { cardContextOf } from "../services/cards/context";
import { extensionContext } from "../services/extension/context";
import { createFollowUpTask, logNoteOnCompany } from "../services/extension/engagements";
import {
  createPairingCode,
  listExtensionTokens,
  pairExtension,
  revokeExtensionToken,
} from "../services/extension/pairing";
import { extensionSearch } from "../services/extension/search";
import { extensionRequestBudget } from "../services/extension/shared-request-budget";

/** The endpoints only a paired extension may call. */
export const EXTENSION_TOKEN_PATHS = [
  endpoints.extensionContext.path,
  endpoints.extensionSearch.path,
  endpoints.extensionNote.path,
  endpoints.extensionTask.path,
] as const;

/** The endpoints the extension calls from its own origin (`chrome-extension://<id>`). */
export const EXTENSION_ORIGIN_PATHS = [...EXTENSION_TOKEN_PATHS, endpoints.pairExtension.path];

/**
 * With the backend in its host permissions the extension needs no CORS; a build without
 * them (a self-hosted backend) still works because extension origins are answered here.
 */
export const extensionCors: MiddlewareHandler = cors({
  origin: (origin) => (origin.startsWith("chrome-extension://") ? origin : null),
  allowMethods: ["GET", "POST"],
  allowHeaders: ["authorization", "content-type"],
  maxAge: 600,
});

export function extensionTokenAuth(
  backend: Backend,
): MiddlewareHandler<{ Variables: ExtensionAuthVariables }> {
  return extensionAuthenticated({
    tokens: backend.repos.extensionTokens,
    tenant: (tenantId) => backend.tenant(tenantId),
    budget: extensionRequestBudget(backend),
  });
}

const tokenIdSchema = z.string().uuid("Expected the id of a paired extension.");

export function extensionRoutes(backend: Backend): Hono<AppEnv> {
  const cards = cardContextOf(backend);
  const routes = new Hono<AppEnv>();

  routes.post(endpoints.createPairingCode.path, async (c) =>
    c.json(await createPairingCode(backend, c.get("hubspotCaller"))),
  );

  routes.get(endpoints.listExtensionTokens.path, async (c) =>
    c.json(await listExtensionTokens(backend, c.get("hubspotCaller"))),
  );

  routes.delete(endpoints.revokeExtensionToken.path, async (c) => {
    const tokenId = tokenIdSchema.parse(c.req.param("tokenId"));
    return c.json(await revokeExtensionToken(backend, c.get("hubspotCaller"), tokenId));
  });

  routes.post(endpoints.pairExtension.path, async (c) => {
    const request = pairRequestSchema.parse(await jsonBody(c.req.raw));
    return c.json(await pairExtension(backend, request.code));
  });

  routes.get(endpoints.extensionContext.path, async (c) => {
    const request = extensionContextQuerySchema.parse(c.req.query());
    const locale = cardLocale(undefined, c.req.header("accept-language"));
    return c.json(
      await extensionContext(backend, cards, {
        caller: c.get("extensionCaller"),
        request,
        locale,
      }),
    );
  });

  routes.get(endpoints.extensionSearch.path, async (c) => {
    const { q } = extensionSearchQuerySchema.parse(c.req.query());
    return c.json(await extensionSearch(backend, cards, c.get("extensionCaller"), q));
  });

  routes.post(endpoints.extensionNote.path, async (c) => {
    const request = createNoteRequestSchema.parse(await jsonBody(c.req.raw));
    return c.json(await logNoteOnCompany(backend, cards, c.get("extensionCaller"), request));
  });

  routes.post(endpoints.extensionTask.path, async (c) => {
    const request = createTaskRequestSchema.parse(await jsonBody(c.req.raw));
    return c.json(await createFollowUpTask(backend, cards, c.get("extensionCaller"), request));
  });

  return routes;
}

async function jsonBody(request: Request): Promise<unknown> {
  try {
    return (await request.json()) as unknown;
  } catch {
    throw new DomainError("VALIDATION_FAILED", "The request body is not valid JSON.", {
      fields: [{ field: "", message: "Expected a JSON object." }],
    });
  }
}
