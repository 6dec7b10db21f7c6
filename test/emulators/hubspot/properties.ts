/**
 * A portal's property definitions and groups, per object type: the HubSpot-defined ones it
 * starts with, and the custom ones an app creates (Encaisse creates its group and properties
 * on install). Names are unique per object type (409 on a second create); a property must
 * belong to an existing group; the field type must suit the data type, as HubSpot checks.
 */
import {
  DEFAULT_GROUPS,
  DEFAULT_PROPERTIES,
  type PropertyOption,
  type PropertyType,
} from "./default-properties";
import { alreadyExists, notFound, validationError } from "./errors";
import { CRM_OBJECT_TYPES, type CrmObjectType } from "./object-types";

export interface PropertyDefinition {
  readonly objectType: CrmObjectType;
  readonly name: string;
  label: string;
  type: PropertyType;
  fieldType: string;
  groupName: string;
  description: string;
  options: PropertyOption[];
  displayOrder: number;
  readonly hasUniqueValue: boolean;
  hidden: boolean;
  formField: boolean;
  readonly hubspotDefined: boolean;
  readonly readOnlyValue: boolean;
  readonly referencesOwners: boolean;
  readonly createdAtMs: number;
  updatedAtMs: number;
  archived: boolean;
  archivedAtMs: number | null;
}

export interface PropertyGroupRecord {
  readonly name: string;
  label: string;
  displayOrder: number;
  archived: boolean;
}

export interface PropertyInput {
  readonly name: string;
  readonly label: string;
  readonly type: PropertyType;
  readonly fieldType: string;
  readonly groupName: string;
  readonly description?: string;
  readonly options?: readonly PropertyOption[];
  readonly displayOrder?: number;
  readonly hasUniqueValue?: boolean;
  readonly hidden?: boolean;
  readonly formField?: boolean;
  readonly referencedObjectType?: string;
  readonly externalOptions?: boolean;
}

export type PropertyPatch = Partial<
  Omit<PropertyInput, "name" | "hasUniqueValue" | "referencedObjectType" | "externalOptions">
>;

/** Which field types HubSpot accepts for each data type. */
const FIELD_TYPES: Readonly<Record<PropertyType, readonly string[]>> = {
  string: ["text", "textarea", "file", "html", "phonenumber"],
  number: ["number", "calculation_equation"],
  enumeration: ["select", "radio", "checkbox", "booleancheckbox"],
  bool: ["booleancheckbox"],
  date: ["date"],
  datetime: ["date"],
  phone_number: ["phonenumber"],
};

const NAME_PATTERN = /^[a-z][a-z0-9_]*$/;

export class PropertyCatalog {
  private readonly properties = new Map<CrmObjectType, Map<string, PropertyDefinition>>();
  private readonly groupsByType = new Map<CrmObjectType, Map<string, PropertyGroupRecord>>();

  constructor(private readonly nowMs: () => number) {
    const createdAtMs = Date.UTC(2019, 0, 1);
    for (const type of CRM_OBJECT_TYPES) {
      this.groupsByType.set(
        type,
        new Map(DEFAULT_GROUPS[type].map((group) => [group.name, { ...group, archived: false }])),
      );
      const properties = new Map<string, PropertyDefinition>();
      DEFAULT_PROPERTIES[type].forEach((seed, index) => {
        properties.set(seed.name, {
          objectType: type,
          name: seed.name,
          label: seed.label,
          type: seed.type,
          fieldType: seed.fieldType,
          groupName: seed.groupName,
          description: "",
          options: [...(seed.options ?? [])],
          displayOrder: index,
          hasUniqueValue: seed.hasUniqueValue ?? false,
          hidden: false,
          formField: false,
          hubspotDefined: true,
          readOnlyValue: seed.readOnlyValue ?? false,
          referencesOwners: seed.referencesOwners ?? false,
          createdAtMs,
          updatedAtMs: createdAtMs,
          archived: false,
          archivedAtMs: null,
        });
      });
      this.properties.set(type, properties);
    }
  }

  /** The live (not archived) definition of `name`, if any. */
  get(type: CrmObjectType, name: string): PropertyDefinition | undefined {
    const definition = this.propertiesOf(type).get(name);
    return definition === undefined || definition.archived ? undefined : definition;
  }

  list(type: CrmObjectType, options: { archived?: boolean } = {}): PropertyDefinition[] {
    const archived = options.archived ?? false;
    return [...this.propertiesOf(type).values()].filter(
      (definition) => definition.archived === archived,
    );
  }

  create(type: CrmObjectType, input: PropertyInput): PropertyDefinition {
    if (!NAME_PATTERN.test(input.name) || input.name.startsWith("hs_")) {
      throw validationError(
        `Property name ${input.name} is not valid: use lower-case letters, digits and underscores, starting with a letter (the hs_ prefix is reserved).`,
      );
    }
    const existing = this.propertiesOf(type).get(input.name);
    if (existing !== undefined && !existing.archived) {
      throw alreadyExists(`Property named '${input.name}' already exists.`);
    }
    const ownerBacked = input.referencedObjectType === "OWNER" && input.externalOptions === true;
    this.checkShape(type, input, ownerBacked);
    const now = this.nowMs();
    const definition: PropertyDefinition = {
      objectType: type,
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? "",
      options: [...(input.options ?? [])],
      displayOrder: input.displayOrder ?? -1,
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      hubspotDefined: false,
      readOnlyValue: false,
      referencesOwners: ownerBacked,
      createdAtMs: now,
      updatedAtMs: now,
      archived: false,
      archivedAtMs: null,
    };
    this.propertiesOf(type).set(definition.name, definition);
    return definition;
  }

  update(type: CrmObjectType, name: string, patch: PropertyPatch): PropertyDefinition {
    const definition = this.require(type, name);
    if (definition.hubspotDefined && (patch.type !== undefined || patch.fieldType !== undefined)) {
      throw validationError(`The definition of HubSpot-defined property ${name} is read-only.`);
    }
    const merged = { ...definition, ...patch, options: patch.options ?? definition.options };
    this.checkShape(type, merged, definition.referencesOwners);
    Object.assign(definition, {
      label: merged.label,
      type: merged.type,
      fieldType: merged.fieldType,
      groupName: merged.groupName,
      description: merged.description,
      options: [...merged.options],
      displayOrder: merged.displayOrder,
      hidden: merged.hidden,
      formField: merged.formField,
      updatedAtMs: this.nowMs(),
    });
    return definition;
  }

  archive(type: CrmObjectType, name: string): void {
    const definition = this.require(type, name);
    if (definition.hubspotDefined) {
      throw validationError(`HubSpot-defined property ${name} cannot be archived.`);
    }
    definition.archived = true;
    definition.archivedAtMs = this.nowMs();
  }

  require(type: CrmObjectType, name: string): PropertyDefinition {
    const definition = this.get(type, name);
    if (definition === undefined) {
      throw notFound(`Unable to find property ${name} for object type ${type}.`);
    }
    return definition;
  }

  groups(type: CrmObjectType): PropertyGroupRecord[] {
    return [...this.groupsOf(type).values()].filter((group) => !group.archived);
  }

  group(type: CrmObjectType, name: string): PropertyGroupRecord {
    const group = this.groupsOf(type).get(name);
    if (group === undefined || group.archived) {
      throw notFound(`Unable to find property group ${name} for object type ${type}.`);
    }
    return group;
  }

  createGroup(
    type: CrmObjectType,
    input: { name: string; label: string; displayOrder?: number },
  ): PropertyGroupRecord {
    if (!NAME_PATTERN.test(input.name)) {
      throw validationError(
        `Property group name ${input.name} is not valid: use lower-case letters, digits and underscores.`,
      );
    }
    const existing = this.groupsOf(type).get(input.name);
    if (existing !== undefined && !existing.archived) {
      throw alreadyExists(`A property group named '${input.name}' already exists.`);
    }
    const group = {
      name: input.name,
      label: input.label,
      displayOrder: input.displayOrder ?? -1,
      archived: false,
    };
    this.groupsOf(type).set(group.name, group);
    return group;
  }

  updateGroup(
    type: CrmObjectType,
    name: string,
    patch: { label?: string; displayOrder?: number },
  ): PropertyGroupRecord {
    const group = this.group(type, name);
    if (patch.label !== undefined) group.label = patch.label;
    if (patch.displayOrder !== undefined) group.displayOrder = patch.displayOrder;
    return group;
  }

  archiveGroup(type: CrmObjectType, name: string): void {
    const group = this.group(type, name);
    if (this.list(type).some((definition) => definition.groupName === name)) {
      throw validationError(
        `Property group ${name} still has properties; move or archive them first.`,
      );
    }
    group.archived = true;
  }

  private checkShape(
    type: CrmObjectType,
    input: Pick<PropertyInput, "type" | "fieldType" | "groupName"> & {
      options?: readonly PropertyOption[];
    },
    ownerBacked: boolean,
  ): void {
    if (!FIELD_TYPES[input.type].includes(input.fieldType)) {
      throw validationError(
        `fieldType ${input.fieldType} is not valid for a property of type ${input.type} (use one of ${FIELD_TYPES[input.type].join(", ")}).`,
      );
    }
    const group = this.groupsOf(type).get(input.groupName);
    if (group === undefined || group.archived) {
      throw validationError(
        `Property group ${input.groupName} does not exist for object type ${type}.`,
      );
    }
    const options = input.options ?? [];
    // Owner-backed enumerations take their options from the owners, so they list none.
    if (
      input.type === "enumeration" &&
      input.fieldType !== "booleancheckbox" &&
      options.length === 0 &&
      !ownerBacked
    ) {
      throw validationError("Enumeration properties need at least one option.");
    }
    const values = options.map((option) => option.value);
    if (new Set(values).size !== values.length) {
      throw validationError("Option values must be unique.");
    }
  }

  private propertiesOf(type: CrmObjectType): Map<string, PropertyDefinition> {
    const properties = this.properties.get(type);
    if (properties === undefined) throw new Error(`no property table for ${type}`);
    return properties;
  }

  private groupsOf(type: CrmObjectType): Map<string, PropertyGroupRecord> {
    const groups = this.groupsByType.get(type);
    if (groups === undefined) throw new Error(`no group table for ${type}`);
    return groups;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** A definition as the Properties API returns it (schema `Property`). */
export function renderProperty(definition: PropertyDefinition) {
  return {
    name: definition.name,
    label: definition.label,
    type: definition.type,
    fieldType: definition.fieldType,
    description: definition.description,
    groupName: definition.groupName,
    options: definition.options.map((option) => ({
      label: option.label,
      value: option.value,
      ...(option.description === undefined ? {} : { description: option.description }),
      displayOrder: option.displayOrder,
      hidden: option.hidden,
    })),
    displayOrder: definition.displayOrder,
    calculated: definition.readOnlyValue,
    externalOptions: definition.referencesOwners,
    ...(definition.referencesOwners ? { referencedObjectType: "OWNER" } : {}),
    hasUniqueValue: definition.hasUniqueValue,
    hidden: definition.hidden,
    hubspotDefined: definition.hubspotDefined,
    modificationMetadata: {
      archivable: !definition.hubspotDefined,
      readOnlyDefinition: definition.hubspotDefined,
      readOnlyValue: definition.readOnlyValue,
    },
    formField: definition.formField,
    dataSensitivity: "non_sensitive",
    createdAt: iso(definition.createdAtMs),
    updatedAt: iso(definition.updatedAtMs),
    archived: definition.archived,
    ...(definition.archivedAtMs === null ? {} : { archivedAt: iso(definition.archivedAtMs) }),
  };
}

export function renderGroup(group: PropertyGroupRecord) {
  return {
    name: group.name,
    label: group.label,
    displayOrder: group.displayOrder,
    archived: group.archived,
  };
}
