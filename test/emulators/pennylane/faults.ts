/**
 * Fault injection, for testing how a client behaves when Pennylane misbehaves: the shared knobs
 * of `FaultInjector` (latency, seeded 5xx rate, hangs), 429 storms with `retry-after`, and token
 * expiry. Faults apply to the API (`/api/external/v2/...`), not to OAuth or public files.
 */
import { FaultInjector, type FaultBudget, type InjectedFailure } from "../common/faults";

export type { InjectedFailure } from "../common/faults";

export class PennylaneFaults extends FaultInjector<{ readonly retryAfterSeconds: number }> {
  constructor(
    nowMs: () => number,
    private readonly onExpireTokens: () => number,
    seed = 1,
  ) {
    super(nowMs, 500, seed);
  }

  /** 429 with `retry-after` for the next `requests` requests, or for `durationMs`. */
  rateLimitStorm(options: FaultBudget & { readonly retryAfterSeconds?: number } = {}): this {
    return this.startStorm(options, { retryAfterSeconds: options.retryAfterSeconds ?? 2 });
  }

  /** Every OAuth access token expires now; returns how many did. */
  expireAccessTokens(): number {
    return this.onExpireTokens();
  }

  /** A 429 from an ongoing storm, drawn before the rate limiter runs. */
  drawStorm(): { readonly retryAfterSeconds: number } | null {
    return this.nextStorm();
  }

  /** A hang or a 5xx for an admitted request (hangs first, then the seeded 5xx draw). */
  drawFailure(): InjectedFailure | null {
    return this.nextFailure();
  }
}
