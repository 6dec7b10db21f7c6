/**
 * Two keys per job. The lane: jobs of one lane and tenant run one at a time (sync and dunning
 * share the tenant's accounts lane; deals won have their own, so an invoice is not held up
 * by a long sync). The duplicate key: a job queued while an identical one still waits to
 * start is the same work, so it is dropped (a webhook delivered twice, a schedule firing while
 * the last sync still waits).
 */
import { isStoreUnavailable } from "../net/shared-store-errors";
import type { Job } from "./types";

export function laneOf(job: Job): string {
  return `${job.tenantId}:${job.kind === "deal-won" ? "deals" : "accounts"}`;
}

export function duplicateKeyOf(job: Job): string {
  switch (job.kind) {
    case "sync":
      return `sync:${job.tenantId}`;
    case "dunning":
      return `dunning:${job.tenantId}:${job.day}`;
    case "deal-won":
      return `deal-won:${job.tenantId}:${job.dealId}:${job.stageId}:${job.occurredAt}`;
  }
}

/** The error's code, never its text (it may carry personal data). */
export function errorCodeOf(error: unknown): string {
  if (typeof error === "object" && error !== null && "code" in error) {
    const { code } = error as { code: unknown };
    if (typeof code === "string" && /^[A-Z][A-Z0-9_]*$/.test(code)) return code;
  }
  if (isStoreUnavailable(error)) return "STORE_UNAVAILABLE";
  return "INTERNAL";
}
