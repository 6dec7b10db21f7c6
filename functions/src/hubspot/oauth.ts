/**
 * Installing the app on a HubSpot account and keeping its tokens alive: the authorize URL,
 * the code exchange, refreshes, and one `OAuthSession` per portal. Access tokens last 30
 * minutes; we refresh 5 minutes ahead so a token never expires mid-request.
 * https://developers.hubspot.com/docs/api/oauth-quickstart-guide
 */
import ky from "ky";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import type { Config } from "../config";
import { type Clock, systemClock } from "../net/clock";
import {
  OAuthSession,
  type OAuthTokens,
  type TokenStore,
  requestTokens,
} from "../net/oauth-session";

/** Refresh this long before expiry: requests in flight and clock drift need the margin. */
export const HUBSPOT_TOKEN_SKEW_MS = 5 * 60 * 1000;

/** The scopes the CRM client uses, and only those (marketplace review checks). */
export const HUBSPOT_REQUIRED_SCOPES = [
  "oauth",
  "crm.objects.companies.read",
  "crm.objects.companies.write",
  "crm.objects.contacts.read",
  // Tasks and notes are created under the contacts write scope.
  "crm.objects.contacts.write",
  "crm.objects.deals.read",
  "crm.objects.deals.write",
  "crm.objects.line_items.read",
  "crm.objects.products.read",
  "crm.objects.owners.read",
  // Listing then creating the Encaisse properties (ensureEncaisseProperties).
  "crm.schemas.companies.read",
  "crm.schemas.companies.write",
  "crm.schemas.deals.read",
  "crm.schemas.deals.write",
] as const;

export interface HubSpotOAuthOptions {
  readonly clientId: string;
  readonly clientSecret: string;
  /** `HUBSPOT_API_URL`: the token endpoint lives there. */
  readonly apiUrl: string;
  /** `HUBSPOT_APP_URL`: the consent screen lives there. */
  readonly appUrl: string;
  /** Our callback, exactly as registered in the app's `redirectUrls`. */
  readonly redirectUri: string;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
}

export interface HubSpotInstall {
  readonly portalId: string;
  readonly tokens: OAuthTokens;
  /** The scopes the account granted (required plus any optional ones accepted). */
  readonly scopes: readonly string[];
  /** The HubSpot user who installed the app (an id, not personal data). */
  readonly installedByUserId: string | null;
}

const accessTokenInfoSchema = z.object({
  hub_id: z.coerce.number().int().positive(),
  scopes: z.array(z.string()).default([]),
  user_id: z.coerce.number().int().nullish(),
});

/**
 * The OAuth errors of `requestTokens` and `OAuthSession`, in HubSpot's words. A refused code
 * means the install must start over; a refused refresh token, that the app was uninstalled.
 */
function asHubSpotError(error: unknown, during: "install" | "session"): unknown {
  if (!(error instanceof DomainError)) return error;
  switch (error.code) {
    case "PROVIDER_NOT_CONNECTED":
    case "PROVIDER_AUTH_FAILED":
      return new DomainError(
        "HUBSPOT_AUTH_FAILED",
        during === "install"
          ? "HubSpot refused this install link (used twice or too old); start the install again."
          : "HubSpot no longer accepts Encaisse's access to this account; reinstall the app from the HubSpot marketplace.",
        error.details,
      );
    case "PROVIDER_UNAVAILABLE":
      return new DomainError(
        "HUBSPOT_UNAVAILABLE",
        "HubSpot sign-in could not be reached.",
        error.details,
      );
    case "PROVIDER_RESPONSE_INVALID":
      return new DomainError(
        "HUBSPOT_RESPONSE_INVALID",
        "HubSpot returned an unreadable token answer.",
        error.details,
      );
    default:
      return error;
  }
}

export class HubSpotOAuth {
  private readonly sessions = new Map<string, OAuthSession>();
  private readonly clock: Clock;

  constructor(private readonly options: HubSpotOAuthOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** From the validated environment; `redirectUri` is our OAuth callback route. */
  static fromConfig(
    config: Config,
    redirectUri: string,
    extra: { clock?: Clock; fetch?: typeof fetch } = {},
  ): HubSpotOAuth {
    if (!config.HUBSPOT_CLIENT_ID || !config.HUBSPOT_CLIENT_SECRET) {
      throw new DomainError(
        "CONFIG_INVALID",
        "Set HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET to install the HubSpot app.",
      );
    }
    return new HubSpotOAuth({
      clientId: config.HUBSPOT_CLIENT_ID,
      clientSecret: config.HUBSPOT_CLIENT_SECRET,
      apiUrl: config.HUBSPOT_API_URL,
      appUrl: config.HUBSPOT_APP_URL,
      redirectUri,
      ...extra,
    });
  }

  private get tokenUrl(): string {
    return `${this.options.apiUrl.replace(/\/+$/, "")}/oauth/v1/token`;
  }

  /**
   * Where to send the installing admin. `state` must be unguessable and checked on return
   * (it ties the callback to the session that started the install).
   */
  installUrl(input: {
    state: string;
    scopes?: readonly string[];
    optionalScopes?: readonly string[];
  }): string {
    const url = new URL("/oauth/authorize", this.options.appUrl);
    const params: Array<[string, string]> = [
      ["client_id", this.options.clientId],
      ["scope", (input.scopes ?? HUBSPOT_REQUIRED_SCOPES).join(" ")],
    ];
    if (input.optionalScopes && input.optionalScopes.length > 0) {
      params.push(["optional_scope", input.optionalScopes.join(" ")]);
    }
    params.push(["redirect_uri", this.options.redirectUri], ["state", input.state]);
    // Spaces as %20, not "+": HubSpot documents the scope list that way.
    url.search = params.map(([key, value]) => `${key}=${encodeURIComponent(value)}`).join("&");
    return url.toString();
  }

  /** Trades the `code` of the callback for tokens, and learns which account installed us. */
  async exchangeCode(code: string): Promise<HubSpotInstall> {
    const tokens = await this.tokenRequest(
      {
        grant_type: "authorization_code",
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        redirect_uri: this.options.redirectUri,
        code,
      },
      "install",
    );
    const info = await this.accessTokenInfo(tokens.accessToken);
    return {
      portalId: String(info.hub_id),
      tokens: { ...tokens, scope: info.scopes.join(" ") || tokens.scope },
      scopes: info.scopes,
      installedByUserId:
        info.user_id === null || info.user_id === undefined ? null : String(info.user_id),
    };
  }

  /** HubSpot refresh tokens do not rotate: the same one comes back (or none, and we keep it). */
  refresh(refreshToken: string): Promise<OAuthTokens> {
    return this.tokenRequest(
      {
        grant_type: "refresh_token",
        client_id: this.options.clientId,
        client_secret: this.options.clientSecret,
        redirect_uri: this.options.redirectUri,
        refresh_token: refreshToken,
      },
      "session",
      refreshToken,
    );
  }

  /**
   * The portal's session, created once per process so that concurrent callers share one
   * refresh; the store given the first time is the one kept.
   */
  session(portalId: string, store: TokenStore): OAuthSession {
    let session = this.sessions.get(portalId);
    if (!session) {
      session = new OAuthSession(store, (refreshToken) => this.refresh(refreshToken), {
        skewMs: HUBSPOT_TOKEN_SKEW_MS,
        clock: this.clock,
      });
      this.sessions.set(portalId, session);
    }
    return session;
  }

  /** The `accessToken` / `onUnauthorized` pair `HubSpotCrm` takes. */
  crmAuth(
    portalId: string,
    store: TokenStore,
  ): {
    accessToken: () => Promise<string>;
    onUnauthorized: (rejectedAccessToken: string) => Promise<void>;
  } {
    const session = this.session(portalId, store);
    return {
      accessToken: () =>
        session.accessToken().catch((error: unknown) => {
          throw asHubSpotError(error, "session");
        }),
      onUnauthorized: async (rejectedAccessToken) => {
        await session.refreshAfterRejection(rejectedAccessToken).catch((error: unknown) => {
          throw asHubSpotError(error, "session");
        });
      },
    };
  }

  private async tokenRequest(
    form: Record<string, string>,
    during: "install" | "session",
    previousRefreshToken?: string,
  ): Promise<OAuthTokens> {
    try {
      return await requestTokens(this.tokenUrl, form, {
        providerName: "HubSpot",
        clock: this.clock,
        ...(previousRefreshToken ? { previousRefreshToken } : {}),
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
    } catch (error) {
      throw asHubSpotError(error, during);
    }
  }

  /** GET /oauth/v1/access-tokens/{token}: the portal id and granted scopes of a token. */
  private async accessTokenInfo(
    accessToken: string,
  ): Promise<z.infer<typeof accessTokenInfoSchema>> {
    const url = `${this.options.apiUrl.replace(/\/+$/, "")}/oauth/v1/access-tokens/${encodeURIComponent(accessToken)}`;
    let response: Response;
    try {
      response = await ky.get(url, {
        headers: { accept: "application/json" },
        throwHttpErrors: false,
        retry: 0,
        timeout: 15_000,
        ...(this.options.fetch ? { fetch: this.options.fetch } : {}),
      });
    } catch {
      throw new DomainError("HUBSPOT_UNAVAILABLE", "HubSpot sign-in could not be reached.");
    }
    if (response.status >= 500) {
      throw new DomainError(
        "HUBSPOT_UNAVAILABLE",
        `HubSpot sign-in is having trouble (HTTP ${response.status}).`,
      );
    }
    if (!response.ok) {
      throw new DomainError(
        "HUBSPOT_AUTH_FAILED",
        "HubSpot did not recognise the token it just issued; start the install again.",
        { httpStatus: response.status },
      );
    }
    const info = accessTokenInfoSchema.safeParse(await response.json().catch(() => null));
    if (!info.success) {
      throw new DomainError(
        "HUBSPOT_RESPONSE_INVALID",
        "HubSpot returned an unreadable token description.",
      );
    }
    return info.data;
  }
}
