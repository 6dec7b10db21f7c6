/**
 * Who may call the API: company API tokens (scoped, no expiry) and OAuth access tokens (24 h)
 * with their refresh tokens (90 days). Refresh tokens rotate: using one issues a new pair and
 * revokes the old pair at once, so a second use of the same refresh token is refused.
 */
import { randomBytes } from "node:crypto";

export const ACCESS_TOKEN_TTL_SECONDS = 24 * 60 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 90 * 24 * 60 * 60;

export interface Grant {
  readonly kind: "api_token" | "oauth";
  readonly scopes: readonly string[];
  readonly clientId: string | null;
}

interface AccessToken {
  readonly grant: Grant;
  expiresAtMs: number;
  revoked: boolean;
  readonly refreshToken: string | null;
}

interface RefreshToken {
  readonly grant: Grant;
  readonly accessToken: string;
  readonly expiresAtMs: number;
  revoked: boolean;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly scopes: readonly string[];
  readonly createdAtMs: number;
}

export type Authentication =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly reason: "missing" | "invalid" | "expired" | "revoked" };

export type Rotation =
  | { readonly ok: true; readonly pair: TokenPair }
  | { readonly ok: false; readonly reason: "unknown" | "revoked" | "expired" | "wrong_client" };

const newToken = () => randomBytes(32).toString("base64url");

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessToken>();
  private readonly refreshTokens = new Map<string, RefreshToken>();

  constructor(private readonly nowMs: () => number) {}

  addApiToken(token: string, scopes: readonly string[]): void {
    this.accessTokens.set(token, {
      grant: { kind: "api_token", scopes: [...scopes], clientId: null },
      expiresAtMs: Number.POSITIVE_INFINITY,
      revoked: false,
      refreshToken: null,
    });
  }

  issuePair(clientId: string, scopes: readonly string[]): TokenPair {
    const now = this.nowMs();
    const grant: Grant = { kind: "oauth", scopes: [...scopes], clientId };
    const accessToken = newToken();
    const refreshToken = newToken();
    this.accessTokens.set(accessToken, {
      grant,
      expiresAtMs: now + ACCESS_TOKEN_TTL_SECONDS * 1000,
      revoked: false,
      refreshToken,
    });
    this.refreshTokens.set(refreshToken, {
      grant,
      accessToken,
      expiresAtMs: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
      revoked: false,
    });
    return {
      accessToken,
      refreshToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      scopes: grant.scopes,
      createdAtMs: now,
    };
  }

  rotate(refreshToken: string, clientId: string): Rotation {
    const stored = this.refreshTokens.get(refreshToken);
    if (stored === undefined) return { ok: false, reason: "unknown" };
    if (stored.grant.clientId !== clientId) return { ok: false, reason: "wrong_client" };
    if (stored.revoked) return { ok: false, reason: "revoked" };
    if (stored.expiresAtMs <= this.nowMs()) return { ok: false, reason: "expired" };
    this.revokePair(refreshToken);
    return { ok: true, pair: this.issuePair(clientId, stored.grant.scopes) };
  }

  /** Revokes an access or refresh token together with its pair. Unknown tokens are ignored (RFC 7009). */
  revoke(token: string): void {
    const access = this.accessTokens.get(token);
    if (access !== undefined) {
      access.revoked = true;
      if (access.refreshToken !== null) this.revokePair(access.refreshToken);
      return;
    }
    if (this.refreshTokens.has(token)) this.revokePair(token);
  }

  authenticate(token: string | null): Authentication {
    if (token === null || token === "") return { ok: false, reason: "missing" };
    const stored = this.accessTokens.get(token);
    if (stored === undefined) return { ok: false, reason: "invalid" };
    if (stored.revoked) return { ok: false, reason: "revoked" };
    if (stored.expiresAtMs <= this.nowMs()) return { ok: false, reason: "expired" };
    return { ok: true, grant: stored.grant };
  }

  /** Makes every OAuth access token expired now (their refresh tokens still work). */
  expireAccessTokens(): number {
    const now = this.nowMs();
    let expired = 0;
    for (const token of this.accessTokens.values()) {
      if (token.grant.kind === "oauth" && !token.revoked && token.expiresAtMs > now) {
        token.expiresAtMs = now;
        expired += 1;
      }
    }
    return expired;
  }

  private revokePair(refreshToken: string): void {
    const stored = this.refreshTokens.get(refreshToken);
    if (stored === undefined) return;
    stored.revoked = true;
    const access = this.accessTokens.get(stored.accessToken);
    if (access !== undefined) access.revoked = true;
  }
}
