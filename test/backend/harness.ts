/**
 * A whole backend for tests: the real app and services over an embedded store (or the real
 * PostgreSQL when DATABASE_URL is set), with HubSpot, Pennylane and Sage Active emulated at
 * the network boundary by msw. Calls from "HubSpot" are signed exactly as HubSpot signs them.
 */
import { setupServer } from "msw/node";
import { loadConfig } from "../../functions/src/config";
import { type Backend, openBackend, silentLogger } from "../../functions/src/backend";
import { type AppEnv, createApp } from "../../functions/src/app";
import { signAsHubSpot } from "../../functions/src/hubspot/signature";
import { openTestStore } from "../../functions/test/support/store";
import type { Hono } from "hono";
import type { StoreDriver } from "../../functions/src/store";
import type { JobQueue } from "../../functions/src/jobs/types";
import type { Clock } from "../../functions/src/net/clock";
import { generateBook } from "../fixtures/generate";
import type { Book } from "../fixtures/book";
import { HubSpotEmulator, hubspotMswHandlers, SANDBOX_HUBSPOT_APP } from "../emulators/hubspot";
import { PennylaneEmulator, pennylaneMswHandlers } from "../emulators/pennylane";
import {
  SageActiveEmulator,
  sageActiveMswHandlers,
  SANDBOX_CREDENTIALS,
} from "../emulators/sage-active";

export const PORTAL_ID = "62515";
export const USER_ID = "7001";
export const USER_EMAIL = "rep@example.fr";
export const PENNYLANE_TOKEN = "pennylane-company-token-0123456789";
export const BACKEND_URL = "http://localhost:3000";

export interface BackendHarness {
  readonly backend: Backend;
  readonly app: Hono<AppEnv>;
  readonly book: Book;
  readonly hubspot: HubSpotEmulator;
  readonly pennylane: PennylaneEmulator;
  readonly sage: SageActiveEmulator;
  /** HubSpot company ids by book company key. */
  readonly companyIds: Readonly<Record<string, string>>;
  /** Calls the backend as `hubspot.fetch` would: signed, with portalId/userId/userEmail/appId. */
  signedFetch(
    method: string,
    path: string,
    body?: unknown,
    options?: { portalId?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly driver?: StoreDriver;
  readonly book?: Book;
  readonly provider?: "pennylane" | "sage_active" | null;
  /** More environment for the backend's config (e.g. PENNYLANE_CLIENT_ID for OAuth tests). */
  readonly env?: Readonly<Record<string, string>>;
  /** The backend's job queue (an in-process one by default). */
  readonly jobs?: JobQueue;
  /** One clock for the backend and the three emulators (e.g. a virtual one). */
  readonly clock?: Clock;
}

export async function startBackendHarness(options: HarnessOptions = {}): Promise<BackendHarness> {
  const book = options.book ?? generateBook({ companies: 20, invoices: 300 });
  const clock = options.clock;
  const now = clock ? { now: () => new Date(clock.now()) } : {};
  const hubspot = new HubSpotEmulator(now);
  const pennylane = new PennylaneEmulator(now);
  const sage = new SageActiveEmulator({ seed: 7, ...now });
  const installed = hubspot.installApp(Number(PORTAL_ID));
  const loadedHubSpot = hubspot.loadBook(Number(PORTAL_ID), book);
  pennylane.addApiToken(PENNYLANE_TOKEN);
  pennylane.loadBook(book);
  const loadedSage = sage.loadBook(book);

  const msw = setupServer(
    ...hubspotMswHandlers(hubspot),
    ...pennylaneMswHandlers(pennylane),
    ...sageActiveMswHandlers(sage),
  );
  msw.listen({ onUnhandledRequest: "error" });

  const config = loadConfig({
    NODE_ENV: "test",
    ENCAISSE_SANDBOX: "1",
    HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_APP.clientId,
    HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_APP.clientSecret,
    HUBSPOT_APP_ID: String(SANDBOX_HUBSPOT_APP.appId),
    PUBLIC_BASE_URL: BACKEND_URL,
    SAGE_ACTIVE_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    SAGE_ACTIVE_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    SAGE_ACTIVE_API_KEY: SANDBOX_CREDENTIALS.apiKey,
    ...options.env,
  });
  const opened = await openTestStore(options.driver ?? "pglite");
  const backend = await openBackend(config, {
    store: opened.store,
    logger: silentLogger,
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(clock ? { clock } : {}),
  });
  await backend.repos.tenants.install(PORTAL_ID);
  await backend.repos.credentials.save(PORTAL_ID, "hubspot", {
    method: "oauth",
    tokens: {
      accessToken: installed.accessToken,
      refreshToken: installed.refreshToken,
      expiresAt: installed.expiresAt.getTime(),
      scope: installed.scopes.join(" "),
    },
  });
  const provider = options.provider === undefined ? "pennylane" : options.provider;
  if (provider === "pennylane") {
    await backend.repos.credentials.save(PORTAL_ID, "pennylane", {
      method: "api_token",
      token: PENNYLANE_TOKEN,
    });
    await backend.repos.tenants.setActiveProvider(PORTAL_ID, "pennylane", null);
  } else if (provider === "sage_active") {
    const issued = sage.issueTokens();
    await backend.repos.credentials.save(PORTAL_ID, "sage_active", {
      method: "oauth",
      tokens: {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token ?? "",
        expiresAt: (clock?.now() ?? Date.now()) + issued.expires_in * 1000,
        scope: issued.scope,
      },
    });
    await backend.repos.tenants.setActiveProvider(
      PORTAL_ID,
      "sage_active",
      loadedSage.organizationId,
    );
  }
  const app = createApp(backend);
  const companyIds = loadedHubSpot.companyIds;

  return {
    backend,
    app,
    book,
    hubspot,
    pennylane,
    sage,
    companyIds,
    async signedFetch(method, path, body, fetchOptions = {}) {
      const url = new URL(path, BACKEND_URL);
      url.searchParams.set("portalId", fetchOptions.portalId ?? PORTAL_ID);
      url.searchParams.set("userId", USER_ID);
      url.searchParams.set("userEmail", USER_EMAIL);
      url.searchParams.set("appId", String(SANDBOX_HUBSPOT_APP.appId));
      const rawBody = body === undefined ? "" : JSON.stringify(body);
      const headers = signAsHubSpot({
        method,
        url: url.toString(),
        body: rawBody,
        clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
      });
      return app.request(url.toString(), {
        method,
        headers: {
          ...headers,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: rawBody }),
      });
    },
    async close() {
      msw.close();
      await backend.close();
      await opened.close();
      hubspot.close();
      pennylane.close();
    },
  };
}
