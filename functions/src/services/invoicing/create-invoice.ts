/**
 * Flow 2, invoice from a deal: the card's "Create invoice" and, later, the deal-won webhook
 * both come through `createInvoiceForDeal`.
 *
 * A run (at most one per deal at a time, see exactly-once.ts):
 * 1. reads the deal, its line items and its company from HubSpot;
 * 2. looks for the deal's invoice by our reference `hubspot-deal-<id>` in the read model: an
 *    earlier run that recorded it but was interrupted afterwards is finished, not redone;
 * 3. otherwise checks the mandatory mentions (422 with the fields to fix, before anything is
 *    sent), finds or creates the customer, and has the provider create the invoice. The
 *    provider's create is find-or-create by our reference: both clients look the reference
 *    up before sending anything (and after an ambiguous failure), so a run interrupted after
 *    the provider created the invoice, before we recorded it, is found there instead of
 *    created twice, and Sage Active carries on with a numbering left half-way. A look-up of
 *    our own before it would cost a request per invoice and stop that resumption;
 * 4. records it in the read model, writes number / status / amount remaining to the deal,
 *    and audit-logs it. Each of these is safe to repeat, so a retry after a failure anywhere
 *    here finishes the job without a second invoice.
 *
 * `created` is true when the run asked the provider for the invoice, false when our records
 * already had it.
 */
import {
  type Invoice,
  type OperationNature,
  externalReferenceForDeal,
  parisDateOf,
} from "@encaisse/shared";
import type { CreateInvoiceResponse } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { AccountingProvider } from "../../providers/provider";
import type { Tenant } from "../../store";
import { requireProvider } from "../cards/tenant-invoice";
import { createBillingCustomer, findBillingCustomer } from "./billing-customer";
import { type DealSource, readDealSource } from "./deal-source";
import { writeInvoiceToDeal } from "./deal-write-back";
import { type InvoiceMode, draftChoices, draftForDeal, invoiceRefused } from "./draft";
import { DEFAULT_EXACTLY_ONCE_TIMING, type ExactlyOnceTiming, onceForDeal } from "./exactly-once";
import { invoiceSummaryOf } from "./summary";

export interface CreateInvoiceForDealRequest {
  readonly tenant: Tenant;
  readonly dealId: string;
  /** The HubSpot user who asked; null for automatic runs (deal won). */
  readonly actorUserId: string | null;
  /** Overrides the tenant's invoice mode for this invoice. */
  readonly mode?: InvoiceMode | undefined;
  readonly operationNature?: OperationNature | undefined;
  /** When the request arrived (default: now); see exactly-once.ts. */
  readonly receivedAt?: number | undefined;
}

/** The points a run has passed, in order. */
export type InvoicingStep = "invoice_in_provider" | "read_model_updated" | "deal_updated";

export interface DealInvoicingOptions {
  readonly timing?: Partial<ExactlyOnceTiming>;
  /**
   * Told when a run passes each step. Lets a test stop a run exactly where a crash would;
   * nothing else needs it.
   */
  readonly afterStep?: (step: InvoicingStep) => Promise<void>;
}

export async function createInvoiceForDeal(
  backend: Backend,
  request: CreateInvoiceForDealRequest,
  options: DealInvoicingOptions = {},
): Promise<CreateInvoiceResponse> {
  const receivedAt = request.receivedAt ?? backend.clock.now();
  // Refuses a malformed deal id (VALIDATION_FAILED) before anything else.
  externalReferenceForDeal(request.dealId);
  const provider = await requireProvider(backend, request.tenant);
  return onceForDeal(
    {
      idempotency: backend.repos.idempotency,
      clock: backend.clock,
      timing: { ...DEFAULT_EXACTLY_ONCE_TIMING, ...options.timing },
      tenantId: request.tenant.tenantId,
      dealId: request.dealId,
      receivedAt,
    },
    () => invoiceDeal(backend, provider, request, options),
  );
}

async function invoiceDeal(
  backend: Backend,
  provider: AccountingProvider,
  request: CreateInvoiceForDealRequest,
  options: DealInvoicingOptions,
): Promise<CreateInvoiceResponse> {
  const { tenant, dealId } = request;
  const step = options.afterStep ?? (async () => undefined);
  const reference = externalReferenceForDeal(dealId);
  const crm = backend.crm(tenant.tenantId);
  const source = await readDealSource(crm, dealId);

  const recorded = await backend.repos.readModel.findInvoiceByExternalReference(
    tenant.tenantId,
    provider.provider,
    reference,
  );
  const { invoice, customerCreated } =
    recorded === null
      ? await invoiceInProvider(backend, provider, request, source)
      : { invoice: recorded, customerCreated: false };
  await step("invoice_in_provider");

  await backend.repos.readModel.upsertInvoices(tenant.tenantId, [invoice]);
  await step("read_model_updated");
  await writeInvoiceToDeal(crm, dealId, invoice);
  await step("deal_updated");
  await backend.repos.audit.append(tenant.tenantId, {
    actor: request.actorUserId,
    action: "invoice.created",
    objectType: "deal",
    objectId: dealId,
    details: {
      provider: invoice.provider,
      invoiceId: invoice.id,
      number: invoice.number,
      externalReference: reference,
      mode: invoice.isDraft ? "draft" : "finalized",
      grossCents: invoice.grossCents,
      currency: invoice.currency,
      customerId: invoice.customerId,
      customerCreated,
      // An earlier run recorded it and was interrupted before finishing: this one did.
      finishedEarlierRun: recorded !== null,
    },
  });
  backend.logger.info("invoice created from deal", {
    tenantId: tenant.tenantId,
    provider: invoice.provider,
    finishedEarlierRun: recorded !== null,
  });
  return { invoice: invoiceSummaryOf(invoice), created: recorded === null };
}

/** Checks the draft, finds or creates the customer, and has the provider find or create the invoice. */
async function invoiceInProvider(
  backend: Backend,
  provider: AccountingProvider,
  request: CreateInvoiceForDealRequest,
  source: DealSource,
): Promise<{ invoice: Invoice; customerCreated: boolean }> {
  const { tenant, dealId } = request;
  const draftInput = {
    source,
    settings: tenant.settings,
    choices: draftChoices(tenant.settings, request),
    today: parisDateOf(new Date(backend.clock.now())),
    providerCustomerId: null,
    customerPaymentTerms: null,
  };
  // Checked on HubSpot's data before the accounting software is asked anything.
  const checked = draftForDeal(draftInput);
  if (!checked.ok) throw invoiceRefused(dealId, checked.fieldErrors);
  const company = source.company;
  const plan = await findBillingCustomer(backend, { tenant, provider, company });
  const customer =
    plan.kind === "existing"
      ? plan.customer
      : await createBillingCustomer(backend, {
          tenant,
          provider,
          company,
          dealId,
          actorUserId: request.actorUserId,
        });
  const built = draftForDeal({
    ...draftInput,
    providerCustomerId: customer.providerId,
    customerPaymentTerms: customer.paymentTerms,
  });
  if (!built.ok) throw invoiceRefused(dealId, built.fieldErrors);
  const invoice = await provider.createInvoice({
    ...built.preview.draft,
    customerId: customer.providerId,
  });
  return { invoice, customerCreated: plan.kind === "to_create" };
}
