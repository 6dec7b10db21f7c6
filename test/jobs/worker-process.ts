/**
 * One worker process of `workers.pg.test.ts`: the backend from the environment (PostgreSQL,
 * emulator URLs), pg-boss workers running the product's handlers (sync engine, dunning, deal
 * won), and every run written to `worker_runs` with the database's clock so the test can line
 * up runs of different processes.
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { openBackend, silentLogger, type Backend } from "../../functions/src/backend";
import { loadConfig } from "../../functions/src/config";
import { jobHandlers } from "../../functions/src/jobs/handlers";
import { errorCodeOf } from "../../functions/src/jobs/keys";
import type { Job, JobHandlers } from "../../functions/src/jobs/types";

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
    // The test's own data only: the message and its cause say what failed.
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : "";
    const message = error instanceof Error ? error.message.slice(0, 200) : String(error);
    outcome = `${errorCodeOf(error)} ${message} ${cause}`.trim();
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
  const handlers: JobHandlers = {
    sync: (job, signal) => record(backend, job, () => real.sync(job, signal)),
    dunning: (job, signal) => record(backend, job, () => real.dunning(job, signal)),
    "deal-won": (job, signal) => record(backend, job, () => real["deal-won"](job, signal)),
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
