/**
 * HubSpot's limits for a marketplace (OAuth) app, per installed account (portal):
 * - 110 requests per rolling 10 seconds (`TEN_SECONDLY_ROLLING`), search excluded, with the
 *   `X-HubSpot-RateLimit-Max / -Remaining / -Interval-Milliseconds` headers on every answer;
 * - search: 5 requests per second (`SECONDLY`), answered without rate-limit headers;
 * - a daily budget (`DAILY`, with `X-HubSpot-RateLimit-Daily / -Daily-Remaining`), counted per
 *   Paris calendar day; HubSpot's client never retries it.
 * Windows are sliding (the strictest reading): no burst at a fixed window's edge. Refused
 * requests do not consume the budget.
 */
import { parisDateOf } from "@encaisse/shared";

export interface RateLimitSettings {
  /** Requests per rolling window, per portal (110). */
  tenSecondlyLimit: number;
  /** The rolling window, ms (10,000). */
  windowMs: number;
  /** Search requests per second, per portal (5). */
  searchPerSecond: number;
  /** Requests per day, per portal. */
  dailyLimit: number;
  /** Off switch for benchmarks that measure something else. */
  enabled: boolean;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  tenSecondlyLimit: 110,
  windowMs: 10_000,
  searchPerSecond: 5,
  dailyLimit: 500_000,
  enabled: true,
};

export type RateLimitPolicy = "TEN_SECONDLY_ROLLING" | "SECONDLY" | "DAILY";

export interface RateLimitDecision {
  readonly allowed: boolean;
  readonly policy: RateLimitPolicy | null;
  readonly headers: Readonly<Record<string, string>>;
}

interface DailyCount {
  day: string;
  count: number;
}

export class HubSpotRateLimiter {
  private readonly tenSecondly = new Map<number, number[]>();
  private readonly secondly = new Map<number, number[]>();
  private readonly daily = new Map<number, DailyCount>();

  constructor(
    readonly settings: RateLimitSettings,
    private readonly nowMs: () => number,
  ) {}

  /** An ordinary API call: the daily budget, then the ten-secondly window. */
  admit(portalId: number): RateLimitDecision {
    const now = this.nowMs();
    const window = this.windowOf(this.tenSecondly, portalId, now, this.settings.windowMs);
    const daily = this.dailyOf(portalId, now);
    let policy: RateLimitPolicy | null = null;
    if (this.settings.enabled && daily.count >= this.settings.dailyLimit) policy = "DAILY";
    else if (this.settings.enabled && window.length >= this.settings.tenSecondlyLimit)
      policy = "TEN_SECONDLY_ROLLING";
    if (policy === null) {
      window.push(now);
      daily.count += 1;
    }
    return { allowed: policy === null, policy, headers: this.headersOf(window, daily) };
  }

  /** A search call: five per second, outside the ten-secondly budget. */
  admitSearch(portalId: number): RateLimitDecision {
    const now = this.nowMs();
    const window = this.windowOf(this.secondly, portalId, now, 1_000);
    const allowed = !this.settings.enabled || window.length < this.settings.searchPerSecond;
    if (allowed) window.push(now);
    return { allowed, policy: allowed ? null : "SECONDLY", headers: {} };
  }

  /** The headers as they stand, for answers refused before the limiter ran (429 storms). */
  peek(portalId: number): Readonly<Record<string, string>> {
    const now = this.nowMs();
    return this.headersOf(
      this.windowOf(this.tenSecondly, portalId, now, this.settings.windowMs),
      this.dailyOf(portalId, now),
    );
  }

  reset(): void {
    this.tenSecondly.clear();
    this.secondly.clear();
    this.daily.clear();
  }

  private windowOf(
    table: Map<number, number[]>,
    portalId: number,
    now: number,
    windowMs: number,
  ): number[] {
    const horizon = now - windowMs;
    const window = (table.get(portalId) ?? []).filter((at) => at > horizon);
    table.set(portalId, window);
    return window;
  }

  private dailyOf(portalId: number, now: number): DailyCount {
    const day = parisDateOf(new Date(now));
    const current = this.daily.get(portalId);
    if (current !== undefined && current.day === day) return current;
    const fresh = { day, count: 0 };
    this.daily.set(portalId, fresh);
    return fresh;
  }

  private headersOf(window: readonly number[], daily: DailyCount): Record<string, string> {
    const { tenSecondlyLimit, windowMs, dailyLimit } = this.settings;
    return {
      "X-HubSpot-RateLimit-Max": String(tenSecondlyLimit),
      "X-HubSpot-RateLimit-Remaining": String(Math.max(0, tenSecondlyLimit - window.length)),
      "X-HubSpot-RateLimit-Interval-Milliseconds": String(windowMs),
      "X-HubSpot-RateLimit-Daily": String(dailyLimit),
      "X-HubSpot-RateLimit-Daily-Remaining": String(Math.max(0, dailyLimit - daily.count)),
    };
  }
}
