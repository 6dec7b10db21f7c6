/**
 * Installing the app on a HubSpot account and connecting Pennylane or Sage Active through
 * their consent screens, end to end against the emulators (each consent screen approves at
 * once; the tests follow its redirect by hand, as the browser would), the `state` checks
 * that protect those callbacks, and removing a tenant after an uninstall.
 */
import { afterEach, describe, expect, it } from "vitest";
import { DomainError } from "@encaisse/shared";
import { authorizeUrlResponseSchema } from "@encaisse/shared/contracts";
import { HUBSPOT_REQUIRED_SCOPES } from "../../functions/src/hubspot/oauth";
import { ENCAISSE_PROPERTIES } from "../../functions/src/hubspot/properties";
import {
  oauthStateKey,
  signOAuthState,
  OAUTH_STATE_TTL_MS,
} from "../../functions/src/services/connections/oauth-state";
import { uninstallTenant } from "../../functions/src/services/connections/uninstall";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { SANDBOX_HUBSPOT_APP, SANDBOX_PORTAL_ID } from "../emulators/hubspot";
import { generateBook } from "../fixtures/generate";
import {
  NO_PROVIDER_ROWS,
  locationOf,
  providerRowCounts,
  rawCiphertext,
  seedProviderRows,
} from "./connection-support";
import {
  BACKEND_URL,
  type BackendHarness,
  type HarnessOptions,
  PORTAL_ID,
  USER_ID,
  startBackendHarness,
} from "./harness";

const BOOK = generateBook({ companies: 3, invoices: 12 });
const INSTALLED_PORTAL = String(SANDBOX_PORTAL_ID);
const PENNYLANE_APP = {
  clientId: "encaisse-pennylane-client",
  clientSecret: "encaisse-pennylane-client-secret",
};
const PENNYLANE_ENV = {
  PENNYLANE_CLIENT_ID: PENNYLANE_APP.clientId,
  PENNYLANE_CLIENT_SECRET: PENNYLANE_APP.clientSecret,
};

/** A browser's visit: a plain (unsigned) request to the backend. */
function visit(h: BackendHarness, url: URL | string): Promise<Response> {
  return Promise.resolve(h.app.request(url.toString()));
}

/** The page says it in both languages, and shows the error code when there is one. */
async function pageOf(response: Response): Promise<string> {
  expect(response.headers.get("content-type")).toMatch(/^text\/html/);
  expect(response.headers.get("cache-control")).toBe("no-store");
  const html = await response.text();
  expect(html).toContain('lang="fr"');
  expect(html).toContain('lang="en"');
  expect(html).not.toMatch(/<(script|link|img)\b/);
  return html;
}

function hubspotRefreshTokenKnown(h: BackendHarness, refreshToken: string): Promise<boolean> {
  return h.hubspot
    .handle(new Request(`https://api.hubapi.com/oauth/v1/refresh-tokens/${refreshToken}`))
    .then((response) => response.status === 200);
}

async function pennylaneAccepts(h: BackendHarness, accessToken: string): Promise<boolean> {
  const response = await h.pennylane.handle(
    new Request("https://app.pennylane.com/api/external/v2/me", {
      headers: { authorization: `Bearer ${accessToken}` },
    }),
  );
  return response.status === 200;
}

describe.each(TEST_DRIVERS)("install and connection flows (%s store)", (driver) => {
  let harness: BackendHarness | undefined;

  async function start(options: HarnessOptions = {}): Promise<BackendHarness> {
    harness = await startBackendHarness({ driver, book: BOOK, ...options });
    return harness;
  }

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  /** Install -> HubSpot's consent page -> our callback URL (not visited yet). */
  async function hubspotCallbackUrl(h: BackendHarness): Promise<URL> {
    const install = await visit(h, `${BACKEND_URL}/oauth/hubspot/install`);
    const consent = locationOf(install);
    return locationOf(await h.hubspot.handle(new Request(consent)));
  }

  describe("installing on HubSpot", () => {
    it("install -> consent -> callback creates the tenant, keeps its tokens encrypted and creates the Encaisse properties", async () => {
      const h = await start();
      const install = await visit(h, `${BACKEND_URL}/oauth/hubspot/install`);
      const consent = locationOf(install);
      expect(`${consent.origin}${consent.pathname}`).toBe(
        "https://app.hubspot.com/oauth/authorize",
      );
      expect(consent.searchParams.get("client_id")).toBe(SANDBOX_HUBSPOT_APP.clientId);
      expect(consent.searchParams.get("scope")?.split(" ")).toEqual([...HUBSPOT_REQUIRED_SCOPES]);
      expect(consent.searchParams.get("redirect_uri")).toBe(
        `${BACKEND_URL}/oauth/hubspot/callback`,
      );
      expect(await h.backend.repos.tenants.get(INSTALLED_PORTAL)).toBeNull();

      const callback = locationOf(await h.hubspot.handle(new Request(consent)));
      expect(callback.searchParams.get("state")).toBe(consent.searchParams.get("state"));
      const response = await visit(h, callback);
      expect(response.status).toBe(200);
      const html = await pageOf(response);
      expect(html).toContain("Encaisse est installé");
      expect(html).toContain("Encaisse is installed");
      expect(html).toContain(INSTALLED_PORTAL);

      const tenant = await h.backend.tenant(INSTALLED_PORTAL);
      expect(tenant.activeProvider).toBeNull();
      const secret = await h.backend.repos.credentials.load(INSTALLED_PORTAL, "hubspot");
      if (secret?.method !== "oauth") throw new Error("Expected HubSpot OAuth tokens.");
      const raw = await rawCiphertext(h.backend, INSTALLED_PORTAL, "hubspot");
      expect(raw).toMatch(/^v1:/);
      expect(raw).not.toContain(secret.tokens.accessToken);
      expect(raw).not.toContain(secret.tokens.refreshToken);
      expect(await hubspotRefreshTokenKnown(h, secret.tokens.refreshToken)).toBe(true);

      const portal = h.hubspot.portal(SANDBOX_PORTAL_ID);
      for (const objectType of ["companies", "deals"] as const) {
        for (const property of ENCAISSE_PROPERTIES[objectType]) {
          expect(portal.properties.get(objectType, property.name)?.groupName).toBe("encaisse");
        }
      }
      const [entry] = (await h.backend.repos.audit.list(INSTALLED_PORTAL)).entries;
      expect(entry).toMatchObject({
        action: "app.installed",
        objectId: INSTALLED_PORTAL,
        details: { propertiesErrorCode: null },
      });
      // The tenant's CRM client works with the stored tokens.
      expect(await h.backend.crm(INSTALLED_PORTAL).ensureEncaisseProperties()).toEqual({
        createdGroups: [],
        createdProperties: [],
      });
    });

    it("HubSpot failing to create the properties does not fail the install; the page says they come later", async () => {
      const h = await start();
      const callback = await hubspotCallbackUrl(h);
      // The CRM API answers 502 (OAuth still works): the properties cannot be created.
      h.hubspot.faults.serverErrors({ durationMs: 60_000 });
      const response = await visit(h, callback);
      h.hubspot.faults.reset();
      expect(response.status).toBe(200);
      const html = await pageOf(response);
      expect(html).toContain("Encaisse is installed");
      expect(html).toContain("the first sync will create them");
      expect(await h.backend.repos.credentials.load(INSTALLED_PORTAL, "hubspot")).not.toBeNull();
      const [entry] = (await h.backend.repos.audit.list(INSTALLED_PORTAL)).entries;
      expect(entry?.details["propertiesErrorCode"]).toBe("HUBSPOT_UNAVAILABLE");
      expect(
        h.hubspot
          .portal(SANDBOX_PORTAL_ID)
          .properties.get("companies", "encaisse_last_payment_date"),
      ).toBeUndefined();
    });

    it("a consent HubSpot did not give answers a clear error page and installs nothing", async () => {
      const h = await start();
      const callback = await hubspotCallbackUrl(h);
      const denied = new URL("/oauth/hubspot/callback", BACKEND_URL);
      denied.searchParams.set("error", "access_denied");
      denied.searchParams.set("state", callback.searchParams.get("state") ?? "");
      const response = await visit(h, denied);
      expect(response.status).toBe(400);
      expect(await pageOf(response)).toContain("OAUTH_ACCESS_DENIED");
      expect(await h.backend.repos.tenants.get(INSTALLED_PORTAL)).toBeNull();
    });
  });

  describe("the state of a callback", () => {
    const secret = SANDBOX_HUBSPOT_APP.clientSecret;

    function withState(callback: URL, state: string): URL {
      const url = new URL(callback);
      url.searchParams.set("state", state);
      return url;
    }

    /** A state claiming another portal, with the original signature. */
    function retargeted(state: string): string {
      const [payload = "", signature = ""] = state.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Record<
        string,
        unknown
      >;
      const forged = Buffer.from(JSON.stringify({ ...claims, portalId: "12345" })).toString(
        "base64url",
      );
      return `${forged}.${signature}`;
    }

    it.each([
      {
        name: "a state whose claims were altered",
        state: (original: string) => retargeted(original),
        code: "OAUTH_STATE_INVALID",
      },
      {
        name: "a state signed with another key",
        state: () =>
          signOAuthState(
            oauthStateKey("not-our-secret"),
            { flow: "hubspot", portalId: null, userId: null },
            Date.now(),
          ),
        code: "OAUTH_STATE_INVALID",
      },
      {
        name: "a state made for the Pennylane flow",
        state: () =>
          signOAuthState(
            oauthStateKey(secret),
            { flow: "pennylane", portalId: PORTAL_ID, userId: USER_ID },
            Date.now(),
          ),
        code: "OAUTH_STATE_INVALID",
      },
      {
        name: "a state older than 10 minutes",
        state: () =>
          signOAuthState(
            oauthStateKey(secret),
            { flow: "hubspot", portalId: null, userId: null },
            Date.now() - OAUTH_STATE_TTL_MS - 1_000,
          ),
        code: "OAUTH_STATE_EXPIRED",
      },
      { name: "no state at all", state: () => "", code: "OAUTH_STATE_INVALID" },
      { name: "a state that is not ours", state: () => "csrf-123", code: "OAUTH_STATE_INVALID" },
    ])("$name is refused with $code and nothing is installed", async ({ state, code }) => {
      const h = await start();
      const callback = await hubspotCallbackUrl(h);
      const response = await visit(
        h,
        withState(callback, state(callback.searchParams.get("state") ?? "")),
      );
      expect(response.status).toBe(400);
      expect(await pageOf(response)).toContain(code);
      expect(await h.backend.repos.tenants.get(INSTALLED_PORTAL)).toBeNull();
      // The code was not spent: the genuine callback still installs.
      expect((await visit(h, callback)).status).toBe(200);
      expect(await h.backend.repos.tenants.get(INSTALLED_PORTAL)).not.toBeNull();
    });

    it("a state works once: the same callback again is refused before any code exchange", async () => {
      const h = await start();
      const callback = await hubspotCallbackUrl(h);
      expect((await visit(h, callback)).status).toBe(200);
      h.hubspot.resetStats();
      const again = await visit(h, callback);
      expect(again.status).toBe(400);
      expect(await pageOf(again)).toContain("OAUTH_STATE_REUSED");
      expect(h.hubspot.stats.totalRequests).toBe(0);
    });
  });

  describe("connecting Pennylane with OAuth", () => {
    it("sign-in link -> Pennylane consent -> callback connects the company with encrypted, working tokens", async () => {
      const h = await start({ provider: null, env: PENNYLANE_ENV });
      h.pennylane.registerOAuthClient({
        ...PENNYLANE_APP,
        redirectUris: [`${BACKEND_URL}/oauth/pennylane/callback`],
      });
      const link = await h.signedFetch("GET", "/v1/connections/pennylane/authorize-url");
      expect(link.status).toBe(200);
      const consent = new URL(authorizeUrlResponseSchema.parse(await link.json()).url);
      expect(`${consent.origin}${consent.pathname}`).toBe(
        "https://app.pennylane.com/oauth/authorize",
      );
      const callback = locationOf(await h.pennylane.handle(new Request(consent)));
      expect(`${callback.origin}${callback.pathname}`).toBe(
        `${BACKEND_URL}/oauth/pennylane/callback`,
      );

      const response = await visit(h, callback);
      expect(response.status).toBe(200);
      const html = await pageOf(response);
      expect(html).toContain("Pennylane est connecté");
      expect(html).toContain("Atelier Encaisse SAS");

      const tenant = await h.backend.tenant(PORTAL_ID);
      expect(tenant.activeProvider).toBe("pennylane");
      expect(tenant.providerAccountId).toBe("42001");
      const secret = await h.backend.repos.credentials.load(PORTAL_ID, "pennylane");
      if (secret?.method !== "oauth") throw new Error("Expected Pennylane OAuth tokens.");
      expect(await rawCiphertext(h.backend, PORTAL_ID, "pennylane")).not.toContain(
        secret.tokens.accessToken,
      );
      const [entry] = (await h.backend.repos.audit.list(PORTAL_ID)).entries;
      expect(entry).toMatchObject({
        action: "connection.connected",
        actor: USER_ID,
        details: { method: "oauth", accountId: "42001" },
      });
      const provider = await h.backend.provider(tenant);
      expect((await provider?.probe())?.companyName).toBe("Atelier Encaisse SAS");

      // Disconnecting revokes the tokens at Pennylane.
      expect(await pennylaneAccepts(h, secret.tokens.accessToken)).toBe(true);
      const disconnect = await h.signedFetch("DELETE", "/v1/connections/pennylane");
      expect(disconnect.status).toBe(200);
      expect(await pennylaneAccepts(h, secret.tokens.accessToken)).toBe(false);
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "pennylane")).toBeNull();
    });

    it("a code Pennylane refuses answers an error page and saves nothing", async () => {
      const h = await start({ provider: null, env: PENNYLANE_ENV });
      h.pennylane.registerOAuthClient(PENNYLANE_APP);
      const link = await h.signedFetch("GET", "/v1/connections/pennylane/authorize-url");
      const consent = new URL(authorizeUrlResponseSchema.parse(await link.json()).url);
      const callback = locationOf(await h.pennylane.handle(new Request(consent)));
      callback.searchParams.set("code", "made-up-code");
      const response = await visit(h, callback);
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(await pageOf(response)).toContain("PROVIDER_AUTH_FAILED");
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "pennylane")).toBeNull();
      expect((await h.backend.tenant(PORTAL_ID)).activeProvider).toBeNull();
    });
  });

  describe("connecting Sage Active with OAuth", () => {
    it("the first usable organization is connected, the page names the others, and Pennylane is replaced", async () => {
      const h = await start();
      await seedProviderRows(h.backend, PORTAL_ID, "pennylane");
      h.sage.addOrganization({ socialName: "Filiale Nord SAS" });
      h.sage.addOrganization({ socialName: "Projet Pas Prêt SAS", status: "PENDING" });
      const link = await h.signedFetch("GET", "/v1/connections/sage_active/authorize-url");
      const consent = new URL(authorizeUrlResponseSchema.parse(await link.json()).url);
      const callback = locationOf(await h.sage.handleAuth(new Request(consent)));
      const response = await visit(h, callback);
      expect(response.status).toBe(200);
      const html = await pageOf(response);
      expect(html).toContain("Sage Active est connecté");
      expect(html).toContain("Encaisse Démo SAS");
      expect(html).toContain("Filiale Nord SAS");
      expect(html).not.toContain("Projet Pas Prêt SAS");

      const tenant = await h.backend.tenant(PORTAL_ID);
      expect(tenant.activeProvider).toBe("sage_active");
      expect(tenant.providerAccountId).toBe(h.sage.defaultOrganizationId);
      const secret = await h.backend.repos.credentials.load(PORTAL_ID, "sage_active");
      if (secret?.method !== "oauth") throw new Error("Expected Sage Active OAuth tokens.");
      expect(h.sage.auth.verify(secret.tokens.accessToken).valid).toBe(true);
      expect(await rawCiphertext(h.backend, PORTAL_ID, "sage_active")).not.toContain(
        secret.tokens.refreshToken,
      );
      const provider = await h.backend.provider(tenant);
      expect((await provider?.probe())?.companyId).toBe(h.sage.defaultOrganizationId);

      // One accounting software per account: Pennylane and its copied data are gone.
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "pennylane")).toBeNull();
      expect(await providerRowCounts(h.backend, PORTAL_ID, "pennylane")).toEqual(NO_PROVIDER_ROWS);
      const actions = (await h.backend.repos.audit.list(PORTAL_ID)).entries.map((entry) => [
        entry.action,
        entry.objectId,
        entry.details["reason"] ?? null,
      ]);
      expect(actions).toEqual([
        ["connection.connected", "sage_active", null],
        ["connection.disconnected", "pennylane", "replaced"],
      ]);

      // Disconnecting revokes the Sage grant.
      expect((await h.signedFetch("DELETE", "/v1/connections/sage_active")).status).toBe(200);
      expect(h.sage.auth.verify(secret.tokens.accessToken).valid).toBe(false);
    });

    it("a Sage user with no usable organization gets an error page and nothing is saved", async () => {
      const h = await start({ provider: null });
      Object.assign(h.sage.organization().organization, { status: "PENDING" });
      const link = await h.signedFetch("GET", "/v1/connections/sage_active/authorize-url");
      const consent = new URL(authorizeUrlResponseSchema.parse(await link.json()).url);
      const callback = locationOf(await h.sage.handleAuth(new Request(consent)));
      const response = await visit(h, callback);
      expect(response.status).toBe(422);
      expect(await pageOf(response)).toContain("SAGE_NO_USABLE_ORGANIZATION");
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "sage_active")).toBeNull();
      expect((await h.backend.tenant(PORTAL_ID)).activeProvider).toBeNull();
      expect(h.sage.auth.stats.revocations).toBeGreaterThan(0);
    });

    it("names from the provider are escaped in the page", async () => {
      const h = await start({ provider: null });
      Object.assign(h.sage.organization().organization, { status: "PENDING" });
      h.sage.addOrganization({ socialName: 'Dupont & Fils <img src=x onerror="alert(1)">' });
      const link = await h.signedFetch("GET", "/v1/connections/sage_active/authorize-url");
      const consent = new URL(authorizeUrlResponseSchema.parse(await link.json()).url);
      const response = await visit(h, locationOf(await h.sage.handleAuth(new Request(consent))));
      expect(response.status).toBe(200);
      const html = await pageOf(response);
      expect(html).toContain("Dupont &amp; Fils &lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    });

    it("a sign-in link made for one portal cannot connect another: the state is signed", async () => {
      const h = await start();
      const link = await h.signedFetch("GET", "/v1/connections/sage_active/authorize-url");
      const consent = new URL(authorizeUrlResponseSchema.parse(await link.json()).url);
      const state = consent.searchParams.get("state") ?? "";
      const [payload = "", signature = ""] = state.split(".");
      const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as object;
      consent.searchParams.set(
        "state",
        `${Buffer.from(JSON.stringify({ ...claims, portalId: "88001" })).toString("base64url")}.${signature}`,
      );
      await h.backend.repos.tenants.install("88001");
      const callback = locationOf(await h.sage.handleAuth(new Request(consent)));
      const response = await visit(h, callback);
      expect(response.status).toBe(400);
      expect(await pageOf(response)).toContain("OAUTH_STATE_INVALID");
      expect(await h.backend.repos.credentials.list("88001")).toEqual([]);
    });
  });

  describe("uninstalling", () => {
    it("uninstallTenant revokes the tokens, deletes credentials and personal data, and keeps the tenant's history", async () => {
      const h = await start({ provider: "sage_active" });
      await seedProviderRows(h.backend, PORTAL_ID, "sage_active");
      await h.backend.repos.audit.append(PORTAL_ID, {
        actor: USER_ID,
        action: "invoice.created",
        objectType: "deal",
        objectId: "123",
      });
      const hubspotSecret = await h.backend.repos.credentials.load(PORTAL_ID, "hubspot");
      const sageSecret = await h.backend.repos.credentials.load(PORTAL_ID, "sage_active");
      if (hubspotSecret?.method !== "oauth" || sageSecret?.method !== "oauth") {
        throw new Error("The harness connects HubSpot and Sage Active with OAuth.");
      }

      const outcome = await uninstallTenant(h.backend, PORTAL_ID);
      expect(outcome).toEqual({
        uninstalled: true,
        revocations: { hubspot: "revoked", sage_active: "revoked" },
      });
      expect(await h.backend.repos.credentials.list(PORTAL_ID)).toEqual([]);
      expect(await providerRowCounts(h.backend, PORTAL_ID, "sage_active")).toEqual({
        ...NO_PROVIDER_ROWS,
        // Links are pseudonymous (ids only) and kept, without who made them.
        customerLinks: 1,
      });
      expect(
        (await h.backend.repos.customerLinks.list(PORTAL_ID, "sage_active"))[0]?.linkedBy,
      ).toBeNull();
      const tenant = await h.backend.repos.tenants.get(PORTAL_ID);
      expect(tenant?.uninstalledAt).not.toBeNull();
      expect(tenant?.activeProvider).toBeNull();
      const audit = (await h.backend.repos.audit.list(PORTAL_ID)).entries;
      expect(audit.map((entry) => [entry.action, entry.actor])).toEqual([
        ["tenant.uninstalled", null],
        ["invoice.created", null],
      ]);
      expect(h.sage.auth.verify(sageSecret.tokens.accessToken).valid).toBe(false);
      expect(await hubspotRefreshTokenKnown(h, hubspotSecret.tokens.refreshToken)).toBe(false);

      // The card and settings now say the app is not installed.
      const settings = await h.signedFetch("GET", "/v1/settings");
      expect(settings.status).toBe(404);
      await expect(h.backend.tenant(PORTAL_ID)).rejects.toSatisfy(
        (error) => error instanceof DomainError && error.code === "TENANT_NOT_INSTALLED",
      );
      // A second event for the same uninstall does nothing.
      expect(await uninstallTenant(h.backend, PORTAL_ID)).toEqual({
        uninstalled: false,
        revocations: {},
      });
    });

    it("a provider refusing the revocation does not stop the uninstall", async () => {
      // Our Pennylane OAuth app is configured here but unknown to Pennylane: revoking fails.
      const h = await start({ provider: null, env: PENNYLANE_ENV });
      await h.backend.repos.credentials.save(PORTAL_ID, "pennylane", {
        method: "oauth",
        tokens: {
          accessToken: "pennylane-access",
          refreshToken: "pennylane-refresh",
          expiresAt: Date.now() + 3_600_000,
          scope: null,
        },
      });
      await h.backend.repos.tenants.setActiveProvider(PORTAL_ID, "pennylane", "42001");
      const outcome = await uninstallTenant(h.backend, PORTAL_ID);
      expect(outcome).toEqual({
        uninstalled: true,
        revocations: { hubspot: "revoked", pennylane: "failed" },
      });
      expect(await h.backend.repos.credentials.list(PORTAL_ID)).toEqual([]);
      expect((await h.backend.repos.tenants.get(PORTAL_ID))?.uninstalledAt).not.toBeNull();
    });
  });
});
