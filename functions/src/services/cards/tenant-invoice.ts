/**
 * The checks the invoice routes share: the tenant is connected to a provider, and the invoice
 * asked for is one of this tenant's (in its read model). An invoice id alone proves nothing:
 * two tenants may work on the same accounting company, and ids are guessable.
 */
import { type CalendarDate, DomainError, type Invoice, type Provider } from "@encaisse/shared";
import { z } from "zod";
import type { Backend } from "../../backend";
import type { AccountingProvider } from "../../providers/provider";
import type { Repositories, Tenant } from "../../store";

/** Provider invoice ids: Pennylane's are numbers, Sage Active's GUIDs. */
export const invoiceIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9._:-]+$/, "Expected an invoice id from the accounting software.");

export function notConnected(): DomainError {
  return new DomainError(
    "PROVIDER_NOT_CONNECTED",
    "Connect Pennylane or Sage Active in the Encaisse settings first.",
  );
}

export function activeProviderOf(tenant: Tenant): Provider {
  if (tenant.activeProvider === null) throw notConnected();
  return tenant.activeProvider;
}

export async function requireProvider(
  backend: Pick<Backend, "provider">,
  tenant: Tenant,
): Promise<AccountingProvider> {
  const provider = await backend.provider(tenant);
  if (provider === null) throw notConnected();
  return provider;
}

export async function requireTenantInvoice(
  repos: Repositories,
  input: {
    readonly tenantId: string;
    readonly provider: Provider;
    readonly invoiceId: string;
    readonly today: CalendarDate;
  },
): Promise<Invoice> {
  const invoice = await repos.readModel.getInvoice(
    input.tenantId,
    input.provider,
    input.invoiceId,
    input.today,
  );
  if (invoice === null) {
    throw new DomainError(
      "INVOICE_NOT_FOUND",
      "This invoice is not among the invoices Encaisse knows for this account; reload the card.",
      { invoiceId: input.invoiceId },
    );
  }
  return invoice;
}
