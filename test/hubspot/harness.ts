/**
 * What the HubSpot client tests share: the emulator behind msw (every exchange checked
 * against the official specs where they cover the path), a simulated clock both sides read,
 * and a `HubSpotCrm` wired as production wires it (our limiters, retries, OAuth sessions).
 */
import { setupServer } from "msw/node";
import { VAT_CODES } from "@encaisse/shared";
import { afterAll, afterEach, beforeAll, expect } from "vitest";
import type { Clock } from "../../functions/src/net/clock";
import { MemoryTokenStore } from "../../functions/src/net/oauth-session";
import type { RateLimiter } from "../../functions/src/net/rate-limit";
import {
  HubSpotCrm,
  type HubSpotCrmOptions,
  createHubSpotLimiters,
} from "../../functions/src/hubspot/crm";
import { HubSpotOAuth } from "../../functions/src/hubspot/oauth";
import { validateHubSpotExchange } from "../contract/hubspot-contract";
import {
  HUBSPOT_API_URL,
  HUBSPOT_APP_URL,
  HubSpotEmulator,
  hubspotMswHandlers,
  type InstalledApp,
  type Portal,
} from "../emulators/hubspot";

/**
 * Simulated time, read by the emulator and by our client alike. It stands still while a
 * request is on its way, and when nothing is in flight it jumps to the next sleeper's
 * wake-up: a 10 s rate-limit window passes at once, yet HubSpot sees each request at the
 * very instant our limiter let it go, as it would over a quick network.
 */
export class SimulatedClock implements Clock {
  private time: number;
  private inFlight = 0;
  private tickQueued = false;
  private readonly sleepers: Array<{ at: number; wake: () => void }> = [];

  constructor(start: number) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  readonly date = (): Date => new Date(this.time);

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    return new Promise((resolve) => {
      this.sleepers.push({ at: this.time + Math.max(0, ms), wake: resolve });
      this.queueTick();
    });
  }

  /** Jumps ahead, e.g. to bring a token close to its expiry. */
  advance(ms: number): void {
    this.time += ms;
  }

  requestStarted(): void {
    this.inFlight += 1;
  }

  requestEnded(): void {
    this.inFlight -= 1;
    this.queueTick();
  }

  // Woken code reaches the limiter and the next request in microtasks, so by the next
  // macrotask every request it started is counted in flight.
  private queueTick(): void {
    if (this.tickQueued) return;
    this.tickQueued = true;
    setImmediate(() => {
      this.tickQueued = false;
      this.tick();
    });
  }

  private tick(): void {
    if (this.inFlight > 0 || this.sleepers.length === 0) return;
    const next = Math.min(...this.sleepers.map((sleeper) => sleeper.at));
    this.time = Math.max(this.time, next);
    const due = this.sleepers.filter((sleeper) => sleeper.at <= this.time);
    this.sleepers.splice(0, this.sleepers.length, ...this.sleepers.filter((s) => s.at > this.time));
    for (const sleeper of due) sleeper.wake();
    this.queueTick();
  }
}

/** Tells the clock when a request gets through, and records the holds HubSpot asked for. */
export class TrackedLimiter implements RateLimiter {
  readonly blocks: Array<{ key: string; forMs: number }> = [];

  constructor(
    private readonly inner: RateLimiter,
    private readonly clock: SimulatedClock,
  ) {}

  async acquire(key: string, signal?: AbortSignal): Promise<void> {
    await this.inner.acquire(key, signal);
    this.clock.requestStarted();
  }

  block(key: string, untilMs: number): void {
    this.blocks.push({ key, forMs: untilMs - this.clock.now() });
    this.inner.block(key, untilMs);
  }
}

export const CLIENT_ID = "encaisse-test-client";
export const CLIENT_SECRET = "encaisse-test-secret";
export const REDIRECT_URI = "https://encaisse.example.com/v1/oauth/hubspot/callback";

/**
 * One emulator and msw server per test file. Contract breaches seen on the wire fail the
 * test during which they happened.
 */
export function useHubSpot() {
  const clock = new SimulatedClock(Date.parse("2026-11-23T08:00:00.000Z"));
  const emulator = new HubSpotEmulator({
    now: clock.date,
    app: { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, redirectUrls: [REDIRECT_URI] },
  });
  const contractErrors: string[] = [];
  const server = setupServer(
    ...hubspotMswHandlers(emulator, {
      onExchange: async (request, response) => {
        for (const report of await validateHubSpotExchange(request, response)) {
          if (report.covered && !report.valid) contractErrors.push(...report.errors);
        }
      },
    }),
  );

  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => {
    server.resetHandlers();
    emulator.faults.reset();
    const breaches = contractErrors.splice(0);
    expect(breaches, "requests and responses follow HubSpot's specs").toEqual([]);
  });
  afterAll(() => {
    emulator.close();
    server.close();
  });

  const oauth = new HubSpotOAuth({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    apiUrl: HUBSPOT_API_URL,
    appUrl: HUBSPOT_APP_URL,
    redirectUri: REDIRECT_URI,
    clock,
  });

  /** A client for a portal as production builds one: its limiters, retries and OAuth session. */
  function crmFor(
    portalId: string,
    auth: Pick<HubSpotCrmOptions, "accessToken" | "onUnauthorized">,
    overrides: Partial<HubSpotCrmOptions> = {},
  ) {
    const limiters = createHubSpotLimiters(clock);
    const limiter = new TrackedLimiter(limiters.limiter, clock);
    const crm = new HubSpotCrm({
      portalId,
      baseUrl: HUBSPOT_API_URL,
      appUrl: HUBSPOT_APP_URL,
      ...auth,
      limiter,
      searchLimiter: new TrackedLimiter(limiters.searchLimiter, clock),
      clock,
      retryPolicy: { maxAttempts: 4, baseDelayMs: 50, maxDelayMs: 400, maxRateLimitWaits: 20 },
      onRequest: () => clock.requestEnded(),
      ...overrides,
    });
    return { crm, limiter };
  }

  let nextPortalId = 40_000_001;

  /** A portal with the app installed: its tokens in a store, and a client for it. */
  function connect(options: { scopes?: readonly string[]; crm?: Partial<HubSpotCrmOptions> } = {}) {
    const portalId = nextPortalId++;
    const installed: InstalledApp = emulator.installApp(portalId, options.scopes);
    const store = new MemoryTokenStore({
      accessToken: installed.accessToken,
      refreshToken: installed.refreshToken,
      expiresAt: installed.expiresAt.getTime(),
      scope: installed.scopes.join(" "),
    });
    const { crm, limiter } = crmFor(
      String(portalId),
      oauth.crmAuth(String(portalId), store),
      options.crm,
    );
    const portal = emulator.portal(portalId);
    defineTenantProperties(portal);
    return { portalId, portal, crm, limiter, store, installed, emulator };
  }

  return { clock, emulator, server, oauth, connect, crmFor };
}

/**
 * The custom properties a tenant's portal carries before Encaisse reads it: the SIREN on
 * companies and our VAT code on products and line items (as the seeded book has them).
 */
function defineTenantProperties(portal: Portal): void {
  if (portal.properties.get("companies", "siren") === undefined) {
    portal.properties.create("companies", {
      name: "siren",
      label: "SIREN",
      type: "string",
      fieldType: "text",
      groupName: "companyinformation",
    });
  }
  for (const [type, groupName] of [
    ["products", "productinformation"],
    ["line_items", "lineiteminformation"],
  ] as const) {
    if (portal.properties.get(type, "encaisse_vat_code") !== undefined) continue;
    portal.properties.create(type, {
      name: "encaisse_vat_code",
      label: "Code TVA",
      type: "enumeration",
      fieldType: "select",
      groupName,
      options: Object.keys(VAT_CODES).map((code, index) => ({
        label: code,
        value: code,
        displayOrder: index,
        hidden: false,
      })),
    });
  }
}

/** Counts the requests to one endpoint (e.g. "POST /crm/v3/objects/companies/batch/update") from now on. */
export function countCalls(emulator: HubSpotEmulator, endpoint: string): () => number {
  const before = emulator.stats.byEndpoint[endpoint] ?? 0;
  return () => (emulator.stats.byEndpoint[endpoint] ?? 0) - before;
}
