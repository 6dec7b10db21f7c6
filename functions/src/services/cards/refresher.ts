/**
 * Runs customer refreshes for card views: at most one per customer at a time in this
 * process (a second view joins the one running), each view waiting for it only within its
 * time budget. A refresh that outlives the budget keeps going in the background and its
 * work is kept; the next view finds the data fresh.
 *
 * After a failure, views of that customer do not ask the provider again for a short while
 * (they serve the last known data with the failure): a provider that is down should not
 * receive a burst of retries from every rep opening a card.
 */
import { DomainError } from "@encaisse/shared";
import type { Logger } from "../../backend";
import type { Clock } from "../../net/clock";

const MAX_REMEMBERED_FAILURES = 1_000;
const FAILURE_MEMORY_MS = 60 * 60 * 1000;

export interface RefreshFailure {
  readonly code: string;
  readonly message: string;
}

export type RefreshOutcome<T> =
  | { readonly kind: "refreshed"; readonly result: T }
  | { readonly kind: "failed"; readonly failure: RefreshFailure }
  /** Still running: the view serves what it has; the refresh finishes on its own. */
  | { readonly kind: "out_of_time" };

type Settled<T> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly failure: RefreshFailure };

export interface RefreshTiming {
  /** How long the caller waits for the refresh. */
  readonly budgetMs: number;
  /** After a failure, how long views of the same customer reuse it instead of retrying. */
  readonly failureCooldownMs: number;
  /** Retry now whatever happened recently (the rep asked for a refresh). */
  readonly force?: boolean;
}

/** What a failed refresh tells the user: a domain error's code and message, else nothing internal. */
export function refreshFailureOf(error: unknown): RefreshFailure {
  if (error instanceof DomainError) return { code: error.code, message: error.message };
  return {
    code: "INTERNAL",
    message: "The refresh failed on our side; the data shown is the last known.",
  };
}

export class CustomerRefresher<T> {
  private readonly running = new Map<string, Promise<Settled<T>>>();
  private readonly recentFailures = new Map<string, { failure: RefreshFailure; atMs: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /** Starts `work` for `key` unless it is already running, and waits for it within the budget. */
  async refresh(
    key: string,
    work: () => Promise<T>,
    timing: RefreshTiming,
  ): Promise<RefreshOutcome<T>> {
    let settled = this.running.get(key);
    if (settled === undefined) {
      const failed = this.recentFailures.get(key);
      if (
        failed !== undefined &&
        !timing.force &&
        this.clock.now() - failed.atMs < timing.failureCooldownMs
      ) {
        return { kind: "failed", failure: failed.failure };
      }
      settled = this.start(key, work);
    }
    const deadline = new AbortController();
    const outOfTime = this.clock.sleep(timing.budgetMs, deadline.signal).then(
      () => "out_of_time" as const,
      () => "cancelled" as const,
    );
    const first = await Promise.race([settled, outOfTime]);
    deadline.abort();
    if (first === "out_of_time" || first === "cancelled") return { kind: "out_of_time" };
    return first.ok
      ? { kind: "refreshed", result: first.result }
      : { kind: "failed", failure: first.failure };
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Resolves once no refresh is running (tests, benchmarks, graceful shutdown). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all(this.running.values());
  }

  /** Failures older than any cool-down are only kept until there are many of them. */
  private forgetOldFailures(): void {
    if (this.recentFailures.size < MAX_REMEMBERED_FAILURES) return;
    const horizon = this.clock.now() - FAILURE_MEMORY_MS;
    for (const [key, failed] of this.recentFailures) {
      if (failed.atMs < horizon) this.recentFailures.delete(key);
    }
  }

  private start(key: string, work: () => Promise<T>): Promise<Settled<T>> {
    const settled: Promise<Settled<T>> = Promise.resolve()
      .then(work)
      .then(
        (result): Settled<T> => {
          this.recentFailures.delete(key);
          return { ok: true, result };
        },
        (error: unknown): Settled<T> => {
          const failure = refreshFailureOf(error);
          this.forgetOldFailures();
          this.recentFailures.set(key, { failure, atMs: this.clock.now() });
          this.logger.warn("customer refresh failed", { code: failure.code });
          return { ok: false, failure };
        },
      )
      .finally(() => {
        if (this.running.get(key) === settled) this.running.delete(key);
      });
    this.running.set(key, settled);
    return settled;
  }
}
