/**
 * The background work of the backend, as values: what a job is, and the one interface that
 * queues it. Two queues implement it: pg-boss over PostgreSQL in production, and an
 * in-process queue with the same semantics over the embedded database. Routes and
 * webhooks only ever enqueue; the handlers (sync, dunning, deal won) never know which
 * queue ran them.
 */

/** Pull what changed in the accounting software and push the rollups to HubSpot. */
export interface SyncJob {
  readonly kind: "sync";
  readonly tenantId: string;
  readonly reason: "schedule" | "connect" | "manual";
}

/** Run the dunning plan of one tenant for one Paris calendar day (YYYY-MM-DD). */
export interface DunningJob {
  readonly kind: "dunning";
  readonly tenantId: string;
  readonly day: string;
}

/** A deal reached a won stage: invoice it if the tenant turned the rule on. */
export interface DealWonJob {
  readonly kind: "deal-won";
  readonly tenantId: string;
  readonly dealId: string;
  /** HubSpot's `occurredAt` of the stage change (ms), to ignore an older, late delivery. */
  readonly occurredAt: number;
  /** The stage the deal moved to. */
  readonly stageId: string;
}

export type Job = SyncJob | DunningJob | DealWonJob;
export type JobKind = Job["kind"];
export const JOB_KINDS = ["sync", "dunning", "deal-won"] as const satisfies readonly JobKind[];

/**
 * What each kind of job does. `signal` aborts when the queue stops: a long job (a backfill)
 * ends at its next safe point and is picked up again where it stopped, rather than holding
 * the shutdown.
 */
export interface JobHandlers {
  readonly sync: (job: SyncJob, signal: AbortSignal) => Promise<void>;
  readonly dunning: (job: DunningJob, signal: AbortSignal) => Promise<void>;
  readonly "deal-won": (job: DealWonJob, signal: AbortSignal) => Promise<void>;
}

export interface DeadLetter {
  readonly kind: JobKind;
  readonly tenantId: string;
  readonly failedAt: string;
  readonly attempts: number;
  /** The error's code (never its full text: it may carry personal data). */
  readonly errorCode: string;
}

export interface JobQueue {
  /** Queues the job; returns once it is durably accepted (not when it has run). */
  enqueue(job: Job): Promise<void>;
  /** Jobs that failed every retry, newest first (shown by `encaisse doctor`). */
  deadLetters(limit?: number): Promise<readonly DeadLetter[]>;
}

/** A queue that also runs jobs in this process (a worker), until stopped. */
export interface WorkingJobQueue extends JobQueue {
  /** Starts running jobs with these handlers, those queued before included. */
  start(handlers: JobHandlers): Promise<void>;
  /** Stops taking jobs and waits for the running ones to finish. */
  stop(): Promise<void>;
}

/** Where dead letters are kept (the store's table, or memory in tests). */
export interface DeadLetterStore {
  record(job: Job, letter: DeadLetter): Promise<void>;
  list(limit?: number): Promise<readonly DeadLetter[]>;
}
