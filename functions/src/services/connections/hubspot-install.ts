/**
 * The end of the HubSpot install: trade the code for the portal's tokens, create (or
 * reactivate) the tenant, keep the tokens encrypted, and create the Encaisse properties.
 * The properties are best effort: the install stands without them, and the sync creates
 * whatever is missing before it writes.
 */
import { DomainError } from "@encaisse/shared";
import type { Backend } from "../../backend";
import type { Tenant } from "../../store";

export interface CompletedHubSpotInstall {
  readonly tenant: Tenant;
  readonly propertiesReady: boolean;
  /** Why the properties could not be created, when they could not. */
  readonly propertiesErrorCode: string | null;
}

export async function completeHubSpotInstall(
  backend: Backend,
  code: string,
): Promise<CompletedHubSpotInstall> {
  const install = await backend.hubspotOAuth.exchangeCode(code);
  const tenant = await backend.repos.tenants.install(install.portalId);
  await backend.repos.credentials.save(install.portalId, "hubspot", {
    method: "oauth",
    tokens: install.tokens,
  });
  let propertiesErrorCode: string | null = null;
  let propertiesCreated = 0;
  try {
    const report = await backend.crm(install.portalId).ensureEncaisseProperties();
    propertiesCreated = report.createdProperties.length;
  } catch (error) {
    propertiesErrorCode = error instanceof DomainError ? error.code : "UNEXPECTED";
    backend.logger.warn("hubspot properties not created at install", {
      tenantId: install.portalId,
      code: propertiesErrorCode,
    });
  }
  await backend.repos.audit.append(install.portalId, {
    actor: install.installedByUserId,
    action: "app.installed",
    objectType: "tenant",
    objectId: install.portalId,
    details: {
      grantedScopes: install.scopes,
      propertiesCreated,
      propertiesErrorCode,
    },
  });
  return { tenant, propertiesReady: propertiesErrorCode === null, propertiesErrorCode };
}
