/**
 * Telling a provider we are done with its tokens, when it has a way to hear it. Always
 * best effort: a disconnect or an uninstall must finish even when the provider is down or
 * already forgot the token, so failures are logged by code and swallowed.
 *
 * - Pennylane OAuth: `POST /oauth/revoke` (the pair goes with it). A company API token is
 *   managed in Pennylane by the user; there is nothing to call.
 * - Sage Active: `POST /connect/revocation` with the refresh token.
 * - HubSpot: `DELETE /oauth/v1/refresh-tokens/{token}` (after an uninstall HubSpot has
 *   usually revoked it already, which answers 404: fine).
 */
import ky from "ky";
import { DomainError } from "@encaisse/shared";
import type { Backend } from "../../backend";
import { revokePennylaneToken, revokeSageToken } from "../../providers";
import type { CredentialKind, CredentialSecret } from "../../store";
import { pennylaneOAuthApp, sageActiveApp } from "./provider-apps";

export type RevocationOutcome = "revoked" | "not_revocable" | "failed";

async function revokeHubSpotRefreshToken(backend: Backend, refreshToken: string): Promise<void> {
  const base = backend.config.HUBSPOT_API_URL.replace(/\/+$/, "");
  const response = await ky.delete(
    `${base}/oauth/v1/refresh-tokens/${encodeURIComponent(refreshToken)}`,
    { throwHttpErrors: false, retry: 0, timeout: 10_000 },
  );
  if (!response.ok && response.status !== 404) {
    throw new DomainError(
      response.status >= 500 ? "HUBSPOT_UNAVAILABLE" : "HUBSPOT_REJECTED",
      `HubSpot did not revoke the refresh token (HTTP ${response.status}).`,
    );
  }
}

async function revoke(
  backend: Backend,
  kind: CredentialKind,
  secret: CredentialSecret,
): Promise<RevocationOutcome> {
  if (secret.method !== "oauth") return "not_revocable";
  if (kind === "pennylane") {
    await revokePennylaneToken(pennylaneOAuthApp(backend), secret.tokens.refreshToken);
  } else if (kind === "sage_active") {
    await revokeSageToken(sageActiveApp(backend), secret.tokens.refreshToken);
  } else {
    await revokeHubSpotRefreshToken(backend, secret.tokens.refreshToken);
  }
  return "revoked";
}

/** Revokes a stored credential at its provider; never throws. */
export async function revokeBestEffort(
  backend: Backend,
  tenantId: string,
  kind: CredentialKind,
  secret: CredentialSecret,
): Promise<RevocationOutcome> {
  try {
    return await revoke(backend, kind, secret);
  } catch (error) {
    backend.logger.warn("credential revocation failed", {
      tenantId,
      kind,
      code: error instanceof DomainError ? error.code : "UNEXPECTED",
    });
    return "failed";
  }
}

/** The stored secret, or null when absent or unreadable (it is about to be deleted anyway). */
export async function loadForRevocation(
  backend: Backend,
  tenantId: string,
  kind: CredentialKind,
): Promise<CredentialSecret | null> {
  try {
    return await backend.repos.credentials.load(tenantId, kind);
  } catch (error) {
    backend.logger.warn("credential unreadable at removal", {
      tenantId,
      kind,
      code: error instanceof DomainError ? error.code : "UNEXPECTED",
    });
    return null;
  }
}
