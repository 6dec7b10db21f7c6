/**
 * Starts this process's share of the background work: the workers of the queue and the
 * schedule (every tenant's sync every ENCAISSE_SYNC_EVERY_MINUTES, dunning at 08:00 Paris).
 * On PostgreSQL the schedule is pg-boss's cron, so ten instances still tick once; on the
 * embedded database it is a timer of this (only) process. ENCAISSE_WORKERS=0 starts nothing:
 * a web-only process.
 */
import type { Backend } from "../backend";
import { jobHandlers } from "./handlers";
import { PgBossJobQueue } from "./pg-boss";
import { msUntilNextSlot } from "./schedule";
import { enqueueDueJobs } from "./tick";
import type { JobHandlers } from "./types";

export interface RunningJobs {
  /** Whether this process runs jobs (false: web only). */
  readonly working: boolean;
  stop(): Promise<void>;
}

export async function startJobs(
  backend: Backend,
  handlers: JobHandlers = jobHandlers(backend),
): Promise<RunningJobs> {
  const queue = backend.workers;
  if (backend.config.ENCAISSE_WORKERS === "0" || !queue) {
    return { working: false, stop: () => Promise.resolve() };
  }
  await queue.start(handlers);
  const everyMinutes = backend.config.syncEveryMinutes;
  const tick = async (at: Date) => {
    try {
      const report = await enqueueDueJobs(backend, at);
      backend.logger.info("jobs queued by the schedule", { ...report });
    } catch (error) {
      backend.logger.error("schedule tick failed", {
        code: (error as { code?: unknown } | null)?.code ?? "INTERNAL",
      });
    }
  };
  if (queue instanceof PgBossJobQueue) {
    await queue.schedule(everyMinutes, tick);
    return { working: true, stop: () => queue.stop() };
  }
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const arm = () => {
    timer = setTimeout(
      () => {
        void tick(new Date(backend.clock.now())).finally(() => {
          if (!stopped) arm();
        });
      },
      msUntilNextSlot(backend.clock.now(), everyMinutes),
    );
    timer.unref();
  };
  arm();
  return {
    working: true,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await queue.stop();
    },
  };
}
