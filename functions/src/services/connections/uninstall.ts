/**
 * Removing a tenant after HubSpot reports the app uninstalled (an `APP_UNINSTALL` event of
 * the Webhooks Journal API, read by the sync job): revoke what can be revoked, then delete
 * the credentials and personal data (`TenantRepository.uninstall` says what stays).
 */
import type { Backend } from "../../backend";
import { CREDENTIAL_KINDS } from "../../store/schema";
import type { CredentialKind } from "../../store";
import { loadForRevocation, type RevocationOutcome, revokeBestEffort } from "./revoke";

export interface UninstallOutcome {
  /** False when the portal was unknown or already uninstalled: nothing was done. */
  readonly uninstalled: boolean;
  readonly revocations: Partial<Record<CredentialKind, RevocationOutcome>>;
}

export async function uninstallTenant(
  backend: Backend,
  portalId: string,
): Promise<UninstallOutcome> {
  const tenant = await backend.repos.tenants.get(portalId);
  if (!tenant || tenant.uninstalledAt) return { uninstalled: false, revocations: {} };
  const revocations: Partial<Record<CredentialKind, RevocationOutcome>> = {};
  for (const kind of CREDENTIAL_KINDS) {
    const secret = await loadForRevocation(backend, portalId, kind);
    if (secret) revocations[kind] = await revokeBestEffort(backend, portalId, kind, secret);
  }
  await backend.repos.tenants.uninstall(portalId);
  await backend.repos.audit.append(portalId, {
    actor: null,
    action: "tenant.uninstalled",
    objectType: "tenant",
    objectId: portalId,
    details: { revocations },
  });
  backend.logger.info("tenant uninstalled", { tenantId: portalId });
  return { uninstalled: true, revocations };
}
