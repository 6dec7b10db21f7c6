/**
 * What the panel writes to HubSpot: a note on the company, or a follow-up task for the
 * company's owner. The company must exist in the token's own portal (a company id of another
 * account is simply not found there); each write is recorded in the audit log, without its text.
 */
import type { CalendarDate } from "@encaisse/shared";
import type { z } from "zod";
import type { createdEngagementResponseSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { ExtensionCaller } from "../../http/extension-auth";
import type { CardContext } from "../cards/context";

type CreatedEngagement = z.infer<typeof createdEngagementResponseSchema>;

export async function logNoteOnCompany(
  backend: Backend,
  cards: CardContext,
  caller: ExtensionCaller,
  request: { readonly companyId: string; readonly body: string },
): Promise<CreatedEngagement> {
  const portalId = caller.tenant.tenantId;
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
  },
): Promise<CreatedEngagement> {
  const portalId = caller.tenant.tenantId;
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
}
