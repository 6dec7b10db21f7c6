/**
 * What an invoice is made from, as HubSpot has it: the deal, its line items (with their VAT
 * codes) and the company it is billed to.
 */
import { DomainError } from "@encaisse/shared";
import { HubSpotError } from "../../hubspot/errors";
import type { HubSpotCrm } from "../../hubspot/crm";
import type { CrmCompany, DealForInvoicing } from "../../hubspot/mapping";

export interface DealSource extends DealForInvoicing {
  readonly company: CrmCompany;
}

export async function readDealSource(crm: HubSpotCrm, dealId: string): Promise<DealSource> {
  let deal: DealForInvoicing;
  try {
    deal = await crm.getDealForInvoicing(dealId);
  } catch (error) {
    if (error instanceof HubSpotError && error.code === "NOT_FOUND") {
      throw new DomainError(
        "NOT_FOUND",
        `HubSpot has no deal ${dealId}: it may have been deleted or merged.`,
        { dealId },
      );
    }
    throw error;
  }
  if (deal.companyId === null) {
    throw new DomainError(
      "DEAL_HAS_NO_COMPANY",
      "The deal is associated with no company: associate the customer's company before invoicing.",
      { dealId },
    );
  }
  const company = await crm.getCompany(deal.companyId);
  return { ...deal, company };
}
