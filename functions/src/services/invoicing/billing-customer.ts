/**
 * Who the invoice is billed to in the accounting software: the customer linked to the
 * deal's company; else the one the matcher finds and links on its own (identifiers, never
 * a bare name, see services/cards/match.ts); else a new customer made from the HubSpot
 * company, under our reference `hubspot-company-<id>` so that a retried create finds it.
 * When several customers could be the company, the rep decides on the card.
 */
import { type Customer, DomainError } from "@encaisse/shared";
import type { Backend } from "../../backend";
import { type CrmCompany, billingAddressOf } from "../../hubspot/mapping";
import { PROVIDER_NAMES } from "../../providers/errors";
import type { AccountingProvider } from "../../providers/provider";
import type { Tenant } from "../../store";
import { customerLinkLockKey, externalReferenceForCompany, matchCompany } from "../cards/match";
import { invoiceRefused } from "./draft";

export type BillingCustomerPlan =
  { readonly kind: "existing"; readonly customer: Customer } | { readonly kind: "to_create" };

type CustomerBackend = Pick<Backend, "repos" | "store" | "logger">;

interface CustomerContext {
  readonly tenant: Tenant;
  readonly provider: AccountingProvider;
  readonly company: CrmCompany;
}

/** Finds the customer (linking a certain match), or says it is to be created. */
export async function findBillingCustomer(
  backend: CustomerBackend,
  context: CustomerContext,
): Promise<BillingCustomerPlan> {
  const { tenant, provider, company } = context;
  const link = await backend.repos.customerLinks.byCompany(tenant.tenantId, company.id);
  if (link !== null && link.provider === provider.provider) {
    return {
      kind: "existing",
      customer: await knownCustomer(backend, context, link.providerCustomerId),
    };
  }
  const match = await matchCompany(backend, {
    tenantId: tenant.tenantId,
    provider,
    company,
    locale: "fr",
  });
  if (match.kind === "linked") {
    return {
      kind: "existing",
      customer: await knownCustomer(backend, context, match.link.providerCustomerId),
    };
  }
  if (match.candidates.length === 0) return { kind: "to_create" };
  throw new DomainError(
    "CUSTOMER_NOT_MATCHED",
    `More than one ${PROVIDER_NAMES[provider.provider]} customer could be this company, or its match is linked to another company: confirm the right customer on the company's Encaisse card, then create the invoice.`,
    { companyId: company.id, candidates: match.candidates },
  );
}

/** Creates the company in the accounting software and links it (its draft was checked first). */
export async function createBillingCustomer(
  backend: CustomerBackend,
  context: CustomerContext & { readonly dealId: string; readonly actorUserId: string | null },
): Promise<Customer> {
  const { tenant, provider, company } = context;
  const billingAddress = billingAddressOf(company);
  if (company.name === null || billingAddress === null) {
    throw invoiceRefused(context.dealId, [
      {
        field: company.name === null ? "customer.name" : "customer.billingAddress",
        code: company.name === null ? "CUSTOMER_NAME_MISSING" : "CUSTOMER_ADDRESS_MISSING",
        message:
          "The company needs a name and a full billing address on its HubSpot record to be created in the accounting software.",
      },
    ]);
  }
  const customer = await provider.createCustomer({
    name: company.name,
    siren: company.siren,
    siret: company.siret,
    vatNumber: company.vatNumber,
    emails: [],
    billingAddress,
    paymentTerms: null,
    externalReference: externalReferenceForCompany(company.id),
  });
  await backend.repos.readModel.upsertCustomers(tenant.tenantId, [customer]);
  await backend.store.withAdvisoryLock(
    customerLinkLockKey(tenant.tenantId, customer.provider, customer.providerId),
    async () => {
      await backend.repos.customerLinks.link(tenant.tenantId, {
        companyId: company.id,
        provider: customer.provider,
        providerCustomerId: customer.providerId,
        // We gave it this company's reference ourselves: there is no doubt to weigh.
        matchedBy: "external_reference",
        confidence: 100,
        linkedBy: null,
      });
      await backend.repos.audit.append(tenant.tenantId, {
        actor: context.actorUserId,
        action: "customer.created",
        objectType: "company",
        objectId: company.id,
        details: {
          provider: customer.provider,
          providerCustomerId: customer.providerId,
          dealId: context.dealId,
        },
      });
    },
  );
  return customer;
}

/** The customer as the read model has it, else as the provider does (then remembered). */
async function knownCustomer(
  backend: CustomerBackend,
  context: CustomerContext,
  providerCustomerId: string,
): Promise<Customer> {
  const { tenant, provider } = context;
  const stored = await backend.repos.readModel.getCustomer(
    tenant.tenantId,
    provider.provider,
    providerCustomerId,
  );
  if (stored !== null) return stored;
  const customer = await provider.getCustomer(providerCustomerId);
  await backend.repos.readModel.upsertCustomers(tenant.tenantId, [customer]);
  return customer;
}
