/**
 * What the panel writes to HubSpot: a note on the company, or a follow-up task for the
 * company's owner. The company must exist in the token's own portal (a company id of another
 * account is simply not found there); each write is recorded in the audit log, without its
 * text, and done once per user action (`requestId`, see once-per-action.ts).
 */
import type { CalendarDate } from "@encaisse/shared";
import type { z } from "zod";
import { createdEngagementResponseSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { ExtensionCaller } from "../../http/extension-auth";
import type { CardContext } from "../cards/context";
import { oncePerAction } from "./once-per-action";

type CreatedEngagement = z.infer<typeof createdEngagementResponseSchema>;

function onceFor(
  backend: Backend,
  caller: ExtensionCaller,
  action: "note" | "task",
  request: { readonly requestId?: string | undefined },
) {
  const { requestId, ...asked } = request;
  return {
    idempotency: backend.repos.idempotency,
    clock: backend.clock,
    tenantId: caller.tenant.tenantId,
    scope: `extension-${action}:${caller.hubspotUserId}`,
    requestId,
    request: asked,
    answer: createdEngagementResponseSchema,
  };
}

export async function logNoteOnCompany(
  backend: Backend,
  cards: CardContext,
  caller: ExtensionCaller,
  request: {
    readonly companyId: string;
    readonly body: string;
    readonly requestId?: string | undefined;
  },
): Promise<CreatedEngagement> {
  const portalId = caller.tenant.tenantId;
  return oncePerAction(onceFor(backend, caller, "note", request), async () => {
    await cards.crmLookups.company(portalId, request.companyId);
    const created = await backend.crm(portalId).createNote({
      companyId: request.companyId,
      body: request.body,
    });
    await backend.repos.audit.append(portalId, {
      actor: caller.hubspotUserId,
      action: "extension.note_logged",
      objectType: "company",
      objectId: request.companyId,
      details: { noteId: created.id },
    });
    return created;
  });
}

export async function createFollowUpTask(
  backend: Backend,
  cards: CardContext,
  caller: ExtensionCaller,
  request: {
    readonly companyId: string;
    readonly subject: string;
    readonly body?: string | undefined;
    readonly dueDate: CalendarDate;
    readonly requestId?: string | undefined;
  },
): Promise<CreatedEngagement> {
  const portalId = caller.tenant.tenantId;
  return oncePerAction(onceFor(backend, caller, "task", request), async () => {
    const company = await cards.crmLookups.company(portalId, request.companyId);
    const created = await backend.crm(portalId).createTask({
      companyId: request.companyId,
      ownerId: company.ownerId,
      subject: request.subject,
      body: request.body ?? "",
      dueDate: request.dueDate,
    });
    await backend.repos.audit.append(portalId, {
      actor: caller.hubspotUserId,
      action: "extension.task_created",
      objectType: "company",
      objectId: request.companyId,
      details: { taskId: created.id, assignedToOwner: company.ownerId !== null },
    });
    return created;
  });
}
