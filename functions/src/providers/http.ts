/**
 * The HTTP core both provider clients stand on: ky for transport, our own throttle and
 * retries (ky's are off), zod at the boundary, and every failure turned into a
 * `ProviderError` once.
 */
import ky, { TimeoutError } from "ky";
import type { z } from "zod";
import type { Provider } from "@encaisse/shared";
import { type Clock, systemClock } from "../net/clock";
import { type RateLimiter, retryAfterMs } from "../net/rate-limit";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "../net/retry";
import { PROVIDER_NAMES, ProviderError, type ProviderErrorCode } from "./errors";

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface ProviderAuth {
  /** Headers to authenticate one request (fresh token, API key…). */
  headers(): Promise<Record<string, string>>;
  /** Called on a 401: refresh credentials and return true to replay the request once. */
  onUnauthorized?(rejectedHeaders: Record<string, string>): Promise<boolean>;
}

export interface ProviderHttpOptions {
  readonly provider: Provider;
  readonly baseUrl: string;
  readonly auth: ProviderAuth;
  readonly limiter: RateLimiter;
  /** Whose quota a request counts against: a connection or token id, never the token itself. */
  readonly limiterKey: string;
  readonly timeoutMs?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
  /** Reads a provider's error body (non-2xx) into a code and a message. */
  readonly describeError: (
    status: number,
    body: unknown,
  ) => { code: ProviderErrorCode; message: string; details?: Record<string, unknown> };
}

export interface ProviderRequest<S extends z.ZodType> {
  readonly method: HttpMethod;
  /** Path relative to `baseUrl`, e.g. `customer_invoices/42` (no leading slash). */
  readonly path: string;
  readonly searchParams?: Readonly<Record<string, string | number | undefined>>;
  readonly json?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly schema: S;
  /** Safe to repeat after a transient failure. GETs are; creates are not. */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal;
}

export interface ProviderHttpStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

export class ProviderHttp {
  readonly stats: ProviderHttpStats = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly clock: Clock;
  private readonly name: string;

  constructor(private readonly options: ProviderHttpOptions) {
    this.clock = options.clock ?? systemClock;
    this.name = PROVIDER_NAMES[options.provider];
  }

  async request<S extends z.ZodType>(request: ProviderRequest<S>): Promise<z.infer<S>> {
    const idempotent = request.idempotent ?? request.method === "GET";
    return withRetries((attempt) => this.attempt(request, attempt), {
      idempotent,
      policy: this.options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      clock: this.clock,
      ...(this.options.random ? { random: this.options.random } : {}),
      ...(request.signal ? { signal: request.signal } : {}),
      classify: (error) =>
        error instanceof ProviderError && error.retryable
          ? {
              transient: error.code !== "PROVIDER_RATE_LIMITED",
              rateLimited: error.code === "PROVIDER_RATE_LIMITED",
              waitMs: error.retryAfterMs,
            }
          : null,
      onRetry: () => {
        this.stats.retries += 1;
      },
    });
  }

  private async attempt<S extends z.ZodType>(
    request: ProviderRequest<S>,
    _attempt: number,
  ): Promise<z.infer<S>> {
    let replayedAfterRefresh = false;
    for (;;) {
      await this.options.limiter.acquire(this.options.limiterKey, request.signal);
      let response: Response;
      let authHeaders: Record<string, string>;
      try {
        authHeaders = await this.options.auth.headers();
        response = await this.send(request, authHeaders);
      } finally {
        this.options.limiter.release?.(this.options.limiterKey);
      }
      if (response.status === 401 && !replayedAfterRefresh && this.options.auth.onUnauthorized) {
        replayedAfterRefresh = await this.options.auth.onUnauthorized(authHeaders);
        if (replayedAfterRefresh) continue;
      }
      return this.read(request, response);
    }
  }

  private async send(
    request: ProviderRequest<z.ZodType>,
    authHeaders: Record<string, string>,
  ): Promise<Response> {
    this.stats.requests += 1;
    const searchParams: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.searchParams ?? {})) {
      if (value !== undefined) searchParams[key] = String(value);
    }
    try {
      return await ky(request.path, {
        prefixUrl: this.options.baseUrl,
        method: request.method,
        searchParams,
        ...(request.json === undefined ? {} : { json: request.json }),
        headers: { accept: "application/json", ...authHeaders, ...request.headers },
        timeout: this.options.timeoutMs ?? 15_000,
        retry: 0,
        throwHttpErrors: false,
        ...(request.signal ? { signal: request.signal } : {}),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      if (error instanceof TimeoutError) {
        throw new ProviderError("PROVIDER_TIMEOUT", `${this.name} did not answer in time.`, {
          provider: this.options.provider,
        });
      }
      throw new ProviderError("PROVIDER_UNAVAILABLE", `${this.name} could not be reached.`, {
        provider: this.options.provider,
        details: { cause: error instanceof Error ? error.message : String(error) },
      });
    }
  }

  private async read<S extends z.ZodType>(
    request: ProviderRequest<S>,
    response: Response,
  ): Promise<z.infer<S>> {
    const text = await response.text();
    let body: unknown = null;
    if (text.length > 0) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
    }
    if (response.status === 429) {
      this.stats.rateLimited += 1;
      const waitMs = retryAfterMs(response.headers, this.clock.now()) ?? 1_000;
      this.options.limiter.block(this.options.limiterKey, this.clock.now() + waitMs);
      throw new ProviderError("PROVIDER_RATE_LIMITED", `${this.name} asks us to slow down.`, {
        provider: this.options.provider,
        httpStatus: 429,
        retryAfterMs: waitMs,
      });
    }
    if (response.status >= 500) {
      throw new ProviderError(
        "PROVIDER_UNAVAILABLE",
        `${this.name} is having trouble (HTTP ${response.status}).`,
        {
          provider: this.options.provider,
          httpStatus: response.status,
        },
      );
    }
    if (!response.ok) {
      const described = this.options.describeError(response.status, body);
      throw new ProviderError(described.code, described.message, {
        provider: this.options.provider,
        httpStatus: response.status,
        details: {
          ...described.details,
          method: request.method,
          path: request.path.replace(/\d+/g, ":id"),
        },
      });
    }
    const parsed = request.schema.safeParse(body);
    if (!parsed.success) {
      throw new ProviderError(
        "PROVIDER_RESPONSE_INVALID",
        `${this.name} answered in an unexpected shape; nothing was changed on our side.`,
        {
          provider: this.options.provider,
          httpStatus: response.status,
          details: {
            path: request.path.replace(/\d+/g, ":id"),
            issues: parsed.error.issues
              .slice(0, 5)
              .map((issue) => `${issue.path.join(".")}: ${issue.message}`),
          },
        },
      );
    }
    return parsed.data;
  }
}
