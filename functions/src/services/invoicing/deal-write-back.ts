/**
 * The deal shows its invoice: number, status, what remains to be paid and where to open it,
 * in the `encaisse_*` deal properties (the sync keeps them current afterwards). Writing the
 * same values twice is harmless, so a retry after an interrupted run writes them again.
 */
import { DomainError, type Invoice, centsToDecimalString, minorUnitDigits } from "@encaisse/shared";
import { HubSpotError } from "../../hubspot/errors";
import type { HubSpotCrm } from "../../hubspot/crm";
import type { BatchUpdateResult } from "../../hubspot/mapping";
import { ENCAISSE_DEAL_PROPERTIES } from "../../hubspot/properties";

/**
 * The deal properties that describe its invoice. What the invoice does not have yet (a
 * draft's number; a web address, which neither provider documents) is left out rather than
 * blanked.
 */
export function dealPropertiesOf(invoice: Invoice): Record<string, string> {
  const p = ENCAISSE_DEAL_PROPERTIES;
  return {
    ...(invoice.number === null ? {} : { [p.invoiceNumber.name]: invoice.number }),
    [p.invoiceStatus.name]: invoice.status,
    [p.amountRemaining.name]: centsToDecimalString(
      invoice.remainingCents,
      minorUnitDigits(invoice.currency),
    ),
    ...(invoice.webUrl === null ? {} : { [p.invoiceLink.name]: invoice.webUrl }),
  };
}

export async function writeInvoiceToDeal(
  crm: HubSpotCrm,
  dealId: string,
  invoice: Invoice,
): Promise<void> {
  const rows = [{ id: dealId, properties: dealPropertiesOf(invoice) }];
  let result: BatchUpdateResult;
  try {
    result = await crm.updateDeals(rows);
  } catch (error) {
    // The properties are created at install; if an admin deleted one since, HubSpot refuses
    // the whole write. Put them back once and write again.
    if (!(error instanceof HubSpotError && error.category === "VALIDATION_ERROR")) throw error;
    await crm.ensureEncaisseProperties();
    result = await crm.updateDeals(rows);
  }
  if (result.failedIds.includes(dealId)) {
    throw new DomainError(
      "NOT_FOUND",
      `The invoice was created, but HubSpot no longer has deal ${dealId} to show it on.`,
      { dealId, invoiceId: invoice.id },
    );
  }
}
