/**
 * OAuth 2.0 authorization code flow, as Pennylane's (a Doorkeeper server) answers it:
 * `GET /oauth/authorize` approves at once (the sandbox has no user to ask) and redirects with
 * `code` and `state`; `POST /oauth/token` (also at `/oauth/oauth/token`, the spec's
 * securitySchemes URL) exchanges a code or a refresh token; `POST /oauth/revoke` revokes.
 * Errors are `{ error, error_description }` (RFC 6749 §5.2).
 */
import { randomBytes } from "node:crypto";
import type { Context, Hono } from "hono";
import type { TokenPair, TokenStore } from "./tokens";

export interface OAuthClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Allowed redirect URIs; empty accepts any (handy for the sandbox). */
  readonly redirectUris?: readonly string[];
}

interface AuthorizationCode {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly expiresAtMs: number;
  used: boolean;
}

const CODE_TTL_MS = 10 * 60 * 1000;
const SCOPE = /^[a-z_]+(:[a-z_]+)?$/;

const DESCRIPTIONS = {
  invalid_request: "The request is missing a required parameter or is otherwise malformed.",
  invalid_client:
    "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
  invalid_grant:
    "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
  unsupported_grant_type:
    "The authorization grant type is not supported by the authorization server.",
  invalid_scope: "The requested scope is invalid, unknown, or malformed.",
  unsupported_response_type: "The authorization server does not support this response type.",
} as const;
type OAuthErrorCode = keyof typeof DESCRIPTIONS;

function oauthError(
  code: OAuthErrorCode,
  status = code === "invalid_client" ? 401 : 400,
): Response {
  return Response.json(
    { error: code, error_description: DESCRIPTIONS[code] },
    { status, headers: { "cache-control": "no-store" } },
  );
}

function tokenResponse(pair: TokenPair): Response {
  return Response.json(
    {
      access_token: pair.accessToken,
      token_type: "Bearer",
      expires_in: pair.expiresIn,
      refresh_token: pair.refreshToken,
      scope: pair.scopes.join(" "),
      created_at: Math.floor(pair.createdAtMs / 1000),
    },
    { headers: { "cache-control": "no-store", pragma: "no-cache" } },
  );
}

async function formOf(request: Request): Promise<URLSearchParams> {
  const text = await request.text();
  if ((request.headers.get("content-type") ?? "").includes("application/json")) {
    try {
      const parsed = JSON.parse(text) as Record<string, unknown>;
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === "string") form.set(key, value);
      }
      return form;
    } catch {
      return new URLSearchParams();
    }
  }
  return new URLSearchParams(text);
}

export class OAuthServer {
  private readonly clients = new Map<string, OAuthClient>();
  private readonly codes = new Map<string, AuthorizationCode>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly nowMs: () => number,
  ) {}

  registerClient(client: OAuthClient): void {
    this.clients.set(client.clientId, client);
  }

  mount(app: Hono): void {
    app.get("/oauth/authorize", (c) => this.authorize(c));
    app.post("/oauth/token", (c) => this.token(c.req.raw));
    app.post("/oauth/oauth/token", (c) => this.token(c.req.raw));
    app.post("/oauth/revoke", (c) => this.revoke(c.req.raw));
  }

  private authorize(c: Context): Response {
    const url = new URL(c.req.url);
    const clientId = url.searchParams.get("client_id") ?? "";
    const redirectUri = url.searchParams.get("redirect_uri") ?? "";
    const client = this.clients.get(clientId);
    // Without a trustworthy redirect URI there is nowhere safe to send the error: answer it here.
    if (client === undefined) return oauthError("invalid_client");
    if (redirectUri === "" || !this.redirectAllowed(client, redirectUri))
      return oauthError("invalid_request");
    const back = new URL(redirectUri);
    const state = url.searchParams.get("state");
    if (state !== null) back.searchParams.set("state", state);
    const scopes = (url.searchParams.get("scope") ?? "")
      .split(/[\s+]+/)
      .filter((scope) => scope !== "");
    if (url.searchParams.get("response_type") !== "code") {
      back.searchParams.set("error", "unsupported_response_type");
    } else if (scopes.length === 0 || !scopes.every((scope) => SCOPE.test(scope))) {
      back.searchParams.set("error", "invalid_scope");
    } else {
      const code = randomBytes(24).toString("base64url");
      this.codes.set(code, {
        clientId,
        redirectUri,
        scopes,
        expiresAtMs: this.nowMs() + CODE_TTL_MS,
        used: false,
      });
      back.searchParams.set("code", code);
    }
    return c.redirect(back.toString(), 302);
  }

  private redirectAllowed(client: OAuthClient, redirectUri: string): boolean {
    if (!URL.canParse(redirectUri)) return false;
    return (
      client.redirectUris === undefined ||
      client.redirectUris.length === 0 ||
      client.redirectUris.includes(redirectUri)
    );
  }

  private authenticateClient(request: Request, form: URLSearchParams): OAuthClient | null {
    let clientId = form.get("client_id");
    let clientSecret = form.get("client_secret");
    const authorization = request.headers.get("authorization") ?? "";
    if (authorization.startsWith("Basic ")) {
      const decoded = Buffer.from(authorization.slice(6), "base64").toString("utf8");
      const separator = decoded.indexOf(":");
      clientId = decodeURIComponent(decoded.slice(0, separator));
      clientSecret = decodeURIComponent(decoded.slice(separator + 1));
    }
    const client = clientId === null ? undefined : this.clients.get(clientId);
    return client !== undefined && client.clientSecret === clientSecret ? client : null;
  }

  private async token(request: Request): Promise<Response> {
    const form = await formOf(request);
    const client = this.authenticateClient(request, form);
    if (client === null) return oauthError("invalid_client");
    switch (form.get("grant_type")) {
      case "authorization_code": {
        const codeValue = form.get("code");
        if (codeValue === null) return oauthError("invalid_request");
        const code = this.codes.get(codeValue);
        if (
          code === undefined ||
          code.used ||
          code.clientId !== client.clientId ||
          code.expiresAtMs <= this.nowMs() ||
          code.redirectUri !== form.get("redirect_uri")
        ) {
          return oauthError("invalid_grant");
        }
        code.used = true;
        return tokenResponse(this.tokens.issuePair(client.clientId, code.scopes));
      }
      case "refresh_token": {
        const refreshToken = form.get("refresh_token");
        if (refreshToken === null) return oauthError("invalid_request");
        const rotation = this.tokens.rotate(refreshToken, client.clientId);
        return rotation.ok ? tokenResponse(rotation.pair) : oauthError("invalid_grant");
      }
      case null:
        return oauthError("invalid_request");
      default:
        return oauthError("unsupported_grant_type");
    }
  }

  private async revoke(request: Request): Promise<Response> {
    const form = await formOf(request);
    if (this.authenticateClient(request, form) === null) return oauthError("invalid_client");
    const token = form.get("token");
    if (token === null) return oauthError("invalid_request");
    this.tokens.revoke(token);
    return Response.json({});
  }
}
