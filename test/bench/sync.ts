/**
 * The sync engine end to end, the emulators served over real HTTP on 127.0.0.1 with their
 * published limits enforced, on the wall clock:
 *
 * 1. the first sync of a 10,000-invoice book (1,000 companies, all linked to HubSpot
 *    companies): provider calls, HubSpot calls against ceil(changed / 100), wall time against
 *    the rate-limit floor, peak memory (target < 256 MB: pages are streamed);
 * 2. an incremental sync after payments on 100 random invoices: calls and time.
 *
 * Figures are printed, never asserted. The process also holds the emulators and the book, so
 * its peak memory is an upper bound of the sync's.
 */
import { type Invoice, parisDateOf } from "@encaisse/shared";
import { type Backend, openBackend, silentLogger } from "../../functions/src/backend";
import { loadConfig } from "../../functions/src/config";
import { PENNYLANE_RATE_LIMIT } from "../../functions/src/providers/pennylane";
import { syncTenant } from "../../functions/src/sync/sync-tenant";
import type { SyncReport } from "../../functions/src/sync/sync-tenant";
import { openTestStore } from "../../functions/test/support/store";
import { HubSpotEmulator, SANDBOX_HUBSPOT_APP, startHubSpotServer } from "../emulators/hubspot";
import { PennylaneEmulator, startPennylaneServer } from "../emulators/pennylane";
import {
  SAGE_ACTIVE_LIMITS,
  SANDBOX_CREDENTIALS,
  SageActiveEmulator,
  startSageActiveServer,
} from "../emulators/sage-active";
import { generateBook } from "../fixtures/generate";
import {
  type BenchmarkModule,
  type Row,
  formatBytes,
  formatCount,
  formatMs,
  formatRatio,
  peakRss,
  pickDistinct,
  printTable,
  seededRandom,
  targetNote,
  timed,
} from "./support";

const BOOK_SIZE = { companies: 1_000, invoices: 10_000 } as const;
const CHANGED_INVOICES = 100;
const PICK_SEED = 20_260_316;
const PORTAL_ID = "62515";
const PENNYLANE_TOKEN = "bench-sync-token-0123456789";
const MEMORY_TARGET = 256 * 1024 * 1024;
const HUBSPOT_PER_SECOND = 110 / 10;
const BATCH = 100;

type ProviderName = "pennylane" | "sage_active";

interface Traffic {
  readonly provider: number;
  readonly providerRateLimited: number;
  readonly providerBreakdown: string;
  readonly hubspot: number;
  readonly hubspotBatchWrites: number;
  readonly hubspotRecordsWritten: number;
  readonly hubspotRateLimited: number;
}

interface Setup {
  readonly backend: Backend;
  readonly title: string;
  readonly providerPerSecond: number;
  traffic(): Traffic;
  resetTraffic(): void;
  pay(invoice: Invoice, date: string): void;
  close(): Promise<void>;
}

const byCount = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, count]) => `${name} ${formatCount(count)}`)
    .join(", ");

async function setUp(provider: ProviderName): Promise<Setup> {
  const book = generateBook(BOOK_SIZE);
  peakRss.sample();
  const hubspot = new HubSpotEmulator();
  const installed = hubspot.installApp(Number(PORTAL_ID));
  const loadedHubSpot = hubspot.loadBook(Number(PORTAL_ID), book);
  const hubspotServer = await startHubSpotServer(hubspot);
  const pennylane = new PennylaneEmulator();
  const sage = new SageActiveEmulator({ seed: 7 });
  let customerIds: ReadonlyMap<string, string>;
  let organizationId: string | null = null;
  if (provider === "pennylane") {
    pennylane.addApiToken(PENNYLANE_TOKEN);
    const loaded = pennylane.loadBook(book);
    customerIds = new Map([...loaded.customerIds].map(([key, id]) => [key, String(id)]));
  } else {
    const loaded = sage.loadBook(book);
    customerIds = loaded.customerIds;
    organizationId = loaded.organizationId;
  }
  peakRss.sample();
  const pennylaneServer = await startPennylaneServer(pennylane);
  const sageServer = await startSageActiveServer(sage);

  const config = loadConfig({
    NODE_ENV: "test",
    ENCAISSE_SANDBOX: "1",
    HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_APP.clientId,
    HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_APP.clientSecret,
    HUBSPOT_APP_ID: String(SANDBOX_HUBSPOT_APP.appId),
    HUBSPOT_API_URL: hubspotServer.url,
    HUBSPOT_APP_URL: hubspotServer.url,
    PENNYLANE_API_URL: pennylaneServer.url,
    SAGE_ACTIVE_API_URL: sageServer.apiUrl,
    SAGE_ACTIVE_AUTH_URL: sageServer.authUrl,
    SAGE_ACTIVE_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    SAGE_ACTIVE_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    SAGE_ACTIVE_API_KEY: SANDBOX_CREDENTIALS.apiKey,
    PUBLIC_BASE_URL: "http://localhost:3000",
  });
  const opened = await openTestStore("pglite");
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
  if (provider === "pennylane") {
    await repos.credentials.save(PORTAL_ID, "pennylane", {
      method: "api_token",
      token: PENNYLANE_TOKEN,
    });
    await repos.tenants.setActiveProvider(PORTAL_ID, "pennylane", null);
  } else {
    const issued = sage.issueTokens();
    await repos.credentials.save(PORTAL_ID, "sage_active", {
      method: "oauth",
      tokens: {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token ?? "",
        expiresAt: Date.now() + issued.expires_in * 1000,
        scope: issued.scope,
      },
    });
    await repos.tenants.setActiveProvider(PORTAL_ID, "sage_active", organizationId);
  }
  for (const company of book.companies) {
    const companyId = loadedHubSpot.companyIds[company.key];
    const customerId = customerIds.get(company.key);
    if (companyId === undefined || customerId === undefined) continue;
    await repos.customerLinks.link(PORTAL_ID, {
      companyId,
      provider,
      providerCustomerId: customerId,
      matchedBy: "siren",
      confidence: 1,
      linkedBy: null,
    });
  }
  peakRss.sample();

  return {
    backend,
    title: provider === "pennylane" ? "Pennylane" : "Sage Active",
    providerPerSecond:
      provider === "pennylane"
        ? PENNYLANE_RATE_LIMIT.limit / (PENNYLANE_RATE_LIMIT.windowMs / 1000)
        : SAGE_ACTIVE_LIMITS.requestsPerMinute / 60,
    traffic: () => {
      const h = hubspot.stats;
      const providerStats =
        provider === "pennylane"
          ? {
              calls: pennylane.stats.totalRequests,
              limited: pennylane.stats.rateLimited,
              breakdown: byCount(pennylane.stats.byEndpoint),
            }
          : {
              calls: sage.stats.requests,
              limited: sage.stats.rateLimited,
              breakdown: byCount(sage.stats.byOperation),
            };
      const batchWrites = Object.entries(h.byEndpoint)
        .filter(([endpoint]) => endpoint.endsWith("/batch/update"))
        .reduce((sum, [, count]) => sum + count, 0);
      return {
        provider: providerStats.calls,
        providerRateLimited: providerStats.limited,
        providerBreakdown: providerStats.breakdown,
        hubspot: h.totalRequests,
        hubspotBatchWrites: batchWrites,
        hubspotRecordsWritten: h.recordsWrittenInBatches,
        hubspotRateLimited: h.rateLimited,
      };
    },
    resetTraffic: () => {
      hubspot.resetStats();
      pennylane.resetStats();
      sage.resetStats();
    },
    pay: (invoice, date) => {
      if (provider === "pennylane") {
        pennylane.recordPayment(Number(invoice.id), {
          date,
          amountCents: invoice.remainingCents,
          label: `Virement ${invoice.number ?? invoice.id}`,
        });
      } else {
        sage.recordPayment(invoice.id, { date, amountCents: invoice.remainingCents });
      }
    },
    close: async () => {
      await backend.close();
      await opened.close();
      await hubspotServer.close();
      await pennylaneServer.close();
      await sageServer.close();
    },
  };
}

function figures(setup: Setup, report: SyncReport, wallMs: number, title: string): Row[] {
  const traffic = setup.traffic();
  const changed = report.companiesWritten + report.dealsWritten;
  const writeFloor =
    Math.ceil(report.companiesWritten / BATCH) + Math.ceil(report.dealsWritten / BATCH);
  const floorMs = Math.max(
    (traffic.provider / setup.providerPerSecond) * 1000,
    (traffic.hubspot / HUBSPOT_PER_SECOND) * 1000,
  );
  return [
    [
      `${title}: invoices read (backfill / fetched one by one)`,
      `${formatCount(report.backfillInvoices)} / ${formatCount(report.invoicesFetched)}`,
    ],
    ["changes applied", formatCount(report.changesApplied)],
    ["provider calls", formatCount(traffic.provider), traffic.providerBreakdown],
    ["  of which payment look-ups", formatCount(report.paymentLookups)],
    ["  answered 429", formatCount(traffic.providerRateLimited)],
    [
      "HubSpot calls (all)",
      formatCount(traffic.hubspot),
      `${formatCount(traffic.hubspotRateLimited)} answered 429`,
    ],
    [
      "HubSpot batch writes",
      formatCount(traffic.hubspotBatchWrites),
      `floor ceil(changed / 100) = ${formatCount(writeFloor)} for ${formatCount(changed)} records changed (${formatRatio(traffic.hubspotBatchWrites, writeFloor)})`,
    ],
    ["HubSpot records written", formatCount(traffic.hubspotRecordsWritten)],
    ["wall time", formatMs(wallMs)],
    [
      "rate-limit floor for these calls",
      formatMs(floorMs),
      `max(provider calls / ${setup.providerPerSecond}/s, HubSpot calls / ${HUBSPOT_PER_SECOND}/s): ${formatRatio(wallMs, floorMs)}`,
    ],
  ];
}

async function measure(provider: ProviderName): Promise<void> {
  const setup = await setUp(provider);
  try {
    setup.resetTraffic();
    const before = peakRss.peakBytes;
    const backfill = await timed(() => syncTenant(setup.backend, PORTAL_ID));
    const peak = peakRss.peakBytes;
    printTable(
      `${setup.title}: first sync of ${formatCount(BOOK_SIZE.invoices)} invoices, ${formatCount(BOOK_SIZE.companies)} linked companies`,
      [
        ...figures(setup, backfill.value, backfill.ms, "backfill"),
        [
          "peak resident memory (whole process)",
          formatBytes(peak),
          `${targetNote("< 256 MiB", peak < MEMORY_TARGET)}; before the sync ${formatBytes(before)} (emulators, book, store)`,
        ],
      ],
    );

    const today = parisDateOf(new Date());
    const tenant = await setup.backend.tenant(PORTAL_ID);
    const links = await setup.backend.repos.customerLinks.list(PORTAL_ID, provider);
    const unpaid: Invoice[] = [];
    for (const link of links) {
      const invoices = await setup.backend.repos.readModel.allCustomerInvoices(
        tenant.tenantId,
        provider,
        link.providerCustomerId,
        today,
      );
      unpaid.push(
        ...invoices.filter(
          (i) => i.status === "open" || i.status === "overdue" || i.status === "partially_paid",
        ),
      );
    }
    const picked = pickDistinct(unpaid, CHANGED_INVOICES, seededRandom(PICK_SEED));
    for (const invoice of picked) setup.pay(invoice, today);
    setup.resetTraffic();
    const incremental = await timed(() => syncTenant(setup.backend, PORTAL_ID));
    printTable(`${setup.title}: incremental sync after payments on ${picked.length} invoices`, [
      ...figures(setup, incremental.value, incremental.ms, "incremental"),
      [
        "companies whose customer was paid",
        formatCount(new Set(picked.map((invoice) => invoice.customerId)).size),
      ],
    ]);
  } finally {
    await setup.close();
  }
}

export const syncBenchmark: BenchmarkModule = {
  name: "sync",
  description:
    "sync engine: backfill of 10,000 invoices into 1,000 HubSpot companies, then 100 changes",
  parts: ["sage-active", "pennylane"],
  async run(parts) {
    const chosen = parts.length > 0 ? parts : this.parts;
    if (chosen.includes("sage-active")) await measure("sage_active");
    if (chosen.includes("pennylane")) await measure("pennylane");
  },
};
