/**
 * From what the accounting page shows (a customer id, an invoice id or number, a SIREN) to the
 * tenant's accounting customer, then to its HubSpot company. The read model answers first; the
 * provider only for what it does not hold yet. The company comes from the customer's link, or
 * failing it from HubSpot companies with the same SIREN, confirmed by the card's matcher (which
 * links the one certain match, exactly as a card view would).
 */
import {
  type CalendarDate,
  type Customer,
  DomainError,
  type Invoice,
  sirenOfSiret,
} from "@encaisse/shared";
import type { Backend } from "../../backend";
import type { HubSpotCrm } from "../../hubspot/crm";
import { HubSpotError } from "../../hubspot/errors";
import type { CompanySearchResult } from "../../hubspot/mapping";
import type { AccountingProvider } from "../../providers/provider";
import type { Tenant } from "../../store";
import type { CardContext } from "../cards/context";
import { type CardLocale, type MatchCandidate, matchCompany } from "../cards/match";

export interface PageReference {
  readonly customerId?: string | undefined;
  readonly invoiceId?: string | undefined;
  readonly invoiceNumber?: string | undefined;
  readonly siren?: string | undefined;
}

export type LocatedCustomer =
  | { readonly kind: "not_found" }
  | { readonly kind: "found"; readonly customerId: string; readonly invoice: Invoice | null };

export type CompanyOfCustomer =
  | { readonly kind: "linked"; readonly companyId: string }
  | { readonly kind: "not_matched"; readonly candidates: MatchCandidate[] }
  | { readonly kind: "not_found" };

/** HubSpot companies sharing a SIREN worth asking the matcher about. */
const MAX_COMPANIES_TRIED = 3;

type Dependencies = Pick<Backend, "repos" | "store" | "logger" | "crm">;

function isNotFound(error: unknown): boolean {
  return error instanceof DomainError && error.code === "PROVIDER_NOT_FOUND";
}

async function orNullIfMissing<T>(lookup: () => Promise<T>): Promise<T | null> {
  try {
    return await lookup();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export async function locateCustomer(
  deps: Dependencies,
  input: {
    readonly tenant: Tenant;
    readonly provider: AccountingProvider;
    readonly page: PageReference;
    readonly today: CalendarDate;
  },
): Promise<LocatedCustomer> {
  const { tenant, provider, page, today } = input;
  const { readModel } = deps.repos;
  const name = provider.provider;

  let invoice: Invoice | null = null;
  if (page.invoiceId !== undefined) {
    const invoiceId = page.invoiceId;
    invoice =
      (await readModel.getInvoice(tenant.tenantId, name, invoiceId, today)) ??
      (await orNullIfMissing(() => provider.getInvoice(invoiceId)));
  } else if (page.invoiceNumber !== undefined) {
    invoice = await readModel.findInvoiceByNumber(tenant.tenantId, name, page.invoiceNumber, today);
  }
  if ((page.invoiceId ?? page.invoiceNumber) !== undefined && invoice === null) {
    return { kind: "not_found" };
  }

  const customerId = page.customerId ?? invoice?.customerId;
  if (customerId !== undefined) return { kind: "found", customerId, invoice };
  if (page.siren === undefined) return { kind: "not_found" };

  const customers = await customersWithSiren(deps, tenant, provider, page.siren);
  // Prefer the customer already linked to a company: that is the one the reps work with.
  for (const customer of customers) {
    const link = await deps.repos.customerLinks.byCustomer(
      tenant.tenantId,
      name,
      customer.providerId,
    );
    if (link !== null) return { kind: "found", customerId: customer.providerId, invoice: null };
  }
  const first = customers[0];
  return first === undefined
    ? { kind: "not_found" }
    : { kind: "found", customerId: first.providerId, invoice: null };
}

async function customersWithSiren(
  deps: Dependencies,
  tenant: Tenant,
  provider: AccountingProvider,
  sirenOrSiret: string,
): Promise<readonly Customer[]> {
  const siren = sirenOrSiret.length === 14 ? sirenOfSiret(sirenOrSiret) : sirenOrSiret;
  const stored = await deps.repos.readModel.findCustomers(tenant.tenantId, provider.provider, {
    siren,
    ...(sirenOrSiret.length === 14 ? { siret: sirenOrSiret } : {}),
  });
  if (stored.length > 0) return stored;
  return provider.findCustomers({ siren });
}

export async function companyOfCustomer(
  deps: Dependencies,
  cards: CardContext,
  input: {
    readonly tenant: Tenant;
    readonly provider: AccountingProvider;
    readonly customerId: string;
    readonly locale: CardLocale;
  },
): Promise<CompanyOfCustomer> {
  const { tenant, provider, customerId } = input;
  const portalId = tenant.tenantId;
  const link = await deps.repos.customerLinks.byCustomer(
    tenant.tenantId,
    provider.provider,
    customerId,
  );
  if (link !== null) return { kind: "linked", companyId: link.companyId };

  const customer =
    (await deps.repos.readModel.getCustomer(tenant.tenantId, provider.provider, customerId)) ??
    (await orNullIfMissing(() => provider.getCustomer(customerId)));
  if (customer === null) return { kind: "not_found" };
  const siren =
    customer.siren ??
    (customer.siret !== null && /^\d{14}$/.test(customer.siret)
      ? sirenOfSiret(customer.siret)
      : null);
  if (siren === null) return { kind: "not_matched", candidates: [] };

  const companies = await searchCompaniesOrNone(deps.crm(portalId), siren, MAX_COMPANIES_TRIED);
  const candidates = new Map<string, MatchCandidate>();
  for (const found of companies.slice(0, MAX_COMPANIES_TRIED)) {
    const company = await cards.crmLookups.company(portalId, found.id);
    const match = await matchCompany(deps, {
      tenantId: tenant.tenantId,
      provider,
      company,
      locale: input.locale,
    });
    if (match.kind === "linked" && match.link.providerCustomerId === customerId) {
      return { kind: "linked", companyId: company.id };
    }
    if (match.kind === "not_matched") {
      for (const candidate of match.candidates)
        candidates.set(candidate.providerCustomerId, candidate);
    }
  }
  return { kind: "not_matched", candidates: [...candidates.values()] };
}

/**
 * HubSpot's company search, with "nothing" for a portal that refuses the query: an account
 * without the SIREN property answers 400 to a filter on it, which only means no company has one.
 */
export async function searchCompaniesOrNone(
  crm: HubSpotCrm,
  query: string,
  limit: number,
): Promise<CompanySearchResult[]> {
  try {
    return await crm.searchCompanies(query, limit);
  } catch (error) {
    if (error instanceof HubSpotError && error.code === "HUBSPOT_REJECTED") return [];
    throw error;
  }
}
