/**
 * `POST` and `DELETE /v1/invoices/:invoiceId/dunning-pause`: from the card, a rep holds the
 * dunning plan of an invoice (the customer disputes it, or promised to pay by a date) or
 * lets it resume. One pause at a time: a new one ends the open ones, the latest word wins.
 */
import {
  type CalendarDate,
  DomainError,
  type Invoice,
  type Provider,
  isReceivable,
  parisDateOf,
} from "@encaisse/shared";
import type { z } from "zod";
import type {
  dunningPauseRequestSchema,
  dunningPauseResponseSchema,
} from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { HubSpotCaller } from "../../http/hubspot-auth";
import type { NewPause, Tenant } from "../../store";
import { dunningStateOf } from "./dunning-state";
import { activeProviderOf, requireTenantInvoice } from "./tenant-invoice";

export type DunningPauseRequest = z.infer<typeof dunningPauseRequestSchema>;
export type DunningPauseResponse = z.infer<typeof dunningPauseResponseSchema>;

/** The caller's tenant, its active provider, today in Paris, and the invoice (or a typed 404). */
async function callersInvoice(backend: Backend, caller: HubSpotCaller, invoiceId: string) {
  const tenant = await backend.tenant(caller.portalId);
  const provider = activeProviderOf(tenant);
  const today = parisDateOf(new Date(backend.clock.now()));
  const invoice = await requireTenantInvoice(backend.repos, {
    tenantId: tenant.tenantId,
    provider,
    invoiceId,
    today,
  });
  return { tenant, provider, today, invoice };
}

export async function pauseDunning(
  backend: Backend,
  caller: HubSpotCaller,
  invoiceId: string,
  request: DunningPauseRequest,
): Promise<DunningPauseResponse> {
  const { tenant, provider, today, invoice } = await callersInvoice(backend, caller, invoiceId);
  if (!isReceivable(invoice.status)) {
    throw new DomainError(
      "INVOICE_NOT_RECEIVABLE",
      "Only an invoice still owed can have its reminders paused.",
      { invoiceId, status: invoice.status },
    );
  }
  if (request.kind === "promise_to_pay" && request.until < today) {
    throw new DomainError("VALIDATION_FAILED", "A promise to pay ends today or later.", {
      fields: [{ field: "until", message: `Expected ${today} or later.` }],
    });
  }
  const pause: NewPause =
    request.kind === "dispute"
      ? { kind: "dispute", since: today }
      : { kind: "promise_to_pay", since: today, until: request.until };

  const { repos } = backend;
  const ended = await repos.dunning.resolvePauses(tenant.tenantId, provider, invoiceId, today);
  await repos.dunning.addPause(tenant.tenantId, {
    provider,
    invoiceId,
    pause,
    note: request.note ?? null,
    createdBy: caller.userId,
  });
  await repos.audit.append(tenant.tenantId, {
    actor: caller.userId,
    action: "dunning.paused",
    objectType: "invoice",
    objectId: invoiceId,
    details: {
      provider,
      kind: pause.kind,
      until: pause.kind === "promise_to_pay" ? pause.until : null,
      replacedPauses: ended,
      hasNote: request.note !== undefined && request.note !== "",
    },
  });
  return stateOf(backend, { tenant, provider, invoice, today });
}

export async function resumeDunning(
  backend: Backend,
  caller: HubSpotCaller,
  invoiceId: string,
): Promise<DunningPauseResponse> {
  const { tenant, provider, today, invoice } = await callersInvoice(backend, caller, invoiceId);
  const ended = await backend.repos.dunning.resolvePauses(
    tenant.tenantId,
    provider,
    invoiceId,
    today,
  );
  if (ended > 0) {
    await backend.repos.audit.append(tenant.tenantId, {
      actor: caller.userId,
      action: "dunning.resumed",
      objectType: "invoice",
      objectId: invoiceId,
      details: { provider, endedPauses: ended },
    });
  }
  return stateOf(backend, { tenant, provider, invoice, today });
}

async function stateOf(
  backend: Backend,
  input: {
    readonly tenant: Tenant;
    readonly provider: Provider;
    readonly invoice: Invoice;
    readonly today: CalendarDate;
  },
): Promise<DunningPauseResponse> {
  const { tenant, provider, invoice, today } = input;
  const [history, pauses] = await Promise.all([
    backend.repos.dunning.history(tenant.tenantId, provider, [invoice.id]),
    backend.repos.dunning.pauses(tenant.tenantId, provider, [invoice.id]),
  ]);
  return {
    invoiceId: invoice.id,
    dunning: dunningStateOf({
      invoice,
      history: history.get(invoice.id) ?? [],
      pauses: pauses.get(invoice.id) ?? [],
      ladder: tenant.settings.dunningLadder,
      today,
    }),
  };
}
