/**
 * The sync engine end to end, the emulators served over real HTTP on 127.0.0.1 with their
 * published limits enforced, on the wall clock:
 *
 * 1. the first sync of a new tenant with a 10,000-invoice book (1,000 companies, none linked
 *    yet: the sync lists the customers and links the companies whose SIREN names one):
 *    provider calls, HubSpot calls against ceil(changed / 100), wall time against the
 *    rate-limit floor, peak memory (target < 256 MB: pages are streamed);
 * 2. an incremental sync after payments on 100 random invoices: calls and time.
 *
 * The book and the emulators live in a child process (sync-emulators.ts), so the peak
 * memory printed is this process's: the sync, the backend and its embedded store (PGlite,
 * the production path without DATABASE_URL; with DATABASE_URL the store is PostgreSQL's
 * and the figure is the sync's alone). The JS heap's peak is mostly garbage V8 has not yet
 * collected: run with NODE_OPTIONS=--max-old-space-size=96 to see the live set (the
 * emulator process is spared the limit). Figures are printed, never asserted.
 */
import { spawn } from "node:child_process";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { type Invoice, parisDateOf } from "@encaisse/shared";
import { type Backend, openBackend, silentLogger } from "../../functions/src/backend";
import { loadConfig } from "../../functions/src/config";
import { PENNYLANE_RATE_LIMIT } from "../../functions/src/providers/pennylane";
import { syncTenant } from "../../functions/src/sync/sync-tenant";
import type { SyncReport } from "../../functions/src/sync/sync-tenant";
import { openTestStore } from "../../functions/test/support/store";
import { SANDBOX_HUBSPOT_APP } from "../emulators/hubspot/emulator";
import { SANDBOX_CREDENTIALS } from "../emulators/sage-active/emulator";
import { SAGE_ACTIVE_LIMITS } from "../emulators/sage-active/rate-limit";
import type { EmulatorQuery, EmulatorTraffic, EmulatorsReady } from "./sync-emulators";
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
  readonly emulatorRss: number;
  readonly storeName: string;
  traffic(): Promise<Traffic>;
  resetTraffic(): Promise<void>;
  pay(invoice: Invoice, date: string): Promise<void>;
  close(): Promise<void>;
}

const byCount = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, count]) => `${name} ${formatCount(count)}`)
    .join(", ");

type Ask = <T>(request: EmulatorQuery) => Promise<T>;

/** The emulator process: started, ready (its addresses), and a way to ask it things. */
async function startEmulators(
  provider: ProviderName,
): Promise<{ ready: EmulatorsReady; ask: Ask; close: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    [
      ...process.execArgv,
      fileURLToPath(new URL("./sync-emulators.ts", import.meta.url)),
      provider,
      String(BOOK_SIZE.companies),
      String(BOOK_SIZE.invoices),
      PORTAL_ID,
      PENNYLANE_TOKEN,
    ],
    // Heap limits set for the measured process (NODE_OPTIONS) are not the emulators'.
    { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, NODE_OPTIONS: "" } },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  let onReady: ((ready: EmulatorsReady) => void) | null = null;
  const ready = new Promise<EmulatorsReady>((resolve, reject) => {
    onReady = resolve;
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`The emulator process exited (${code}).`)));
  });
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const message = JSON.parse(line) as { ready?: EmulatorsReady; id?: number; result?: unknown };
    if (message.ready) onReady?.(message.ready);
    else if (message.id !== undefined) {
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
    }
  });
  const ask: Ask = <T>(request: EmulatorQuery) =>
    new Promise<T>((resolve) => {
      const id = nextId++;
      pending.set(id, (result) => resolve(result as T));
      child.stdin.write(`${JSON.stringify({ ...request, id })}\n`);
    });
  return {
    ready: await ready,
    ask,
    close: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

async function setUp(provider: ProviderName): Promise<Setup> {
  const emulators = await startEmulators(provider);
  const { ready, ask } = emulators;
  peakRss.sample();

  const config = loadConfig({
    NODE_ENV: "test",
    ENCAISSE_SANDBOX: "1",
    HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_APP.clientId,
    HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_APP.clientSecret,
    HUBSPOT_APP_ID: String(SANDBOX_HUBSPOT_APP.appId),
    HUBSPOT_API_URL: ready.hubspotUrl,
    HUBSPOT_APP_URL: ready.hubspotUrl,
    PENNYLANE_API_URL: ready.pennylaneUrl,
    SAGE_ACTIVE_API_URL: ready.sageApiUrl,
    SAGE_ACTIVE_AUTH_URL: ready.sageAuthUrl,
    SAGE_ACTIVE_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    SAGE_ACTIVE_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    SAGE_ACTIVE_API_KEY: SANDBOX_CREDENTIALS.apiKey,
    PUBLIC_BASE_URL: "http://localhost:3000",
  });
  const driver = process.env.DATABASE_URL ? "postgres" : "pglite";
  const opened = await openTestStore(driver);
  const backend = await openBackend(config, { store: opened.store, logger: silentLogger });
  const { repos } = backend;
  await repos.tenants.install(PORTAL_ID);
  await repos.credentials.save(PORTAL_ID, "hubspot", {
    method: "oauth",
    tokens: ready.hubspotTokens,
  });
  if (provider === "pennylane") {
    await repos.credentials.save(PORTAL_ID, "pennylane", {
      method: "api_token",
      token: PENNYLANE_TOKEN,
    });
    await repos.tenants.setActiveProvider(PORTAL_ID, "pennylane", null);
  } else {
    if (ready.sageTokens === null) throw new Error("The emulator process issued no Sage tokens.");
    await repos.credentials.save(PORTAL_ID, "sage_active", {
      method: "oauth",
      tokens: ready.sageTokens,
    });
    await repos.tenants.setActiveProvider(PORTAL_ID, "sage_active", ready.organizationId);
  }
  peakRss.sample();

  return {
    backend,
    title: provider === "pennylane" ? "Pennylane" : "Sage Active",
    providerPerSecond:
      provider === "pennylane"
        ? PENNYLANE_RATE_LIMIT.limit / (PENNYLANE_RATE_LIMIT.windowMs / 1000)
        : SAGE_ACTIVE_LIMITS.requestsPerMinute / 60,
    emulatorRss: ready.rssBytes,
    storeName: driver === "postgres" ? "PostgreSQL (DATABASE_URL)" : "PGlite, in this process",
    traffic: async () => {
      const t = await ask<EmulatorTraffic>({ op: "traffic" });
      const batchWrites = Object.entries(t.hubspotByEndpoint)
        .filter(([endpoint]) => endpoint.endsWith("/batch/update"))
        .reduce((sum, [, count]) => sum + count, 0);
      return {
        provider: t.provider,
        providerRateLimited: t.providerRateLimited,
        providerBreakdown: byCount(t.providerByEndpoint),
        hubspot: t.hubspot,
        hubspotBatchWrites: batchWrites,
        hubspotRecordsWritten: t.hubspotRecordsWritten,
        hubspotRateLimited: t.hubspotRateLimited,
      };
    },
    resetTraffic: async () => {
      await ask({ op: "reset" });
    },
    pay: async (invoice, date) => {
      await ask({
        op: "pay",
        invoiceId: invoice.id,
        date,
        amountCents: invoice.remainingCents,
        label: `Virement ${invoice.number ?? invoice.id}`,
      });
    },
    close: async () => {
      await backend.close();
      await opened.close();
      await emulators.close();
    },
  };
}

async function figures(
  setup: Setup,
  report: SyncReport,
  wallMs: number,
  title: string,
): Promise<Row[]> {
  const traffic = await setup.traffic();
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
    [
      "customers listed / companies linked automatically",
      `${formatCount(report.customersListed)} / ${formatCount(report.companiesLinked)}`,
      `${formatCount(report.companiesScanned)} HubSpot companies read in ${formatCount(report.hubspotReadCalls)} calls`,
    ],
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

/** The V8 heap in use at its highest while `work` runs (sampled like the RSS). */
async function withPeakHeap<T>(work: () => Promise<T>): Promise<{ value: T; peakHeap: number }> {
  let peakHeap = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 25);
  try {
    const value = await work();
    return { value, peakHeap: Math.max(peakHeap, process.memoryUsage().heapUsed) };
  } finally {
    clearInterval(timer);
  }
}

async function measure(provider: ProviderName): Promise<void> {
  const setup = await setUp(provider);
  try {
    await setup.resetTraffic();
    const before = peakRss.peakBytes;
    const heapBefore = process.memoryUsage().heapUsed;
    const { value: backfill, peakHeap } = await withPeakHeap(() =>
      timed(() => syncTenant(setup.backend, PORTAL_ID)),
    );
    const peak = peakRss.peakBytes;
    printTable(
      `${setup.title}: first sync of a new tenant, ${formatCount(BOOK_SIZE.invoices)} invoices, ${formatCount(BOOK_SIZE.companies)} HubSpot companies none of them linked yet`,
      [
        ...(await figures(setup, backfill.value, backfill.ms, "backfill")),
        [
          "peak resident memory of the syncing process",
          formatBytes(peak),
          `${targetNote("< 256 MiB", peak < MEMORY_TARGET)}; ${formatBytes(before)} before the sync (runtime, backend, store: ${setup.storeName})`,
        ],
        [
          "  peak JS heap in use during the sync",
          formatBytes(peakHeap),
          `${formatBytes(heapBefore)} before it`,
        ],
        ["emulators and book (other process, not counted)", formatBytes(setup.emulatorRss)],
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
    for (const invoice of picked) await setup.pay(invoice, today);
    await setup.resetTraffic();
    const incremental = await timed(() => syncTenant(setup.backend, PORTAL_ID));
    printTable(`${setup.title}: incremental sync after payments on ${picked.length} invoices`, [
      ...(await figures(setup, incremental.value, incremental.ms, "incremental")),
      [
        "companies whose customer was paid",
        formatCount(new Set(picked.map((invoice) => invoice.customerId)).size),
      ],
      ["peak resident memory of the syncing process so far", formatBytes(peakRss.peakBytes)],
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
