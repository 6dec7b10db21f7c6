/**
 * What "Create invoice" would do, shown before the rep clicks: the invoice already made for
 * the deal, or the fields to fix first, or the invoice to be created (lines, VAT, totals, due
 * date, and who it is billed to). Nothing is created; like the card, it links the company to
 * its accounting customer when the match is certain.
 */
import {
  type Customer,
  type OperationNature,
  externalReferenceForDeal,
  parisDateOf,
  sirenOfSiret,
} from "@encaisse/shared";
import type { InvoicePreviewResponse } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { Tenant } from "../../store";
import { requireProvider } from "../cards/tenant-invoice";
import { findBillingCustomer } from "./billing-customer";
import { findDealInvoice } from "./deal-invoice-lookup";
import { readDealSource } from "./deal-source";
import { type InvoiceMode, draftChoices, draftForDeal } from "./draft";
import { invoiceSummaryOf } from "./summary";

export interface PreviewInvoiceForDealRequest {
  readonly tenant: Tenant;
  readonly dealId: string;
  readonly mode?: InvoiceMode | undefined;
  readonly operationNature?: OperationNature | undefined;
}

export async function previewInvoiceForDeal(
  backend: Backend,
  request: PreviewInvoiceForDealRequest,
): Promise<InvoicePreviewResponse> {
  const { tenant, dealId } = request;
  const reference = externalReferenceForDeal(dealId);
  const provider = await requireProvider(backend, tenant);
  const source = await readDealSource(backend.crm(tenant.tenantId), dealId);

  const found = await findDealInvoice(backend.repos, tenant.tenantId, provider, reference);
  if (found !== null)
    return { state: "already_invoiced", invoice: invoiceSummaryOf(found.invoice) };

  const choices = draftChoices(tenant.settings, request);
  const draftInput = {
    source,
    settings: tenant.settings,
    choices,
    today: parisDateOf(new Date(backend.clock.now())),
    providerCustomerId: null,
    customerPaymentTerms: null,
  };
  const checked = draftForDeal(draftInput);
  if (!checked.ok) return { state: "invalid", fieldErrors: [...checked.fieldErrors] };

  const plan = await findBillingCustomer(backend, { tenant, provider, company: source.company });
  const customer: Customer | null = plan.kind === "existing" ? plan.customer : null;
  const built = draftForDeal({
    ...draftInput,
    providerCustomerId: customer?.providerId ?? null,
    customerPaymentTerms: customer?.paymentTerms ?? null,
  });
  if (!built.ok) return { state: "invalid", fieldErrors: [...built.fieldErrors] };

  const { draft, lines, amounts } = built.preview;
  return {
    state: "ready",
    customer:
      customer === null
        ? {
            providerCustomerId: null,
            name: source.company.name ?? "",
            siren: source.company.siren,
            willBeCreated: true,
          }
        : {
            providerCustomerId: customer.providerId,
            name: customer.name,
            siren:
              customer.siren ?? (customer.siret === null ? null : sirenOfSiret(customer.siret)),
            willBeCreated: false,
          },
    issueDate: draft.issueDate,
    dueDate: draft.dueDate,
    paymentTerms: draft.paymentTerms,
    currency: draft.currency,
    operationNature: draft.operationNature,
    lines: lines.map((line) => ({
      label: line.label,
      quantity: line.quantity,
      unitPriceExclTax: line.unitPriceExclTax,
      vatCode: line.vatCode,
      discountPercent: line.discountPercent,
      netCents: line.netCents,
      vatCents: line.vatCents,
      grossCents: line.grossCents,
    })),
    netCents: amounts.netCents,
    vatCents: amounts.vatCents,
    grossCents: amounts.grossCents,
    legalMentions: draft.legalMentions,
    mode: choices.mode,
  };
}
