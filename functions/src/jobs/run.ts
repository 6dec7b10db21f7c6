/** Hands a job to the handler of its kind (both queues). */
import type { Job, JobHandlers } from "./types";

export function runHandler(handlers: JobHandlers, job: Job, signal: AbortSignal): Promise<void> {
  switch (job.kind) {
    case "sync":
      return handlers.sync(job, signal);
    case "dunning":
      return handlers.dunning(job, signal);
    case "deal-won":
      return handlers["deal-won"](job, signal);
  }
}
