/**
 * Retries with jittered exponential backoff — on safe calls only. A create that timed out
 * may have succeeded: the caller looks it up by external reference instead (see
 * providers/*\/invoices.ts).
 */
import { DomainError } from "@encaisse/shared";
import { type Clock, systemClock } from "./clock";

export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** 429s do not count as failures but are still bounded. */
  readonly maxRateLimitWaits: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 8_000,
  maxRateLimitWaits: 20,
};

/** Full jitter: a random delay in [0, min(max, base x 2^attempt)]. */
export function backoffDelayMs(
  attempt: number,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(random() * ceiling);
}

export interface RetryableFailure {
  /** The failure is transient (5xx, timeout, network). */
  readonly transient: boolean;
  /** The server refused for rate (429): the request was not processed. */
  readonly rateLimited: boolean;
  /** Server-requested wait, if any. */
  readonly waitMs: number | null;
}

export interface RetryOptions {
  readonly idempotent: boolean;
  readonly policy?: RetryPolicy;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly signal?: AbortSignal;
  /** How to read a thrown error; errors it returns null for are never retried. */
  readonly classify: (error: unknown) => RetryableFailure | null;
  readonly onRetry?: (event: { attempt: number; delayMs: number; error: unknown }) => void;
}

export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY;
  const clock = options.clock ?? systemClock;
  let failures = 0;
  let rateLimitWaits = 0;
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      const failure = options.classify(error);
      if (failure === null || options.signal?.aborted) throw error;
      let delayMs: number;
      if (failure.rateLimited) {
        rateLimitWaits += 1;
        if (rateLimitWaits > policy.maxRateLimitWaits) throw error;
        // The limiter already holds the key until the server's reset; this is only a floor.
        delayMs = failure.waitMs ?? backoffDelayMs(rateLimitWaits, policy, options.random);
      } else if (failure.transient && options.idempotent) {
        failures += 1;
        if (failures >= policy.maxAttempts) throw error;
        delayMs = failure.waitMs ?? backoffDelayMs(failures, policy, options.random);
      } else {
        throw error;
      }
      options.onRetry?.({ attempt, delayMs, error });
      await clock.sleep(delayMs, options.signal);
    }
  }
}

export function isDomainError(error: unknown, code?: string): error is DomainError {
  return error instanceof DomainError && (code === undefined || error.code === code);
}
