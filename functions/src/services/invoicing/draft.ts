/**
 * The invoice a deal becomes, through `buildInvoiceDraft` (shared): the deal's line items,
 * the company's identifiers and address as HubSpot has them, the customer's payment terms
 * when the accounting software knows them, and the tenant's settings.
 *
 * The nature of the operation (a mandatory mention) comes from the request; tenants have no
 * setting for it yet, so it defaults to services, what the agencies and consultancies that
 * invoice from HubSpot deals sell. A tenant selling goods passes it with each invoice.
 */
import {
  type BuildDraftResult,
  type CalendarDate,
  DomainError,
  type OperationNature,
  type PaymentTerms,
  buildInvoiceDraft,
} from "@encaisse/shared";
import type { FieldError, Settings } from "@encaisse/shared/contracts";
import { billingAddressOf } from "../../hubspot/mapping";
import type { DealSource } from "./deal-source";

export type InvoiceMode = "draft" | "finalized";

export const DEFAULT_OPERATION_NATURE: OperationNature = "services";

/** Used when the deal names no currency: the account's default, EUR for a French SME. */
const DEFAULT_CURRENCY = "EUR";

export interface InvoiceOverrides {
  readonly mode?: InvoiceMode | undefined;
  readonly operationNature?: OperationNature | undefined;
}

export interface DraftChoices {
  readonly mode: InvoiceMode;
  readonly operationNature: OperationNature;
}

export function draftChoices(settings: Settings, overrides: InvoiceOverrides): DraftChoices {
  return {
    mode: overrides.mode ?? settings.invoiceMode,
    operationNature: overrides.operationNature ?? DEFAULT_OPERATION_NATURE,
  };
}

export interface DraftInput {
  readonly source: DealSource;
  readonly settings: Settings;
  readonly choices: DraftChoices;
  readonly today: CalendarDate;
  /** The accounting customer's id; null while it is still to be found or created. */
  readonly providerCustomerId: string | null;
  /** The accounting customer's own terms; null falls back to the tenant's default. */
  readonly customerPaymentTerms: PaymentTerms | null;
}

export function draftForDeal(input: DraftInput): BuildDraftResult {
  const { source, settings, choices } = input;
  const { company } = source;
  return buildInvoiceDraft({
    dealId: source.deal.id,
    dealName: source.deal.name,
    currency: source.deal.currency ?? DEFAULT_CURRENCY,
    lineItems: source.lineItems,
    customer: {
      name: company.name ?? "",
      siren: company.siren,
      siret: company.siret,
      vatNumber: company.vatNumber,
      billingAddress: billingAddressOf(company),
      paymentTerms: input.customerPaymentTerms,
    },
    providerCustomerId: input.providerCustomerId,
    operationNature: choices.operationNature,
    settings: {
      defaultVatCode: settings.defaultVatCode,
      defaultPaymentTerms: settings.defaultPaymentTerms,
      endOfMonthConvention: settings.endOfMonthConvention,
      finalize: choices.mode === "finalized",
    },
    today: input.today,
  });
}

/** The 422 that lists what to fix in HubSpot before the deal can be invoiced. */
export function invoiceRefused(dealId: string, fieldErrors: readonly FieldError[]): DomainError {
  const onlyLineItems = fieldErrors.every((error) => error.code === "DEAL_HAS_NO_LINE_ITEMS");
  return new DomainError(
    onlyLineItems ? "DEAL_HAS_NO_LINE_ITEMS" : "INVOICE_MANDATORY_MENTIONS_MISSING",
    onlyLineItems
      ? "The deal has no line items: add the products sold before invoicing."
      : `The invoice cannot be created yet: ${fieldErrors.map((error) => error.message).join(" ")}`,
    { dealId, fieldErrors },
  );
}
