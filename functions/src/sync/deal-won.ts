/**
 * The `deal-won` job: invoice a deal that reached a won stage, when the tenant turned the
 * rule on. Deliveries come late, twice and out of order, so the event is only a hint: the
 * job drops a change older than one already received for the deal, re-reads the deal's
 * stage now, and invoices only if it is still won. The invoice goes through
 * `createInvoiceForDeal`, the card's own exactly-once path, so a click on "Create invoice"
 * and this job can never bill the deal twice.
 *
 * A refusal the rep must fix (missing SIREN, no company, several candidate customers) is
 * audit-logged and the job ends: retrying would not change it, and the card shows the same
 * refusal when the rep opens the deal. Temporary failures (HubSpot or the provider down or
 * throttling) are thrown, for the queue to retry.
 */
import { DomainError } from "@encaisse/shared";
import type { Backend } from "../backend";
import { HubSpotError } from "../hubspot/errors";
import type { DealWonJob } from "../jobs/types";
import { createInvoiceForDeal } from "../services/invoicing/create-invoice";
import { latestDealStageChange } from "./deal-won-ledger";

export type DealWonSkipReason =
  | "tenant_not_installed"
  | "rule_off"
  | "stage_not_won"
  /** A later stage change of this deal was received: this one is out of date. */
  | "stale_event"
  | "deal_not_found"
  /** The deal left the won stage before the job ran. */
  | "no_longer_won"
  | "provider_not_connected";

export type DealWonOutcome =
  | {
      readonly kind: "invoiced";
      readonly invoiceId: string;
      /** False when the deal already had its invoice (a click on the card, an earlier event). */
      readonly created: boolean;
    }
  | { readonly kind: "skipped"; readonly reason: DealWonSkipReason }
  | { readonly kind: "refused"; readonly code: string };

/** Failures that a later attempt may not meet: the queue retries them. */
const TEMPORARY = new Set([
  "PROVIDER_RATE_LIMITED",
  "PROVIDER_UNAVAILABLE",
  "PROVIDER_TIMEOUT",
  "HUBSPOT_UNAVAILABLE",
  "HUBSPOT_RATE_LIMITED",
  "INVOICE_CREATION_IN_PROGRESS",
  "INTERNAL",
]);

export async function invoiceWonDeal(backend: Backend, job: DealWonJob): Promise<DealWonOutcome> {
  const tenant = await backend.repos.tenants.get(job.tenantId);
  if (tenant === null || tenant.uninstalledAt) return skipped("tenant_not_installed");
  const { settings } = tenant;
  if (!settings.autoInvoiceOnDealWon) return skipped("rule_off");
  if (!settings.wonStageIds.includes(job.stageId)) return skipped("stage_not_won");
  const latest = await latestDealStageChange(backend, tenant.tenantId, job.dealId);
  if (latest !== null && latest > job.occurredAt) return skipped("stale_event");
  if (tenant.activeProvider === null) return skipped("provider_not_connected");

  let stage: string | null;
  try {
    stage = (await backend.crm(tenant.tenantId).getDeal(job.dealId)).stage;
  } catch (error) {
    if (error instanceof HubSpotError && error.code === "NOT_FOUND")
      return skipped("deal_not_found");
    throw error;
  }
  if (stage === null || !settings.wonStageIds.includes(stage)) return skipped("no_longer_won");

  try {
    const answer = await createInvoiceForDeal(backend, {
      tenant,
      dealId: job.dealId,
      actorUserId: null,
    });
    await backend.repos.audit.append(tenant.tenantId, {
      actor: null,
      action: "deal_won.invoiced",
      objectType: "deal",
      objectId: job.dealId,
      details: {
        stageId: job.stageId,
        occurredAt: job.occurredAt,
        invoiceId: answer.invoice.id,
        created: answer.created,
      },
    });
    return { kind: "invoiced", invoiceId: answer.invoice.id, created: answer.created };
  } catch (error) {
    if (!(error instanceof DomainError) || TEMPORARY.has(error.code)) throw error;
    await backend.repos.audit.append(tenant.tenantId, {
      actor: null,
      action: "deal_won.refused",
      objectType: "deal",
      objectId: job.dealId,
      details: { stageId: job.stageId, occurredAt: job.occurredAt, code: error.code },
    });
    backend.logger.warn("won deal not invoiced", {
      tenantId: tenant.tenantId,
      code: error.code,
    });
    return { kind: "refused", code: error.code };
  }
}

function skipped(reason: DealWonSkipReason): DealWonOutcome {
  return { kind: "skipped", reason };
}
