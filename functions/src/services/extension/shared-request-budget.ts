/**
 * The extension's call budget across every instance of a deployment on PostgreSQL: the same
 * shared sliding window as the HubSpot and provider limiters (net/shared-rate-limit.ts), one
 * row per token, asked without waiting. On the embedded database there is one process, and
 * the in-memory budget says the same.
 */
import type { Backend } from "../../backend";
import type { Clock } from "../../net/clock";
import { SharedWindowLimiter } from "../../net/shared-rate-limit";
import type { StoreDb } from "../../store/open";
import {
  type BudgetDecision,
  type CallBudget,
  EXTENSION_CALLS_PER_MINUTE,
  RequestBudget,
} from "./request-budget";

export class SharedRequestBudget implements CallBudget {
  private readonly window: SharedWindowLimiter;

  constructor(
    db: StoreDb,
    options: { readonly limit: number; readonly windowMs: number; readonly clock?: Clock },
  ) {
    this.window = new SharedWindowLimiter(db, {
      limit: options.limit,
      windowMs: options.windowMs,
      // A refusal is not a queue: no margin for network delays, the limit is the limit.
      safetyMs: 0,
      namespace: "extension-token:",
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }

  async take(key: string): Promise<BudgetDecision> {
    const waitMs = await this.window.tryAcquire(key);
    return waitMs === 0 ? { allowed: true } : { allowed: false, retryAfterMs: waitMs };
  }
}

/** Shared on PostgreSQL, in memory on the embedded database: as backend.ts picks its limiters. */
export function extensionRequestBudget(
  backend: Pick<Backend, "config" | "store" | "clock">,
): CallBudget {
  const options = { limit: EXTENSION_CALLS_PER_MINUTE, windowMs: 60_000, clock: backend.clock };
  return backend.config.DATABASE_URL
    ? new SharedRequestBudget(backend.store.db, options)
    : new RequestBudget(options);
}
