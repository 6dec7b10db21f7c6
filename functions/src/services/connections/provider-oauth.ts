/**
 * The end of a Pennylane or Sage Active OAuth connection: trade the callback's code for
 * tokens, learn which company they open, and record the connection. Tokens stay in memory
 * until that company is known, so a failed callback stores nothing.
 */
import { DomainError } from "@encaisse/shared";
import type { Backend } from "../../backend";
import { MemoryTokenStore, OAuthSession, type OAuthTokens } from "../../net/oauth-session";
import {
  PennylaneProvider,
  createPennylaneLimiter,
  exchangePennylaneCode,
  exchangeSageCode,
  isUsableOrganization,
  listSageOrganizations,
  pennylaneOAuthAuth,
  pennylaneTokenRefresher,
} from "../../providers";
import type { Tenant } from "../../store";
import type { VerifiedOAuthState } from "./oauth-state";
import { pennylaneOAuthApp, redirectUriOf, sageActiveApp } from "./provider-apps";
import { revokeBestEffort } from "./revoke";
import { type EstablishedConnection, saveConnection } from "./save-connection";

export interface CompletedProviderOAuth {
  readonly tenant: Tenant;
  readonly connection: EstablishedConnection;
  /** Sage Active: the other usable organizations of that user (the first one was chosen). */
  readonly otherOrganizations: readonly string[];
}

async function tenantOf(backend: Backend, state: VerifiedOAuthState): Promise<Tenant> {
  if (state.portalId === null) {
    throw new DomainError(
      "OAUTH_STATE_INVALID",
      "This sign-in link is not valid; start the connection again from HubSpot.",
      { reason: "no_portal" },
    );
  }
  return backend.tenant(state.portalId);
}

export async function completePennylaneOAuth(
  backend: Backend,
  state: VerifiedOAuthState,
  code: string,
): Promise<CompletedProviderOAuth> {
  const tenant = await tenantOf(backend, state);
  const app = pennylaneOAuthApp(backend);
  const tokens = new MemoryTokenStore(await exchangePennylaneCode(app, code));
  const session = new OAuthSession(tokens, pennylaneTokenRefresher(app), { clock: backend.clock });
  const identity = await new PennylaneProvider({
    connectionId: `${tenant.tenantId}:pennylane:connecting`,
    baseUrl: backend.config.PENNYLANE_API_URL,
    auth: pennylaneOAuthAuth(session),
    limiter: createPennylaneLimiter(backend.clock),
    clock: backend.clock,
  }).probe();
  const connection: EstablishedConnection = {
    provider: "pennylane",
    secret: { method: "oauth", tokens: await latest(tokens) },
    accountId: identity.companyId,
    companyName: identity.companyName,
  };
  await saveConnection(backend, tenant, connection, state.userId);
  return { tenant, connection, otherOrganizations: [] };
}

/**
 * A Sage user may see several organizations; the first usable one is connected and the
 * page names the others (choosing among them is a later screen).
 */
export async function completeSageActiveOAuth(
  backend: Backend,
  state: VerifiedOAuthState,
  code: string,
): Promise<CompletedProviderOAuth> {
  const tenant = await tenantOf(backend, state);
  const app = sageActiveApp(backend);
  const issued = await exchangeSageCode(
    app,
    { code, redirectUri: redirectUriOf(backend, "sage_active") },
    { clock: backend.clock },
  );
  const tokens = new MemoryTokenStore(issued);
  const organizations = await listSageOrganizations({ app, tokens, clock: backend.clock });
  const usable = organizations.filter(isUsableOrganization);
  const [chosen, ...others] = usable;
  if (!chosen) {
    await revokeBestEffort(backend, tenant.tenantId, "sage_active", {
      method: "oauth",
      tokens: await latest(tokens),
    });
    throw new DomainError(
      "SAGE_NO_USABLE_ORGANIZATION",
      "This Sage Active user has no organization ready for use (subscription or onboarding incomplete); finish the setup in Sage Active, or sign in with another user.",
      { organizationsSeen: organizations.length },
    );
  }
  const connection: EstablishedConnection = {
    provider: "sage_active",
    secret: { method: "oauth", tokens: await latest(tokens) },
    accountId: chosen.id,
    companyName: chosen.socialName ?? chosen.id,
  };
  await saveConnection(backend, tenant, connection, state.userId);
  return {
    tenant,
    connection,
    otherOrganizations: others.map((organization) => organization.socialName ?? organization.id),
  };
}

/** The pair to keep: a refresh during the probe replaced the one the exchange gave. */
async function latest(store: MemoryTokenStore): Promise<OAuthTokens> {
  const tokens = await store.load();
  if (!tokens) throw new Error("The in-memory token store lost its tokens.");
  return tokens;
}
