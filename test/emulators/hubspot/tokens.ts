/**
 * OAuth as HubSpot runs it for a marketplace app: installing the app on a portal grants its
 * scopes; access tokens last 30 minutes (`expires_in: 1800`); refresh tokens are long-lived
 * and NOT rotated (refreshing returns the same refresh token); authorization codes are single
 * use. Every token belongs to one portal: it only ever reaches that portal's data.
 */
import { randomBytes, randomUUID } from "node:crypto";

export const ACCESS_TOKEN_TTL_SECONDS = 30 * 60;
/** How long an authorization code may wait before being exchanged. */
export const AUTHORIZATION_CODE_TTL_MS = 10 * 60 * 1000;

export interface HubSpotApp {
  readonly appId: number;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Redirect URLs the app registered; null accepts any (sandbox convenience). */
  readonly redirectUrls: readonly string[] | null;
}

export interface InstallingUser {
  readonly userId: number;
  readonly email: string;
}

/** What a valid access token grants. */
export interface Grant {
  readonly portalId: number;
  readonly hubDomain: string;
  readonly scopes: readonly string[];
  readonly user: InstallingUser;
  readonly appId: number;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly expiresIn: number;
  readonly expiresAt: Date;
}

interface AccessTokenRecord {
  readonly grant: Grant;
  readonly refreshToken: string;
  expiresAtMs: number;
  revoked: boolean;
}

interface RefreshTokenRecord {
  readonly grant: Grant;
  revoked: boolean;
}

interface CodeRecord {
  readonly grant: Grant;
  readonly redirectUri: string;
  readonly expiresAtMs: number;
}

export type Authentication =
  | { readonly ok: true; readonly grant: Grant }
  | { readonly ok: false; readonly reason: "missing" | "invalid" | "revoked" }
  | { readonly ok: false; readonly reason: "expired"; readonly expiredForMs: number };

export type TokenOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly status: string; readonly message: string };

const newAccessToken = () => `CK${randomBytes(48).toString("base64url")}`;
const newRefreshToken = () => `na1-${randomUUID().slice(0, 4)}-${randomUUID()}`;

export class TokenStore {
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, CodeRecord>();

  constructor(
    readonly app: HubSpotApp,
    private readonly nowMs: () => number,
  ) {}

  /** The app gets installed on a portal (or re-authorized): a fresh token pair. */
  install(grant: Grant): TokenPair {
    const refreshToken = newRefreshToken();
    this.refreshTokens.set(refreshToken, { grant, revoked: false });
    return this.issueAccessToken(refreshToken, grant);
  }

  issueCode(grant: Grant, redirectUri: string): string {
    const code = randomUUID();
    this.codes.set(code, {
      grant,
      redirectUri,
      expiresAtMs: this.nowMs() + AUTHORIZATION_CODE_TTL_MS,
    });
    return code;
  }

  checkClient(clientId: string | null, clientSecret: string | null): TokenOutcome<null> {
    if (clientId !== this.app.clientId)
      return { ok: false, status: "BAD_CLIENT_ID", message: "missing or unknown client id" };
    if (clientSecret !== this.app.clientSecret) {
      return {
        ok: false,
        status: "BAD_CLIENT_SECRET",
        message: "missing or invalid client secret",
      };
    }
    return { ok: true, value: null };
  }

  exchangeCode(
    code: string | null,
    redirectUri: string | null,
  ): TokenOutcome<{ pair: TokenPair; grant: Grant }> {
    const stored = code === null ? undefined : this.codes.get(code);
    if (code === null || stored === undefined) {
      return { ok: false, status: "BAD_AUTH_CODE", message: "missing or unknown auth code" };
    }
    this.codes.delete(code);
    if (stored.expiresAtMs <= this.nowMs())
      return { ok: false, status: "EXPIRED_AUTH_CODE", message: "auth code is expired" };
    if (redirectUri !== stored.redirectUri) {
      return {
        ok: false,
        status: "MISMATCH_REDIRECT_URI_AUTH_CODE",
        message: "redirect URI does not match initial auth code URI",
      };
    }
    return { ok: true, value: { pair: this.install(stored.grant), grant: stored.grant } };
  }

  /** A new access token for the same refresh token, which stays valid (no rotation). */
  refresh(refreshToken: string | null): TokenOutcome<{ pair: TokenPair; grant: Grant }> {
    const stored = refreshToken === null ? undefined : this.refreshTokens.get(refreshToken);
    if (refreshToken === null || stored === undefined || stored.revoked) {
      return {
        ok: false,
        status: "BAD_REFRESH_TOKEN",
        message: "missing or unknown refresh token",
      };
    }
    return {
      ok: true,
      value: { pair: this.issueAccessToken(refreshToken, stored.grant), grant: stored.grant },
    };
  }

  authenticate(token: string | null): Authentication {
    if (token === null || token === "") return { ok: false, reason: "missing" };
    const stored = this.accessTokens.get(token);
    if (stored === undefined) return { ok: false, reason: "invalid" };
    if (stored.revoked) return { ok: false, reason: "revoked" };
    const now = this.nowMs();
    if (stored.expiresAtMs <= now)
      return { ok: false, reason: "expired", expiredForMs: now - stored.expiresAtMs };
    return { ok: true, grant: stored.grant };
  }

  accessTokenInfo(token: string): { grant: Grant; expiresInSeconds: number } | Authentication {
    const authentication = this.authenticate(token);
    if (!authentication.ok) return authentication;
    const stored = this.accessTokens.get(token);
    const expiresInMs = (stored?.expiresAtMs ?? 0) - this.nowMs();
    return {
      grant: authentication.grant,
      expiresInSeconds: Math.max(0, Math.floor(expiresInMs / 1000)),
    };
  }

  refreshTokenGrant(token: string): Grant | undefined {
    const stored = this.refreshTokens.get(token);
    return stored === undefined || stored.revoked ? undefined : stored.grant;
  }

  /** Revokes a refresh token and the access tokens issued from it (the app loses access). */
  revokeRefreshToken(token: string): boolean {
    const stored = this.refreshTokens.get(token);
    if (stored === undefined || stored.revoked) return false;
    stored.revoked = true;
    for (const access of this.accessTokens.values()) {
      if (access.refreshToken === token) access.revoked = true;
    }
    return true;
  }

  /** Every access token of the portal stops working (the app was uninstalled). */
  revokePortal(portalId: number): void {
    for (const [token, stored] of this.refreshTokens) {
      if (stored.grant.portalId === portalId) this.revokeRefreshToken(token);
    }
  }

  /** Makes every live access token expired now; refresh tokens keep working. */
  expireAccessTokens(portalId?: number): number {
    const now = this.nowMs();
    let expired = 0;
    for (const token of this.accessTokens.values()) {
      if (token.revoked || token.expiresAtMs <= now) continue;
      if (portalId !== undefined && token.grant.portalId !== portalId) continue;
      token.expiresAtMs = now;
      expired += 1;
    }
    return expired;
  }

  private issueAccessToken(refreshToken: string, grant: Grant): TokenPair {
    const accessToken = newAccessToken();
    const expiresAtMs = this.nowMs() + ACCESS_TOKEN_TTL_SECONDS * 1000;
    this.accessTokens.set(accessToken, { grant, refreshToken, expiresAtMs, revoked: false });
    return {
      accessToken,
      refreshToken,
      expiresIn: ACCESS_TOKEN_TTL_SECONDS,
      expiresAt: new Date(expiresAtMs),
    };
  }
}
