/**
 * `POST /v1/cards/links`: a rep confirms which accounting customer a HubSpot company is
 * (one of the candidates offered, or one they picked). Both must exist; a customer already
 * linked to another company is refused rather than silently moved, so that one rep's click
 * cannot take a customer's invoices off another company's card.
 */
import { DomainError } from "@encaisse/shared";
import type { z } from "zod";
import type {
  confirmLinkRequestSchema,
  confirmLinkResponseSchema,
} from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { HubSpotCaller } from "../../http/hubspot-auth";
import { ProviderError } from "../../providers/errors";
import type { AccountingProvider } from "../../providers/provider";
import type { CardContext } from "./context";
import { customerLinkLockKey } from "./match";
import { requireProvider } from "./tenant-invoice";

export type ConfirmLinkRequest = z.infer<typeof confirmLinkRequestSchema>;
export type ConfirmLinkResponse = z.infer<typeof confirmLinkResponseSchema>;

export async function confirmLink(
  backend: Backend,
  cards: CardContext,
  caller: HubSpotCaller,
  request: ConfirmLinkRequest,
): Promise<ConfirmLinkResponse> {
  const tenant = await backend.tenant(caller.portalId);
  const tenantId = tenant.tenantId;
  const provider = await requireProvider(backend, tenant);
  // The company must be one of this portal's: HubSpot answers NOT_FOUND otherwise.
  await cards.crmLookups.company(tenantId, request.companyId);
  const customer = await existingCustomer(provider, request.providerCustomerId);

  return backend.store.withAdvisoryLock(
    customerLinkLockKey(tenantId, customer.provider, customer.providerId),
    async () => {
      const { repos } = backend;
      const holder = await repos.customerLinks.byCustomer(
        tenantId,
        customer.provider,
        customer.providerId,
      );
      if (holder !== null && holder.companyId !== request.companyId) {
        throw new DomainError(
          "CUSTOMER_ALREADY_LINKED",
          `This customer is already linked to another HubSpot company (${holder.companyId}); unlink it there first.`,
          { companyId: holder.companyId, providerCustomerId: customer.providerId },
        );
      }
      if (holder !== null) {
        return {
          companyId: holder.companyId,
          providerCustomerId: holder.providerCustomerId,
          matchedBy: holder.matchedBy,
        };
      }
      const previous = await repos.customerLinks.byCompany(tenantId, request.companyId);
      await repos.readModel.upsertCustomers(tenantId, [customer]);
      const link = await repos.customerLinks.link(tenantId, {
        companyId: request.companyId,
        provider: customer.provider,
        providerCustomerId: customer.providerId,
        matchedBy: "manual",
        confidence: 100,
        linkedBy: caller.userId,
      });
      await repos.audit.append(tenantId, {
        actor: caller.userId,
        action: "customer.linked",
        objectType: "company",
        objectId: request.companyId,
        details: {
          provider: customer.provider,
          providerCustomerId: customer.providerId,
          matchedBy: "manual",
          previousProviderCustomerId: previous?.providerCustomerId ?? null,
        },
      });
      return {
        companyId: link.companyId,
        providerCustomerId: link.providerCustomerId,
        matchedBy: link.matchedBy,
      };
    },
  );
}

async function existingCustomer(provider: AccountingProvider, providerCustomerId: string) {
  try {
    return await provider.getCustomer(providerCustomerId);
  } catch (error) {
    if (error instanceof ProviderError && error.code === "PROVIDER_NOT_FOUND") {
      throw new DomainError(
        "PROVIDER_CUSTOMER_NOT_FOUND",
        "This customer does not exist in the accounting software; pick one of the candidates.",
        { providerCustomerId },
      );
    }
    throw error;
  }
}
