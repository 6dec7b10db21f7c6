/**
 * Which queue a process uses: pg-boss when the deployment has PostgreSQL (instances share
 * it), the in-process queue on the embedded database. Dead letters go to the store either way.
 */
import type { Config } from "../config";
import type { Clock } from "../net/clock";
import type { Store } from "../store/open";
import { DeadLetterRepository } from "./dead-letters";
import { InProcessJobQueue } from "./in-process";
import { PgBossJobQueue } from "./pg-boss";
import type { Job, JobKind, WorkingJobQueue } from "./types";

export interface JobQueueContext {
  readonly clock: Clock;
  readonly onError: (error: unknown, context: { kind?: JobKind; tenantId?: string }) => void;
}

export function createJobQueue(
  config: Config,
  store: Store,
  context: JobQueueContext,
): WorkingJobQueue {
  const deadLetters = new DeadLetterRepository(store.db);
  if (config.DATABASE_URL) {
    return new PgBossJobQueue({
      databaseUrl: config.DATABASE_URL,
      deadLetters,
      workers: config.ENCAISSE_WORKERS === "1",
      concurrency: config.ENCAISSE_WORKER_CONCURRENCY,
      clock: context.clock,
      onError: context.onError,
    });
  }
  return new InProcessJobQueue({
    clock: context.clock,
    deadLetters,
    onError: (job: Job, error: unknown) =>
      context.onError(error, { kind: job.kind, tenantId: job.tenantId }),
  });
}

export function isWorkingQueue(queue: object): queue is WorkingJobQueue {
  return "start" in queue && "stop" in queue;
}
