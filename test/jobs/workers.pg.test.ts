/**
 * Jobs at scale on real PostgreSQL: four worker processes share one pg-boss and the real sync
 * of twenty tenants, each with a small book on its own Pennylane company and token and its
 * own HubSpot account, against the emulators served over HTTP with their published limits
 * enforced, while a web process reads cards on the same tokens and accounts. The emulators
 * count every request per token and account in sliding windows; any 429 or any window over
 * the limit fails the test, and so does a job run twice, a tenant left unsynced, or more
 * database connections than the deployment's budget. Runs when DATABASE_URL is set (a fresh
 * database).
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
import { PG_BOSS_CONNECTIONS, PgBossJobQueue } from "../../functions/src/jobs/pg-boss";
import {
  CredentialCipher,
  createRepositories,
  keyFromEnvironment,
  openStore,
  type Store,
} from "../../functions/src/store";
import { DATABASE_URL, createTestDatabase } from "../../functions/test/support/store";
import { type ServedEmulator, serveEmulator } from "../emulators/common/server";
import { HubSpotEmulator, SANDBOX_HUBSPOT_APP, startHubSpotServer } from "../emulators/hubspot";
import { PennylaneEmulator } from "../emulators/pennylane";
import { generateBook } from "../fixtures/generate";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "../..");
const WORKERS = 4;
const TENANTS = 20;
const PENNYLANE_LIMIT = 25;
const HUBSPOT_LIMIT = 110;
/**
 * Connections one worker process may open: its store's pool (openStore's default), pg-boss's
 * pool, the lanes' session and the short-lived lock taken while creating the queues.
 */
const WORKER_CONNECTIONS = 10 + PG_BOSS_CONNECTIONS.worker + 1 + 1;
/** This process: its store, the web process's store, the enqueuer's pg-boss and lock. */
const TEST_CONNECTIONS = 4 + 10 + PG_BOSS_CONNECTIONS.enqueueOnly + 1;

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
const countsSchema = z.object({
  rows: z.array(z.object({ tenant_id: z.string(), invoices: z.coerce.number() })),
});
const connectionsSchema = z.object({ rows: z.array(z.object({ connections: z.coerce.number() })) });

/** Each tenant's Pennylane company, behind one address: the token says which. */
class PennylaneCompanies implements ServedEmulator {
  readonly byToken = new Map<string, PennylaneEmulator>();

  handle(request: Request): Promise<Response> {
    const token = /^Bearer (.+)$/.exec(request.headers.get("authorization") ?? "")?.[1] ?? "";
    const company = this.byToken.get(token);
    if (!company) return Promise.resolve(new Response(null, { status: 401 }));
    return company.handle(request);
  }

  close(): void {
    for (const company of this.byToken.values()) company.close();
  }
}

describe.runIf(DATABASE_URL)("jobs at scale on PostgreSQL", () => {
  const encryptionKey = randomBytes(32).toString("base64");
  const hubspot = new HubSpotEmulator();
  const pennylane = new PennylaneCompanies();
  const children: ChildProcess[] = [];
  const closers: (() => Promise<void>)[] = [];
  let store: Store;
  let databaseUrl = "";
  let environment: Record<string, string> = {};
  const companyIdsOfTenant: Record<string, readonly string[]> = {};
  const pennylaneOfTenant = new Map<string, PennylaneEmulator>();
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

    const hubspotServer = await startHubSpotServer(hubspot);
    const pennylaneServer = await serveEmulator(pennylane);
    closers.unshift(
      () => hubspotServer.close(),
      () => pennylaneServer.close(),
    );

    const cipher = new CredentialCipher(keyFromEnvironment({ ENCRYPTION_KEY: encryptionKey }));
    const repos = createRepositories(store, { cipher });
    for (const [index, tenantId] of tenantIds.entries()) {
      // A small book per tenant with 23 to 29 of its 32 invoices paid: the backfill reads each
      // paid invoice's payments, so a sync alone asks more than one Pennylane window (25).
      const book = generateBook({ seed: index + 1, companies: 3, invoices: 32, months: 24 });
      const company = new PennylaneEmulator();
      const loaded = company.loadBook(book);
      const token = `pennylane-token-of-tenant-${index}-0123456789`;
      company.addApiToken(token);
      pennylane.byToken.set(token, company);
      pennylaneOfTenant.set(tenantId, company);

      const installed = hubspot.installApp(Number(tenantId));
      const companyIds = hubspot.loadBook(Number(tenantId), book).companyIds;
      companyIdsOfTenant[tenantId] = Object.values(companyIds);
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
      // Linked companies get their rollups written back: the sync calls HubSpot too.
      for (const [key, companyId] of Object.entries(companyIds)) {
        const customerId = loaded.customerIds.get(key);
        if (customerId === undefined) continue;
        await repos.customerLinks.link(tenantId, {
          companyId,
          provider: "pennylane",
          providerCustomerId: String(customerId),
          matchedBy: "siren",
          confidence: 1,
          linkedBy: null,
        });
      }
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

  it("shares twenty tenants' syncs between four workers, one job per tenant lane, every tenant synced, never over a limit", async () => {
    // Connections to the test database, sampled for as long as anything runs.
    let peakConnections = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const sampled = connectionsSchema.parse(
          await store.db.execute(sql`select count(*) as connections from pg_stat_activity
            where datname = current_database()`),
        );
        peakConnections = Math.max(peakConnections, sampled.rows[0]?.connections ?? 0);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();

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
      await enqueuer.enqueue({ kind: "sync", tenantId, reason: "connect" });
      // A deal won in the same tenant runs in its own lane, often in another process.
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
      if (Date.now() - started > 150_000) throw new Error(`Only ${done} of ${expected} ran.`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const elapsedMs = Date.now() - started;
    jobsDone = true;
    await cardTraffic;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    sampling = false;
    await sampler;
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

    // Every tenant ends synced: its read model holds every invoice of its accounting book.
    const counts = countsSchema.parse(
      await store.db.execute(sql`select tenant_id, count(*) as invoices from invoices
        group by tenant_id`),
    ).rows;
    const heldByTenant = Object.fromEntries(counts.map((row) => [row.tenant_id, row.invoices]));
    const bookOfTenant = Object.fromEntries(
      tenantIds.map((tenantId) => [
        tenantId,
        pennylaneOfTenant.get(tenantId)?.ledger.invoices.size,
      ]),
    );
    expect(heldByTenant).toEqual(bookOfTenant);

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

    const companies = [...pennylaneOfTenant.values()].map((company) => company.stats);
    const busiestByToken = companies.map((stats) => stats.maxRequestsInWindow);
    const hubspotStats = hubspot.stats;
    const syncMs = all
      .filter((run) => run.kind === "sync" && run.ended_at)
      .map((run) => (run.ended_at?.getTime() ?? 0) - run.started_at.getTime());
    process.stdout.write(
      JSON.stringify({
        elapsedMs,
        workers: WORKERS,
        tenants: TENANTS,
        jobs: all.length,
        syncMs: { min: Math.min(...syncMs), max: Math.max(...syncMs) },
        tenantsWithJobsInTwoWorkersAtOnce: crossProcess.length,
        webCalls: [...webCalls.values()].reduce((sum, calls) => sum + calls.length, 0),
        peakConnections,
        connectionBudget: WORKERS * WORKER_CONNECTIONS + TEST_CONNECTIONS,
        pennylane: {
          requests: companies.reduce((sum, stats) => sum + stats.totalRequests, 0),
          rateLimited: companies.reduce((sum, stats) => sum + stats.rateLimited, 0),
          busiestTokenWindow: Math.max(...busiestByToken),
          quietestTokenBusiestWindow: Math.min(...busiestByToken),
        },
        hubspot: {
          requests: hubspotStats.totalRequests,
          rateLimited: hubspotStats.rateLimited,
          busiestAccountWindow: hubspotStats.maxRequestsInWindow,
        },
      }) + "\n",
    );
    for (const stats of companies) {
      expect(stats.rateLimited).toBe(0);
      expect(stats.maxRequestsInWindow).toBeLessThanOrEqual(PENNYLANE_LIMIT);
    }
    // Each sync asked more than one window of its token: the shared limit held every token
    // back to exactly the limit, never past it.
    expect(Math.min(...busiestByToken)).toBe(PENNYLANE_LIMIT);
    expect(hubspotStats.rateLimited).toBe(0);
    expect(hubspotStats.maxRequestsInWindow).toBeLessThanOrEqual(HUBSPOT_LIMIT);
    // The deployment stays inside its connection budget, far from PostgreSQL's usual 100.
    expect(peakConnections).toBeLessThanOrEqual(WORKERS * WORKER_CONNECTIONS + TEST_CONNECTIONS);
  }, 300_000);
});
