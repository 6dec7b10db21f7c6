/**
 * The backend's composition root: configuration, store, repositories and the factories that
 * give a route the HubSpot CRM client or the accounting provider of one tenant. Handlers stay
 * stateless; everything shared between requests lives in the store.
 */
import { DomainError } from "@encaisse/shared";
import type { Config } from "./config";
import { createHubSpotLimiters, HubSpotCrm } from "./hubspot/crm";
import { HubSpotOAuth } from "./hubspot/oauth";
import { errorCodeOf } from "./jobs/keys";
import { createJobQueue, isWorkingQueue } from "./jobs/queue";
import type { JobQueue, WorkingJobQueue } from "./jobs/types";
import { type Clock, systemClock } from "./net/clock";
import { OAuthSession } from "./net/oauth-session";
import type { RateLimiter } from "./net/rate-limit";
import { createSharedLimiters } from "./net/shared-limiters";
import type { AccountingProvider } from "./providers/provider";
import {
  PennylaneProvider,
  pennylaneApiTokenAuth,
  pennylaneOAuthAuth,
  pennylaneTokenRefresher,
} from "./providers/pennylane";
import { SageActiveProvider } from "./providers/sage-active";
import {
  CredentialCipher,
  createRepositories,
  keyFromEnvironment,
  openStore,
  type Repositories,
  type Store,
  type Tenant,
} from "./store";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** One JSON line per event, never a token or an email (callers pass codes and ids only). */
export const jsonLogger: Logger = {
  info: (message, fields) =>
    process.stdout.write(`${JSON.stringify({ level: "info", message, ...fields })}\n`),
  warn: (message, fields) =>
    process.stderr.write(`${JSON.stringify({ level: "warn", message, ...fields })}\n`),
  error: (message, fields) =>
    process.stderr.write(`${JSON.stringify({ level: "error", message, ...fields })}\n`),
};

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

export interface Backend {
  readonly config: Config;
  readonly store: Store;
  readonly repos: Repositories;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly hubspotOAuth: HubSpotOAuth;
  /** The CRM client of an installed portal (its OAuth tokens refresh themselves). */
  crm(portalId: string): HubSpotCrm;
  /** The tenant's accounting provider, or null when none is connected. */
  provider(tenant: Tenant): Promise<AccountingProvider | null>;
  /** The installed tenant, or TENANT_NOT_INSTALLED. */
  tenant(portalId: string): Promise<Tenant>;
  /** Where routes and webhooks queue background work (sync, dunning, deal won). */
  readonly jobs: JobQueue;
  /** The same queue's worker side (start, stop); null when the given queue only enqueues. */
  readonly workers: WorkingJobQueue | null;
  close(): Promise<void>;
}

export interface BackendOptions {
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly fetch?: typeof fetch;
  /** An already opened store (tests share one). */
  readonly store?: Store;
  /** The job queue; an in-process one by default. */
  readonly jobs?: JobQueue;
}

export const OAUTH_CALLBACK_PATHS = {
  hubspot: "/oauth/hubspot/callback",
  pennylane: "/oauth/pennylane/callback",
  sage_active: "/oauth/sage-active/callback",
} as const;

export async function openBackend(config: Config, options: BackendOptions = {}): Promise<Backend> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? jsonLogger;
  const key = keyFromEnvironment(
    {
      ENCRYPTION_KEY: config.ENCRYPTION_KEY,
      NODE_ENV: config.NODE_ENV,
      ENCAISSE_SANDBOX: config.sandbox ? "1" : "0",
    },
    (message) => logger.warn(message),
  );
  const store =
    options.store ??
    (await openStore(
      config.DATABASE_URL
        ? { databaseUrl: config.DATABASE_URL }
        : { dataDir: `${config.ENCAISSE_DATA_DIR}/pglite` },
    ));
  const repos = createRepositories(store, { cipher: new CredentialCipher(key), clock });
  const extra = { clock, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const hubspotOAuth = HubSpotOAuth.fromConfig(
    config,
    `${config.publicBaseUrl}${OAUTH_CALLBACK_PATHS.hubspot}`,
    extra,
  );
  // On PostgreSQL every process draws from one budget per token and account.
  const shared = config.DATABASE_URL
    ? createSharedLimiters(store.db, {
        clock,
        onError: (error) => logger.warn("rate limit hold not shared", { code: errorCodeOf(error) }),
      })
    : null;
  const limiters: { limiter: RateLimiter; searchLimiter: RateLimiter } =
    shared?.hubspot ?? createHubSpotLimiters(clock);

  const pennylaneOAuthConfig = () => {
    if (!config.PENNYLANE_CLIENT_ID || !config.PENNYLANE_CLIENT_SECRET) return null;
    return {
      baseUrl: config.PENNYLANE_API_URL,
      clientId: config.PENNYLANE_CLIENT_ID,
      clientSecret: config.PENNYLANE_CLIENT_SECRET,
      redirectUri: `${config.publicBaseUrl}${OAUTH_CALLBACK_PATHS.pennylane}`,
      ...extra,
    };
  };

  const jobs =
    options.jobs ??
    createJobQueue(config, store, {
      clock,
      onError: (error, context) =>
        logger.warn("job attempt failed", { ...context, code: errorCodeOf(error) }),
    });
  const ownsQueue = options.jobs === undefined;

  return {
    config,
    store,
    repos,
    clock,
    logger,
    hubspotOAuth,
    jobs,
    workers: isWorkingQueue(jobs) ? jobs : null,
    crm(portalId) {
      return new HubSpotCrm({
        portalId,
        baseUrl: config.HUBSPOT_API_URL,
        appUrl: config.HUBSPOT_APP_URL,
        ...hubspotOAuth.crmAuth(portalId, repos.tokenStore(portalId, "hubspot")),
        ...limiters,
        clock,
      });
    },
    async tenant(portalId) {
      const tenant = await repos.tenants.get(portalId);
      if (!tenant || tenant.uninstalledAt) {
        throw new DomainError(
          "TENANT_NOT_INSTALLED",
          "Encaisse is not installed on this HubSpot account; install it from the marketplace.",
        );
      }
      return tenant;
    },
    async provider(tenant) {
      if (tenant.activeProvider === "pennylane") {
        const secret = await repos.credentials.load(tenant.tenantId, "pennylane");
        if (!secret) return null;
        const connectionId = `${tenant.tenantId}:pennylane:${tenant.providerAccountId ?? "default"}`;
        const common = {
          connectionId,
          baseUrl: config.PENNYLANE_API_URL,
          ...extra,
          ...(shared ? { limiter: shared.pennylane } : {}),
        };
        if (secret.method === "api_token")
          return new PennylaneProvider({ ...common, auth: pennylaneApiTokenAuth(secret.token) });
        const oauth = pennylaneOAuthConfig();
        if (!oauth)
          throw new DomainError(
            "CONFIG_INVALID",
            "Set PENNYLANE_CLIENT_ID and PENNYLANE_CLIENT_SECRET to use Pennylane OAuth.",
          );
        const session = new OAuthSession(
          repos.tokenStore(tenant.tenantId, "pennylane"),
          pennylaneTokenRefresher(oauth),
          { clock },
        );
        return new PennylaneProvider({ ...common, auth: pennylaneOAuthAuth(session) });
      }
      if (tenant.activeProvider === "sage_active") {
        if (!tenant.providerAccountId) return null;
        if (
          !config.SAGE_ACTIVE_CLIENT_ID ||
          !config.SAGE_ACTIVE_CLIENT_SECRET ||
          !config.SAGE_ACTIVE_API_KEY
        ) {
          throw new DomainError(
            "CONFIG_INVALID",
            "Set SAGE_ACTIVE_CLIENT_ID, SAGE_ACTIVE_CLIENT_SECRET and SAGE_ACTIVE_API_KEY to use Sage Active.",
          );
        }
        return new SageActiveProvider({
          app: {
            apiUrl: config.SAGE_ACTIVE_API_URL,
            authUrl: config.SAGE_ACTIVE_AUTH_URL,
            clientId: config.SAGE_ACTIVE_CLIENT_ID,
            clientSecret: config.SAGE_ACTIVE_CLIENT_SECRET,
            apiKey: config.SAGE_ACTIVE_API_KEY,
          },
          organizationId: tenant.providerAccountId,
          tokens: repos.tokenStore(tenant.tenantId, "sage_active"),
          ...extra,
          ...(shared ? { limiter: shared.sageActive } : {}),
        });
      }
      return null;
    },
    async close() {
      if (ownsQueue && isWorkingQueue(jobs)) await jobs.stop();
      if (!options.store) await store.close();
    },
  };
}
