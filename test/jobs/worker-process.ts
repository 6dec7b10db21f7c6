/**
 * One worker process of `workers.pg.test.ts`: the backend from the environment (PostgreSQL,
 * emulator URLs), pg-boss workers, and every run written to `worker_runs` with the
 * database's clock so the test can line up runs of different processes.
 *
 * WORKER_HANDLERS=real runs the product's handlers (sync engine, deal won); the default is a
 * burst of real client calls per job (provider reads, HubSpot reads) through the same clients
 * and limiters, sized to need more than one rate-limit window per tenant.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { openBackend, silentLogger, type Backend } from "../../functions/src/backend";
import { loadConfig } from "../../functions/src/config";
import { jobHandlers } from "../../functions/src/jobs/handlers";
import { errorCodeOf } from "../../functions/src/jobs/keys";
import type { Job, JobHandlers } from "../../functions/src/jobs/types";

const BURST = {
  sync: { provider: 35, hubspot: 120 },
  "deal-won": { provider: 15, hubspot: 40 },
  dunning: { provider: 5, hubspot: 5 },
} as const;

/** The HubSpot company ids of each tenant's portal, as the test loaded them. */
const companyIdsSchema = z.record(z.string(), z.array(z.string()));

function companyIdsOf(tenantId: string): readonly string[] {
  const all = companyIdsSchema.parse(JSON.parse(process.env.WORKER_COMPANY_IDS ?? "{}"));
  return all[tenantId] ?? [];
}

async function burst(backend: Backend, job: Job): Promise<void> {
  const tenant = await backend.tenant(job.tenantId);
  const provider = await backend.provider(tenant);
  if (!provider) throw new Error("The tenant has no provider.");
  const crm = backend.crm(job.tenantId);
  const companyIds = companyIdsOf(job.tenantId);
  const size = BURST[job.kind];
  const page = await provider.listInvoices();
  const invoiceIds = page.items.map((invoice) => invoice.id);
  const providerCalls = Array.from({ length: size.provider - 1 }, (_, index) =>
    provider.getInvoice(invoiceIds[index % invoiceIds.length] ?? ""),
  );
  const hubspotCalls = Array.from({ length: size.hubspot }, (_, index) =>
    crm.getCompany(companyIds[index % companyIds.length] ?? ""),
  );
  await Promise.all([...providerCalls, ...hubspotCalls]);
}

async function record<T>(backend: Backend, job: Job, work: () => Promise<T>): Promise<T> {
  const inserted = await backend.store.db.execute(sql`
    insert into worker_runs (kind, tenant_id, pid, started_at)
    values (${job.kind}, ${job.tenantId}, ${process.pid}, clock_timestamp()) returning id`);
  const id = z.object({ rows: z.array(z.object({ id: z.number() })).length(1) }).parse(inserted)
    .rows[0]?.id;
  let outcome = "ok";
  try {
    return await work();
  } catch (error) {
    outcome = `${errorCodeOf(error)} ${error instanceof Error ? error.message.slice(0, 300) : ""}`;
    throw error;
  } finally {
    await backend.store.db.execute(
      sql`update worker_runs set ended_at = clock_timestamp(), outcome = ${outcome} where id = ${id}`,
    );
  }
}

async function main(): Promise<void> {
  const backend = await openBackend(loadConfig(process.env), { logger: silentLogger });
  const real = jobHandlers(backend);
  const useReal = process.env.WORKER_HANDLERS === "real";
  const handlers: JobHandlers = {
    sync: (job) => record(backend, job, () => (useReal ? real.sync(job) : burst(backend, job))),
    dunning: (job) =>
      record(backend, job, () => (useReal ? real.dunning(job) : burst(backend, job))),
    "deal-won": (job) =>
      record(backend, job, () => (useReal ? real["deal-won"](job) : burst(backend, job))),
  };
  if (!backend.workers) throw new Error("The backend has no worker queue.");
  await backend.workers.start(handlers);
  process.stdout.write("ready\n");
  const stop = () => {
    void backend.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

void main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
