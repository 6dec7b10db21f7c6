/**
 * Fault injection, for testing how a client behaves when HubSpot misbehaves: the shared knobs
 * of `FaultInjector` (latency, seeded 5xx rate, 5xx for the next N requests, hangs), 429 storms
 * naming the rate-limit policy they break, and access token expiry. Faults apply to the CRM
 * API, not to OAuth.
 */
import { FaultInjector, type FaultBudget } from "../common/faults";
import type { RateLimitPolicy } from "./rate-limit";

export type InjectedFault =
  | { readonly kind: "none" }
  | { readonly kind: "rate_limit_storm"; readonly policy: RateLimitPolicy }
  | { readonly kind: "server_error"; readonly status: number }
  | { readonly kind: "timeout" };

export class HubSpotFaults extends FaultInjector<RateLimitPolicy> {
  constructor(
    nowMs: () => number,
    private readonly onExpireTokens: (portalId?: number) => number,
    seed = 1,
  ) {
    super(nowMs, 502, seed);
  }

  /** 429 for the next `requests` requests, or for `durationMs` (ten-secondly by default). */
  rateLimitStorm(options: FaultBudget & { readonly policy?: RateLimitPolicy } = {}): this {
    return this.startStorm(options, options.policy ?? "TEN_SECONDLY_ROLLING");
  }

  /** Access tokens (of one portal, or all) expire now; returns how many did. */
  expireAccessTokens(portalId?: number): number {
    return this.onExpireTokens(portalId);
  }

  /** Decides the fault for one API request (in this order: storm, timeout, planned 5xx, random 5xx). */
  draw(): InjectedFault {
    const policy = this.nextStorm();
    if (policy !== null) return { kind: "rate_limit_storm", policy };
    return this.nextFailure() ?? { kind: "none" };
  }
}
