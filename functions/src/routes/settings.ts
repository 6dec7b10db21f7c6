/**
 * The settings page's endpoints (called by HubSpot, signed): the tenant's settings, its
 * accounting connections, and the sync's progress. The tenant is always the signed portal.
 */
import { Hono } from "hono";
import { z } from "zod";
import { DomainError, providerSchema } from "@encaisse/shared";
import {
  authorizeUrlResponseSchema,
  connectApiTokenRequestSchema,
  connectionSchema,
  connectionsResponseSchema,
  endpoints,
  type Settings,
  settingsSchema,
  settingsUpdateSchema,
  syncStatusResponseSchema,
} from "@encaisse/shared/contracts";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";
import { disconnectProvider } from "../services/connections/disconnect";
import { issueOAuthState } from "../services/connections/oauth-state";
import { connectPennylaneApiToken } from "../services/connections/pennylane-api-token";
import { providerAuthorizeUrl } from "../services/connections/provider-apps";
import {
  describeConnection,
  describeConnections,
  describeSyncStatus,
} from "../services/connections/status";

const providerParamSchema = z.object({ provider: providerSchema });

/** Unknown keys are refused: a misspelt setting must not be silently dropped. */
const settingsChangesSchema = settingsUpdateSchema.strict();

function jsonBody(rawBody: string): unknown {
  try {
    return JSON.parse(rawBody);
  } catch {
    throw new DomainError("VALIDATION_FAILED", "The request body must be a JSON object.", {
      fields: [{ field: "", message: "Expected a JSON object." }],
    });
  }
}

function changedKeys(before: Settings, after: Settings): string[] {
  return (Object.keys(after) as (keyof Settings)[]).filter(
    (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
}

export function settingsRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get(endpoints.getSettings.path, async (c) => {
    const tenant = await backend.tenant(c.get("hubspotCaller").portalId);
    return c.json(settingsSchema.parse(tenant.settings));
  });

  routes.put(endpoints.updateSettings.path, async (c) => {
    const caller = c.get("hubspotCaller");
    const tenant = await backend.tenant(caller.portalId);
    const changes = settingsChangesSchema.parse(jsonBody(c.get("rawBody")));
    // Each field is valid on its own; the whole must be too, before anything is written.
    settingsSchema.parse({ ...tenant.settings, ...changes });
    const saved = await backend.repos.tenants.updateSettings(caller.portalId, changes);
    const changed = changedKeys(tenant.settings, saved);
    if (changed.length > 0) {
      await backend.repos.audit.append(caller.portalId, {
        actor: caller.userId,
        action: "settings.updated",
        objectType: "settings",
        objectId: caller.portalId,
        details: { changed },
      });
    }
    return c.json(settingsSchema.parse(saved));
  });

  routes.get(endpoints.connections.path, async (c) => {
    const tenant = await backend.tenant(c.get("hubspotCaller").portalId);
    return c.json(
      connectionsResponseSchema.parse({ connections: await describeConnections(backend, tenant) }),
    );
  });

  routes.post(endpoints.connectApiToken.path, async (c) => {
    const caller = c.get("hubspotCaller");
    const { provider } = providerParamSchema.parse(c.req.param());
    const tenant = await backend.tenant(caller.portalId);
    if (provider !== "pennylane") {
      throw new DomainError(
        "CONNECTION_METHOD_UNSUPPORTED",
        "Sage Active connects with its sign-in page only; use Connect with Sage Active.",
        { provider },
      );
    }
    const { token } = connectApiTokenRequestSchema.parse(jsonBody(c.get("rawBody")));
    await connectPennylaneApiToken(backend, tenant, token.trim(), caller.userId);
    const connected = await backend.tenant(caller.portalId);
    return c.json(connectionSchema.parse(await describeConnection(backend, connected, provider)));
  });

  routes.get(endpoints.authorizeUrl.path, async (c) => {
    const caller = c.get("hubspotCaller");
    const { provider } = providerParamSchema.parse(c.req.param());
    await backend.tenant(caller.portalId);
    const state = issueOAuthState(backend, {
      flow: provider,
      portalId: caller.portalId,
      userId: caller.userId,
    });
    return c.json(
      authorizeUrlResponseSchema.parse({ url: providerAuthorizeUrl(backend, provider, state) }),
    );
  });

  routes.delete(endpoints.disconnect.path, async (c) => {
    const caller = c.get("hubspotCaller");
    const { provider } = providerParamSchema.parse(c.req.param());
    await backend.tenant(caller.portalId);
    await disconnectProvider(backend, caller.portalId, provider, {
      actor: caller.userId,
      reason: "user",
    });
    const tenant = await backend.tenant(caller.portalId);
    return c.json(connectionSchema.parse(await describeConnection(backend, tenant, provider)));
  });

  routes.get(endpoints.syncStatus.path, async (c) => {
    const tenant = await backend.tenant(c.get("hubspotCaller").portalId);
    return c.json(syncStatusResponseSchema.parse(await describeSyncStatus(backend, tenant)));
  });

  return routes;
}
