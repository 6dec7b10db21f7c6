/**
 * Mutations are never repeated blindly (Sage numbers invoices sequentially; a duplicate
 * create is a duplicate invoice). When one fails in a way that may hide a success (timeout,
 * 5xx, an unreadable answer), we look for its effect instead, a few times while Sage may
 * still be committing it.
 */
import type { Clock } from "../../net/clock";
import { ProviderError } from "../errors";

export const RECOVERY_LOOKUP_DELAYS_MS: readonly number[] = [0, 1_000, 3_000];

/** The request may have been carried out although we saw a failure. */
export function outcomeUnknown(error: unknown): error is ProviderError {
  return (
    error instanceof ProviderError &&
    (error.mayHaveReachedProvider || error.code === "PROVIDER_RESPONSE_INVALID")
  );
}

/** Looks up the effect of an ambiguous mutation; null if it never showed up. */
export async function findEffect<T>(
  lookup: () => Promise<T | null>,
  clock: Clock,
  delaysMs: readonly number[] = RECOVERY_LOOKUP_DELAYS_MS,
): Promise<T | null> {
  for (const delayMs of delaysMs) {
    if (delayMs > 0) await clock.sleep(delayMs);
    try {
      const found = await lookup();
      if (found !== null) return found;
    } catch (error) {
      // A look-up that fails transiently is as good as "not seen yet".
      if (!(error instanceof ProviderError && error.retryable)) throw error;
    }
  }
  return null;
}

/** Shares one in-flight run per key: twenty clicks on "create" make one request. */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  run(key: string, operation: () => Promise<T>): Promise<T> {
    let promise = this.inflight.get(key);
    if (!promise) {
      promise = operation().finally(() => this.inflight.delete(key));
      this.inflight.set(key, promise);
    }
    return promise;
  }
}
