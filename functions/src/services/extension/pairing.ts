/**
 * Pairing the browser extension with a HubSpot user: the settings page (signed by HubSpot)
 * asks for a one-time code, the user types it in the extension, which trades it for its own
 * token. The settings page lists the tenant's paired extensions and revokes them.
 */
import { DomainError } from "@encaisse/shared";
import type { z } from "zod";
import type {
  extensionTokensResponseSchema,
  pairResponseSchema,
  pairingCodeResponseSchema,
} from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { HubSpotCaller } from "../../http/hubspot-auth";

type PairingCodeResponse = z.infer<typeof pairingCodeResponseSchema>;
type PairResponse = z.infer<typeof pairResponseSchema>;
type ExtensionTokensResponse = z.infer<typeof extensionTokensResponseSchema>;

/** Long enough to switch windows and type 8 characters, short enough to be worthless later. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;

function signedUserOf(caller: HubSpotCaller): string {
  if (caller.userId === null || !/^\d{1,20}$/.test(caller.userId)) {
    throw new DomainError(
      "FORBIDDEN",
      "Only a signed-in HubSpot user can pair an extension; open the settings from HubSpot.",
    );
  }
  return caller.userId;
}

export async function createPairingCode(
  backend: Pick<Backend, "repos" | "tenant">,
  caller: HubSpotCaller,
): Promise<PairingCodeResponse> {
  const hubspotUserId = signedUserOf(caller);
  const tenant = await backend.tenant(caller.portalId);
  const { code, expiresAt } = await backend.repos.extensionTokens.createPairingCode(
    { tenantId: tenant.tenantId, hubspotUserId, userEmail: caller.userEmail },
    PAIRING_CODE_TTL_MS,
  );
  return { code, expiresAt: expiresAt.toISOString() };
}

export async function pairExtension(
  backend: Pick<Backend, "repos" | "tenant" | "logger">,
  code: string,
): Promise<PairResponse> {
  const paired = await backend.repos.extensionTokens.pair(code);
  if (paired === null) {
    throw new DomainError(
      "PAIRING_CODE_INVALID",
      "This pairing code is wrong, expired or already used; generate a new one in the Encaisse settings in HubSpot.",
    );
  }
  const { user, token } = paired;
  await backend.repos.audit.append(user.tenantId, {
    actor: user.hubspotUserId,
    action: "extension.paired",
    objectType: "hubspot_user",
    objectId: user.hubspotUserId,
  });
  backend.logger.info("extension paired", { tenantId: user.tenantId });
  return { token, portalId: user.tenantId, userEmail: user.userEmail };
}

export async function listExtensionTokens(
  backend: Pick<Backend, "repos" | "tenant">,
  caller: HubSpotCaller,
): Promise<ExtensionTokensResponse> {
  const tenant = await backend.tenant(caller.portalId);
  const tokens = await backend.repos.extensionTokens.list(tenant.tenantId);
  return {
    tokens: tokens.map((token) => ({
      id: token.id,
      userEmail: token.userEmail,
      createdAt: token.createdAt.toISOString(),
      lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    })),
  };
}

/** Any user of the account may revoke any of its extensions (a lost laptop is everyone's problem). */
export async function revokeExtensionToken(
  backend: Pick<Backend, "repos" | "tenant">,
  caller: HubSpotCaller,
  tokenId: string,
): Promise<ExtensionTokensResponse> {
  const tenant = await backend.tenant(caller.portalId);
  const revoked = await backend.repos.extensionTokens.revoke(tenant.tenantId, tokenId);
  if (!revoked) {
    throw new DomainError("NOT_FOUND", "This extension is not paired with this account anymore.", {
      tokenId,
    });
  }
  await backend.repos.audit.append(tenant.tenantId, {
    actor: caller.userId,
    action: "extension.revoked",
    objectType: "extension_token",
    objectId: tokenId,
  });
  return listExtensionTokens(backend, caller);
}
