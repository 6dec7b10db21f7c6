/**
 * Sage "SBC Auth" (OAuth 2.0 authorization code, confidential web-server app), one host for
 * every market. Refreshes send no `scope` (the server reuses the original ones), and any
 * refresh token returned is persisted: rotation is not documented, so we assume it.
 * https://developer.sage.com/sageactive/concepts/authentication-webserver
 */
import ky from "ky";
import { DomainError } from "@encaisse/shared";
import type { Clock } from "../../net/clock";
import {
  type OAuthSession,
  type OAuthTokens,
  type RefreshTokens,
  requestTokens,
} from "../../net/oauth-session";
import type { ProviderAuth } from "../http";
import type { SageActiveAppConfig } from "./config";

/** Read and write Sage Active data, and a refresh token (reference §1.2). */
export const SAGE_ACTIVE_SCOPES = ["RDSA", "WDSA", "offline_access"] as const;

const PROVIDER_NAME = "Sage Active";

type AuthSettings = Pick<SageActiveAppConfig, "authUrl" | "clientId" | "clientSecret">;

interface TransportOptions {
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

function endpoint(authUrl: string, path: string): string {
  return `${authUrl.replace(/\/+$/, "")}/connect/${path}`;
}

/** Where to send the browser to connect a Sage Active account. */
export function sageAuthorizeUrl(options: {
  readonly authUrl: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly loginHint?: string;
}): string {
  const url = new URL(endpoint(options.authUrl, "authorize"));
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", options.clientId);
  url.searchParams.set("redirect_uri", options.redirectUri);
  url.searchParams.set("scope", SAGE_ACTIVE_SCOPES.join(" "));
  url.searchParams.set("state", options.state);
  if (options.loginHint) url.searchParams.set("login_hint", options.loginHint);
  return url.toString();
}

/** Trades the callback's one-time code (valid 60 s) for the first token pair. */
export function exchangeSageCode(
  settings: AuthSettings,
  grant: { readonly code: string; readonly redirectUri: string },
  options: TransportOptions = {},
): Promise<OAuthTokens> {
  return requestTokens(
    endpoint(settings.authUrl, "token"),
    {
      grant_type: "authorization_code",
      code: grant.code,
      redirect_uri: grant.redirectUri,
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
    },
    { ...options, providerName: PROVIDER_NAME },
  );
}

/** The refresh call an `OAuthSession` makes; keeps the old refresh token if none is returned. */
export function sageTokenRefresher(
  settings: AuthSettings,
  options: TransportOptions = {},
): RefreshTokens {
  return (refreshToken) =>
    requestTokens(
      endpoint(settings.authUrl, "token"),
      {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
      },
      { ...options, previousRefreshToken: refreshToken, providerName: PROVIDER_NAME },
    );
}

/** Revokes a refresh token when a connection is removed. */
export async function revokeSageToken(
  settings: AuthSettings,
  refreshToken: string,
  options: Pick<TransportOptions, "fetch"> = {},
): Promise<void> {
  let response: Response;
  try {
    response = await ky.post(endpoint(settings.authUrl, "revocation"), {
      body: new URLSearchParams({
        token: refreshToken,
        token_type_hint: "refresh_token",
        client_id: settings.clientId,
        client_secret: settings.clientSecret,
      }),
      throwHttpErrors: false,
      retry: 0,
      timeout: 15_000,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  } catch (error) {
    throw new DomainError("PROVIDER_UNAVAILABLE", "Sage Active sign-in could not be reached.", {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  // RFC 7009: an unknown or already revoked token is still a 200.
  if (!response.ok) {
    throw new DomainError(
      response.status >= 500 ? "PROVIDER_UNAVAILABLE" : "PROVIDER_AUTH_FAILED",
      `Sage Active refused to revoke the connection (HTTP ${response.status}).`,
      { httpStatus: response.status },
    );
  }
}

/** Bearer token and subscription key on every request; one refresh and replay on a 401. */
export class SageActiveAuth implements ProviderAuth {
  constructor(
    private readonly session: OAuthSession,
    private readonly apiKey: string,
  ) {}

  async headers(): Promise<Record<string, string>> {
    return {
      authorization: `Bearer ${await this.session.accessToken()}`,
      "x-api-key": this.apiKey,
    };
  }

  async onUnauthorized(rejectedHeaders: Record<string, string>): Promise<boolean> {
    const rejected = (rejectedHeaders["authorization"] ?? "").replace(/^Bearer\s+/i, "");
    return this.session.refreshAfterRejection(rejected);
  }
}
