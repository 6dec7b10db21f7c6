/**
 * Who the connection acts as (reference §1.4): the user (`userProfile`), the organizations
 * that user sees (`organizations`: an id is usable only when `status = READY` and
 * `onboardingCompleted`; otherwise Sage answers the empty GUID), and the organization's
 * own details (`organizationDetail`, a connection).
 */
import { DomainError } from "@encaisse/shared";
import type { TokenStore } from "../../net/oauth-session";
import type { ProviderIdentity } from "../provider";
import type { SageGraphql } from "./graphql";
import { sirenAndSiretOf } from "./mapping";
import { collectPages } from "./pagination";
import { ORGANIZATIONS, USER_PROFILE } from "./queries";
import type { SageReferenceData } from "./reference-data";
import { organizationsDataSchema, type SageOrganization, userProfileDataSchema } from "./schemas";

export const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

export function isUsableOrganization(organization: SageOrganization): boolean {
  return (
    organization.status === "READY" &&
    organization.onboardingCompleted === true &&
    organization.id !== EMPTY_GUID
  );
}

/** Every organization the connected user sees, usable or not. */
export async function listOrganizations(graphql: SageGraphql): Promise<SageOrganization[]> {
  return collectPages(
    async (after) =>
      (await graphql.run(ORGANIZATIONS, { first: 100, after }, organizationsDataSchema))
        .organizations,
  );
}

export async function probeOrganization(
  graphql: SageGraphql,
  referenceData: SageReferenceData,
  tokens: TokenStore,
): Promise<ProviderIdentity> {
  const organizationId = graphql.organizationId;
  if (organizationId === null) {
    throw new DomainError(
      "SAGE_ORGANIZATION_NOT_SELECTED",
      "Choose the Sage Active organization of this connection first.",
    );
  }
  const [profile, organizations] = await Promise.all([
    graphql.run(USER_PROFILE, {}, userProfileDataSchema),
    listOrganizations(graphql),
  ]);
  const organization = organizations.find(
    (candidate) => candidate.id.toLowerCase() === organizationId.toLowerCase(),
  );
  if (!organization) {
    throw new DomainError(
      "SAGE_ORGANIZATION_NOT_FOUND",
      "The connected Sage Active user cannot open this organization (it may not be ready yet); reconnect with the right user or choose another organization.",
      { organizationId, visible: organizations.filter(isUsableOrganization).length },
    );
  }
  if (!isUsableOrganization(organization)) {
    throw new DomainError(
      "SAGE_ORGANIZATION_NOT_READY",
      "This Sage Active organization is not ready for use (subscription or onboarding incomplete).",
      {
        organizationId,
        status: organization.status,
        onboardingCompleted: organization.onboardingCompleted,
      },
    );
  }
  const detail = await referenceData.organizationDetail();
  const scope = (await tokens.load())?.scope ?? null;
  return {
    provider: "sage_active",
    companyId: organizationId,
    companyName: detail.socialName ?? organization.socialName ?? "",
    companySiren: sirenAndSiretOf(detail.documentId).siren,
    userEmail: profile.userProfile.authenticationEmail,
    scopes: scope === null ? [] : scope.split(" ").filter(Boolean),
  };
}
