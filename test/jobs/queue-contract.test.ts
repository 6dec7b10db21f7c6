/**
 * The promises every job queue keeps, run against both: the in-process queue (embedded
 * database) always, pg-boss over PostgreSQL when DATABASE_URL is set (a fresh database).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "@encaisse/shared";
import { DeadLetterRepository } from "../../functions/src/jobs/dead-letters";
import { InProcessJobQueue } from "../../functions/src/jobs/in-process";
import { PgBossJobQueue } from "../../functions/src/jobs/pg-boss";
import type { Job, JobHandlers, WorkingJobQueue } from "../../functions/src/jobs/types";
import { openStore, type Store } from "../../functions/src/store";
import {
  DATABASE_URL,
  createTestDatabase,
  emptyAllTables,
  openTestStore,
} from "../../functions/test/support/store";

interface Run {
  readonly job: Job;
  readonly startedAt: number;
  endedAt: number;
}

interface QueueFixture {
  readonly name: string;
  /** A new queue on the suite's database. */
  open(store: Store): WorkingJobQueue;
  openStore(): Promise<{ store: Store; close(): Promise<void> }>;
}

const fixtures: QueueFixture[] = [
  {
    name: "in-process queue",
    open: (store) =>
      new InProcessJobQueue({
        attempts: 3,
        backoffMs: 20,
        deadLetters: new DeadLetterRepository(store.db),
      }),
    openStore: () => openTestStore("pglite"),
  },
];

let pgDatabaseUrl = "";
if (DATABASE_URL) {
  fixtures.push({
    name: "pg-boss queue",
    open: (store) =>
      new PgBossJobQueue({
        databaseUrl: pgDatabaseUrl,
        deadLetters: new DeadLetterRepository(store.db),
        schema: `pgboss_${Math.random().toString(36).slice(2, 8)}`,
        attempts: 3,
        retryDelaySeconds: 1,
        pollingIntervalSeconds: 0.5,
        busyRetrySeconds: 1,
        concurrency: 2,
      }),
    openStore: async () => {
      const database = await createTestDatabase();
      pgDatabaseUrl = database.url;
      const store = await openStore({ databaseUrl: database.url });
      return {
        store,
        close: async () => {
          await store.close();
          await database.drop();
        },
      };
    },
  });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 25_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("Timed out waiting for the queue.");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Handlers that record each run and take `ms` to do it (or fail as `fail` says). */
function recordingHandlers(
  runs: Run[],
  options: { ms?: number; fail?: (job: Job, attempt: number) => boolean } = {},
): JobHandlers {
  const attempts = new Map<string, number>();
  const run = async (job: Job) => {
    const key = JSON.stringify(job);
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const record: Run = { job, startedAt: performance.now(), endedAt: Number.NaN };
    runs.push(record);
    await sleep(options.ms ?? 5);
    record.endedAt = performance.now();
    if (options.fail?.(job, attempt)) {
      throw new DomainError("PROVIDER_UNAVAILABLE", "The accounting software is down.");
    }
  };
  return { sync: run, dunning: run, "deal-won": run };
}

function overlapping(a: Run, b: Run): boolean {
  return a.startedAt < b.endedAt && b.startedAt < a.endedAt;
}

describe.each(fixtures)("the $name", (fixture) => {
  let opened: { store: Store; close(): Promise<void> };
  const queues: WorkingJobQueue[] = [];

  beforeAll(async () => {
    opened = await fixture.openStore();
  }, 60_000);
  afterAll(async () => {
    for (const queue of queues) await queue.stop();
    await opened.close();
  }, 60_000);

  async function freshQueue(): Promise<WorkingJobQueue> {
    await emptyAllTables(opened.store);
    const queue = fixture.open(opened.store);
    queues.push(queue);
    return queue;
  }

  it("runs every queued job once, those queued before the workers started included", async () => {
    const queue = await freshQueue();
    const runs: Run[] = [];
    await queue.enqueue({ kind: "sync", tenantId: "101", reason: "connect" });
    await queue.start(recordingHandlers(runs));
    await queue.enqueue({ kind: "dunning", tenantId: "102", day: "2026-03-16" });
    await queue.enqueue({
      kind: "deal-won",
      tenantId: "103",
      dealId: "9001",
      occurredAt: 1_773_651_600_000,
      stageId: "closedwon",
    });
    await waitFor(() => runs.filter((run) => !Number.isNaN(run.endedAt)).length === 3);
    await sleep(300);
    expect(runs.map((run) => run.job).sort((a, b) => a.tenantId.localeCompare(b.tenantId))).toEqual(
      [
        { kind: "sync", tenantId: "101", reason: "connect" },
        { kind: "dunning", tenantId: "102", day: "2026-03-16" },
        {
          kind: "deal-won",
          tenantId: "103",
          dealId: "9001",
          occurredAt: 1_773_651_600_000,
          stageId: "closedwon",
        },
      ],
    );
    await queue.stop();
  }, 60_000);

  it("drops a job identical to one still waiting, but not one for another day or tenant", async () => {
    const queue = await freshQueue();
    const runs: Run[] = [];
    await queue.enqueue({ kind: "sync", tenantId: "201", reason: "schedule" });
    await queue.enqueue({ kind: "sync", tenantId: "201", reason: "manual" });
    await queue.enqueue({ kind: "sync", tenantId: "202", reason: "schedule" });
    await queue.enqueue({ kind: "dunning", tenantId: "201", day: "2026-03-16" });
    await queue.enqueue({ kind: "dunning", tenantId: "201", day: "2026-03-16" });
    await queue.enqueue({ kind: "dunning", tenantId: "201", day: "2026-03-17" });
    await queue.start(recordingHandlers(runs));
    await waitFor(() => runs.filter((run) => !Number.isNaN(run.endedAt)).length >= 4);
    await sleep(1_500);
    const seen = runs.map((run) =>
      run.job.kind === "dunning"
        ? `dunning ${run.job.tenantId} ${run.job.day}`
        : `sync ${run.job.tenantId}`,
    );
    expect(seen.sort()).toEqual([
      "dunning 201 2026-03-16",
      "dunning 201 2026-03-17",
      "sync 201",
      "sync 202",
    ]);
    await queue.stop();
  }, 60_000);

  it("runs one job per tenant lane at a time, and other tenants alongside", async () => {
    const queue = await freshQueue();
    const runs: Run[] = [];
    await queue.enqueue({ kind: "sync", tenantId: "301", reason: "schedule" });
    await queue.enqueue({ kind: "dunning", tenantId: "301", day: "2026-03-16" });
    await queue.enqueue({ kind: "sync", tenantId: "302", reason: "schedule" });
    await queue.start(recordingHandlers(runs, { ms: 800 }));
    await waitFor(() => runs.filter((run) => !Number.isNaN(run.endedAt)).length === 3);
    const [sync301, dunning301] = ["sync", "dunning"].map((kind) =>
      runs.find((run) => run.job.kind === kind && run.job.tenantId === "301"),
    );
    const sync302 = runs.find((run) => run.job.tenantId === "302");
    if (!sync301 || !dunning301 || !sync302) throw new Error("A job did not run.");
    // Sync and dunning share the tenant's accounts lane: one after the other.
    expect(overlapping(sync301, dunning301)).toBe(false);
    // Another tenant does not wait for it.
    expect(overlapping(sync301, sync302) || overlapping(dunning301, sync302)).toBe(true);
    await queue.stop();
  }, 60_000);

  it("stopping asks a running job to stop: it ends at once, is not retried and leaves no dead letter", async () => {
    const queue = await freshQueue();
    let started = false;
    let sawAbort = false;
    const longSync = async (_job: Job, signal: AbortSignal) => {
      started = true;
      // A backfill that would take a minute, checking its signal between pages.
      for (let page = 0; page < 600; page += 1) {
        if (signal.aborted) {
          sawAbort = true;
          signal.throwIfAborted();
        }
        await sleep(100);
      }
    };
    const quick = () => Promise.resolve();
    await queue.start({ sync: longSync, dunning: quick, "deal-won": quick });
    await queue.enqueue({ kind: "sync", tenantId: "451", reason: "connect" });
    await waitFor(() => started);
    const stopping = performance.now();
    await queue.stop();
    expect(performance.now() - stopping).toBeLessThan(10_000);
    expect(sawAbort).toBe(true);
    expect(await queue.deadLetters()).toEqual([]);
  }, 60_000);

  it("retries a failing job with backoff, then keeps it as a dead letter with its error code", async () => {
    const queue = await freshQueue();
    const runs: Run[] = [];
    await queue.start(
      recordingHandlers(runs, {
        fail: (job, attempt) => job.tenantId === "401" || (job.tenantId === "402" && attempt === 1),
      }),
    );
    await queue.enqueue({ kind: "sync", tenantId: "401", reason: "schedule" });
    await queue.enqueue({ kind: "sync", tenantId: "402", reason: "schedule" });
    await waitFor(async () => (await queue.deadLetters()).length === 1, 40_000);
    await waitFor(() => runs.filter((run) => run.job.tenantId === "402").length === 2);
    await sleep(500);

    const attemptsOf = (tenantId: string) => runs.filter((run) => run.job.tenantId === tenantId);
    expect(attemptsOf("401")).toHaveLength(3);
    expect(attemptsOf("402")).toHaveLength(2);
    const [first, second, third] = attemptsOf("401").map((run) => run.startedAt);
    if (first === undefined || second === undefined || third === undefined)
      throw new Error("Three attempts expected.");
    // Each wait is longer than the one before (exponential backoff, jitter aside).
    expect(third - second).toBeGreaterThan(second - first);

    const letters = await queue.deadLetters();
    expect(letters).toEqual([
      {
        kind: "sync",
        tenantId: "401",
        failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        attempts: 3,
        errorCode: "PROVIDER_UNAVAILABLE",
      },
    ]);
    // The store keeps them for `encaisse doctor`, whichever process asks.
    expect(await new DeadLetterRepository(opened.store.db).list()).toEqual(letters);
    await queue.stop();
  }, 60_000);
});
