/**
 * Client-side throttles that keep us under a provider's published limit instead of
 * discovering it through 429s (Pennylane: 25 requests / 5 s per token; HubSpot: 110 / 10 s
 * per account).
 */
import { type Clock, systemClock } from "./clock";

export interface RateLimiter {
  /** Resolves when one more request may be sent under `key` (a token or account id). */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /** The server said wait (429): hold every request under `key` until `untilMs`. */
  block(key: string, untilMs: number): void;
  /**
   * The request sent after `acquire(key)` has its answer (or failed). A limiter shared by
   * processes counts a request until then, since the server may receive it that late.
   */
  release?(key: string): void;
}

export interface SlidingWindowOptions {
  readonly limit: number;
  readonly windowMs: number;
  /**
   * Extra spacing so that requests sent at the edge of the window still arrive inside
   * the server's count: network jitter can reorder arrivals by a few tens of ms.
   */
  readonly safetyMs?: number;
  readonly clock?: Clock;
}

interface KeyState {
  /** Send times of the most recent requests, oldest first, at most `limit`. */
  readonly sent: number[];
  blockedUntil: number;
  /** Waiters are served in order, one at a time. */
  queue: Promise<void>;
}

/**
 * A sliding-window log per key: the (limit+1)th request waits until the oldest of the last
 * `limit` is a full window (plus safety) old. This is the strictest reading of "N requests
 * per window", so it also satisfies fixed-window servers.
 */
export class SlidingWindowLimiter implements RateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly clock: Clock;
  private readonly safetyMs: number;

  constructor(private readonly options: SlidingWindowOptions) {
    this.clock = options.clock ?? systemClock;
    this.safetyMs = options.safetyMs ?? Math.ceil(options.windowMs * 0.02);
  }

  acquire(key: string, signal?: AbortSignal): Promise<void> {
    const state = this.stateOf(key);
    const turn = state.queue.then(() => this.waitForSlot(state, signal));
    state.queue = turn.catch(() => undefined);
    return turn;
  }

  block(key: string, untilMs: number): void {
    const state = this.stateOf(key);
    state.blockedUntil = Math.max(state.blockedUntil, untilMs);
  }

  private stateOf(key: string): KeyState {
    let state = this.keys.get(key);
    if (!state) {
      state = { sent: [], blockedUntil: 0, queue: Promise.resolve() };
      this.keys.set(key, state);
    }
    return state;
  }

  private async waitForSlot(state: KeyState, signal?: AbortSignal): Promise<void> {
    const { limit, windowMs } = this.options;
    for (;;) {
      signal?.throwIfAborted();
      const now = this.clock.now();
      const oldestInWindow =
        state.sent.length >= limit ? state.sent[state.sent.length - limit] : undefined;
      const windowFreeAt =
        oldestInWindow === undefined ? 0 : oldestInWindow + windowMs + this.safetyMs;
      const readyAt = Math.max(windowFreeAt, state.blockedUntil);
      if (readyAt <= now) {
        state.sent.push(now);
        if (state.sent.length > limit) state.sent.splice(0, state.sent.length - limit);
        return;
      }
      await this.clock.sleep(readyAt - now, signal);
    }
  }
}

/** At most `size` operations at once (Sage Active: 10 parallel mutations). */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: number) {}

  async run<T>(operation: () => Promise<T>): Promise<T> {
    if (this.active >= this.size) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.active += 1;
    try {
      return await operation();
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }
}

/** Parses `retry-after` (seconds or HTTP date) or `ratelimit-reset` (seconds) into a wait in ms. */
export function retryAfterMs(headers: Headers, now: number): number | null {
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null) {
    if (/^\d+(\.\d+)?$/.test(retryAfter.trim())) return Math.ceil(Number(retryAfter) * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("ratelimit-reset") ?? headers.get("x-ratelimit-reset");
  if (reset !== null && /^\d+(\.\d+)?$/.test(reset.trim())) {
    const value = Number(reset);
    // Some servers send an epoch timestamp rather than a delay.
    return value > 1_000_000_000 ? Math.max(0, value * 1000 - now) : Math.ceil(value * 1000);
  }
  return null;
}
