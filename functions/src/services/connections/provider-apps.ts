/**
 * Our OAuth apps at Pennylane and Sage Active, from the configuration, and where their
 * consent screens send the user back. A provider whose app is not configured can still be
 * connected another way (Pennylane: a company API token), so its absence is a clear 409,
 * not a crash.
 */
import { DomainError, type Provider } from "@encaisse/shared";
import { type Backend, OAUTH_CALLBACK_PATHS } from "../../backend";
import {
  type PennylaneOAuthConfig,
  pennylaneAuthorizeUrl,
  type SageActiveAppConfig,
  sageAuthorizeUrl,
} from "../../providers";

export function redirectUriOf(backend: Backend, provider: Provider): string {
  return `${backend.config.publicBaseUrl}${OAUTH_CALLBACK_PATHS[provider]}`;
}

export function pennylaneOAuthApp(backend: Backend): PennylaneOAuthConfig {
  const { config } = backend;
  if (!config.PENNYLANE_CLIENT_ID || !config.PENNYLANE_CLIENT_SECRET) {
    throw new DomainError(
      "PROVIDER_OAUTH_NOT_CONFIGURED",
      "Pennylane sign-in is not set up on this server; connect with a Pennylane company API token instead.",
      { provider: "pennylane" },
    );
  }
  return {
    baseUrl: config.PENNYLANE_API_URL,
    clientId: config.PENNYLANE_CLIENT_ID,
    clientSecret: config.PENNYLANE_CLIENT_SECRET,
    redirectUri: redirectUriOf(backend, "pennylane"),
    clock: backend.clock,
  };
}

export function sageActiveApp(backend: Backend): SageActiveAppConfig {
  const { config } = backend;
  if (
    !config.SAGE_ACTIVE_CLIENT_ID ||
    !config.SAGE_ACTIVE_CLIENT_SECRET ||
    !config.SAGE_ACTIVE_API_KEY
  ) {
    throw new DomainError(
      "PROVIDER_OAUTH_NOT_CONFIGURED",
      "Sage Active sign-in is not set up on this server (SAGE_ACTIVE_CLIENT_ID, SAGE_ACTIVE_CLIENT_SECRET and SAGE_ACTIVE_API_KEY).",
      { provider: "sage_active" },
    );
  }
  return {
    apiUrl: config.SAGE_ACTIVE_API_URL,
    authUrl: config.SAGE_ACTIVE_AUTH_URL,
    clientId: config.SAGE_ACTIVE_CLIENT_ID,
    clientSecret: config.SAGE_ACTIVE_CLIENT_SECRET,
    apiKey: config.SAGE_ACTIVE_API_KEY,
  };
}

/** The provider's consent screen, carrying our signed `state`. */
export function providerAuthorizeUrl(backend: Backend, provider: Provider, state: string): string {
  if (provider === "pennylane") return pennylaneAuthorizeUrl(pennylaneOAuthApp(backend), { state });
  const app = sageActiveApp(backend);
  return sageAuthorizeUrl({
    authUrl: app.authUrl,
    clientId: app.clientId,
    redirectUri: redirectUriOf(backend, "sage_active"),
    state,
  });
}
