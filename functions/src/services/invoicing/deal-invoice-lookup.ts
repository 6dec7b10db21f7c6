/**
 * Is this deal invoiced already? Our read model answers for free; the accounting software
 * answers for the invoice an interrupted run created before it could record it (or one the
 * sync has not brought in yet). Both search by our reference, `hubspot-deal-<id>`.
 */
import type { Invoice } from "@encaisse/shared";
import type { AccountingProvider } from "../../providers/provider";
import type { Repositories } from "../../store";

export type FoundIn = "read_model" | "provider";

export async function findDealInvoice(
  repos: Pick<Repositories, "readModel">,
  tenantId: string,
  provider: AccountingProvider,
  externalReference: string,
): Promise<{ readonly invoice: Invoice; readonly foundIn: FoundIn } | null> {
  const known = await repos.readModel.findInvoiceByExternalReference(
    tenantId,
    provider.provider,
    externalReference,
  );
  if (known !== null) return { invoice: known, foundIn: "read_model" };
  const stored = await provider.findInvoiceByExternalReference(externalReference);
  return stored === null ? null : { invoice: stored, foundIn: "provider" };
}
