/** Hands a job to the handler of its kind (both queues). */
import type { Job, JobHandlers } from "./types";

export function runHandler(handlers: JobHandlers, job: Job): Promise<void> {
  switch (job.kind) {
    case "sync":
      return handlers.sync(job);
    case "dunning":
      return handlers.dunning(job);
    case "deal-won":
      return handlers["deal-won"](job);
  }
}
