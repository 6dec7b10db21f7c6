/**
 * Sage's published limits (§2.7, third-party sourced): 3 000 requests per app per minute
 * and at most 10 mutations in flight; beyond either, HTTP 429 with Retry-After. The minute
 * is a fixed window opened by the first request, on the emulator's clock.
 */

export interface SageActiveStats {
  /** Requests that reached the API endpoint, including refused ones. */
  requests: number;
  /** Root fields executed, by name (a query selecting two root fields counts both). */
  byOperation: Record<string, number>;
  /** 429 answers (limits and storms). */
  rateLimited: number;
  /** 5xx answers injected by faults. */
  serverErrors: number;
  /** The most requests admitted in one one-minute window. */
  maxRequestsInWindow: number;
  /** The most mutations in flight at once. */
  maxConcurrentMutations: number;
}

export function emptyStats(): SageActiveStats {
  return {
    requests: 0,
    byOperation: {},
    rateLimited: 0,
    serverErrors: 0,
    maxRequestsInWindow: 0,
    maxConcurrentMutations: 0,
  };
}

export interface RateLimits {
  readonly requestsPerMinute: number;
  readonly maxConcurrentMutations: number;
}

export const SAGE_ACTIVE_LIMITS: RateLimits = {
  requestsPerMinute: 3_000,
  maxConcurrentMutations: 10,
};

const WINDOW_MS = 60_000;

export class RateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private inWindow = 0;
  private mutationsInFlight = 0;

  constructor(
    private readonly limits: RateLimits,
    private readonly stats: SageActiveStats,
  ) {}

  /** Seconds to wait when the request is over the per-minute limit; null when admitted. */
  admit(nowMs: number): number | null {
    if (nowMs - this.windowStart >= WINDOW_MS) {
      this.windowStart = nowMs;
      this.inWindow = 0;
    }
    if (this.inWindow >= this.limits.requestsPerMinute) {
      return Math.max(1, Math.ceil((this.windowStart + WINDOW_MS - nowMs) / 1000));
    }
    this.inWindow += 1;
    this.stats.maxRequestsInWindow = Math.max(this.stats.maxRequestsInWindow, this.inWindow);
    return null;
  }

  /** Takes a mutation slot; false when 10 are already running. */
  startMutation(): boolean {
    if (this.mutationsInFlight >= this.limits.maxConcurrentMutations) return false;
    this.mutationsInFlight += 1;
    this.stats.maxConcurrentMutations = Math.max(
      this.stats.maxConcurrentMutations,
      this.mutationsInFlight,
    );
    return true;
  }

  endMutation(): void {
    this.mutationsInFlight = Math.max(0, this.mutationsInFlight - 1);
  }
}
