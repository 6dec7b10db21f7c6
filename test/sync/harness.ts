/**
 * A tenant ready to sync: the real backend over an embedded store (or PostgreSQL when
 * DATABASE_URL is set), HubSpot and the accounting provider emulated at the network boundary
 * (msw), the book loaded in both, and every book company linked to its accounting customer.
 *
 * `truth()` reads the provider's book through a separate client that no throttle slows
 * down, so tests compare what the sync stored with what the provider says now.
 */
import { setupServer } from "msw/node";
import { type Invoice, parisDateOf } from "@encaisse/shared";
import { type Backend, openBackend, silentLogger } from "../../functions/src/backend";
import { loadConfig } from "../../functions/src/config";
import { MemoryTokenStore } from "../../functions/src/net/oauth-session";
import type { RateLimiter } from "../../functions/src/net/rate-limit";
import { PennylaneProvider, pennylaneApiTokenAuth } from "../../functions/src/providers/pennylane";
import type { AccountingProvider } from "../../functions/src/providers/provider";
import { SageActiveProvider } from "../../functions/src/providers/sage-active";
import type { StoreDriver } from "../../functions/src/store";
import { openTestStore } from "../../functions/test/support/store";
import { HubSpotEmulator, SANDBOX_HUBSPOT_APP, hubspotMswHandlers } from "../emulators/hubspot";
import { PennylaneEmulator, pennylaneMswHandlers } from "../emulators/pennylane";
import {
  SANDBOX_CREDENTIALS,
  SageActiveEmulator,
  sageActiveMswHandlers,
} from "../emulators/sage-active";
import type { Book } from "../fixtures/book";

export const PORTAL_ID = "62515";
const PENNYLANE_TOKEN = "pennylane-sync-token-0123456789";

export type ProviderName = "pennylane" | "sage_active";

export interface SyncHarness {
  readonly backend: Backend;
  readonly book: Book;
  readonly providerName: ProviderName;
  readonly hubspot: HubSpotEmulator;
  readonly pennylane: PennylaneEmulator;
  readonly sage: SageActiveEmulator;
  /** HubSpot company id by book company key. */
  readonly companyIds: ReadonlyMap<string, string>;
  /** Book keys of the companies HubSpot holds without a SIREN. */
  readonly withoutSiren: readonly string[];
  /** Accounting customer id by book company key. */
  readonly customerIds: ReadonlyMap<string, string>;
  /** Accounting invoice id by book invoice key. */
  readonly invoiceIds: ReadonlyMap<string, string>;
  /** HubSpot company id by accounting customer id. */
  companyOfCustomer(customerId: string): string;
  /** Every invoice of the provider's book now, each with its complete payments. */
  truth(): Promise<Invoice[]>;
  /** A property of a HubSpot record as HubSpot holds it now (null when empty). */
  hubspotValue(objectType: "companies" | "deals", id: string, property: string): string | null;
  /** HubSpot's batch update calls and records written so far. */
  hubspotWrites(): { calls: number; records: number };
  close(): Promise<void>;
}

const unthrottled: RateLimiter = { acquire: async () => undefined, block: () => undefined };

export async function startSyncHarness(options: {
  readonly book: Book;
  readonly provider: ProviderName;
  readonly driver?: StoreDriver;
  /** False: a new tenant, no company linked to its customer yet (default true). */
  readonly linked?: boolean;
}): Promise<SyncHarness> {
  const { book } = options;
  const hubspot = new HubSpotEmulator();
  // The emulators' own limits stay off: their 429s come from the storms the tests inject,
  // while the clients keep pacing themselves at the published limits.
  const pennylane = new PennylaneEmulator({ rateLimit: { enabled: false } });
  const sage = new SageActiveEmulator({ seed: 7 });
  const installed = hubspot.installApp(Number(PORTAL_ID));
  const loadedHubSpot = hubspot.loadBook(Number(PORTAL_ID), book);
  pennylane.addApiToken(PENNYLANE_TOKEN);

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
    PUBLIC_BASE_URL: "http://localhost:3000",
    SAGE_ACTIVE_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    SAGE_ACTIVE_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    SAGE_ACTIVE_API_KEY: SANDBOX_CREDENTIALS.apiKey,
  });
  const opened = await openTestStore(options.driver ?? "pglite");
  const backend = await openBackend(config, { store: opened.store, logger: silentLogger });
  const { repos } = backend;
  await repos.tenants.install(PORTAL_ID);
  await repos.credentials.save(PORTAL_ID, "hubspot", {
    method: "oauth",
    tokens: {
      accessToken: installed.accessToken,
      refreshToken: installed.refreshToken,
      expiresAt: installed.expiresAt.getTime(),
      scope: installed.scopes.join(" "),
    },
  });

  let customerIds: Map<string, string>;
  let invoiceIds: Map<string, string>;
  let truthClient: AccountingProvider;
  if (options.provider === "pennylane") {
    const loaded = pennylane.loadBook(book);
    customerIds = new Map([...loaded.customerIds].map(([key, id]) => [key, String(id)]));
    invoiceIds = new Map([...loaded.invoiceIds].map(([key, id]) => [key, String(id)]));
    await repos.credentials.save(PORTAL_ID, "pennylane", {
      method: "api_token",
      token: PENNYLANE_TOKEN,
    });
    await repos.tenants.setActiveProvider(PORTAL_ID, "pennylane", null);
    truthClient = new PennylaneProvider({
      connectionId: "truth",
      auth: pennylaneApiTokenAuth(PENNYLANE_TOKEN),
      baseUrl: config.PENNYLANE_API_URL,
      limiter: unthrottled,
    });
  } else {
    const loaded = sage.loadBook(book);
    customerIds = new Map(loaded.customerIds);
    invoiceIds = new Map(loaded.invoiceIds);
    const issued = sage.issueTokens();
    const tokens = {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token ?? "",
      expiresAt: Date.now() + issued.expires_in * 1000,
      scope: issued.scope,
    };
    await repos.credentials.save(PORTAL_ID, "sage_active", { method: "oauth", tokens });
    await repos.tenants.setActiveProvider(PORTAL_ID, "sage_active", loaded.organizationId);
    const truthTokens = sage.issueTokens();
    truthClient = new SageActiveProvider({
      app: {
        apiUrl: config.SAGE_ACTIVE_API_URL,
        authUrl: config.SAGE_ACTIVE_AUTH_URL,
        clientId: SANDBOX_CREDENTIALS.clientId,
        clientSecret: SANDBOX_CREDENTIALS.clientSecret,
        apiKey: SANDBOX_CREDENTIALS.apiKey,
      },
      organizationId: loaded.organizationId,
      tokens: new MemoryTokenStore({
        accessToken: truthTokens.access_token,
        refreshToken: truthTokens.refresh_token ?? "",
        expiresAt: Date.now() + truthTokens.expires_in * 1000,
        scope: truthTokens.scope,
      }),
      limiter: unthrottled,
    });
  }

  const companyIds = new Map(Object.entries(loadedHubSpot.companyIds));
  const companyByCustomer = new Map<string, string>();
  for (const company of book.companies) {
    const companyId = companyIds.get(company.key);
    const customerId = customerIds.get(company.key);
    if (companyId === undefined || customerId === undefined) continue;
    companyByCustomer.set(customerId, companyId);
    if (options.linked === false) continue;
    await repos.customerLinks.link(PORTAL_ID, {
      companyId,
      provider: options.provider,
      providerCustomerId: customerId,
      matchedBy: "siren",
      confidence: 1,
      linkedBy: null,
    });
  }

  return {
    backend,
    book,
    providerName: options.provider,
    hubspot,
    pennylane,
    sage,
    companyIds,
    withoutSiren: loadedHubSpot.withoutSiren,
    customerIds,
    invoiceIds,
    companyOfCustomer(customerId) {
      const companyId = companyByCustomer.get(customerId);
      if (companyId === undefined) throw new Error(`Customer ${customerId} is not linked.`);
      return companyId;
    },
    async truth() {
      const invoices: Invoice[] = [];
      let cursor: string | null = null;
      do {
        const page = await truthClient.listInvoices({ cursor, limit: 100 });
        for (const invoice of page.items) {
          const payments = page.paymentsIncluded
            ? invoice.payments
            : invoice.paidCents === 0
              ? []
              : await truthClient.listInvoicePayments(invoice.id);
          invoices.push({ ...invoice, payments: [...payments] });
        }
        cursor = page.nextCursor;
      } while (cursor !== null);
      return invoices;
    },
    hubspotValue(objectType, id, property) {
      const record = hubspot.portal(Number(PORTAL_ID)).objects.get(objectType, id);
      const value = record?.values.get(property) ?? null;
      return value === "" ? null : value;
    },
    hubspotWrites() {
      const stats = hubspot.stats;
      const calls = Object.entries(stats.byEndpoint)
        .filter(([endpoint]) => /batch\/update$/.test(endpoint))
        .reduce((sum, [, count]) => sum + count, 0);
      return { calls, records: stats.recordsWrittenInBatches };
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

/** Today in Paris, as the sync computes lateness. */
export const parisToday = () => parisDateOf(new Date());
