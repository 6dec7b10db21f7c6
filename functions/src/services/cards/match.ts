/**
 * Finding the accounting customer of a HubSpot company that is not linked yet: ask the
 * provider for the customers sharing its SIREN, its VAT number or our reference for it,
 * rank them with `matchCustomer` (shared), link the one strong and unambiguous match on the
 * spot, and otherwise offer the candidates to the rep with the reason each is listed.
 * A bare name is never a reason: the company's name only orders equally strong candidates.
 */
import {
  type Customer,
  type CustomerMatch,
  explainMatch,
  matchCustomer,
  sirenOfSiret,
} from "@encaisse/shared";
import type { z } from "zod";
import type { matchCandidateSchema } from "@encaisse/shared/contracts";
import type { Logger } from "../../backend";
import type { CrmCompany } from "../../hubspot/mapping";
import type { AccountingProvider } from "../../providers/provider";
import type { CustomerLink, Repositories, Store } from "../../store";

export type MatchCandidate = z.infer<typeof matchCandidateSchema>;
export type CardLocale = "fr" | "en";

/** How many candidates the card lists at most. */
const MAX_CANDIDATES = 5;

/** The reference we give a customer created from a HubSpot company (and look it up by). */
export function externalReferenceForCompany(companyId: string): string {
  return `hubspot-company-${companyId}`;
}

/** The lock serialising every link decision about one provider customer. */
export function customerLinkLockKey(
  tenantId: string,
  provider: string,
  providerCustomerId: string,
): string {
  return `customer-link:${tenantId}:${provider}:${providerCustomerId}`;
}

export type CompanyMatch =
  | { readonly kind: "linked"; readonly link: CustomerLink }
  | { readonly kind: "not_matched"; readonly candidates: MatchCandidate[] };

export interface MatchDependencies {
  readonly repos: Repositories;
  readonly store: Pick<Store, "withAdvisoryLock">;
  readonly logger: Logger;
}

export async function matchCompany(
  deps: MatchDependencies,
  input: {
    readonly tenantId: string;
    readonly provider: AccountingProvider;
    readonly company: CrmCompany;
    readonly locale: CardLocale;
  },
): Promise<CompanyMatch> {
  const { company, provider } = input;
  const externalReference = externalReferenceForCompany(company.id);
  const found = await provider.findCustomers({
    siren: company.siren ?? siretSiren(company.siret),
    vatNumber: company.vatNumber,
    externalReference,
  });
  const matches = matchCustomer(
    {
      siren: company.siren,
      siret: company.siret,
      vatNumber: company.vatNumber,
      externalReference,
      domain: company.domain,
      name: company.name,
    },
    found,
  );
  const best = matches[0];
  if (best?.autoLink) {
    const link = await linkAutomatically(deps, input.tenantId, company.id, best);
    if (link !== null) return { kind: "linked", link };
  }
  return {
    kind: "not_matched",
    candidates: matches.slice(0, MAX_CANDIDATES).map((match) => toCandidate(match, input.locale)),
  };
}

/**
 * Links the company to its certain match, unless the customer already belongs to another
 * company (a rep decided so, or another record shares its identifiers): then it is only
 * offered. Returns the company's link, or null when it was not made. The sync links the
 * companies of a whole book through here too (`origin: "sync"`, kept in the audit log).
 */
export async function linkAutomatically(
  deps: MatchDependencies,
  tenantId: string,
  companyId: string,
  match: CustomerMatch,
  origin: "card" | "sync" = "card",
): Promise<CustomerLink | null> {
  const { customer } = match;
  return deps.store.withAdvisoryLock(
    customerLinkLockKey(tenantId, customer.provider, customer.providerId),
    async () => {
      const holder = await deps.repos.customerLinks.byCustomer(
        tenantId,
        customer.provider,
        customer.providerId,
      );
      if (holder !== null) return holder.companyId === companyId ? holder : null;
      const current = await deps.repos.customerLinks.byCompany(tenantId, companyId);
      // Linked by someone else while we were matching: their decision stands.
      if (current !== null && current.provider === customer.provider) return current;
      await deps.repos.readModel.upsertCustomers(tenantId, [customer]);
      const link = await deps.repos.customerLinks.link(tenantId, {
        companyId,
        provider: customer.provider,
        providerCustomerId: customer.providerId,
        matchedBy: match.reason,
        confidence: match.confidence,
        linkedBy: null,
      });
      await deps.repos.audit.append(tenantId, {
        actor: null,
        action: "customer.linked",
        objectType: "company",
        objectId: companyId,
        details: {
          provider: customer.provider,
          providerCustomerId: customer.providerId,
          matchedBy: match.reason,
          confidence: match.confidence,
          automatic: true,
          ...(origin === "sync" ? { origin } : {}),
        },
      });
      deps.logger.info("customer linked automatically", { matchedBy: match.reason });
      return link;
    },
  );
}

function siretSiren(siret: string | null): string | null {
  return siret !== null && /^\d{14}$/.test(siret) ? sirenOfSiret(siret) : null;
}

function sirenOf(customer: Customer): string | null {
  return customer.siren ?? siretSiren(customer.siret);
}

function toCandidate(match: CustomerMatch, locale: CardLocale): MatchCandidate {
  return {
    providerCustomerId: match.customer.providerId,
    name: match.customer.name,
    siren: sirenOf(match.customer),
    vatNumber: match.customer.vatNumber,
    confidence: match.confidence,
    reason: match.reason,
    explanation: explainMatch(match, locale),
  };
}
