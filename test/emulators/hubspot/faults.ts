/**
 * Fault injection, for testing how a client behaves when HubSpot misbehaves: added latency,
 * a rate of 5xx answers drawn from a seeded generator (deterministic runs), 5xx for the next N
 * requests, 429 storms for the
 * next N requests or for a while, requests that hang until the client gives up, and access
 * token expiry. Faults apply to the CRM API, not to OAuth.
 */
import type { RateLimitPolicy } from "./rate-limit";

/** mulberry32: a small, well-distributed 32-bit generator; the same seed gives the same run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Budget {
  remainingRequests: number;
  untilMs: number;
}

const budgetFor = (nowMs: number, options: { requests?: number; durationMs?: number }): Budget => ({
  remainingRequests:
    options.requests ?? (options.durationMs === undefined ? 1 : Number.POSITIVE_INFINITY),
  untilMs: options.durationMs === undefined ? Number.POSITIVE_INFINITY : nowMs + options.durationMs,
});

function consume(budget: Budget | null, nowMs: number): boolean {
  if (budget === null || budget.remainingRequests <= 0 || nowMs >= budget.untilMs) return false;
  budget.remainingRequests -= 1;
  return true;
}

export type InjectedFault =
  | { readonly kind: "none" }
  | { readonly kind: "rate_limit_storm"; readonly policy: RateLimitPolicy }
  | { readonly kind: "server_error"; readonly status: number }
  | { readonly kind: "timeout" };

export class HubSpotFaults {
  /** Added to every API answer, in ms. */
  latencyMs = 0;
  /** Probability (0..1) that an API request answers `serverErrorStatus` instead. */
  serverErrorRate = 0;
  serverErrorStatus = 502;
  /** A hung request gives up after this long (ms) if the client never aborts it, answering 504. */
  maxHangMs = 60_000;

  private random: () => number;
  private storm: (Budget & { policy: RateLimitPolicy }) | null = null;
  private hangs: Budget | null = null;
  private failures: (Budget & { status: number }) | null = null;
  private readonly pendingHangs = new Set<() => void>();

  constructor(
    private readonly nowMs: () => number,
    private readonly onExpireTokens: (portalId?: number) => number,
    private seedValue = 1,
  ) {
    this.random = seededRandom(seedValue);
  }

  /** Restarts the 5xx draw from `seed`, so a run can be replayed. */
  seed(seed: number): this {
    this.seedValue = seed;
    this.random = seededRandom(seed);
    return this;
  }

  /** 429 for the next `requests` requests, or for `durationMs` (ten-secondly by default). */
  rateLimitStorm(
    options: { requests?: number; durationMs?: number; policy?: RateLimitPolicy } = {},
  ): this {
    this.storm = {
      ...budgetFor(this.nowMs(), options),
      policy: options.policy ?? "TEN_SECONDLY_ROLLING",
    };
    return this;
  }

  /** The next `requests` requests (or all for `durationMs`) answer a 5xx (502 by default). */
  serverErrors(options: { requests?: number; durationMs?: number; status?: number } = {}): this {
    this.failures = {
      ...budgetFor(this.nowMs(), options),
      status: options.status ?? this.serverErrorStatus,
    };
    return this;
  }

  /** The next `requests` requests (or all for `durationMs`) hang until the client aborts them. */
  timeouts(options: { requests?: number; durationMs?: number } = {}): this {
    this.hangs = budgetFor(this.nowMs(), options);
    return this;
  }

  /** Access tokens (of one portal, or all) expire now; returns how many did. */
  expireAccessTokens(portalId?: number): number {
    return this.onExpireTokens(portalId);
  }

  /** Back to a well-behaved service; hung requests are released. */
  reset(): this {
    this.latencyMs = 0;
    this.serverErrorRate = 0;
    this.serverErrorStatus = 502;
    this.storm = null;
    this.hangs = null;
    this.failures = null;
    this.seed(this.seedValue);
    this.releaseHangs();
    return this;
  }

  /** Decides the fault for one API request (in this order: storm, timeout, planned 5xx, random 5xx). */
  draw(): InjectedFault {
    const now = this.nowMs();
    if (this.storm !== null && consume(this.storm, now))
      return { kind: "rate_limit_storm", policy: this.storm.policy };
    if (consume(this.hangs, now)) return { kind: "timeout" };
    if (this.failures !== null && consume(this.failures, now))
      return { kind: "server_error", status: this.failures.status };
    if (this.serverErrorRate > 0 && this.random() < this.serverErrorRate) {
      return { kind: "server_error", status: this.serverErrorStatus };
    }
    return { kind: "none" };
  }

  /** Waits until the request is aborted, the hang budget runs out, or faults are reset. */
  hang(signal: AbortSignal | undefined): Promise<"aborted" | "gave_up"> {
    if (signal?.aborted) return Promise.resolve("aborted");
    return new Promise((resolve) => {
      const finish = (outcome: "aborted" | "gave_up") => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.pendingHangs.delete(release);
        resolve(outcome);
      };
      const onAbort = () => finish("aborted");
      const release = () => finish("gave_up");
      signal?.addEventListener("abort", onAbort);
      this.pendingHangs.add(release);
      const timer = setTimeout(release, this.maxHangMs);
    });
  }

  releaseHangs(): void {
    for (const release of [...this.pendingHangs]) release();
  }

  async delay(signal: AbortSignal | undefined): Promise<void> {
    if (this.latencyMs <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.latencyMs);
      signal?.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
