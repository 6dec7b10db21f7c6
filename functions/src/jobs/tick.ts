/** One tick: queue every job due now (see schedule.ts), for the tenants with a provider. */
import type { Backend } from "../backend";
import { dueJobs } from "./schedule";

export interface TickReport {
  readonly tenants: number;
  readonly sync: number;
  readonly dunning: number;
}

export async function enqueueDueJobs(
  backend: Pick<Backend, "repos" | "jobs" | "config">,
  at: Date,
): Promise<TickReport> {
  const tenants = await backend.repos.tenants.listInstalled();
  const connected = tenants
    .filter((tenant) => tenant.activeProvider !== null)
    .map((tenant) => tenant.tenantId);
  const jobs = dueJobs(at, connected, backend.config.syncEveryMinutes);
  for (const job of jobs) await backend.jobs.enqueue(job);
  return {
    tenants: connected.length,
    sync: jobs.filter((job) => job.kind === "sync").length,
    dunning: jobs.filter((job) => job.kind === "dunning").length,
  };
}
