/**
 * Pennylane's limit, 25 requests per 5 seconds per token, enforced as a sliding window (the
 * strictest reading: no burst at a fixed window's edge). Every answer carries
 * `ratelimit-limit`, `ratelimit-remaining` and `ratelimit-reset` (a Unix timestamp, as
 * Pennylane's rate-limit guide shows); a 429 adds `retry-after` in seconds.
 */

export interface RateLimitSettings {
  /** Requests allowed per window (25). */
  limit: number;
  /** Window length in ms (5000). */
  windowMs: number;
  /** Off switch for benchmarks that measure something else. */
  enabled: boolean;
}

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly headers: Readonly<Record<string, string>>;
  readonly retryAfterSeconds: number;
}

export class SlidingWindowRateLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(
    readonly settings: RateLimitSettings,
    private readonly nowMs: () => number,
  ) {}

  /** Counts the request against the token's window when there is room. */
  admit(key: string): RateLimitDecision {
    const now = this.nowMs();
    const window = this.windowOf(key, now);
    const allowed = !this.settings.enabled || window.length < this.settings.limit;
    if (allowed) window.push(now);
    return this.decision(allowed, window, now);
  }

  /** The headers as they stand, for answers refused before the limiter ran (429 storms). */
  peek(key: string): RateLimitDecision {
    const now = this.nowMs();
    return this.decision(false, this.windowOf(key, now), now);
  }

  reset(): void {
    this.accepted.clear();
  }

  private windowOf(key: string, now: number): number[] {
    const horizon = now - this.settings.windowMs;
    const window = (this.accepted.get(key) ?? []).filter((at) => at > horizon);
    this.accepted.set(key, window);
    return window;
  }

  private decision(allowed: boolean, window: readonly number[], now: number): RateLimitDecision {
    const { limit, windowMs } = this.settings;
    const oldest = window[0];
    // The window frees its first slot when the oldest counted request leaves it.
    const freesAtMs = oldest === undefined ? now : oldest + windowMs;
    const retryAfterSeconds = Math.max(1, Math.ceil((freesAtMs - now) / 1000));
    return {
      allowed,
      retryAfterSeconds,
      headers: {
        "ratelimit-limit": String(limit),
        "ratelimit-remaining": String(Math.max(0, limit - window.length)),
        "ratelimit-reset": String(Math.ceil(freesAtMs / 1000)),
      },
    };
  }
}

/** What a benchmark or a test wants to know about the traffic the emulator saw. */
export interface PennylaneStatsSnapshot {
  readonly totalRequests: number;
  /** Per endpoint, keyed "GET /customer_invoices/{id}" (paths relative to /api/external/v2). */
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  /** 429 answers, from the limiter and from injected storms. */
  readonly rateLimited: number;
  readonly injectedServerErrors: number;
  readonly injectedTimeouts: number;
  /** Most requests (accepted or refused) seen from one token within any window. */
  readonly maxRequestsInWindowByToken: Readonly<Record<string, number>>;
  readonly maxRequestsInWindow: number;
}

export class PennylaneStats {
  totalRequests = 0;
  rateLimited = 0;
  injectedServerErrors = 0;
  injectedTimeouts = 0;
  readonly byEndpoint = new Map<string, number>();
  readonly byStatus = new Map<number, number>();
  readonly maxRequestsInWindowByToken = new Map<string, number>();
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly windowMs: () => number,
    private readonly nowMs: () => number,
  ) {}

  countRequest(endpoint: string, token: string): void {
    this.totalRequests += 1;
    this.byEndpoint.set(endpoint, (this.byEndpoint.get(endpoint) ?? 0) + 1);
    const now = this.nowMs();
    const horizon = now - this.windowMs();
    const window = (this.attempts.get(token) ?? []).filter((at) => at > horizon);
    window.push(now);
    this.attempts.set(token, window);
    this.maxRequestsInWindowByToken.set(
      token,
      Math.max(this.maxRequestsInWindowByToken.get(token) ?? 0, window.length),
    );
  }

  countStatus(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    if (status === 429) this.rateLimited += 1;
  }

  get maxRequestsInWindow(): number {
    return Math.max(0, ...this.maxRequestsInWindowByToken.values());
  }

  snapshot(): PennylaneStatsSnapshot {
    return {
      totalRequests: this.totalRequests,
      byEndpoint: Object.fromEntries(this.byEndpoint),
      byStatus: Object.fromEntries(
        [...this.byStatus].map(([status, count]) => [String(status), count]),
      ),
      rateLimited: this.rateLimited,
      injectedServerErrors: this.injectedServerErrors,
      injectedTimeouts: this.injectedTimeouts,
      maxRequestsInWindowByToken: Object.fromEntries(this.maxRequestsInWindowByToken),
      maxRequestsInWindow: this.maxRequestsInWindow,
    };
  }

  reset(): void {
    this.totalRequests = 0;
    this.rateLimited = 0;
    this.injectedServerErrors = 0;
    this.injectedTimeouts = 0;
    this.byEndpoint.clear();
    this.byStatus.clear();
    this.maxRequestsInWindowByToken.clear();
    this.attempts.clear();
  }
}
