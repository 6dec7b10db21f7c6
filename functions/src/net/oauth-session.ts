/**
 * Access tokens that refresh themselves, for providers whose refresh tokens rotate
 * (Pennylane: using a refresh token invalidates the old pair; Sage Active: persist any new
 * one; HubSpot: 30-minute access tokens).
 *
 * Two rules keep a connection alive: one refresh at a time per connection (in this process
 * by sharing the in-flight promise, across processes by the store's lock), and the new pair
 * is saved before anyone uses it — a crash after the refresh must not lose the only valid
 * refresh token.
 */
import ky from "ky";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import { type Clock, systemClock } from "./clock";

export interface OAuthTokens {
  readonly accessToken: string;
  readonly refreshToken: string;
  /** Epoch ms. */
  readonly expiresAt: number;
  readonly scope: string | null;
}

export interface TokenStore {
  load(): Promise<OAuthTokens | null>;
  save(tokens: OAuthTokens): Promise<void>;
  /** Runs `operation` holding this connection's refresh lock. */
  withRefreshLock<T>(operation: () => Promise<T>): Promise<T>;
}

export type RefreshTokens = (refreshToken: string) => Promise<OAuthTokens>;

export class OAuthSession {
  private inflight: Promise<OAuthTokens> | null = null;
  private readonly clock: Clock;
  private readonly skewMs: number;

  constructor(
    private readonly store: TokenStore,
    private readonly refresh: RefreshTokens,
    options: { skewMs?: number; clock?: Clock } = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.skewMs = options.skewMs ?? 60_000;
  }

  /** A valid access token, refreshed ahead of expiry. */
  async accessToken(): Promise<string> {
    const tokens = await this.loadOrFail();
    if (this.isFresh(tokens)) return tokens.accessToken;
    return (await this.refreshOnce(tokens.accessToken)).accessToken;
  }

  /** After a 401 with `rejectedAccessToken`: refresh unless someone already did. */
  async refreshAfterRejection(rejectedAccessToken: string): Promise<boolean> {
    await this.refreshOnce(rejectedAccessToken, true);
    return true;
  }

  private isFresh(tokens: OAuthTokens): boolean {
    return tokens.expiresAt - this.skewMs > this.clock.now();
  }

  private async loadOrFail(): Promise<OAuthTokens> {
    const tokens = await this.store.load();
    if (!tokens) {
      throw new DomainError(
        "PROVIDER_NOT_CONNECTED",
        "This connection has no credentials; connect it again in Settings.",
      );
    }
    return tokens;
  }

  private refreshOnce(staleAccessToken: string, rejected = false): Promise<OAuthTokens> {
    this.inflight ??= this.store
      .withRefreshLock(async () => {
        // Another worker may have refreshed while we waited for the lock.
        const current = await this.loadOrFail();
        const alreadyRefreshed = current.accessToken !== staleAccessToken;
        if (alreadyRefreshed && (this.isFresh(current) || !rejected)) return current;
        const next = await this.refresh(current.refreshToken);
        await this.store.save(next);
        return next;
      })
      .finally(() => {
        this.inflight = null;
      });
    return this.inflight;
  }
}

/** An in-memory store: tests, the sandbox, and single-process tools. */
export class MemoryTokenStore implements TokenStore {
  private chain: Promise<unknown> = Promise.resolve();
  saves = 0;

  constructor(private tokens: OAuthTokens | null = null) {}

  async load(): Promise<OAuthTokens | null> {
    return this.tokens;
  }

  async save(tokens: OAuthTokens): Promise<void> {
    this.saves += 1;
    this.tokens = tokens;
  }

  withRefreshLock<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.chain.then(operation);
    this.chain = result.catch(() => undefined);
    return result;
  }
}

const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).optional(),
  expires_in: z.coerce.number().int().positive(),
  scope: z.string().optional(),
  token_type: z.string().optional(),
});

const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

/**
 * POSTs an OAuth 2.0 token request (form-encoded) and reads the standard answer.
 * `previousRefreshToken` is kept when the server does not rotate.
 */
export async function requestTokens(
  tokenUrl: string,
  form: Record<string, string>,
  options: {
    clock?: Clock;
    previousRefreshToken?: string;
    fetch?: typeof fetch;
    providerName: string;
  },
): Promise<OAuthTokens> {
  const clock = options.clock ?? systemClock;
  let response: Response;
  try {
    response = await ky.post(tokenUrl, {
      body: new URLSearchParams(form),
      headers: { accept: "application/json" },
      throwHttpErrors: false,
      retry: 0,
      timeout: 15_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (error) {
    throw new DomainError(
      "PROVIDER_UNAVAILABLE",
      `${options.providerName} sign-in could not be reached.`,
      {
        cause: error instanceof Error ? error.message : String(error),
      },
    );
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const oauthError = tokenErrorSchema.safeParse(body);
    const code = oauthError.success ? oauthError.data.error : `http_${response.status}`;
    if (response.status >= 500) {
      throw new DomainError(
        "PROVIDER_UNAVAILABLE",
        `${options.providerName} sign-in is having trouble.`,
        { oauthError: code },
      );
    }
    throw new DomainError(
      "PROVIDER_AUTH_FAILED",
      code === "invalid_grant"
        ? `${options.providerName} no longer accepts this connection; reconnect it in Settings.`
        : `${options.providerName} refused the sign-in (${code}).`,
      { oauthError: code },
    );
  }
  const tokens = tokenResponseSchema.safeParse(body);
  const refreshToken = tokens.success
    ? (tokens.data.refresh_token ?? options.previousRefreshToken)
    : undefined;
  if (!tokens.success || refreshToken === undefined) {
    throw new DomainError(
      "PROVIDER_RESPONSE_INVALID",
      `${options.providerName} returned an unreadable token answer.`,
    );
  }
  return {
    accessToken: tokens.data.access_token,
    refreshToken,
    expiresAt: clock.now() + tokens.data.expires_in * 1000,
    scope: tokens.data.scope ?? null,
  };
}
