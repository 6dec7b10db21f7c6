/**
 * From the record a card sits on to the accounting customer: a company is itself, a contact
 * or a deal goes through its (primary) company; the company goes through its link, made by
 * the matcher or confirmed by a rep.
 */
import type { z } from "zod";
import type { CrmObjectType, cardCompanySchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import { HubSpotError } from "../../hubspot/errors";
import type { CrmCompany } from "../../hubspot/mapping";
import type { AccountingProvider } from "../../providers/provider";
import type { Tenant } from "../../store";
import type { CardContext } from "./context";
import { type CardLocale, type MatchCandidate, matchCompany } from "./match";

export type CardCompany = z.infer<typeof cardCompanySchema>;

export type CustomerResolution =
  | { readonly kind: "no_company" }
  | {
      readonly kind: "linked";
      readonly company: CardCompany;
      readonly providerCustomerId: string;
    }
  | {
      readonly kind: "not_matched";
      readonly company: CardCompany;
      readonly candidates: MatchCandidate[];
    };

export interface CardRecord {
  readonly objectType: CrmObjectType;
  readonly objectId: string;
}

export async function resolveCustomer(
  backend: Pick<Backend, "repos" | "store" | "logger">,
  cards: CardContext,
  input: {
    readonly tenant: Tenant;
    readonly provider: AccountingProvider;
    readonly record: CardRecord;
    readonly locale: CardLocale;
  },
): Promise<CustomerResolution> {
  const { tenant, provider, record } = input;
  const portalId = tenant.tenantId;
  const companyId =
    record.objectType === "companies"
      ? record.objectId
      : await cards.crmLookups.companyOf(portalId, record.objectType, record.objectId);
  if (companyId === null) return { kind: "no_company" };

  const link = await backend.repos.customerLinks.byCompany(tenant.tenantId, companyId);
  if (link !== null && link.provider === provider.provider) {
    return {
      kind: "linked",
      company: await companyShownFor(cards, portalId, companyId),
      providerCustomerId: link.providerCustomerId,
    };
  }

  const company = await cards.crmLookups.company(portalId, companyId);
  const match = await matchCompany(backend, {
    tenantId: tenant.tenantId,
    provider,
    company,
    locale: input.locale,
  });
  return match.kind === "linked"
    ? {
        kind: "linked",
        company: cardCompanyOf(company),
        providerCustomerId: match.link.providerCustomerId,
      }
    : { kind: "not_matched", company: cardCompanyOf(company), candidates: match.candidates };
}

function cardCompanyOf(company: CrmCompany): CardCompany {
  return { id: company.id, name: company.name, domain: company.domain };
}

/**
 * The name and domain shown above a linked customer's invoices. They are a courtesy: when
 * HubSpot cannot answer, the invoices (our own data) are still served, without them.
 */
async function companyShownFor(
  cards: CardContext,
  portalId: string,
  companyId: string,
): Promise<CardCompany> {
  try {
    return cardCompanyOf(await cards.crmLookups.company(portalId, companyId));
  } catch (error) {
    if (error instanceof HubSpotError) return { id: companyId, name: null, domain: null };
    throw error;
  }
}
