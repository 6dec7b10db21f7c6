/**
 * The job kinds and the work they stand for. Both queues run these same handlers; a handler
 * that throws is retried by the queue, then kept as a dead letter.
 */
import type { Backend } from "../backend";
import { invoiceWonDeal } from "../sync/deal-won";
import { runDunning } from "../sync/dunning-runner";
import { syncTenant } from "../sync/sync-tenant";
import type { JobHandlers } from "./types";

export function jobHandlers(backend: Backend): JobHandlers {
  return {
    async sync(job, signal) {
      const report = await syncTenant(backend, job.tenantId, { signal });
      backend.logger.info("sync done", {
        tenantId: job.tenantId,
        reason: job.reason,
        backfilled: report.backfilled,
        durationMs: report.durationMs,
      });
    },
    async dunning(job) {
      const report = await runDunning(backend, job.tenantId, job.day);
      backend.logger.info("dunning done", {
        tenantId: job.tenantId,
        day: job.day,
        outcome: report.outcome,
        reminders: report.reminders.length,
      });
    },
    async "deal-won"(job) {
      const outcome = await invoiceWonDeal(backend, job);
      backend.logger.info("deal won handled", { tenantId: job.tenantId, outcome: outcome.kind });
    },
  };
}
