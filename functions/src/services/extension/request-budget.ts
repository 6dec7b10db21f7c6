/**
 * How many calls one extension token may make: a sliding window per token that refuses at
 * once (the panel shows "try again in N s") instead of queueing like the provider throttles.
 * This one lives in the process, which is the whole deployment on the embedded database; on
 * PostgreSQL every instance counts in one shared window (shared-request-budget.ts).
 */
import type { Clock } from "../../net/clock";

export interface RequestBudgetOptions {
  readonly limit: number;
  readonly windowMs: number;
  readonly clock: Clock;
}

export type BudgetDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/** Counts one call under `key` when the window has room for it. */
export interface CallBudget {
  take(key: string): BudgetDecision | Promise<BudgetDecision>;
}

/** Tokens idle for a whole window are forgotten once this many are tracked. */
const PRUNE_ABOVE = 10_000;

export class RequestBudget implements CallBudget {
  private readonly calls = new Map<string, number[]>();

  constructor(private readonly options: RequestBudgetOptions) {}

  /** Counts one call under `key` when the window has room for it. */
  take(key: string): BudgetDecision {
    const { limit, windowMs, clock } = this.options;
    const now = clock.now();
    const recent = (this.calls.get(key) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= limit) {
      this.calls.set(key, recent);
      const oldest = recent[recent.length - limit] ?? now;
      return { allowed: false, retryAfterMs: Math.max(1, oldest + windowMs - now) };
    }
    recent.push(now);
    this.calls.set(key, recent);
    if (this.calls.size > PRUNE_ABOVE) this.prune(now);
    return { allowed: true };
  }

  private prune(now: number): void {
    for (const [key, times] of this.calls) {
      if (times.every((at) => now - at >= this.options.windowMs)) this.calls.delete(key);
    }
  }
}

/** A person reading accounts opens a few panels a minute; a loop opens hundreds. */
export const EXTENSION_CALLS_PER_MINUTE = 60;
