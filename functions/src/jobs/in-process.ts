/**
 * The queue of the embedded database: jobs run in this process, one at a time per tenant
 * lane, retried with backoff, and kept as dead letters when every attempt failed. Same
 * semantics as the pg-boss queue (lanes, duplicates dropped while waiting, dead letters in
 * the store), without its durability: a job queued here dies with the process, which is fine
 * for `npm start` and tests (the next schedule queues it again).
 */
import type { Clock } from "../net/clock";
import { systemClock } from "../net/clock";
import { duplicateKeyOf, errorCodeOf, laneOf } from "./keys";
import { runHandler } from "./run";
import type { DeadLetter, DeadLetterStore, Job, JobHandlers, WorkingJobQueue } from "./types";

export interface InProcessQueueOptions {
  readonly clock?: Clock;
  /** Attempts per job, the first included. */
  readonly attempts?: number;
  /** Delay before the second attempt (doubles each time). */
  readonly backoffMs?: number;
  /** Where dead letters go; memory by default. */
  readonly deadLetters?: DeadLetterStore;
  readonly onError?: (job: Job, error: unknown, attempt: number) => void;
}

export class InProcessJobQueue implements WorkingJobQueue {
  private handlers: JobHandlers | null = null;
  private stopped = false;
  /** Aborted by `stop`: running handlers end at their next safe point. */
  private stopping = new AbortController();
  private readonly waiting: Job[] = [];
  private readonly tails = new Map<string, Promise<void>>();
  /** Duplicate keys of jobs queued and not started yet. */
  private readonly pending = new Set<string>();
  private readonly clock: Clock;
  private readonly attempts: number;
  private readonly backoffMs: number;
  private readonly dead: DeadLetterStore;

  constructor(private readonly options: InProcessQueueOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.attempts = options.attempts ?? 3;
    this.backoffMs = options.backoffMs ?? 1_000;
    this.dead = options.deadLetters ?? new MemoryDeadLetters();
  }

  start(handlers: JobHandlers): Promise<void> {
    this.handlers = handlers;
    this.stopped = false;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    for (const job of this.waiting.splice(0)) this.schedule(job);
    return Promise.resolve();
  }

  /**
   * Takes no new job, asks the running ones to stop at their next safe point, and resolves
   * once they have. Jobs still queued are dropped: the next schedule queues them again, and
   * a sync resumes from its saved cursor.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping.abort();
    await this.idle();
  }

  enqueue(job: Job): Promise<void> {
    const duplicate = duplicateKeyOf(job);
    if (this.pending.has(duplicate)) return Promise.resolve();
    this.pending.add(duplicate);
    if (this.handlers && !this.stopped) this.schedule(job);
    else this.waiting.push(job);
    return Promise.resolve();
  }

  deadLetters(limit = 20): Promise<readonly DeadLetter[]> {
    return this.dead.list(limit);
  }

  /** Resolves once every job queued so far has run (tests, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }

  private schedule(job: Job): void {
    const lane = laneOf(job);
    const previous = this.tails.get(lane) ?? Promise.resolve();
    const tail = previous.then(() => this.run(job));
    this.tails.set(lane, tail);
    void tail.finally(() => {
      if (this.tails.get(lane) === tail) this.tails.delete(lane);
    });
  }

  private async run(job: Job): Promise<void> {
    this.pending.delete(duplicateKeyOf(job));
    const handlers = this.handlers;
    if (!handlers) return;
    for (let attempt = 1; attempt <= this.attempts; attempt += 1) {
      try {
        if (this.stopped) return;
        await runHandler(handlers, job, this.stopping.signal);
        return;
      } catch (error) {
        // Stopped on purpose: neither a failure to retry nor a dead letter.
        if (this.stopping.signal.aborted) return;
        this.options.onError?.(job, error, attempt);
        if (attempt === this.attempts) {
          await this.dead
            .record(job, {
              kind: job.kind,
              tenantId: job.tenantId,
              failedAt: new Date(this.clock.now()).toISOString(),
              attempts: attempt,
              errorCode: errorCodeOf(error),
            })
            .catch((recordError: unknown) => this.options.onError?.(job, recordError, attempt));
          return;
        }
        await this.clock.sleep(this.backoffMs * 2 ** (attempt - 1));
      }
    }
  }
}

/** Dead letters of this process only (tests, and queues without a store). */
export class MemoryDeadLetters implements DeadLetterStore {
  private readonly letters: DeadLetter[] = [];

  record(_job: Job, letter: DeadLetter): Promise<void> {
    this.letters.push(letter);
    return Promise.resolve();
  }

  list(limit = 20): Promise<readonly DeadLetter[]> {
    return Promise.resolve(this.letters.slice(-limit).reverse());
  }
}
