/**
 * Which CRM record a card is on, in the backend's words, and where its settings live.
 */
import type { CrmObjectType } from "@encaisse/shared/contracts";

/** HubSpot's ids of the standard objects the cards are placed on. */
const OBJECT_TYPES_BY_ID: Readonly<Record<string, CrmObjectType>> = {
  "0-1": "contacts",
  "0-2": "companies",
  "0-3": "deals",
};

export interface CrmRecord {
  readonly objectType: CrmObjectType;
  readonly objectId: string;
}

export function crmRecordOf(crm: {
  readonly objectId: number | string;
  readonly objectTypeId: string;
}): CrmRecord | null {
  const objectType = OBJECT_TYPES_BY_ID[crm.objectTypeId];
  const objectId = String(crm.objectId);
  if (objectType === undefined || !/^\d{1,20}$/.test(objectId)) return null;
  return { objectType, objectId };
}

/** The account's Connected apps page, where an admin opens the Encaisse settings. */
export function connectedAppsUrl(portalId: number): string {
  return `https://app.hubspot.com/integrations-settings/${portalId}/installed`;
}
