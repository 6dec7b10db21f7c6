/**
 * How a Pennylane connection authenticates: a company API token (one company, sandbox), or
 * OAuth 2.0 for marketplace installs — https://pennylane.readme.io/docs/oauth-20-walkthrough
 *
 * OAuth refresh tokens rotate (using one revokes the old pair), so refreshes go through
 * `OAuthSession`: one at a time per connection, the new pair saved before it is used.
 * The token endpoint is `/oauth/token` as the guides say (the spec's securitySchemes reads
 * `/oauth/oauth/token`); it is a setting in case Pennylane settles on the other.
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
import { DEFAULT_PENNYLANE_URL } from "./api";

/** What Encaisse needs: customers and invoices read/write, products and templates read. */
export const PENNYLANE_SCOPES: readonly string[] = [
  "customers:all",
  "customer_invoices:all",
  "products:readonly",
  "customer_invoice_templates:readonly",
  "transactions:readonly",
];

export interface PennylaneOAuthConfig {
  /** Default https://app.pennylane.com. */
  readonly baseUrl?: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string;
  /** Default `/oauth/token`. */
  readonly tokenPath?: string;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

const PROVIDER_NAME = "Pennylane";

const originOf = (config: { baseUrl?: string }) =>
  (config.baseUrl ?? DEFAULT_PENNYLANE_URL).replace(/\/+$/, "");
const tokenUrlOf = (config: PennylaneOAuthConfig) =>
  `${originOf(config)}${config.tokenPath ?? "/oauth/token"}`;

/** Where to send the user to grant access; `state` ties the callback to their session. */
export function pennylaneAuthorizeUrl(
  config: PennylaneOAuthConfig,
  options: { readonly state: string; readonly scopes?: readonly string[] },
): string {
  const url = new URL(`${originOf(config)}/oauth/authorize`);
  url.searchParams.set("client_id", config.clientId);
  url.searchParams.set("redirect_uri", config.redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", (options.scopes ?? PENNYLANE_SCOPES).join(" "));
  url.searchParams.set("state", options.state);
  return url.toString();
}

function tokenOptions(config: PennylaneOAuthConfig) {
  return {
    providerName: PROVIDER_NAME,
    ...(config.clock ? { clock: config.clock } : {}),
    ...(config.fetch ? { fetch: config.fetch } : {}),
  };
}

/** The OAuth callback: trades the one-time code for the first token pair. */
export function exchangePennylaneCode(
  config: PennylaneOAuthConfig,
  code: string,
): Promise<OAuthTokens> {
  return requestTokens(
    tokenUrlOf(config),
    {
      grant_type: "authorization_code",
      code,
      client_id: config.clientId,
      client_secret: config.clientSecret,
      redirect_uri: config.redirectUri,
    },
    tokenOptions(config),
  );
}

/**
 * Spends a refresh token for a new pair. Pennylane always rotates, so an answer without a new
 * refresh token is unreadable rather than a reason to keep the spent one.
 */
export function pennylaneTokenRefresher(config: PennylaneOAuthConfig): RefreshTokens {
  return (refreshToken) =>
    requestTokens(
      tokenUrlOf(config),
      {
        grant_type: "refresh_token",
        refresh_token: refreshToken,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      },
      tokenOptions(config),
    );
}

/** Disconnect: revokes the token and its pair (RFC 7009: unknown tokens are not an error). */
export async function revokePennylaneToken(
  config: PennylaneOAuthConfig,
  token: string,
): Promise<void> {
  let response: Response;
  try {
    response = await ky.post(`${originOf(config)}/oauth/revoke`, {
      body: new URLSearchParams({
        token,
        client_id: config.clientId,
        client_secret: config.clientSecret,
      }),
      headers: { accept: "application/json" },
      throwHttpErrors: false,
      retry: 0,
      timeout: 15_000,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
  } catch (error) {
    throw new DomainError("PROVIDER_UNAVAILABLE", "Pennylane sign-in could not be reached.", {
      cause: error instanceof Error ? error.message : String(error),
    });
  }
  if (!response.ok) {
    throw new DomainError(
      response.status >= 500 ? "PROVIDER_UNAVAILABLE" : "PROVIDER_AUTH_FAILED",
      `Pennylane did not revoke the connection (HTTP ${response.status}).`,
      { httpStatus: response.status },
    );
  }
}

/** A company API token: nothing to refresh, a 401 means it was revoked. */
export function pennylaneApiTokenAuth(token: string): ProviderAuth {
  return { headers: async () => ({ authorization: `Bearer ${token}` }) };
}

/** OAuth: a fresh access token per request; on a 401, refresh once (or adopt a newer one) and replay. */
export function pennylaneOAuthAuth(session: OAuthSession): ProviderAuth {
  return {
    headers: async () => ({ authorization: `Bearer ${await session.accessToken()}` }),
    onUnauthorized: async (rejected) => {
      const token = /^Bearer (.+)$/.exec(rejected["authorization"] ?? "")?.[1];
      return token === undefined ? false : session.refreshAfterRejection(token);
    },
  };
}
