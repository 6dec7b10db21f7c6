/**
 * Associations between records, stored both ways as HubSpot does (creating deal -> company
 * also creates company -> deal with the inverse type). Every HUBSPOT_DEFINED type id the
 * product or the seed uses is in the one table below, with its inverse and the name the v3
 * objects API shows (`deal_to_company_unlabeled`). A "Primary" association implies the
 * unlabeled one, and a record has at most one primary company.
 */
import { validationError } from "./errors";
import type { CrmObjectType } from "./object-types";

export interface AssociationTypeDefinition {
  readonly typeId: number;
  readonly from: CrmObjectType;
  readonly to: CrmObjectType;
  /** As the v3 objects API names it in `associations.<type>.results[].type`. */
  readonly name: string;
  readonly label: string | null;
  readonly inverseTypeId: number;
  /** The unlabeled type a primary one implies; null for the others. */
  readonly impliesTypeId: number | null;
}

const pair = (
  [typeId, inverseTypeId]: readonly [number, number],
  from: CrmObjectType,
  to: CrmObjectType,
  names: readonly [string, string],
  options: { label?: string; implies?: readonly [number, number] } = {},
): AssociationTypeDefinition[] => [
  {
    typeId,
    from,
    to,
    name: names[0],
    label: options.label ?? null,
    inverseTypeId,
    impliesTypeId: options.implies?.[0] ?? null,
  },
  {
    typeId: inverseTypeId,
    from: to,
    to: from,
    name: names[1],
    label: options.label ?? null,
    inverseTypeId: typeId,
    impliesTypeId: options.implies?.[1] ?? null,
  },
];

/** HubSpot's HUBSPOT_DEFINED association types between the objects the emulator serves. */
export const ASSOCIATION_TYPES: readonly AssociationTypeDefinition[] = [
  ...pair([279, 280], "contacts", "companies", [
    "contact_to_company_unlabeled",
    "company_to_contact_unlabeled",
  ]),
  ...pair([1, 2], "contacts", "companies", ["contact_to_company", "company_to_contact"], {
    label: "Primary",
    implies: [279, 280],
  }),
  ...pair([341, 342], "deals", "companies", [
    "deal_to_company_unlabeled",
    "company_to_deal_unlabeled",
  ]),
  ...pair([5, 6], "deals", "companies", ["deal_to_company", "company_to_deal"], {
    label: "Primary",
    implies: [341, 342],
  }),
  ...pair([3, 4], "deals", "contacts", ["deal_to_contact", "contact_to_deal"]),
  ...pair([20, 19], "line_items", "deals", ["line_item_to_deal", "deal_to_line_item"]),
  ...pair([192, 191], "tasks", "companies", ["task_to_company", "company_to_task"]),
  ...pair([204, 203], "tasks", "contacts", ["task_to_contact", "contact_to_task"]),
  ...pair([216, 215], "tasks", "deals", ["task_to_deal", "deal_to_task"]),
  ...pair([190, 189], "notes", "companies", ["note_to_company", "company_to_note"]),
  ...pair([202, 201], "notes", "contacts", ["note_to_contact", "contact_to_note"]),
  ...pair([214, 213], "notes", "deals", ["note_to_deal", "deal_to_note"]),
];

/** The ids the product relies on, by name, so code and tests never spell a bare number. */
export const ASSOCIATION_TYPE_IDS = {
  contactToCompany: 279,
  contactToCompanyPrimary: 1,
  companyToContact: 280,
  dealToCompany: 341,
  dealToCompanyPrimary: 5,
  companyToDeal: 342,
  dealToContact: 3,
  lineItemToDeal: 20,
  dealToLineItem: 19,
  taskToCompany: 192,
  taskToContact: 204,
  taskToDeal: 216,
  noteToCompany: 190,
  noteToContact: 202,
  noteToDeal: 214,
} as const;

const BY_ID = new Map(ASSOCIATION_TYPES.map((definition) => [definition.typeId, definition]));

export function associationType(typeId: number): AssociationTypeDefinition | undefined {
  return BY_ID.get(typeId);
}

/** The unlabeled type between two object types: what "associate (default)" creates. */
export function defaultAssociationType(
  from: CrmObjectType,
  to: CrmObjectType,
): AssociationTypeDefinition | undefined {
  return ASSOCIATION_TYPES.find(
    (definition) => definition.from === from && definition.to === to && definition.label === null,
  );
}

/** A type id valid from `from` (to `to` when given), or a 400 naming the problem. */
export function requireAssociationType(
  typeId: number,
  from: CrmObjectType,
  to?: CrmObjectType,
): AssociationTypeDefinition {
  const definition = BY_ID.get(typeId);
  if (
    definition === undefined ||
    definition.from !== from ||
    (to !== undefined && definition.to !== to)
  ) {
    throw validationError(
      `associationTypeId ${typeId} is not a valid HUBSPOT_DEFINED association from ${from}${to === undefined ? "" : ` to ${to}`}.`,
    );
  }
  return definition;
}

export interface AssociatedRecord {
  readonly toId: string;
  readonly typeIds: readonly number[];
}

const keyOf = (type: CrmObjectType, id: string) => `${type}:${id}`;

export class AssociationGraph {
  private readonly edges = new Map<string, Map<CrmObjectType, Map<string, Set<number>>>>();

  /** Adds `typeId` (and what it implies) between the two records, in both directions. */
  add(
    from: { type: CrmObjectType; id: string },
    to: { type: CrmObjectType; id: string },
    typeId: number,
  ): void {
    const definition = requireAssociationType(typeId, from.type, to.type);
    if (definition.label === "Primary") {
      // One primary company per record: an older primary stays as a plain association.
      for (const other of this.list(from.type, from.id, to.type)) {
        if (other.toId !== to.id && other.typeIds.includes(typeId)) {
          this.removeTypes(from, { type: to.type, id: other.toId }, [typeId]);
        }
      }
    }
    this.link(from, to, typeId);
    this.link(to, from, definition.inverseTypeId);
    if (definition.impliesTypeId !== null) this.add(from, to, definition.impliesTypeId);
  }

  /** Removes the given types (every type when omitted) between the two records, both ways. */
  remove(
    from: { type: CrmObjectType; id: string },
    to: { type: CrmObjectType; id: string },
    typeIds?: readonly number[],
  ): void {
    const present = this.typesBetween(from, to);
    this.removeTypes(from, to, typeIds ?? [...present]);
  }

  /** Forgets every association of a record (it was archived). */
  removeAll(type: CrmObjectType, id: string): void {
    const outgoing = this.edges.get(keyOf(type, id));
    if (outgoing === undefined) return;
    for (const [toType, targets] of outgoing) {
      for (const toId of [...targets.keys()]) this.remove({ type, id }, { type: toType, id: toId });
    }
    this.edges.delete(keyOf(type, id));
  }

  list(fromType: CrmObjectType, fromId: string, toType: CrmObjectType): AssociatedRecord[] {
    const targets = this.edges.get(keyOf(fromType, fromId))?.get(toType);
    if (targets === undefined) return [];
    return [...targets]
      .filter(([, typeIds]) => typeIds.size > 0)
      .map(([toId, typeIds]) => ({ toId, typeIds: [...typeIds].sort((a, b) => a - b) }))
      .sort((a, b) => compareIds(a.toId, b.toId));
  }

  typesBetween(
    from: { type: CrmObjectType; id: string },
    to: { type: CrmObjectType; id: string },
  ): ReadonlySet<number> {
    return this.edges.get(keyOf(from.type, from.id))?.get(to.type)?.get(to.id) ?? new Set();
  }

  private removeTypes(
    from: { type: CrmObjectType; id: string },
    to: { type: CrmObjectType; id: string },
    typeIds: readonly number[],
  ): void {
    for (const typeId of typeIds) {
      const definition = associationType(typeId);
      this.unlink(from, to, typeId);
      if (definition !== undefined) this.unlink(to, from, definition.inverseTypeId);
    }
  }

  private link(
    from: { type: CrmObjectType; id: string },
    to: { type: CrmObjectType; id: string },
    typeId: number,
  ): void {
    const key = keyOf(from.type, from.id);
    const byType = this.edges.get(key) ?? new Map<CrmObjectType, Map<string, Set<number>>>();
    this.edges.set(key, byType);
    const targets = byType.get(to.type) ?? new Map<string, Set<number>>();
    byType.set(to.type, targets);
    const typeIds = targets.get(to.id) ?? new Set<number>();
    targets.set(to.id, typeIds);
    typeIds.add(typeId);
  }

  private unlink(
    from: { type: CrmObjectType; id: string },
    to: { type: CrmObjectType; id: string },
    typeId: number,
  ): void {
    const targets = this.edges.get(keyOf(from.type, from.id))?.get(to.type);
    const typeIds = targets?.get(to.id);
    if (typeIds === undefined || targets === undefined) return;
    typeIds.delete(typeId);
    if (typeIds.size === 0) targets.delete(to.id);
  }
}

/** Numeric ids compare as numbers (HubSpot ids are digits). */
export function compareIds(a: string, b: string): number {
  return a.length === b.length ? (a < b ? -1 : a > b ? 1 : 0) : a.length - b.length;
}
