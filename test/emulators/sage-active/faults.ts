/**
 * Fault injection at the gateway, for testing how a client behaves on a bad day; the same
 * knobs as the Pennylane emulator's: added latency, a rate of 5xx answers drawn from a
 * seeded generator (a failing run replays), 429 storms for the next N requests or for a
 * while, requests that hang until the client gives up, and token expiry. Faults apply to
 * the API (POST /graphql), not to the OAuth server.
 */

export function gatewayResponse(
  statusCode: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ statusCode, message }, { status: statusCode, headers });
}

/** Azure API Management's rate-limit answer (the body format is undocumented for Sage, §2.7). */
export function rateLimitedResponse(retryAfterSeconds: number): Response {
  return gatewayResponse(
    429,
    `Rate limit is exceeded. Try again in ${retryAfterSeconds} seconds.`,
    {
      "retry-after": String(retryAfterSeconds),
    },
  );
}

/** mulberry32: the same seed gives the same run. */
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
  readonly untilMs: number;
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

export class SageActiveFaults {
  /** Added to every API answer, in real milliseconds. */
  latencyMs = 0;
  /** Probability (0..1) that an API request answers `serverErrorStatus` instead. */
  serverErrorRate = 0;
  serverErrorStatus = 500;
  /** A hung request gives up after this long (ms) if the client never aborts it, answering 504. */
  maxHangMs = 60_000;

  private random: () => number;
  private storm: (Budget & { readonly retryAfterSeconds: number }) | null = null;
  private hangs: Budget | null = null;
  private readonly pendingHangs = new Set<() => void>();

  constructor(
    private readonly nowMs: () => number,
    private readonly onExpireTokens: () => void,
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

  /** 429 with `Retry-After` for the next `requests` requests, or for `durationMs` (emulator clock). */
  rateLimitStorm(
    options: { requests?: number; durationMs?: number; retryAfterSeconds?: number } = {},
  ): this {
    this.storm = {
      ...budgetFor(this.nowMs(), options),
      retryAfterSeconds: options.retryAfterSeconds ?? 2,
    };
    return this;
  }

  /** The next `requests` requests (or all for `durationMs`) hang until the client aborts them. */
  timeouts(options: { requests?: number; durationMs?: number } = {}): this {
    this.hangs = budgetFor(this.nowMs(), options);
    return this;
  }

  /** Every access token expires now, as 8 hours passing would. */
  expireAccessTokens(): void {
    this.onExpireTokens();
  }

  /** Back to a well-behaved service; hung requests are released. */
  reset(): this {
    this.latencyMs = 0;
    this.serverErrorRate = 0;
    this.serverErrorStatus = 500;
    this.storm = null;
    this.hangs = null;
    this.seed(this.seedValue);
    this.releaseHangs();
    return this;
  }

  /** Hung requests still waiting. */
  get hangingRequests(): number {
    return this.pendingHangs.size;
  }

  /** Answers 504 to every request still hanging. */
  releaseHangs(): void {
    for (const release of [...this.pendingHangs]) release();
  }

  /** A 429 from an ongoing storm, drawn before the gateway checks anything else. */
  drawStorm(): Response | null {
    if (this.storm === null || !consume(this.storm, this.nowMs())) return null;
    return rateLimitedResponse(this.storm.retryAfterSeconds);
  }

  /** For an admitted request: a hang (resolved when aborted or released), a 5xx, or null. */
  async drawFailure(signal: AbortSignal | undefined): Promise<Response | null> {
    if (consume(this.hangs, this.nowMs())) {
      const outcome = await this.hang(signal);
      return outcome === "aborted"
        ? gatewayResponse(499, "Client Closed Request")
        : gatewayResponse(504, "Gateway Timeout");
    }
    if (this.serverErrorRate > 0 && this.random() < this.serverErrorRate) {
      return gatewayResponse(this.serverErrorStatus, "Internal server error");
    }
    return null;
  }

  private hang(signal: AbortSignal | undefined): Promise<"aborted" | "gave_up"> {
    return new Promise((resolve) => {
      const finish = (outcome: "aborted" | "gave_up") => {
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
