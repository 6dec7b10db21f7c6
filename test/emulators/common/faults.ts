/**
 * Fault injection, the part every emulator shares: added latency, a rate of 5xx answers drawn
 * from a seeded generator (a failing run replays), 5xx for the next N requests, 429 storms,
 * requests that hang until the client gives up, and a reset to a well-behaved service.
 * Each emulator subclasses `FaultInjector` and turns what is drawn into its own service's
 * answers: the 429 body and headers, the 5xx and 504 shapes, the order of its checks.
 */
import { seededRandom } from "./random";

/**
 * How long a fault lasts: the next `requests` requests, every request for `durationMs` (on
 * the emulator's clock), or both limits at once; the next single request when neither is given.
 */
export interface FaultBudget {
  readonly requests?: number;
  readonly durationMs?: number;
}

export type InjectedFailure =
  { readonly kind: "server_error"; readonly status: number } | { readonly kind: "timeout" };

/** How a hung request ended: the client aborted it, or the emulator let it go (answering 504). */
export type HangOutcome = "aborted" | "gave_up";

interface RemainingBudget {
  remainingRequests: number;
  readonly untilMs: number;
}

function budgetFrom(nowMs: number, budget: FaultBudget): RemainingBudget {
  return {
    remainingRequests:
      budget.requests ?? (budget.durationMs === undefined ? 1 : Number.POSITIVE_INFINITY),
    untilMs: budget.durationMs === undefined ? Number.POSITIVE_INFINITY : nowMs + budget.durationMs,
  };
}

/** Spends one request of the budget; false once it is used up or expired. */
function consume(budget: RemainingBudget | null, nowMs: number): boolean {
  if (budget === null || budget.remainingRequests <= 0 || nowMs >= budget.untilMs) return false;
  budget.remainingRequests -= 1;
  return true;
}

/**
 * `Storm` is what a 429 storm carries for the emulator to shape its answer (HubSpot's
 * rate-limit policy, the `retry-after` seconds of Pennylane and Sage Active).
 */
export class FaultInjector<Storm> {
  /** Added to every API answer, in real milliseconds. */
  latencyMs = 0;
  /** Probability (0..1) that an API request answers `serverErrorStatus` instead. */
  serverErrorRate = 0;
  serverErrorStatus: number;
  /** A hung request gives up after this long (ms) if the client never aborts it, answering 504. */
  maxHangMs = 60_000;

  private random: () => number;
  private storm: { readonly budget: RemainingBudget; readonly detail: Storm } | null = null;
  private failures: { readonly budget: RemainingBudget; readonly status: number } | null = null;
  private hangs: RemainingBudget | null = null;
  private readonly pendingHangs = new Set<() => void>();

  constructor(
    protected readonly nowMs: () => number,
    private readonly defaultServerErrorStatus: number,
    private seedValue = 1,
  ) {
    this.serverErrorStatus = defaultServerErrorStatus;
    this.random = seededRandom(seedValue);
  }

  /** Restarts the 5xx draw from `seed`, so a run can be replayed. */
  seed(seed: number): this {
    this.seedValue = seed;
    this.random = seededRandom(seed);
    return this;
  }

  /** The next `requests` requests (or all for `durationMs`) answer a 5xx (`serverErrorStatus` by default). */
  serverErrors(options: FaultBudget & { readonly status?: number } = {}): this {
    this.failures = {
      budget: budgetFrom(this.nowMs(), options),
      status: options.status ?? this.serverErrorStatus,
    };
    return this;
  }

  /** The next `requests` requests (or all for `durationMs`) hang until the client aborts them. */
  timeouts(options: FaultBudget = {}): this {
    this.hangs = budgetFrom(this.nowMs(), options);
    return this;
  }

  /** Back to a well-behaved service; hung requests are released. */
  reset(): this {
    this.latencyMs = 0;
    this.serverErrorRate = 0;
    this.serverErrorStatus = this.defaultServerErrorStatus;
    this.storm = null;
    this.failures = null;
    this.hangs = null;
    this.seed(this.seedValue);
    this.releaseHangs();
    return this;
  }

  /** Hung requests still waiting. */
  get hangingRequests(): number {
    return this.pendingHangs.size;
  }

  /** Lets every hung request go (they answer as if the emulator gave up on them). */
  releaseHangs(): void {
    for (const release of [...this.pendingHangs]) release();
  }

  /** Waits until the request is aborted, the hang budget runs out, or faults are reset. */
  hang(signal: AbortSignal | undefined): Promise<HangOutcome> {
    return new Promise((resolve) => {
      const finish = (outcome: HangOutcome) => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.pendingHangs.delete(release);
        resolve(outcome);
      };
      const onAbort = () => finish("aborted");
      const release = () => finish("gave_up");
      const timer = setTimeout(release, this.maxHangMs);
      if (signal?.aborted) return finish("aborted");
      signal?.addEventListener("abort", onAbort);
      this.pendingHangs.add(release);
    });
  }

  /** Waits `latencyMs`, or less if the client aborts first. */
  async delay(signal: AbortSignal | undefined): Promise<void> {
    if (this.latencyMs <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.latencyMs);
      signal?.addEventListener(
        "abort",
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }

  /** Starts a 429 storm; each emulator's `rateLimitStorm` says what its storm carries. */
  protected startStorm(options: FaultBudget, detail: Storm): this {
    this.storm = { budget: budgetFrom(this.nowMs(), options), detail };
    return this;
  }

  /** What the ongoing storm carries if it takes this request, else null. */
  protected nextStorm(): Storm | null {
    if (this.storm === null || !consume(this.storm.budget, this.nowMs())) return null;
    return this.storm.detail;
  }

  /** A fault for an admitted request, in this order: a hang, a planned 5xx, the seeded 5xx draw. */
  protected nextFailure(): InjectedFailure | null {
    const now = this.nowMs();
    if (consume(this.hangs, now)) return { kind: "timeout" };
    if (this.failures !== null && consume(this.failures.budget, now))
      return { kind: "server_error", status: this.failures.status };
    if (this.serverErrorRate > 0 && this.random() < this.serverErrorRate)
      return { kind: "server_error", status: this.serverErrorStatus };
    return null;
  }
}
