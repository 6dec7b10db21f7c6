/**
 * Pennylane allows 25 requests per 5 seconds per token. Every client of one connection in
 * this process must draw from the same budget, or two jobs would each believe they have 25.
 */
import type { Clock } from "../../net/clock";
import { type RateLimiter, SlidingWindowLimiter } from "../../net/rate-limit";

export const PENNYLANE_RATE_LIMIT = { limit: 25, windowMs: 5_000 } as const;

export function createPennylaneLimiter(clock?: Clock): RateLimiter {
  return new SlidingWindowLimiter({ ...PENNYLANE_RATE_LIMIT, ...(clock ? { clock } : {}) });
}

const limiters = new Map<string, RateLimiter>();

/** The one limiter of this connection in this process. */
export function pennylaneLimiterFor(connectionId: string): RateLimiter {
  let limiter = limiters.get(connectionId);
  if (limiter === undefined) {
    limiter = createPennylaneLimiter();
    limiters.set(connectionId, limiter);
  }
  return limiter;
}
