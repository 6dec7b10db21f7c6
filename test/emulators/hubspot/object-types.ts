/**
 * The CRM object types the emulator serves, with what HubSpot ties to each: the object type
 * id a path may use instead of the name (the deals spec itself uses `0-3`), the OAuth scopes
 * the specs list (any one suffices), the properties a read returns when none are asked for,
 * and the ones a free-text `query` searches.
 */

export const CRM_OBJECT_TYPES = [
  "companies",
  "contacts",
  "deals",
  "line_items",
  "products",
  "tasks",
  "notes",
] as const;
export type CrmObjectType = (typeof CRM_OBJECT_TYPES)[number];

export interface ObjectTypeDefinition {
  readonly name: CrmObjectType;
  readonly objectTypeId: string;
  /** As HubSpot spells it in association type names ("deal_to_company") and search filters. */
  readonly singular: string;
  readonly readScopes: readonly string[];
  readonly writeScopes: readonly string[];
  readonly schemaReadScopes: readonly string[];
  readonly schemaWriteScopes: readonly string[];
  /** Returned by a read that names no property (besides the three always returned). */
  readonly defaultProperties: readonly string[];
  /** Searched by a search request's `query`. */
  readonly queryProperties: readonly string[];
  /** Name of the last-modified property: contacts keep the older `lastmodifieddate`. */
  readonly lastModifiedProperty: string;
  /** Name of the creation property: engagements use `hs_createdate`. */
  readonly createdProperty: string;
  /** Engagements must carry `hs_timestamp`. */
  readonly requiredOnCreate: readonly string[];
}

const objectScopes = (name: string) => ({
  readScopes: [`crm.objects.${name}.read`],
  writeScopes: [`crm.objects.${name}.write`],
});

export const OBJECT_TYPES: Readonly<Record<CrmObjectType, ObjectTypeDefinition>> = {
  companies: {
    name: "companies",
    objectTypeId: "0-2",
    singular: "company",
    ...objectScopes("companies"),
    schemaReadScopes: ["crm.schemas.companies.read", "crm.schemas.companies.write"],
    schemaWriteScopes: ["crm.schemas.companies.write"],
    defaultProperties: ["domain", "name"],
    queryProperties: ["name", "domain", "phone", "website"],
    lastModifiedProperty: "hs_lastmodifieddate",
    createdProperty: "createdate",
    requiredOnCreate: [],
  },
  contacts: {
    name: "contacts",
    objectTypeId: "0-1",
    singular: "contact",
    ...objectScopes("contacts"),
    schemaReadScopes: ["crm.schemas.contacts.read", "crm.schemas.contacts.write"],
    schemaWriteScopes: ["crm.schemas.contacts.write"],
    defaultProperties: ["email", "firstname", "lastname"],
    queryProperties: ["firstname", "lastname", "email", "phone", "company"],
    lastModifiedProperty: "lastmodifieddate",
    createdProperty: "createdate",
    requiredOnCreate: [],
  },
  deals: {
    name: "deals",
    objectTypeId: "0-3",
    singular: "deal",
    ...objectScopes("deals"),
    schemaReadScopes: ["crm.schemas.deals.read", "crm.schemas.deals.write"],
    schemaWriteScopes: ["crm.schemas.deals.write"],
    defaultProperties: ["amount", "closedate", "dealname", "dealstage", "pipeline"],
    queryProperties: ["dealname"],
    lastModifiedProperty: "hs_lastmodifieddate",
    createdProperty: "createdate",
    requiredOnCreate: [],
  },
  line_items: {
    name: "line_items",
    objectTypeId: "0-8",
    singular: "line_item",
    readScopes: ["crm.objects.line_items.read", "e-commerce"],
    writeScopes: ["crm.objects.line_items.write", "e-commerce"],
    schemaReadScopes: ["crm.schemas.line_items.read", "e-commerce"],
    schemaWriteScopes: ["e-commerce"],
    defaultProperties: ["hs_product_id", "name", "price", "quantity"],
    queryProperties: ["name"],
    lastModifiedProperty: "hs_lastmodifieddate",
    createdProperty: "createdate",
    requiredOnCreate: [],
  },
  products: {
    name: "products",
    objectTypeId: "0-7",
    singular: "product",
    readScopes: ["crm.objects.products.read", "e-commerce"],
    writeScopes: ["crm.objects.products.write", "e-commerce"],
    schemaReadScopes: ["e-commerce"],
    schemaWriteScopes: ["e-commerce"],
    defaultProperties: ["description", "name", "price"],
    queryProperties: ["name", "description", "hs_sku"],
    lastModifiedProperty: "hs_lastmodifieddate",
    createdProperty: "createdate",
    requiredOnCreate: [],
  },
  // Tasks and notes are guarded by the contacts scopes in the official specs.
  tasks: {
    name: "tasks",
    objectTypeId: "0-27",
    singular: "task",
    readScopes: ["crm.objects.contacts.read"],
    writeScopes: ["crm.objects.contacts.write"],
    schemaReadScopes: ["crm.schemas.tasks.read", "crm.schemas.contacts.read"],
    schemaWriteScopes: ["crm.schemas.contacts.write"],
    defaultProperties: [],
    queryProperties: ["hs_task_subject", "hs_task_body"],
    lastModifiedProperty: "hs_lastmodifieddate",
    createdProperty: "hs_createdate",
    requiredOnCreate: ["hs_timestamp"],
  },
  notes: {
    name: "notes",
    objectTypeId: "0-46",
    singular: "note",
    readScopes: ["crm.objects.contacts.read"],
    writeScopes: ["crm.objects.contacts.write"],
    schemaReadScopes: ["crm.schemas.notes.read", "crm.schemas.contacts.read"],
    schemaWriteScopes: ["crm.schemas.contacts.write"],
    defaultProperties: [],
    queryProperties: ["hs_note_body"],
    lastModifiedProperty: "hs_lastmodifieddate",
    createdProperty: "hs_createdate",
    requiredOnCreate: ["hs_timestamp"],
  },
};

/** Properties every read returns, whatever was asked. */
export function alwaysReturned(type: CrmObjectType): readonly string[] {
  const definition = OBJECT_TYPES[type];
  return [definition.createdProperty, definition.lastModifiedProperty, "hs_object_id"];
}

/**
 * The object type a path segment names: the plural name, the object type id (`0-3`) or, in
 * the associations API, the singular (`deal`). Null for anything else.
 */
export function resolveObjectType(
  segment: string,
  options: { singular?: boolean } = {},
): CrmObjectType | null {
  const lower = segment.toLowerCase();
  for (const type of CRM_OBJECT_TYPES) {
    const definition = OBJECT_TYPES[type];
    if (lower === type || lower === definition.objectTypeId) return type;
    if (options.singular === true && lower === definition.singular) return type;
  }
  return null;
}

export function objectTypeBySingular(singular: string): CrmObjectType | null {
  return CRM_OBJECT_TYPES.find((type) => OBJECT_TYPES[type].singular === singular) ?? null;
}
