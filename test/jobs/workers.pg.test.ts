/**
 * Jobs at scale on real PostgreSQL: four worker processes share one pg-boss and the work of
 * twenty tenants (each its own Pennylane token and HubSpot account), against the Pennylane
 * and HubSpot emulators served over HTTP with their published limits enforced. The
 * emulators count every request per token and account in sliding windows; any 429 or any
 * window over the limit fails the test. Runs when DATABASE_URL is set (a fresh database).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openBackend, silentLogger } from "../../functions/src/backend";
import { loadConfig } from "../../functions/src/config";
import { DeadLetterRepository } from "../../functions/src/jobs/dead-letters";
import { PgBossJobQueue } from "../../functions/src/jobs/pg-boss";
import {
  CredentialCipher,
  createRepositories,
  keyFromEnvironment,
  openStore,
  type Store,
} from "../../functions/src/store";
import { DATABASE_URL, createTestDatabase } from "../../functions/test/support/store";
import { HubSpotEmulator, SANDBOX_HUBSPOT_APP, startHubSpotServer } from "../emulators/hubspot";
import { PennylaneEmulator, startPennylaneServer } from "../emulators/pennylane";
import { generateBook } from "../fixtures/generate";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const WORKERS = 4;
const TENANTS = 20;
const PENNYLANE_LIMIT = 25;
const HUBSPOT_LIMIT = 110;

const runRowsSchema = z.object({
  rows: z.array(
    z.object({
      kind: z.string(),
      tenant_id: z.string(),
      pid: z.number(),
      started_at: z.coerce.date(),
      ended_at: z.coerce.date().nullable(),
      outcome: z.string().nullable(),
    }),
  ),
});

describe.runIf(DATABASE_URL)("jobs at scale on PostgreSQL", () => {
  const encryptionKey = randomBytes(32).toString("base64");
  const hubspot = new HubSpotEmulator();
  const pennylane = new PennylaneEmulator();
  const children: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  let store: Store;
  let databaseUrl = "";
  let environment: Record<string, string> = {};
  const companyIdsOfTenant: Record<string, readonly string[]> = {};
  const tenantIds = Array.from({ length: TENANTS }, (_, index) => String(7_100_000 + index));

  beforeAll(async () => {
    const database = await createTestDatabase();
    databaseUrl = database.url;
    closers.push(() => database.drop());
    store = await openStore({ databaseUrl, maxConnections: 4 });
    closers.unshift(() => store.close());
    await store.db.execute(sql`create table worker_runs (
      id serial primary key, kind text not null, tenant_id text not null, pid int not null,
      started_at timestamptz not null, ended_at timestamptz, outcome text)`);

    const book = generateBook({ companies: 8, invoices: 40 });
    pennylane.loadBook(book);
    const hubspotServer = await startHubSpotServer(hubspot);
    const pennylaneServer = await startPennylaneServer(pennylane);
    closers.unshift(
      () => hubspotServer.close(),
      () => pennylaneServer.close(),
    );

    const cipher = new CredentialCipher(keyFromEnvironment({ ENCRYPTION_KEY: encryptionKey }));
    const repos = createRepositories(store, { cipher });
    const companyIds = companyIdsOfTenant;
    for (const [index, tenantId] of tenantIds.entries()) {
      const installed = hubspot.installApp(Number(tenantId));
      companyIds[tenantId] = Object.values(hubspot.loadBook(Number(tenantId), book).companyIds);
      const token = `pennylane-token-of-tenant-${index}-0123456789`;
      pennylane.addApiToken(token);
      await repos.tenants.install(tenantId);
      await repos.credentials.save(tenantId, "hubspot", {
        method: "oauth",
        tokens: {
          accessToken: installed.accessToken,
          refreshToken: installed.refreshToken,
          expiresAt: installed.expiresAt.getTime(),
          scope: installed.scopes.join(" "),
        },
      });
      await repos.credentials.save(tenantId, "pennylane", { method: "api_token", token });
      await repos.tenants.setActiveProvider(tenantId, "pennylane", null);
    }
    environment = {
      PATH: process.env.PATH ?? "",
      NODE_ENV: "test",
      ENCAISSE_SANDBOX: "1",
      DATABASE_URL: databaseUrl,
      ENCRYPTION_KEY: encryptionKey,
      HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_APP.clientId,
      HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_APP.clientSecret,
      HUBSPOT_API_URL: hubspotServer.url,
      PENNYLANE_API_URL: pennylaneServer.url,
      ENCAISSE_WORKER_CONCURRENCY: "2",
      WORKER_COMPANY_IDS: JSON.stringify(companyIds),
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
    for (const close of closers) await close();
  }, 60_000);

  function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ["--import", "tsx", join(here, "worker-process.ts")], {
      cwd: root,
      env: environment,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    let errors = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString();
    });
    return new Promise((resolve, reject) => {
      child.stdout?.on("data", (chunk: Buffer) => {
        if (chunk.toString().includes("ready")) resolve(child);
      });
      child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${errors}`)));
    });
  }

  async function runs(): Promise<z.infer<typeof runRowsSchema>["rows"]> {
    const result = await store.db.execute(sql`select * from worker_runs order by started_at`);
    return runRowsSchema.parse(result).rows;
  }

  it("shares twenty tenants between four workers, one job per tenant lane, never over a limit", async () => {
    await Promise.all(Array.from({ length: WORKERS }, () => startWorker()));
    const deadLetters = new DeadLetterRepository(store.db);
    const enqueuer = new PgBossJobQueue({ databaseUrl, deadLetters, workers: false });
    closers.unshift(() => enqueuer.stop());

    // The web side: card refreshes in this process on every tenant's token and account for as
    // long as its jobs run, so each budget is spent by two processes at once.
    const web = await openBackend(loadConfig({ ...environment, ENCAISSE_WORKERS: "0" }), {
      logger: silentLogger,
    });
    closers.unshift(() => web.close());
    const webCalls = new Map<string, number[]>();
    let jobsDone = false;
    const cardTraffic = Promise.all(
      tenantIds.map(async (tenantId) => {
        const provider = await web.provider(await web.tenant(tenantId));
        const crm = web.crm(tenantId);
        const [companyId] = companyIdsOfTenant[tenantId] ?? [];
        const invoices = (await provider?.listInvoices())?.items ?? [];
        while (!jobsDone) {
          await Promise.all([
            provider?.getCustomer(invoices[0]?.customerId ?? ""),
            crm.getCompany(companyId ?? ""),
          ]);
          webCalls.set(tenantId, [...(webCalls.get(tenantId) ?? []), Date.now()]);
          // A user opening a card now and then, not a loop that takes the whole budget.
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }),
    );

    const started = Date.now();
    for (const tenantId of tenantIds) {
      await enqueuer.enqueue({ kind: "sync", tenantId, reason: "schedule" });
      // A deal won in the same tenant runs in its own lane, often in another process, on the
      // same token and account: the limits hold only if the processes share them.
      await enqueuer.enqueue({
        kind: "deal-won",
        tenantId,
        dealId: `deal-${tenantId}`,
        occurredAt: 1_773_651_600_000,
        stageId: "closedwon",
      });
    }
    const expected = TENANTS * 2;
    for (;;) {
      const done = (await runs()).filter((run) => run.ended_at !== null).length;
      if (done >= expected) break;
      if (Date.now() - started > 240_000) throw new Error(`Only ${done} of ${expected} ran.`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const elapsedMs = Date.now() - started;
    jobsDone = true;
    await cardTraffic;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const all = await runs();

    // No attempt failed (a retry would run a job twice).
    expect(all.filter((run) => run.outcome !== "ok").map((run) => run.outcome)).toEqual([]);
    // Each tenant synced exactly once per enqueue, and its deal was handled once.
    for (const tenantId of tenantIds) {
      expect(all.filter((run) => run.tenant_id === tenantId && run.kind === "sync")).toHaveLength(
        1,
      );
      expect(
        all.filter((run) => run.tenant_id === tenantId && run.kind === "deal-won"),
      ).toHaveLength(1);
    }
    expect(await deadLetters.list()).toEqual([]);

    // Every worker took a share.
    const pids = new Set(all.map((run) => run.pid));
    expect(pids.size).toBe(WORKERS);

    // Every tenant's sync ran while the web side called on the same token and account.
    for (const tenantId of tenantIds) {
      const sync = all.find((run) => run.tenant_id === tenantId && run.kind === "sync");
      const during = (webCalls.get(tenantId) ?? []).filter(
        (at) => sync?.ended_at && at > sync.started_at.getTime() && at < sync.ended_at.getTime(),
      );
      expect(during.length).toBeGreaterThan(0);
    }
    // Jobs of one tenant in two worker processes at once (sync and deal won): counted only.
    const crossProcess = tenantIds.filter((tenantId) => {
      const [sync, deal] = ["sync", "deal-won"].map((kind) =>
        all.find((run) => run.tenant_id === tenantId && run.kind === kind),
      );
      if (!sync?.ended_at || !deal?.ended_at || sync.pid === deal.pid) return false;
      return sync.started_at < deal.ended_at && deal.started_at < sync.ended_at;
    });

    const pennylaneStats = pennylane.stats;
    const hubspotStats = hubspot.stats;
    process.stdout.write(
      JSON.stringify({
        elapsedMs,
        workers: WORKERS,
        tenants: TENANTS,
        jobs: all.length,
        tenantsWithJobsInTwoWorkersAtOnce: crossProcess.length,
        webCalls: [...webCalls.values()].reduce((sum, calls) => sum + calls.length, 0),
        pennylane: {
          requests: pennylaneStats.totalRequests,
          rateLimited: pennylaneStats.rateLimited,
          busiestTokenWindow: pennylaneStats.maxRequestsInWindow,
        },
        hubspot: {
          requests: hubspotStats.totalRequests,
          rateLimited: hubspotStats.rateLimited,
          busiestAccountWindow: hubspotStats.maxRequestsInWindow,
        },
      }) + "\n",
    );
    expect(pennylaneStats.totalRequests).toBeGreaterThanOrEqual(TENANTS * 50);
    expect(pennylaneStats.rateLimited).toBe(0);
    expect(pennylaneStats.maxRequestsInWindow).toBeLessThanOrEqual(PENNYLANE_LIMIT);
    // Each tenant sent more than one window's worth: the limiter had something to do.
    expect(Math.min(...Object.values(pennylaneStats.maxRequestsInWindowByToken))).toBe(
      PENNYLANE_LIMIT,
    );
    expect(hubspotStats.rateLimited).toBe(0);
    expect(hubspotStats.maxRequestsInWindow).toBeLessThanOrEqual(HUBSPOT_LIMIT);
  }, 300_000);
});
