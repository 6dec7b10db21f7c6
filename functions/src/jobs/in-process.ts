/**
 * The queue of the embedded database: jobs run in this process, one at a time per tenant,
 * retried with backoff, and kept as dead letters when every attempt failed. Same semantics
 * as the pg-boss queue, without its durability: a job queued here dies with the process,
 * which is fine for `npm start` and tests (the next schedule queues it again).
 */
import type { Clock } from "../net/clock";
import { systemClock } from "../net/clock";
import type { DeadLetter, Job, JobHandlers, JobQueue } from "./types";

export interface InProcessQueueOptions {
  readonly clock?: Clock;
  /** Attempts per job, the first included. */
  readonly attempts?: number;
  /** Delay before the second attempt (doubles each time). */
  readonly backoffMs?: number;
  readonly onError?: (job: Job, error: unknown, attempt: number) => void;
}

export class InProcessJobQueue implements JobQueue {
  private handlers: JobHandlers | null = null;
  private readonly waiting: Job[] = [];
  private readonly tails = new Map<string, Promise<void>>();
  private readonly dead: DeadLetter[] = [];
  private readonly clock: Clock;
  private readonly attempts: number;
  private readonly backoffMs: number;

  constructor(private readonly options: InProcessQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 1_000;
  }

  /** Starts running jobs, those queued before included. */
  start(handlers: JobHandlers): void {
    this.handlers = handlers;
    for (const job of this.waiting.splice(0)) this.schedule(job);
  }

  enqueue(job: Job): Promise<void> {
    if (this.handlers) this.schedule(job);
    else this.waiting.push(job);
    return Promise.resolve();
  }

  deadLetters(limit = 20): Promise<readonly DeadLetter[]> {
    return Promise.resolve(this.dead.slice(-limit).reverse());
  }

  /** Resolves once every job queued so far has run (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private schedule(job: Job): void {
    const key = `${job.tenantId}:${job.kind === "deal-won" ? "deal" : "account"}`;
    const previous = this.tails.get(key) ?? Promise.resolve();
    const tail = previous.then(() => this.run(job));
    this.tails.set(key, tail);
    void tail.finally(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
  }

  private async run(job: Job): Promise<void> {
    const handlers = this.handlers;
    if (!handlers) return;
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      try {
        await dispatch(handlers, job);
        return;
      } catch (error) {
        this.options.onError?.(job, error, attempt);
        if (attempt === this.attempts) {
          this.dead.push({
            kind: job.kind,
            tenantId: job.tenantId,
            failedAt: new Date(this.clock.now()).toISOString(),
            attempts: attempt,
            errorCode: errorCode(error),
          });
          return;
        }
        await this.clock.sleep(this.backoffMs * 2 ** (attempt - 1));
      }
    }
  }
}

function dispatch(handlers: JobHandlers, job: Job): Promise<void> {
  switch (job.kind) {
    case "sync":
      return handlers.sync(job);
    case "dunning":
      return handlers.dunning(job);
    case "deal-won":
      return handlers["deal-won"](job);
  }
}

function errorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error as { code: unknown };
    if (typeof code === "string") return code;
  }
  return "INTERNAL";
}
