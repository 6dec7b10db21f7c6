/**
 * The settings page's endpoints as HubSpot calls them (signed `hubspot.fetch`): reading and
 * changing the tenant's settings, connecting Pennylane with a company API token,
 * disconnecting, the connections' and the sync's status, and what another tenant, a bad
 * input or an unsigned call gets.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  authorizeUrlResponseSchema,
  connectionSchema,
  connectionsResponseSchema,
  type Settings,
  settingsSchema,
  syncStatusResponseSchema,
} from "@encaisse/shared/contracts";
import type { Job, JobQueue } from "../../functions/src/jobs/types";
import { DEFAULT_SETTINGS } from "../../functions/src/store";
import { syncTenant } from "../../functions/src/sync/sync-tenant";
import { syncCursors } from "../../functions/src/store/schema";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { generateBook } from "../fixtures/generate";
import {
  NO_PROVIDER_ROWS,
  ONE_OF_EACH_PROVIDER_ROW,
  errorCodeOf,
  providerRowCounts,
  rawCiphertext,
  seedProviderRows,
} from "./connection-support";
import {
  BACKEND_URL,
  type BackendHarness,
  type HarnessOptions,
  PENNYLANE_TOKEN,
  PORTAL_ID,
  USER_ID,
  startBackendHarness,
} from "./harness";

const BOOK = generateBook({ companies: 3, invoices: 12 });
const OTHER_PORTAL = "88001";
const NEVER_INSTALLED_PORTAL = "99999";
const GOOD_TOKEN = "pennylane-second-company-token-abcdef";

/** A job queue that only records what it is given. */
function recordingQueue(): { queued: Job[]; jobs: JobQueue } {
  const queued: Job[] = [];
  const jobs: JobQueue = {
    enqueue: (job) => {
      queued.push(job);
      return Promise.resolve();
    },
    deadLetters: () => Promise.resolve([]),
  };
  return { queued, jobs };
}

describe.each(TEST_DRIVERS)("settings and connections (%s store)", (driver) => {
  let harness: BackendHarness | undefined;

  async function start(options: HarnessOptions = {}): Promise<BackendHarness> {
    harness = await startBackendHarness({ driver, book: BOOK, ...options });
    return harness;
  }

  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  async function settingsOf(h: BackendHarness, portalId = PORTAL_ID): Promise<Settings> {
    const response = await h.signedFetch("GET", "/v1/settings", undefined, { portalId });
    expect(response.status).toBe(200);
    return settingsSchema.parse(await response.json());
  }

  async function auditActions(h: BackendHarness, portalId = PORTAL_ID) {
    return (await h.backend.repos.audit.list(portalId)).entries;
  }

  describe("settings", () => {
    it("a new install reads the default settings", async () => {
      const h = await start();
      expect(await settingsOf(h)).toEqual(DEFAULT_SETTINGS);
    });

    it("a partial change is merged into the rest, kept, and audit-logged with the changed keys", async () => {
      const h = await start();
      const response = await h.signedFetch("PUT", "/v1/settings", {
        invoiceMode: "finalized",
        freshnessWindowSeconds: 600,
        defaultVatCode: DEFAULT_SETTINGS.defaultVatCode,
      });
      expect(response.status).toBe(200);
      const saved = settingsSchema.parse(await response.json());
      expect(saved).toEqual({
        ...DEFAULT_SETTINGS,
        invoiceMode: "finalized",
        freshnessWindowSeconds: 600,
      });
      expect(await settingsOf(h)).toEqual(saved);
      const [entry] = await auditActions(h);
      expect(entry).toMatchObject({
        action: "settings.updated",
        actor: USER_ID,
        objectType: "settings",
        objectId: PORTAL_ID,
      });
      // The unchanged VAT code sent along is not reported as a change.
      expect([...(entry?.details["changed"] as string[])].sort()).toEqual([
        "freshnessWindowSeconds",
        "invoiceMode",
      ]);
    });

    it("sending the settings as they are changes nothing and writes no audit entry", async () => {
      const h = await start();
      const response = await h.signedFetch("PUT", "/v1/settings", {
        invoiceMode: DEFAULT_SETTINGS.invoiceMode,
      });
      expect(response.status).toBe(200);
      expect(await auditActions(h)).toEqual([]);
    });

    it.each([
      { body: { freshnessWindowSeconds: 5 }, field: "freshnessWindowSeconds" },
      { body: { invoiceMode: "sent" }, field: "invoiceMode" },
      { body: { wonStageIds: [] }, field: "wonStageIds" },
      { body: { defaultVatCode: "FR_999" }, field: "defaultVatCode" },
      { body: { digestEnabled: "yes" }, field: "digestEnabled" },
      { body: { invoiceMod: "finalized" }, field: "" },
      { body: ["invoiceMode", "finalized"], field: "" },
    ])(
      "a bad change ($body) is refused with VALIDATION_FAILED naming the field, and nothing is written",
      async ({ body, field }) => {
        const h = await start();
        const response = await h.signedFetch("PUT", "/v1/settings", body);
        expect(response.status).toBe(400);
        const answer = (await response.json()) as {
          error: { code: string; details: { fields: { field: string }[] } };
        };
        expect(answer.error.code).toBe("VALIDATION_FAILED");
        expect(answer.error.details.fields.map((problem) => problem.field)).toContain(field);
        expect(await settingsOf(h)).toEqual(DEFAULT_SETTINGS);
        expect(await auditActions(h)).toEqual([]);
      },
    );

    it("another tenant reads and changes only its own settings", async () => {
      const h = await start();
      await h.backend.repos.tenants.install(OTHER_PORTAL);
      const change = await h.signedFetch(
        "PUT",
        "/v1/settings",
        { invoiceMode: "finalized" },
        {
          portalId: OTHER_PORTAL,
        },
      );
      expect(change.status).toBe(200);
      expect((await settingsOf(h, OTHER_PORTAL)).invoiceMode).toBe("finalized");
      expect(await settingsOf(h, PORTAL_ID)).toEqual(DEFAULT_SETTINGS);
      expect(await auditActions(h, PORTAL_ID)).toEqual([]);
      expect((await auditActions(h, OTHER_PORTAL)).map((entry) => entry.action)).toEqual([
        "settings.updated",
      ]);
    });

    it("a portal that never installed gets TENANT_NOT_INSTALLED and no tenant is created", async () => {
      const h = await start();
      for (const [method, body] of [
        ["GET", undefined],
        ["PUT", { invoiceMode: "finalized" }],
      ] as const) {
        const response = await h.signedFetch(method, "/v1/settings", body, {
          portalId: NEVER_INSTALLED_PORTAL,
        });
        expect(response.status).toBe(404);
        expect(await errorCodeOf(response)).toBe("TENANT_NOT_INSTALLED");
      }
      expect(await h.backend.repos.tenants.get(NEVER_INSTALLED_PORTAL)).toBeNull();
    });

    it("a call without HubSpot's signature is refused before anything is read", async () => {
      const h = await start();
      const response = await h.app.request(`${BACKEND_URL}/v1/settings?portalId=${PORTAL_ID}`, {
        method: "PUT",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ invoiceMode: "finalized" }),
      });
      expect(response.status).toBe(401);
      expect(await settingsOf(h)).toEqual(DEFAULT_SETTINGS);
    });
  });

  describe("connecting Pennylane with a company API token", () => {
    it("a good token is checked with GET /me, saved encrypted, made active with its company, and audit-logged", async () => {
      const h = await start({ provider: null });
      h.pennylane.addApiToken(GOOD_TOKEN);
      h.pennylane.resetStats();
      const response = await h.signedFetch("POST", "/v1/connections/pennylane/token", {
        token: ` ${GOOD_TOKEN}\n`,
      });
      expect(response.status).toBe(200);
      const connection = connectionSchema.parse(await response.json());
      expect(connection).toMatchObject({
        provider: "pennylane",
        status: "connected",
        method: "api_token",
        companyName: "Atelier Encaisse SAS",
        lastError: null,
      });
      expect(h.pennylane.stats.byEndpoint).toEqual({ "GET /me": 1 });
      const tenant = await h.backend.tenant(PORTAL_ID);
      expect(tenant.activeProvider).toBe("pennylane");
      expect(tenant.providerAccountId).toBe("42001");
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "pennylane")).toEqual({
        method: "api_token",
        token: GOOD_TOKEN,
      });
      expect(await rawCiphertext(h.backend, PORTAL_ID, "pennylane")).not.toContain(GOOD_TOKEN);
      const [entry] = await auditActions(h);
      expect(entry).toMatchObject({
        action: "connection.connected",
        actor: USER_ID,
        objectId: "pennylane",
        details: { method: "api_token", accountId: "42001", companyName: "Atelier Encaisse SAS" },
      });
      expect(JSON.stringify(entry?.details)).not.toContain(GOOD_TOKEN);
      // The connection is usable as saved: the provider answers for that company.
      const provider = await h.backend.provider(tenant);
      expect((await provider?.probe())?.companyId).toBe("42001");
    });

    it("a new connection queues its first sync, and that sync backfills the book into the read model", async () => {
      const { queued, jobs } = recordingQueue();
      const h = await start({ provider: null, jobs });
      h.pennylane.addApiToken(GOOD_TOKEN);
      const response = await h.signedFetch("POST", "/v1/connections/pennylane/token", {
        token: GOOD_TOKEN,
      });
      expect(response.status).toBe(200);
      expect(queued).toEqual([{ kind: "sync", tenantId: PORTAL_ID, reason: "connect" }]);

      const report = await syncTenant(h.backend, PORTAL_ID);
      expect(report.backfilled).toBe(true);
      const status = syncStatusResponseSchema.parse(
        await (await h.signedFetch("GET", "/v1/sync/status")).json(),
      );
      expect(status.state).toBe("idle");
      expect(status.backfill?.done).toBe(BOOK.invoices.length);
    });

    it("a refused token queues nothing", async () => {
      const { queued, jobs } = recordingQueue();
      const h = await start({ provider: null, jobs });
      const response = await h.signedFetch("POST", "/v1/connections/pennylane/token", {
        token: "pennylane-token-nobody-issued-000000",
      });
      expect(response.status).toBe(400);
      expect(queued).toEqual([]);
    });

    it("a token Pennylane does not know is refused with PROVIDER_TOKEN_INVALID and nothing is saved", async () => {
      const h = await start({ provider: null });
      const response = await h.signedFetch("POST", "/v1/connections/pennylane/token", {
        token: "pennylane-unknown-token-42",
      });
      expect(response.status).toBe(400);
      expect(await errorCodeOf(response)).toBe("PROVIDER_TOKEN_INVALID");
      expect(await h.backend.repos.credentials.list(PORTAL_ID)).toHaveLength(1); // HubSpot only
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "pennylane")).toBeNull();
      expect((await h.backend.tenant(PORTAL_ID)).activeProvider).toBeNull();
      expect(await auditActions(h)).toEqual([]);
    });

    it("a token without the scopes Encaisse needs is refused with PROVIDER_SCOPES_MISSING listing them", async () => {
      const h = await start({ provider: null });
      h.pennylane.addApiToken(GOOD_TOKEN, ["customers:all", "customer_invoices:all"]);
      const response = await h.signedFetch("POST", "/v1/connections/pennylane/token", {
        token: GOOD_TOKEN,
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as {
        error: { code: string; details: { missing: string[] } };
      };
      expect(body.error.code).toBe("PROVIDER_SCOPES_MISSING");
      expect(body.error.details.missing).toEqual([
        "products:readonly",
        "customer_invoice_templates:readonly",
        "transactions:readonly",
      ]);
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "pennylane")).toBeNull();
    });

    it.each([
      {
        path: "/v1/connections/sage_active/token",
        body: { token: GOOD_TOKEN },
        code: "CONNECTION_METHOD_UNSUPPORTED",
      },
      {
        path: "/v1/connections/quickbooks/token",
        body: { token: GOOD_TOKEN },
        code: "VALIDATION_FAILED",
      },
      {
        path: "/v1/connections/pennylane/token",
        body: { token: "short" },
        code: "VALIDATION_FAILED",
      },
      { path: "/v1/connections/pennylane/token", body: {}, code: "VALIDATION_FAILED" },
    ])(
      "$path with $body is refused with $code and nothing is saved",
      async ({ path, body, code }) => {
        const h = await start({ provider: null });
        h.pennylane.addApiToken(GOOD_TOKEN);
        const response = await h.signedFetch("POST", path, body);
        expect(response.status).toBe(400);
        expect(await errorCodeOf(response)).toBe(code);
        expect((await h.backend.repos.credentials.list(PORTAL_ID)).map((c) => c.kind)).toEqual([
          "hubspot",
        ]);
      },
    );

    it("connecting another Pennylane company forgets what was copied from the first one", async () => {
      const h = await start({ provider: null });
      const first = await h.signedFetch("POST", "/v1/connections/pennylane/token", {
        token: PENNYLANE_TOKEN,
      });
      expect(first.status).toBe(200);
      await seedProviderRows(h.backend, PORTAL_ID, "pennylane");
      // The same company again: nothing to forget.
      await h.signedFetch("POST", "/v1/connections/pennylane/token", { token: PENNYLANE_TOKEN });
      expect(await providerRowCounts(h.backend, PORTAL_ID, "pennylane")).toEqual(
        ONE_OF_EACH_PROVIDER_ROW,
      );
      // Another company: the tenant's account id changes, the copied rows go.
      await h.backend.repos.tenants.setActiveProvider(PORTAL_ID, "pennylane", "41999");
      const second = await h.signedFetch("POST", "/v1/connections/pennylane/token", {
        token: PENNYLANE_TOKEN,
      });
      expect(second.status).toBe(200);
      expect(await providerRowCounts(h.backend, PORTAL_ID, "pennylane")).toEqual(NO_PROVIDER_ROWS);
      expect((await h.backend.tenant(PORTAL_ID)).providerAccountId).toBe("42001");
    });
  });

  describe("the connections' status", () => {
    it("lists Pennylane connected with its company and last sync, and Sage Active disconnected", async () => {
      const h = await start({ provider: null });
      await h.signedFetch("POST", "/v1/connections/pennylane/token", { token: PENNYLANE_TOKEN });
      await h.backend.repos.cursors.save(PORTAL_ID, "pennylane", "invoices", { cursor: "42" });
      const response = await h.signedFetch("GET", "/v1/connections");
      expect(response.status).toBe(200);
      const { connections } = connectionsResponseSchema.parse(await response.json());
      const [entry] = await auditActions(h);
      const cursor = await h.backend.repos.cursors.get(PORTAL_ID, "pennylane", "invoices");
      expect(connections).toEqual([
        {
          provider: "pennylane",
          status: "connected",
          method: "api_token",
          companyName: "Atelier Encaisse SAS",
          connectedAt: entry?.at.toISOString(),
          lastSyncAt: cursor?.updatedAt.toISOString(),
          lastError: null,
        },
        {
          provider: "sage_active",
          status: "disconnected",
          method: null,
          companyName: null,
          connectedAt: null,
          lastSyncAt: null,
          lastError: null,
        },
      ]);
    });

    it("a sync stopped on an error shows the connection in error with that error", async () => {
      const h = await start();
      const failure = { code: "PROVIDER_AUTH_FAILED", message: "Pennylane refused the token." };
      await h.backend.repos.cursors.recordError(PORTAL_ID, "pennylane", "changelogs", failure);
      const response = await h.signedFetch("GET", "/v1/connections");
      const { connections } = connectionsResponseSchema.parse(await response.json());
      expect(connections[0]).toMatchObject({
        provider: "pennylane",
        status: "error",
        lastError: failure,
      });
    });

    it("asking for a Pennylane sign-in link without a Pennylane OAuth app says to use a token", async () => {
      const h = await start();
      const response = await h.signedFetch("GET", "/v1/connections/pennylane/authorize-url");
      expect(response.status).toBe(409);
      expect(await errorCodeOf(response)).toBe("PROVIDER_OAUTH_NOT_CONFIGURED");
    });

    it("a Sage Active sign-in link goes to Sage's consent page with our callback and a signed state", async () => {
      const h = await start();
      const response = await h.signedFetch("GET", "/v1/connections/sage_active/authorize-url");
      expect(response.status).toBe(200);
      const url = new URL(authorizeUrlResponseSchema.parse(await response.json()).url);
      expect(`${url.origin}${url.pathname}`).toBe("https://sbcauth.sage.fr/connect/authorize");
      expect(url.searchParams.get("redirect_uri")).toBe(
        `${BACKEND_URL}/oauth/sage-active/callback`,
      );
      expect(url.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    });
  });

  describe("disconnecting", () => {
    it("removes the credentials, the active provider and that provider's copied data, and audit-logs it", async () => {
      const h = await start();
      await h.backend.repos.tenants.install(OTHER_PORTAL);
      await seedProviderRows(h.backend, PORTAL_ID, "pennylane");
      await seedProviderRows(h.backend, PORTAL_ID, "sage_active");
      await seedProviderRows(h.backend, OTHER_PORTAL, "pennylane");
      const response = await h.signedFetch("DELETE", "/v1/connections/pennylane");
      expect(response.status).toBe(200);
      expect(connectionSchema.parse(await response.json())).toMatchObject({
        provider: "pennylane",
        status: "disconnected",
        method: null,
      });
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "pennylane")).toBeNull();
      expect(await rawCiphertext(h.backend, PORTAL_ID, "pennylane")).toBeNull();
      expect((await h.backend.tenant(PORTAL_ID)).activeProvider).toBeNull();
      expect(await providerRowCounts(h.backend, PORTAL_ID, "pennylane")).toEqual(NO_PROVIDER_ROWS);
      // Only that provider, only that tenant.
      expect(await providerRowCounts(h.backend, PORTAL_ID, "sage_active")).toEqual(
        ONE_OF_EACH_PROVIDER_ROW,
      );
      expect(await providerRowCounts(h.backend, OTHER_PORTAL, "pennylane")).toEqual(
        ONE_OF_EACH_PROVIDER_ROW,
      );
      expect(await h.backend.repos.credentials.load(PORTAL_ID, "hubspot")).not.toBeNull();
      const [entry] = await auditActions(h);
      expect(entry).toMatchObject({
        action: "connection.disconnected",
        actor: USER_ID,
        objectId: "pennylane",
        details: { reason: "user", revocation: "not_revocable" },
      });
      // The card now says there is nothing connected.
      const connections = connectionsResponseSchema.parse(
        await (await h.signedFetch("GET", "/v1/connections")).json(),
      );
      expect(connections.connections.map((connection) => connection.status)).toEqual([
        "disconnected",
        "disconnected",
      ]);
    });

    it("disconnecting what is not connected answers disconnected and logs nothing", async () => {
      const h = await start({ provider: null });
      const response = await h.signedFetch("DELETE", "/v1/connections/sage_active");
      expect(response.status).toBe(200);
      expect(connectionSchema.parse(await response.json()).status).toBe("disconnected");
      expect(await auditActions(h)).toEqual([]);
    });
  });

  describe("the sync status", () => {
    it("is idle with nothing connected, and queued once connected until the first run", async () => {
      const h = await start({ provider: null });
      const idle = syncStatusResponseSchema.parse(
        await (await h.signedFetch("GET", "/v1/sync/status")).json(),
      );
      expect(idle).toEqual({ state: "idle", backfill: null, lastRunAt: null, lastError: null });
      await h.signedFetch("POST", "/v1/connections/pennylane/token", { token: PENNYLANE_TOKEN });
      const queued = syncStatusResponseSchema.parse(
        await (await h.signedFetch("GET", "/v1/sync/status")).json(),
      );
      expect(queued.state).toBe("queued");
    });

    it("a moving backfill is running, with its progress and an ETA from its pace so far", async () => {
      const h = await start();
      const now = Date.now();
      // Two streams: 50 of 200 invoices and 30 of 40 customers in the 90 s since the start.
      for (const [stream, done, total] of [
        ["invoices", 50, 200],
        ["customers", 30, 40],
      ] as const) {
        await h.backend.store.db.insert(syncCursors).values({
          tenantId: PORTAL_ID,
          provider: "pennylane",
          stream,
          cursor: String(done),
          backfillDone: done,
          backfillTotal: total,
          startedAt: new Date(now - 100_000),
          updatedAt: new Date(now - 10_000),
        });
      }
      const status = syncStatusResponseSchema.parse(
        await (await h.signedFetch("GET", "/v1/sync/status")).json(),
      );
      // 80 done in 90 s, 160 to go: 180 s.
      expect(status).toEqual({
        state: "running",
        backfill: { done: 80, total: 240, etaSeconds: 180 },
        lastRunAt: new Date(now - 10_000).toISOString(),
        lastError: null,
      });
    });

    it("a stream stopped on an error makes the sync failed with that error", async () => {
      const h = await start();
      await h.backend.repos.cursors.save(PORTAL_ID, "pennylane", "invoices", { cursor: "9" });
      const failure = { code: "PROVIDER_UNAVAILABLE", message: "Pennylane is having trouble." };
      await h.backend.repos.cursors.recordError(PORTAL_ID, "pennylane", "changelogs", failure);
      const status = syncStatusResponseSchema.parse(
        await (await h.signedFetch("GET", "/v1/sync/status")).json(),
      );
      expect(status.state).toBe("failed");
      expect(status.lastError).toEqual(failure);
      expect(status.lastRunAt).not.toBeNull();
    });
  });
});
