/**
 * `GET /v1/extension/search`: the HubSpot companies a typed name, SIREN/SIRET or invoice
 * number points at. Exact hits from our own data come first (an invoice number or a SIREN
 * of a customer linked to a company), then HubSpot's own company search.
 */
import { normalizeIdentifier, sirenOfSiret } from "@encaisse/shared";
import type { z } from "zod";
import type { extensionSearchResponseSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { ExtensionCaller } from "../../http/extension-auth";
import type { CardContext } from "../cards/context";
import { searchCompaniesOrNone } from "./locate-customer";

type SearchResponse = z.infer<typeof extensionSearchResponseSchema>;
type SearchResult = SearchResponse["results"][number];

const MAX_RESULTS = 10;

export async function extensionSearch(
  backend: Backend,
  cards: CardContext,
  caller: ExtensionCaller,
  query: string,
): Promise<SearchResponse> {
  const portalId = caller.tenant.tenantId;
  const [ours, fromHubSpot] = await Promise.all([
    companiesFromReadModel(backend, caller, query),
    searchCompaniesOrNone(backend.crm(portalId), query, MAX_RESULTS),
  ]);
  const results = new Map<string, SearchResult>();
  for (const companyId of ours) {
    const company = await cards.crmLookups.company(portalId, companyId);
    results.set(companyId, {
      companyId,
      name: company.name,
      domain: company.domain,
      siren: company.siren ?? (company.siret === null ? null : sirenOfSiret(company.siret)),
    });
  }
  for (const company of fromHubSpot) {
    if (!results.has(company.id)) {
      results.set(company.id, {
        companyId: company.id,
        name: company.name,
        domain: company.domain,
        siren: company.siren,
      });
    }
  }
  return { results: [...results.values()].slice(0, MAX_RESULTS) };
}

/** Companies linked to the customers the query names exactly: by SIREN/SIRET or invoice number. */
async function companiesFromReadModel(
  backend: Backend,
  caller: ExtensionCaller,
  query: string,
): Promise<string[]> {
  const { tenant } = caller;
  const provider = tenant.activeProvider;
  if (provider === null) return [];
  const { readModel, customerLinks } = backend.repos;
  const identifier = normalizeIdentifier(query);
  let customerIds: string[];
  if (/^\d{9}$|^\d{14}$/.test(identifier)) {
    const customers = await readModel.findCustomers(tenant.tenantId, provider, {
      siren: identifier.slice(0, 9),
      ...(identifier.length === 14 ? { siret: identifier } : {}),
    });
    customerIds = customers.map((customer) => customer.providerId);
  } else {
    const invoice = await readModel.findInvoiceByNumber(tenant.tenantId, provider, query.trim());
    customerIds = invoice === null ? [] : [invoice.customerId];
  }
  const companyIds: string[] = [];
  for (const customerId of customerIds.slice(0, MAX_RESULTS)) {
    const link = await customerLinks.byCustomer(tenant.tenantId, provider, customerId);
    if (link !== null && !companyIds.includes(link.companyId)) companyIds.push(link.companyId);
  }
  return companyIds;
}
