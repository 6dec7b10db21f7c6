/**
 * Sage's OAuth server ("SBC Auth", §1.2) as a Hono app: `/connect/authorize` (approves at
 * once: there is no user to ask in a sandbox), `/connect/token` (authorization_code and
 * refresh_token grants, PKCE S256 for public clients) and `/connect/revocation`.
 *
 * Stricter than documented where the reference is silent, so a client that survives here
 * survives there: every refresh returns a new refresh token and the old one stops working
 * (rotation is undocumented; clients must persist any token returned); codes live 60 s and
 * work once; a `scope` sent on refresh is refused (the server reuses the original scopes).
 */
import { createHash, randomBytes } from "node:crypto";
import { Hono } from "hono";

export const ACCESS_TOKEN_LIFETIME_SECONDS = 28_800;
const CODE_LIFETIME_MS = 60_000;
const REFRESH_TOKEN_LIFETIME_MS = 30 * 86_400_000;
const KNOWN_SCOPES = new Set(["RDSA", "WDSA", "offline_access", "openid", "profile", "email"]);

export interface OAuthApp {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Allowed redirect URIs; empty accepts any (sandbox). */
  readonly redirectUris: readonly string[];
}

export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: "Bearer";
  readonly expires_in: number;
  readonly refresh_token?: string;
  readonly scope: string;
}

interface Grant {
  readonly id: number;
  readonly scopes: readonly string[];
  readonly publicClient: boolean;
  revoked: boolean;
}

interface AccessTokenRecord {
  readonly grant: Grant;
  expiresAt: number;
  revoked: boolean;
}

interface RefreshTokenRecord {
  readonly grant: Grant;
  readonly expiresAt: number;
  active: boolean;
}

interface CodeRecord {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly expiresAt: number;
  readonly codeChallenge: string | null;
  used: boolean;
}

export type AccessCheck =
  { readonly valid: true; readonly scopes: ReadonlySet<string> } | { readonly valid: false };

export interface AuthStats {
  tokensIssued: number;
  refreshes: number;
  revocations: number;
  refusedGrants: number;
}

const token = (bytes = 48) => randomBytes(bytes).toString("base64url");

function oauthError(error: string, description: string, status = 400): Response {
  return Response.json(
    { error, error_description: description },
    { status, headers: { "cache-control": "no-store", pragma: "no-cache" } },
  );
}

function s256(verifier: string): string {
  return createHash("sha256").update(verifier).digest("base64url");
}

export class SageAuthServer {
  readonly stats: AuthStats = { tokensIssued: 0, refreshes: 0, revocations: 0, refusedGrants: 0 };
  private readonly codes = new Map<string, CodeRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private grantCount = 0;
  readonly app: Hono;

  constructor(
    private readonly registration: OAuthApp,
    private readonly clock: () => Date,
  ) {
    this.app = new Hono()
      .get("/connect/authorize", (c) => this.authorize(c.req.raw))
      .post("/connect/token", (c) => this.token(c.req.raw))
      .post("/connect/revocation", (c) => this.revoke(c.req.raw))
      .all("*", () => Response.json({ error: "not_found" }, { status: 404 }));
  }

  /** Tokens for a consented grant, without the browser round trip (tests, sandbox). */
  issue(
    scopes: readonly string[] = ["RDSA", "WDSA", "offline_access"],
    publicClient = false,
  ): TokenResponse {
    this.grantCount += 1;
    return this.tokensFor({ id: this.grantCount, scopes, publicClient, revoked: false });
  }

  verify(accessToken: string): AccessCheck {
    const record = this.accessTokens.get(accessToken);
    if (
      !record ||
      record.revoked ||
      record.grant.revoked ||
      record.expiresAt <= this.clock().getTime()
    ) {
      return { valid: false };
    }
    return { valid: true, scopes: new Set(record.grant.scopes) };
  }

  /** Makes every access token issued so far expired, as 8 hours passing would. */
  expireAccessTokens(): void {
    for (const record of this.accessTokens.values()) record.expiresAt = 0;
  }

  private tokensFor(grant: Grant): TokenResponse {
    const now = this.clock().getTime();
    const accessToken = token();
    this.accessTokens.set(accessToken, {
      grant,
      expiresAt: now + ACCESS_TOKEN_LIFETIME_SECONDS * 1000,
      revoked: false,
    });
    this.stats.tokensIssued += 1;
    const base = {
      access_token: accessToken,
      token_type: "Bearer" as const,
      expires_in: ACCESS_TOKEN_LIFETIME_SECONDS,
      scope: grant.scopes.join(" "),
    };
    if (!grant.scopes.includes("offline_access")) return base;
    const refreshToken = token();
    this.refreshTokens.set(refreshToken, {
      grant,
      expiresAt: now + REFRESH_TOKEN_LIFETIME_MS,
      active: true,
    });
    return { ...base, refresh_token: refreshToken };
  }

  private authorize(request: Request): Response {
    const url = new URL(request.url);
    const query = url.searchParams;
    if (query.get("client_id") !== this.registration.clientId)
      return oauthError("invalid_client", "Unknown client_id.");
    const redirectUri = query.get("redirect_uri");
    if (
      !redirectUri ||
      (this.registration.redirectUris.length > 0 &&
        !this.registration.redirectUris.includes(redirectUri))
    ) {
      return oauthError(
        "invalid_request",
        "redirect_uri is missing or not registered for this client.",
      );
    }
    const back = new URL(redirectUri);
    const state = query.get("state");
    if (state !== null) back.searchParams.set("state", state);
    const refuse = (error: string, description: string) => {
      back.searchParams.set("error", error);
      back.searchParams.set("error_description", description);
      return Response.redirect(back.toString(), 302);
    };
    if (query.get("response_type") !== "code")
      return refuse("invalid_request", "response_type must be code.");
    const scopes = (query.get("scope") ?? "").split(" ").filter((scope) => scope !== "");
    if (scopes.length === 0 || scopes.some((scope) => !KNOWN_SCOPES.has(scope))) {
      return refuse("invalid_scope", "Request RDSA, WDSA and/or offline_access.");
    }
    const challenge = query.get("code_challenge");
    if (challenge !== null && query.get("code_challenge_method") !== "S256") {
      return refuse("invalid_request", "code_challenge_method must be S256.");
    }
    const code = token(32);
    this.codes.set(code, {
      clientId: this.registration.clientId,
      redirectUri,
      scopes,
      expiresAt: this.clock().getTime() + CODE_LIFETIME_MS,
      codeChallenge: challenge,
      used: false,
    });
    back.searchParams.set("code", code);
    back.searchParams.set("scope", scopes.join(" "));
    back.searchParams.set("iss", url.origin);
    return Response.redirect(back.toString(), 302);
  }

  /** client_secret_basic or client_secret_post; null when the client sent no secret. */
  private clientOf(
    request: Request,
    form: URLSearchParams,
  ): { clientId: string | null; secret: string | null } {
    const header = request.headers.get("authorization");
    if (header?.toLowerCase().startsWith("basic ")) {
      const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
      const separator = decoded.indexOf(":");
      return {
        clientId: decodeURIComponent(decoded.slice(0, separator)),
        secret: decodeURIComponent(decoded.slice(separator + 1)),
      };
    }
    return { clientId: form.get("client_id"), secret: form.get("client_secret") };
  }

  private async formOf(request: Request): Promise<URLSearchParams | null> {
    if (!(request.headers.get("content-type") ?? "").includes("application/x-www-form-urlencoded"))
      return null;
    return new URLSearchParams(await request.text());
  }

  private async token(request: Request): Promise<Response> {
    const form = await this.formOf(request);
    if (!form)
      return oauthError(
        "invalid_request",
        "Send the parameters as application/x-www-form-urlencoded.",
      );
    const client = this.clientOf(request, form);
    if (client.clientId !== this.registration.clientId)
      return oauthError("invalid_client", "Unknown client.");
    if (client.secret !== null && client.secret !== this.registration.clientSecret) {
      return oauthError("invalid_client", "Invalid client secret.");
    }
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") return this.exchangeCode(form, client.secret !== null);
    if (grantType === "refresh_token") return this.refresh(form, client.secret !== null);
    return oauthError(
      "unsupported_grant_type",
      `grant_type ${grantType ?? "(missing)"} is not supported.`,
    );
  }

  private exchangeCode(form: URLSearchParams, authenticated: boolean): Response {
    const code = form.get("code") ?? "";
    const record = this.codes.get(code);
    const now = this.clock().getTime();
    if (!record || record.used || record.expiresAt <= now) {
      this.stats.refusedGrants += 1;
      return oauthError(
        "invalid_grant",
        "The authorization code is invalid, expired or already used.",
      );
    }
    record.used = true;
    if (form.get("redirect_uri") !== record.redirectUri) {
      this.stats.refusedGrants += 1;
      return oauthError("invalid_grant", "redirect_uri does not match the authorization request.");
    }
    const verifier = form.get("code_verifier");
    if (
      record.codeChallenge !== null &&
      (verifier === null || s256(verifier) !== record.codeChallenge)
    ) {
      this.stats.refusedGrants += 1;
      return oauthError("invalid_grant", "code_verifier does not match the code_challenge.");
    }
    const publicClient = record.codeChallenge !== null && !authenticated;
    if (!authenticated && !publicClient)
      return oauthError("invalid_client", "client_secret is required.");
    this.grantCount += 1;
    return Response.json(
      this.tokensFor({ id: this.grantCount, scopes: record.scopes, publicClient, revoked: false }),
      {
        headers: { "cache-control": "no-store", pragma: "no-cache" },
      },
    );
  }

  private refresh(form: URLSearchParams, authenticated: boolean): Response {
    if (form.has("scope")) {
      return oauthError(
        "invalid_scope",
        "Do not send scope when refreshing: the original scopes are reused.",
      );
    }
    const presented = form.get("refresh_token") ?? "";
    const record = this.refreshTokens.get(presented);
    if (
      !record ||
      !record.active ||
      record.grant.revoked ||
      record.expiresAt <= this.clock().getTime()
    ) {
      this.stats.refusedGrants += 1;
      return oauthError(
        "invalid_grant",
        "The refresh token is invalid, expired, revoked or already used.",
      );
    }
    if (!authenticated && !record.grant.publicClient)
      return oauthError("invalid_client", "client_secret is required.");
    record.active = false;
    this.stats.refreshes += 1;
    return Response.json(this.tokensFor(record.grant), {
      headers: { "cache-control": "no-store", pragma: "no-cache" },
    });
  }

  private async revoke(request: Request): Promise<Response> {
    const form = await this.formOf(request);
    if (!form)
      return oauthError(
        "invalid_request",
        "Send the parameters as application/x-www-form-urlencoded.",
      );
    const client = this.clientOf(request, form);
    if (client.clientId !== this.registration.clientId)
      return oauthError("invalid_client", "Unknown client.");
    if (client.secret !== null && client.secret !== this.registration.clientSecret) {
      return oauthError("invalid_client", "Invalid client secret.");
    }
    const presented = form.get("token") ?? "";
    const refresh = this.refreshTokens.get(presented);
    if (refresh) {
      refresh.grant.revoked = true;
      this.stats.revocations += 1;
    }
    const access = this.accessTokens.get(presented);
    if (access) {
      access.revoked = true;
      this.stats.revocations += 1;
    }
    // RFC 7009: unknown tokens are not an error.
    return new Response(null, { status: 200 });
  }
}
