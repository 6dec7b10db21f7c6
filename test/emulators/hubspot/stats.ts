/**
 * What tests and benchmarks want to know about the traffic the emulator saw: requests per
 * portal and per endpoint, status codes, 429s by policy, the busiest rolling 10 s window per
 * portal, and the write volume (batch calls and records written), which the sync benchmark
 * compares to ceil(changed / 100).
 */
import type { RateLimitPolicy } from "./rate-limit";

export interface HubSpotStatsSnapshot {
  readonly totalRequests: number;
  /** Keyed by portal id; requests that never authenticated are under "unauthenticated". */
  readonly byPortal: Readonly<Record<string, number>>;
  /** Keyed "POST /crm/v3/objects/companies/batch/update", ids as "{objectId}". */
  readonly byEndpoint: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  /** 429 answers, from the limiter and from injected storms. */
  readonly rateLimited: number;
  readonly rateLimitedByPolicy: Readonly<Record<string, number>>;
  /** Most requests (accepted or refused, search excluded) from one portal within any 10 s. */
  readonly maxRequestsInWindow: number;
  readonly maxRequestsInWindowByPortal: Readonly<Record<string, number>>;
  readonly searchRequests: number;
  /** Calls to `/batch/` endpoints that got past authentication and the limiter. */
  readonly batchCalls: number;
  /** Records created, updated or archived, through any endpoint. */
  readonly recordsWritten: number;
  readonly recordsWrittenInBatches: number;
  readonly injectedServerErrors: number;
  readonly injectedTimeouts: number;
}

const increment = <K>(map: Map<K, number>, key: K, by = 1) =>
  map.set(key, (map.get(key) ?? 0) + by);

export class HubSpotStats {
  totalRequests = 0;
  rateLimited = 0;
  searchRequests = 0;
  batchCalls = 0;
  recordsWritten = 0;
  recordsWrittenInBatches = 0;
  injectedServerErrors = 0;
  injectedTimeouts = 0;
  private readonly byPortal = new Map<string, number>();
  private readonly byEndpoint = new Map<string, number>();
  private readonly byStatus = new Map<number, number>();
  private readonly byPolicy = new Map<string, number>();
  private readonly maxInWindow = new Map<string, number>();
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly windowMs: () => number,
    private readonly nowMs: () => number,
  ) {}

  countRequest(endpoint: string): void {
    this.totalRequests += 1;
    increment(this.byEndpoint, endpoint);
  }

  /** An authenticated request of `portalId`; search has its own limit and is not windowed. */
  countPortalRequest(portalId: number | null, options: { search: boolean }): void {
    const key = portalId === null ? "unauthenticated" : String(portalId);
    increment(this.byPortal, key);
    if (options.search) {
      this.searchRequests += 1;
      return;
    }
    if (portalId === null) return;
    const now = this.nowMs();
    const horizon = now - this.windowMs();
    const window = (this.attempts.get(key) ?? []).filter((at) => at > horizon);
    window.push(now);
    this.attempts.set(key, window);
    this.maxInWindow.set(key, Math.max(this.maxInWindow.get(key) ?? 0, window.length));
  }

  countStatus(status: number): void {
    increment(this.byStatus, status);
  }

  countRateLimited(policy: RateLimitPolicy): void {
    this.rateLimited += 1;
    increment(this.byPolicy, policy);
  }

  countWrites(records: number, options: { batch: boolean }): void {
    this.recordsWritten += records;
    if (options.batch) this.recordsWrittenInBatches += records;
  }

  snapshot(): HubSpotStatsSnapshot {
    return {
      totalRequests: this.totalRequests,
      byPortal: Object.fromEntries(this.byPortal),
      byEndpoint: Object.fromEntries(this.byEndpoint),
      byStatus: Object.fromEntries(
        [...this.byStatus].map(([status, count]) => [String(status), count]),
      ),
      rateLimited: this.rateLimited,
      rateLimitedByPolicy: Object.fromEntries(this.byPolicy),
      maxRequestsInWindow: Math.max(0, ...this.maxInWindow.values()),
      maxRequestsInWindowByPortal: Object.fromEntries(this.maxInWindow),
      searchRequests: this.searchRequests,
      batchCalls: this.batchCalls,
      recordsWritten: this.recordsWritten,
      recordsWrittenInBatches: this.recordsWrittenInBatches,
      injectedServerErrors: this.injectedServerErrors,
      injectedTimeouts: this.injectedTimeouts,
    };
  }

  reset(): void {
    this.totalRequests = 0;
    this.rateLimited = 0;
    this.searchRequests = 0;
    this.batchCalls = 0;
    this.recordsWritten = 0;
    this.recordsWrittenInBatches = 0;
    this.injectedServerErrors = 0;
    this.injectedTimeouts = 0;
    for (const map of [this.byPortal, this.byEndpoint, this.byPolicy, this.maxInWindow])
      map.clear();
    this.byStatus.clear();
    this.attempts.clear();
  }
}
