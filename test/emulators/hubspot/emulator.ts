/**
 * An in-memory HubSpot CRM that behaves as its official OpenAPI specs describe: the CRM
 * objects API v3 (companies, contacts, deals, line items, products, tasks, notes; batch and
 * search), associations v4, properties v3, owners, OAuth v1 with 30-minute access tokens,
 * per-portal rate limits with HubSpot's 429 bodies and headers, isolated portals, seeding from
 * the book, signed webhook deliveries, and knobs to inject faults.
 *
 * `handle(request)` is a Web-standard handler, served by msw (`hubspotMswHandlers`) in tests
 * or by a real HTTP server (`startHubSpotServer`) for the sandbox.
 */
import { Hono } from "hono";
import type { Book } from "../../fixtures/book";
import { type ApiRoute, errorResponse, registerApiRoutes } from "./api";
import { ASSOCIATION_ROUTES } from "./associations-api";
import { HubSpotHttpError } from "./errors";
import { HubSpotFaults } from "./faults";
import { type LoadedBook, loadBookInto } from "./load-book";
import { registerOAuthRoutes } from "./oauth-api";
import { OBJECT_ROUTES } from "./objects-api";
import { OWNER_ROUTES } from "./owners-api";
import { Portal } from "./portal";
import { PROPERTY_ROUTES } from "./properties-api";
import { DEFAULT_RATE_LIMITS, HubSpotRateLimiter, type RateLimitSettings } from "./rate-limit";
import { HubSpotStats, type HubSpotStatsSnapshot } from "./stats";
import { type Grant, type HubSpotApp, TokenStore } from "./tokens";
import {
  type WebhookDelivery,
  type WebhookDeliveryOptions,
  dealStageEvents,
  signedDelivery,
} from "./webhooks";

/** The scopes Encaisse's app asks for. */
export const ENCAISSE_HUBSPOT_SCOPES = [
  "oauth",
  "crm.objects.companies.read",
  "crm.objects.companies.write",
  "crm.objects.contacts.read",
  "crm.objects.contacts.write",
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.line_items.read",
  "crm.objects.line_items.write",
  "crm.objects.products.read",
  "crm.objects.owners.read",
  "crm.schemas.companies.read",
  "crm.schemas.companies.write",
  "crm.schemas.contacts.read",
  "crm.schemas.contacts.write",
  "crm.schemas.deals.read",
  "crm.schemas.deals.write",
  "crm.schemas.line_items.read",
] as const;

/** The app the sandbox runs as; `npm start` points HUBSPOT_CLIENT_ID / _SECRET here. */
export const SANDBOX_HUBSPOT_APP: HubSpotApp = {
  appId: 4_242_001,
  clientId: "5f0c8a2e-3b1d-4e6f-9a7c-2d4b6e8f0a13",
  clientSecret: "c7e1a9b3-5d2f-4a8c-b6e0-9f3d1c5a7e24",
  redirectUrls: null,
};

/** The portal the sandbox's authorize page installs into, unless `portal_id` says otherwise. */
export const SANDBOX_PORTAL_ID = 24_681_357;

export interface HubSpotEmulatorOptions {
  /** The emulator's clock: record dates, token expiry. */
  readonly now?: () => Date;
  /** Clock of the rate limiter's windows, ms. Defaults to `now`. */
  readonly rateLimitNow?: () => number;
  readonly rateLimit?: Partial<RateLimitSettings>;
  /** Seed of the 5xx fault draw. */
  readonly faultSeed?: number;
  readonly app?: Partial<HubSpotApp>;
  readonly sandboxPortalId?: number;
}

export interface InstalledApp {
  readonly portalId: number;
  readonly hubDomain: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresAt: Date;
  readonly scopes: readonly string[];
  readonly userId: number;
  readonly userEmail: string;
}

export interface InstallOptions {
  readonly userId?: number;
  readonly userEmail?: string;
}

/** HubSpot record ids are large integers; starting high catches clients that assume small ones. */
const FIRST_ID = 30_000_000_001;
const WEBHOOK_SUBSCRIPTION_ID = 2_468_013;

export class HubSpotEmulator {
  readonly app: HubSpotApp;
  readonly now: () => Date;
  readonly faults: HubSpotFaults;
  readonly sandboxPortalId: number;
  private readonly statsRecorder: HubSpotStats;
  private readonly tokens: TokenStore;
  private readonly limiter: HubSpotRateLimiter;
  private readonly portals = new Map<number, Portal>();
  private readonly router: Hono;
  private nextRecordId = FIRST_ID;
  private nextEventId = 1;

  constructor(options: HubSpotEmulatorOptions = {}) {
    this.now = options.now ?? (() => new Date());
    const nowMs = () => this.now().getTime();
    const limiterNowMs = options.rateLimitNow ?? nowMs;
    this.app = { ...SANDBOX_HUBSPOT_APP, ...options.app };
    this.sandboxPortalId = options.sandboxPortalId ?? SANDBOX_PORTAL_ID;
    this.tokens = new TokenStore(this.app, nowMs);
    this.limiter = new HubSpotRateLimiter(
      { ...DEFAULT_RATE_LIMITS, ...options.rateLimit },
      limiterNowMs,
    );
    this.statsRecorder = new HubSpotStats(() => this.limiter.settings.windowMs, limiterNowMs);
    this.faults = new HubSpotFaults(
      nowMs,
      (portalId) => this.tokens.expireAccessTokens(portalId),
      options.faultSeed ?? 1,
    );
    this.router = this.buildRouter(nowMs);
    this.handle = this.handle.bind(this);
  }

  /** Answers one HTTP request to api.hubapi.com (or app.hubspot.com for the authorize page). */
  async handle(request: Request): Promise<Response> {
    return this.router.fetch(request);
  }

  // ---- portals and installs ------------------------------------------------------------------

  /** The portal's data (created empty on first use), for seeding and inspecting in tests. */
  portal(portalId: number): Portal {
    let portal = this.portals.get(portalId);
    if (portal === undefined) {
      portal = new Portal(
        portalId,
        `demo-${portalId}.example.com`,
        () => this.nextRecordId++,
        () => this.now().getTime(),
      );
      this.portals.set(portalId, portal);
    }
    return portal;
  }

  hasPortal(portalId: number): boolean {
    return this.portals.has(portalId);
  }

  /** Installs the app on a portal with these scopes: the tokens a tenant would hold after OAuth. */
  installApp(
    portalId: number,
    scopes: readonly string[] = ENCAISSE_HUBSPOT_SCOPES,
    options: InstallOptions = {},
  ): InstalledApp {
    const grant = this.grantFor(portalId, scopes, options);
    const pair = this.tokens.install(grant);
    return {
      portalId,
      hubDomain: grant.hubDomain,
      accessToken: pair.accessToken,
      refreshToken: pair.refreshToken,
      expiresAt: pair.expiresAt,
      scopes: grant.scopes,
      userId: grant.user.userId,
      userEmail: grant.user.email,
    };
  }

  /** The app is uninstalled from the portal: its tokens stop working (data stays). */
  uninstallApp(portalId: number): void {
    this.tokens.revokePortal(portalId);
  }

  /** Access tokens (of one portal, or all) expire now; refresh tokens keep working. */
  expireAccessTokens(portalId?: number): number {
    return this.tokens.expireAccessTokens(portalId);
  }

  // ---- data ------------------------------------------------------------------------------------

  /** Seeds the portal from the book (once per portal: contacts' emails are unique). */
  loadBook(portalId: number, book: Book): LoadedBook {
    return loadBookInto(this.portal(portalId), book);
  }

  // ---- webhooks --------------------------------------------------------------------------------

  /**
   * A signed delivery of `dealstage` changes, ready to post to the backend. Deals that exist
   * in the portal move to the new stage first (unless `applyToDeals` is false), so the backend
   * reads what the event says.
   */
  webhookEvent(
    options: WebhookDeliveryOptions & { readonly applyToDeals?: boolean },
  ): WebhookDelivery {
    const nowMs = this.now().getTime();
    if (options.applyToDeals !== false && this.portals.has(options.portalId)) {
      const portal = this.portal(options.portalId);
      for (const change of options.changes) {
        const deal = portal.objects.get("deals", change.dealId);
        if (deal !== undefined)
          portal.objects.update("deals", deal, { dealstage: change.dealstage });
      }
    }
    const events = dealStageEvents(options, {
      appId: this.app.appId,
      subscriptionId: WEBHOOK_SUBSCRIPTION_ID,
      nextEventId: () => this.nextEventId++,
      nowMs,
    });
    return signedDelivery(this.app, options.targetUrl, events, options.timestampMs ?? nowMs);
  }

  /** The same events sent again, as HubSpot retries: new attempt number, new signature. */
  redeliver(
    delivery: WebhookDelivery,
    options: { attemptNumber?: number; timestampMs?: number } = {},
  ): WebhookDelivery {
    const attemptNumber = options.attemptNumber ?? (delivery.events[0]?.attemptNumber ?? 0) + 1;
    const events = delivery.events.map((event) => ({ ...event, attemptNumber }));
    return signedDelivery(
      this.app,
      delivery.url,
      events,
      options.timestampMs ?? this.now().getTime(),
    );
  }

  // ---- rate limit and stats --------------------------------------------------------------------

  get rateLimit(): RateLimitSettings {
    return this.limiter.settings;
  }

  get stats(): HubSpotStatsSnapshot {
    return this.statsRecorder.snapshot();
  }

  resetStats(): void {
    this.statsRecorder.reset();
  }

  /** Forgets the requests counted in the rate-limit windows. */
  resetRateLimits(): void {
    this.limiter.reset();
  }

  /** Releases hung requests (injected timeouts); call before closing a server. */
  close(): void {
    this.faults.releaseHangs();
  }

  // ---- internals -------------------------------------------------------------------------------

  private grantFor(portalId: number, scopes: readonly string[], options: InstallOptions): Grant {
    const portal = this.portal(portalId);
    const userId = options.userId ?? 7_000_000 + (portalId % 1_000_000);
    const email = options.userEmail ?? `admin@${portal.hubDomain}`;
    if (
      portal.owners.find(String(userId), { idProperty: "userId", archived: false }) === undefined
    ) {
      portal.owners.add({ userId, email, firstName: "Admin", lastName: `Portal ${portalId}` });
    }
    return {
      portalId,
      hubDomain: portal.hubDomain,
      scopes: [...new Set(scopes)],
      user: { userId, email },
      appId: this.app.appId,
    };
  }

  private buildRouter(nowMs: () => number): Hono {
    const router = new Hono({ strict: false });
    registerOAuthRoutes(router, {
      tokens: this.tokens,
      stats: this.statsRecorder,
      authorize: (portalId, scopes) => this.grantFor(portalId ?? this.sandboxPortalId, scopes, {}),
    });
    const routes: readonly ApiRoute[] = [
      ...OBJECT_ROUTES,
      ...ASSOCIATION_ROUTES,
      ...PROPERTY_ROUTES,
      ...OWNER_ROUTES,
    ];
    registerApiRoutes(router, routes, {
      tokens: this.tokens,
      limiter: this.limiter,
      stats: this.statsRecorder,
      faults: this.faults,
      nowMs,
      portal: (portalId) => this.portal(portalId),
    });
    router.notFound((c) =>
      errorResponse(
        new HubSpotHttpError(
          404,
          "OBJECT_NOT_FOUND",
          `No HubSpot endpoint at ${c.req.method} ${new URL(c.req.url).pathname}.`,
        ),
      ),
    );
    router.onError((error) =>
      errorResponse(
        new HubSpotHttpError(
          500,
          "INTERNAL_ERROR",
          `internal error: ${error instanceof Error ? error.message : String(error)}`,
        ),
      ),
    );
    return router;
  }
}
