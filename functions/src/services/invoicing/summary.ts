/** The invoice as the card shows it after "Create invoice". */
import type { Invoice } from "@encaisse/shared";
import type { InvoiceSummary } from "@encaisse/shared/contracts";

export function invoiceSummaryOf(invoice: Invoice): InvoiceSummary {
  return {
    provider: invoice.provider,
    id: invoice.id,
    number: invoice.number,
    status: invoice.status,
    grossCents: invoice.grossCents,
    remainingCents: invoice.remainingCents,
    currency: invoice.currency,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    webUrl: invoice.webUrl,
  };
}
