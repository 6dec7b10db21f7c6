/**
 * OAuth v1 as HubSpot serves it: the authorize page (`/oauth/authorize`, on app.hubspot.com;
 * the sandbox approves at once and redirects back with `code` and `state`), the token endpoint
 * (form-encoded `authorization_code` and `refresh_token` grants), and token metadata
 * (`/oauth/v1/access-tokens/{token}`, `/oauth/v1/refresh-tokens/{token}`, whose DELETE
 * revokes the refresh token). Errors carry HubSpot's OAuth `status` codes (BAD_AUTH_CODE,
 * BAD_REFRESH_TOKEN, ...) in the spec's `Error` shape.
 */
import type { Context, Hono } from "hono";
import { errorResponse, json, noContent } from "./api";
import { HubSpotHttpError, expiredToken } from "./errors";
import type { HubSpotStats } from "./stats";
import type { Grant, TokenPair, TokenStore } from "./tokens";

export interface OAuthRuntime {
  readonly tokens: TokenStore;
  readonly stats: HubSpotStats;
  /** Installs the app for the authorizing user: the portal asked for, or the sandbox one. */
  authorize(portalId: number | null, scopes: readonly string[]): Grant;
}

const oauthError = (status: string, message: string, httpStatus = 400) =>
  new HubSpotHttpError(httpStatus, "VALIDATION_ERROR", message, { status });

const scopesOf = (value: string | null) =>
  (value ?? "").split(/[\s+]+/).filter((scope) => scope !== "");

function tokenResponse(pair: TokenPair, grant: Grant) {
  return {
    token_type: "bearer",
    refresh_token: pair.refreshToken,
    access_token: pair.accessToken,
    expires_in: pair.expiresIn,
    hub_id: grant.portalId,
    user_id: grant.user.userId,
    scopes: [...grant.scopes],
    token_use: "access_token",
  };
}

async function formOf(request: Request): Promise<URLSearchParams> {
  const form = new URLSearchParams(await request.text());
  // The spec also accepts client_secret and refresh_token in the query string.
  for (const [name, value] of new URL(request.url).searchParams)
    if (!form.has(name)) form.set(name, value);
  return form;
}

function authorize(c: Context, runtime: OAuthRuntime): Response {
  const query = new URL(c.req.url).searchParams;
  const { app } = runtime.tokens;
  if (query.get("client_id") !== app.clientId)
    throw oauthError("BAD_CLIENT_ID", "missing or unknown client id");
  const redirectUri = query.get("redirect_uri");
  if (
    redirectUri === null ||
    (app.redirectUrls !== null && !app.redirectUrls.includes(redirectUri))
  ) {
    throw oauthError(
      "BAD_REDIRECT_URI",
      "redirect_uri is missing or not one of the app's redirect URLs",
    );
  }
  const scopes = [
    ...new Set([...scopesOf(query.get("scope")), ...scopesOf(query.get("optional_scope"))]),
  ];
  const portalParameter = query.get("portal_id");
  const grant = runtime.authorize(
    portalParameter !== null && /^\d+$/.test(portalParameter) ? Number(portalParameter) : null,
    scopes,
  );
  const target = new URL(redirectUri);
  target.searchParams.set("code", runtime.tokens.issueCode(grant, redirectUri));
  const state = query.get("state");
  if (state !== null) target.searchParams.set("state", state);
  return new Response(null, { status: 302, headers: { Location: target.toString() } });
}

async function token(c: Context, runtime: OAuthRuntime): Promise<Response> {
  const form = await formOf(c.req.raw);
  const grantType = form.get("grant_type");
  if (grantType !== "authorization_code" && grantType !== "refresh_token") {
    throw oauthError("BAD_GRANT_TYPE", "grant_type must be authorization_code or refresh_token");
  }
  const client = runtime.tokens.checkClient(form.get("client_id"), form.get("client_secret"));
  if (!client.ok) throw oauthError(client.status, client.message);
  const outcome =
    grantType === "authorization_code"
      ? runtime.tokens.exchangeCode(form.get("code"), form.get("redirect_uri"))
      : runtime.tokens.refresh(form.get("refresh_token"));
  if (!outcome.ok) throw oauthError(outcome.status, outcome.message);
  return json(tokenResponse(outcome.value.pair, outcome.value.grant));
}

function accessTokenInfo(c: Context, runtime: OAuthRuntime): Response {
  const tokenValue = c.req.param("token") ?? "";
  const info = runtime.tokens.accessTokenInfo(tokenValue);
  if ("ok" in info) {
    if (!info.ok && info.reason === "expired") throw expiredToken(info.expiredForMs);
    throw new HubSpotHttpError(404, "OBJECT_NOT_FOUND", "Token not found.");
  }
  return json({
    token: tokenValue,
    user: info.grant.user.email,
    hub_domain: info.grant.hubDomain,
    scopes: [...info.grant.scopes],
    hub_id: info.grant.portalId,
    app_id: info.grant.appId,
    expires_in: info.expiresInSeconds,
    user_id: info.grant.user.userId,
    token_type: "access",
    is_private_distribution: false,
  });
}

function refreshTokenInfo(c: Context, runtime: OAuthRuntime): Response {
  const tokenValue = c.req.param("token") ?? "";
  const grant = runtime.tokens.refreshTokenGrant(tokenValue);
  if (grant === undefined)
    throw new HubSpotHttpError(404, "OBJECT_NOT_FOUND", "Refresh token not found.");
  return json({
    token: tokenValue,
    user: grant.user.email,
    hub_domain: grant.hubDomain,
    scopes: [...grant.scopes],
    hub_id: grant.portalId,
    client_id: runtime.tokens.app.clientId,
    user_id: grant.user.userId,
    token_type: "refresh",
  });
}

function revokeRefreshToken(c: Context, runtime: OAuthRuntime): Response {
  if (!runtime.tokens.revokeRefreshToken(c.req.param("token") ?? "")) {
    throw new HubSpotHttpError(404, "OBJECT_NOT_FOUND", "Refresh token not found.");
  }
  return noContent();
}

export function registerOAuthRoutes(app: Hono, runtime: OAuthRuntime): void {
  const route =
    (
      endpoint: string,
      handler: (c: Context, runtime: OAuthRuntime) => Response | Promise<Response>,
    ) =>
    async (c: Context) => {
      runtime.stats.countRequest(endpoint);
      let response: Response;
      try {
        response = await handler(c, runtime);
      } catch (error) {
        if (!(error instanceof HubSpotHttpError)) throw error;
        response = errorResponse(error);
      }
      runtime.stats.countStatus(response.status);
      return response;
    };
  app.get("/oauth/authorize", route("GET /oauth/authorize", authorize));
  app.post("/oauth/v1/token", route("POST /oauth/v1/token", token));
  app.get(
    "/oauth/v1/access-tokens/:token",
    route("GET /oauth/v1/access-tokens/{token}", accessTokenInfo),
  );
  app.get(
    "/oauth/v1/refresh-tokens/:token",
    route("GET /oauth/v1/refresh-tokens/{token}", refreshTokenInfo),
  );
  app.delete(
    "/oauth/v1/refresh-tokens/:token",
    route("DELETE /oauth/v1/refresh-tokens/{token}", revokeRefreshToken),
  );
}
