/**
 * Fault injection at the gateway, for testing how a client behaves on a bad day: the shared
 * knobs of `FaultInjector` (latency, seeded 5xx rate, hangs), 429 storms with `Retry-After`,
 * and token expiry, answered the way Azure API Management answers. Faults apply to the API
 * (POST /graphql), not to the OAuth server.
 */
import { FaultInjector, type FaultBudget } from "../common/faults";

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

export class SageActiveFaults extends FaultInjector<{ readonly retryAfterSeconds: number }> {
  constructor(
    nowMs: () => number,
    private readonly onExpireTokens: () => void,
    seed = 1,
  ) {
    super(nowMs, 500, seed);
  }

  /** 429 with `Retry-After` for the next `requests` requests, or for `durationMs` (emulator clock). */
  rateLimitStorm(options: FaultBudget & { readonly retryAfterSeconds?: number } = {}): this {
    return this.startStorm(options, { retryAfterSeconds: options.retryAfterSeconds ?? 2 });
  }

  /** Every access token expires now, as 8 hours passing would. */
  expireAccessTokens(): void {
    this.onExpireTokens();
  }

  /** A 429 from an ongoing storm, drawn before the gateway checks anything else. */
  drawStorm(): Response | null {
    const storm = this.nextStorm();
    return storm === null ? null : rateLimitedResponse(storm.retryAfterSeconds);
  }

  /** For an admitted request: a hang (resolved when aborted or released), a 5xx, or null. */
  async drawFailure(signal: AbortSignal | undefined): Promise<Response | null> {
    const failure = this.nextFailure();
    if (failure === null) return null;
    if (failure.kind === "server_error")
      return gatewayResponse(failure.status, "Internal server error");
    const outcome = await this.hang(signal);
    return outcome === "aborted"
      ? gatewayResponse(499, "Client Closed Request")
      : gatewayResponse(504, "Gateway Timeout");
  }
}
