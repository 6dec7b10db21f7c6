/**
 * The production queue: pg-boss over the PostgreSQL database, shared by every instance.
 *
 * - One pg-boss queue per job kind, policy `short`: a job queued while an identical one still
 *   waits is dropped (same duplicate key as the in-process queue).
 * - One job per tenant lane at a time across processes: `LaneLocks` (see there why not
 *   pg-boss's singleton policies). A job whose lane is busy goes back to the queue a few
 *   seconds later, without spending an attempt.
 * - Retries with exponential backoff (pg-boss `retryBackoff`); after the last attempt the
 *   job lands in the store's dead letters (and in pg-boss's dead-letter queue of its kind,
 *   which also catches jobs lost with a crashed worker).
 * - pg-boss starts on first use, so a process that only enqueues (a Lambda) pays for it only
 *   when it queues something.
 */
import PgBoss from "pg-boss";
import { z } from "zod";
import { type Clock, systemClock } from "../net/clock";
import { duplicateKeyOf, errorCodeOf, laneOf } from "./keys";
import { LaneLocks } from "./lanes";
import { runHandler } from "./run";
import {
  type DeadLetter,
  type DeadLetterStore,
  JOB_KINDS,
  type Job,
  type JobHandlers,
  type JobKind,
  type WorkingJobQueue,
} from "./types";

export interface PgBossQueueOptions {
  readonly databaseUrl: string;
  readonly deadLetters: DeadLetterStore;
  /** pg-boss's tables live in this schema (default "pgboss"). */
  readonly schema?: string;
  /** Attempts per job, the first included (default 3). */
  readonly attempts?: number;
  /** Seconds before the second attempt; doubles (with jitter) each time (default 30). */
  readonly retryDelaySeconds?: number;
  /** Jobs of each kind this process runs at once (default 2). */
  readonly concurrency?: number;
  /** How often an idle worker looks for jobs (default 2 s; pg-boss's minimum is 0.5). */
  readonly pollingIntervalSeconds?: number;
  /** A lane taken: try again after this long (default 5 s). */
  readonly busyRetrySeconds?: number;
  /** Does this process run jobs and pg-boss's maintenance and cron (default true)? */
  readonly workers?: boolean;
  readonly clock?: Clock;
  readonly onError?: (error: unknown, context: { kind?: JobKind; tenantId?: string }) => void;
}

/** How long a job may run before pg-boss counts it as lost (a worker that died). */
const EXPIRE_SECONDS: Record<JobKind, number> = {
  sync: 60 * 60,
  dunning: 30 * 60,
  "deal-won": 10 * 60,
};

/** Connections of pg-boss's pool per process (the lanes add one, see lanes.ts). */
export const PG_BOSS_CONNECTIONS = { worker: 3, enqueueOnly: 2 } as const;

const QUEUE_PREFIX = "encaisse-";
const TICK_QUEUE = `${QUEUE_PREFIX}tick`;

export function queueNameOf(kind: JobKind): string {
  return `${QUEUE_PREFIX}${kind}`;
}

function deadQueueOf(kind: JobKind): string {
  return `${queueNameOf(kind)}-dead`;
}

const jobSchema: z.ZodType<Job> = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("sync"),
    tenantId: z.string(),
    reason: z.enum(["schedule", "connect", "manual"]),
  }),
  z.object({ kind: z.literal("dunning"), tenantId: z.string(), day: z.string() }),
  z.object({
    kind: z.literal("deal-won"),
    tenantId: z.string(),
    dealId: z.string(),
    occurredAt: z.number(),
    stageId: z.string(),
  }),
]);

const dueCountSchema = z.object({ rows: z.array(z.object({ due: z.number() })) });

/** What a failed attempt leaves in pg-boss's `output`: a code, never the error's text. */
class JobAttemptFailed extends Error {
  constructor(
    readonly code: string,
    readonly attempt: number,
  ) {
    super(code);
    this.name = "JobAttemptFailed";
  }
}

export class PgBossJobQueue implements WorkingJobQueue {
  private readonly boss: PgBoss;
  private readonly lanes: LaneLocks;
  private readonly clock: Clock;
  private readonly attempts: number;
  private starting: Promise<void> | null = null;
  private handlers: JobHandlers | null = null;
  private readonly running = new Set<Promise<void>>();
  private stopped = false;
  /** Aborted by `stop`: running handlers end at their next safe point; pg-boss retries them. */
  private readonly stopping = new AbortController();

  constructor(private readonly options: PgBossQueueOptions) {
    const workers = options.workers ?? true;
    this.clock = options.clock ?? systemClock;
    this.attempts = options.attempts ?? 3;
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: options.schema ?? "pgboss",
      application_name: "encaisse-jobs",
      // pg-boss only runs short statements (fetch, complete, maintenance): they queue on a
      // few connections. Each connection is one of PostgreSQL's max_connections, which every
      // instance shares (see README, Jobs).
      max: workers ? PG_BOSS_CONNECTIONS.worker : PG_BOSS_CONNECTIONS.enqueueOnly,
      supervise: workers,
      schedule: workers,
    });
    this.boss.on("error", (error) => options.onError?.(error, {}));
    this.lanes = new LaneLocks(options.databaseUrl);
  }

  async enqueue(job: Job): Promise<void> {
    await this.ready();
    await this.boss.send(queueNameOf(job.kind), job, this.sendOptions(job));
  }

  deadLetters(limit = 20): Promise<readonly DeadLetter[]> {
    return this.options.deadLetters.list(limit);
  }

  async start(handlers: JobHandlers): Promise<void> {
    await this.ready();
    this.handlers = handlers;
    const concurrency = this.options.concurrency ?? 2;
    const pollingIntervalSeconds = this.options.pollingIntervalSeconds ?? 2;
    for (const kind of JOB_KINDS) {
      for (let slot = 0; slot < concurrency; slot += 1) {
        await this.boss.work<Job>(
          queueNameOf(kind),
          { includeMetadata: true, batchSize: 1, pollingIntervalSeconds },
          (jobs) => this.track(Promise.all(jobs.map((job) => this.process(kind, job)))),
        );
      }
      // Jobs pg-boss gave up on by itself (their worker died on the last attempt).
      await this.boss.work<unknown>(
        deadQueueOf(kind),
        { includeMetadata: true, batchSize: 20, pollingIntervalSeconds: 30 },
        (jobs) => this.track(Promise.all(jobs.map((job) => this.recordLost(kind, job)))),
      );
    }
  }

  /**
   * Queues `onTick` every `everyMinutes` minutes across the whole deployment (one process
   * runs each tick, whichever has workers), on the Paris clock.
   */
  async schedule(everyMinutes: number, onTick: (at: Date) => Promise<void>): Promise<void> {
    await this.ready();
    await this.boss.schedule(
      TICK_QUEUE,
      `*/${everyMinutes} * * * *`,
      {},
      {
        tz: "Europe/Paris",
        singletonKey: "tick",
      },
    );
    await this.boss.work(TICK_QUEUE, { pollingIntervalSeconds: 5 }, () =>
      this.track(onTick(new Date(this.clock.now()))),
    );
  }

  /** Resolves once no job of this process is running (tests, draining before a stop). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /** Jobs waiting or running, all kinds (tests, a Lambda draining the queue). */
  async pending(): Promise<number> {
    await this.ready();
    let total = 0;
    for (const kind of JOB_KINDS) {
      total += await this.boss.getQueueSize(queueNameOf(kind), { before: "completed" });
    }
    return total;
  }

  /**
   * Whether a worker has something to do now: a job of this process still running, or one
   * waiting that may start now or within a lane's busy delay (a job put back because its
   * lane was taken comes back that soon). Jobs waiting out a retry delay do not count: a
   * Lambda worker would spin until its timeout for a job that the next invocation runs.
   */
  async hasWorkDue(): Promise<boolean> {
    await this.ready();
    const schema = this.options.schema ?? "pgboss";
    if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error("Invalid pg-boss schema name.");
    const answer = dueCountSchema.parse(
      await this.boss.getDb().executeSql(
        `select count(*)::int as due from ${schema}.job
         where name = any($1::text[]) and state < 'active'
           and start_after <= now() + make_interval(secs => $2)`,
        [JOB_KINDS.map(queueNameOf), (this.options.busyRetrySeconds ?? 5) + 1],
      ),
    );
    // Read after the count: a job fetched meanwhile left the waiting ones for this process's.
    return (answer.rows[0]?.due ?? 0) > 0 || this.running.size > 0;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.stopping.abort();
    if (this.starting) {
      await this.starting.catch(() => undefined);
      await this.boss.stop({ graceful: true, timeout: 30_000, wait: true });
    }
    await this.idle();
    await this.lanes.close();
  }

  private ready(): Promise<void> {
    this.starting ??= (async () => {
      await this.boss.start();
      // pg-boss's create_queue deadlocks when instances starting together create the same
      // queues at once: one creates them while the others wait, then find them there.
      await this.lanes.withLock("pg-boss-queues", () => this.createQueues());
    })();
    return this.starting;
  }

  private async createQueues(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.createMissingQueues();
        return;
      } catch (error) {
        // Creating a queue adds a partition to pg-boss's job table, which can still deadlock
        // with the job fetches of workers already running; PostgreSQL then cancels one side.
        const deadlock = (error as { code?: unknown } | null)?.code === "40P01";
        if (!deadlock || attempt >= 5) throw error;
        await this.clock.sleep(200 * attempt);
      }
    }
  }

  private async createMissingQueues(): Promise<void> {
    const createQueue = async (name: string, options: PgBoss.Queue) => {
      // Once created (by any instance), a queue is only read: no DDL, nothing to deadlock on.
      if ((await this.boss.getQueue(name)) === null) await this.boss.createQueue(name, options);
    };
    for (const kind of JOB_KINDS) {
      await createQueue(deadQueueOf(kind), { name: deadQueueOf(kind) });
      await createQueue(queueNameOf(kind), {
        name: queueNameOf(kind),
        policy: "short",
        retryLimit: this.attempts - 1,
        retryDelay: this.options.retryDelaySeconds ?? 30,
        retryBackoff: true,
        expireInSeconds: EXPIRE_SECONDS[kind],
        deadLetter: deadQueueOf(kind),
      });
    }
    await createQueue(TICK_QUEUE, { name: TICK_QUEUE, policy: "short", retryLimit: 0 });
  }

  private sendOptions(job: Job): PgBoss.SendOptions {
    return {
      singletonKey: duplicateKeyOf(job),
      retryLimit: this.attempts - 1,
      retryDelay: this.options.retryDelaySeconds ?? 30,
      retryBackoff: true,
      expireInSeconds: EXPIRE_SECONDS[job.kind],
      deadLetter: deadQueueOf(job.kind),
    };
  }

  private async process(kind: JobKind, queued: PgBoss.JobWithMetadata<Job>): Promise<void> {
    const handlers = this.handlers;
    const parsed = jobSchema.safeParse(queued.data);
    if (!handlers || !parsed.success || parsed.data.kind !== kind) {
      throw new JobAttemptFailed("JOB_INVALID", queued.retryCount + 1);
    }
    const job = parsed.data;
    const lease = await this.lanes.tryTake(laneOf(job));
    if (!lease) {
      // Another job of the tenant's lane runs: this one comes back later, attempts intact.
      await this.boss.send(queueNameOf(kind), job, {
        ...this.sendOptions(job),
        startAfter: this.options.busyRetrySeconds ?? 5,
      });
      return;
    }
    const attempt = queued.retryCount + 1;
    try {
      await runHandler(handlers, job, this.stopping.signal);
    } catch (error) {
      const code = errorCodeOf(error);
      // Stopped on purpose: the attempt goes back to pg-boss, never to the dead letters.
      if (this.stopping.signal.aborted) throw new JobAttemptFailed(code, attempt);
      this.options.onError?.(error, { kind, tenantId: job.tenantId });
      if (queued.retryCount >= queued.retryLimit) {
        await this.options.deadLetters.record(job, {
          kind,
          tenantId: job.tenantId,
          failedAt: new Date(this.clock.now()).toISOString(),
          attempts: attempt,
          errorCode: code,
        });
      }
      throw new JobAttemptFailed(code, attempt);
    } finally {
      await lease.release();
    }
  }

  /** A dead-letter copy: recorded already unless the last attempt's worker died. */
  private async recordLost(kind: JobKind, dead: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    if (outputCode(dead.output) !== null) return;
    const parsed = jobSchema.safeParse(dead.data);
    if (!parsed.success) return;
    await this.options.deadLetters.record(parsed.data, {
      kind,
      tenantId: parsed.data.tenantId,
      failedAt: new Date(this.clock.now()).toISOString(),
      attempts: dead.retryLimit + 1,
      errorCode: "JOB_EXPIRED",
    });
  }

  private track<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running.add(settled);
    void settled.then(() => this.running.delete(settled));
    return work;
  }
}

/** The code our failed attempts leave in pg-boss's output; null for pg-boss's own failures. */
function outputCode(output: unknown): string | null {
  const parsed = z.object({ code: z.string() }).safeParse(output);
  return parsed.success ? parsed.data.code : null;
}
