/**
 * The limiters of a deployment on PostgreSQL: one budget per Pennylane connection, HubSpot
 * account and Sage Active organization for every process together (see shared-rate-limit.ts).
 * On the embedded database there is one process, and the in-memory limiters say the same.
 */
import { HUBSPOT_LIMITS } from "../hubspot/crm";
import { PENNYLANE_RATE_LIMIT } from "../providers/pennylane/limiter";
import { SAGE_REQUESTS_PER_MINUTE } from "../providers/sage-active/config";
import type { StoreDb } from "../store/open";
import type { Clock } from "./clock";
import type { RateLimiter } from "./rate-limit";
import { SharedWindowLimiter } from "./shared-rate-limit";

export interface SharedLimiters {
  readonly hubspot: { readonly limiter: RateLimiter; readonly searchLimiter: RateLimiter };
  readonly pennylane: RateLimiter;
  readonly sageActive: RateLimiter;
}

export function createSharedLimiters(
  db: StoreDb,
  options: { clock?: Clock; onError?: (error: unknown) => void } = {},
): SharedLimiters {
  const common = { ...options };
  return {
    hubspot: {
      limiter: new SharedWindowLimiter(db, {
        ...HUBSPOT_LIMITS.requests,
        namespace: "hubspot:",
        ...common,
      }),
      searchLimiter: new SharedWindowLimiter(db, {
        ...HUBSPOT_LIMITS.search,
        namespace: "hubspot-search:",
        ...common,
      }),
    },
    // Provider keys already name their provider ("pennylane:…", "sage_active:…").
    pennylane: new SharedWindowLimiter(db, { ...PENNYLANE_RATE_LIMIT, namespace: "", ...common }),
    sageActive: new SharedWindowLimiter(db, {
      limit: SAGE_REQUESTS_PER_MINUTE,
      windowMs: 60_000,
      namespace: "",
      ...common,
    }),
  };
}
