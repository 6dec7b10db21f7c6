/**
 * Records as the v3 objects API returns them (`SimplePublicObject`): every value a string,
 * `hs_object_id` and the create / last-modified dates always there, asked-for properties that
 * exist but hold nothing as null (unknown names are ignored), and with `associations=` the
 * associated ids grouped by object type, one entry per association type.
 */
import { associationType } from "./associations";
import { OBJECT_TYPES, type CrmObjectType, alwaysReturned } from "./object-types";
import type { CrmRecord } from "./objects";
import type { Portal } from "./portal";

const iso = (ms: number) => new Date(ms).toISOString();

export interface RecordView {
  /** Property names asked for; null for the type's defaults. */
  readonly properties: readonly string[] | null;
  readonly associations?: readonly CrmObjectType[];
}

export function renderRecord(portal: Portal, record: CrmRecord, view: RecordView) {
  const wanted = [
    ...(view.properties ?? OBJECT_TYPES[record.type].defaultProperties),
    ...alwaysReturned(record.type),
  ];
  const properties: Record<string, string | null> = {};
  for (const name of [...new Set(wanted)].sort()) {
    if (portal.properties.get(record.type, name) === undefined) continue;
    properties[name] = record.values.get(name) ?? null;
  }
  const rendered = {
    id: record.id,
    properties,
    createdAt: iso(record.createdAtMs),
    updatedAt: iso(record.updatedAtMs),
    archived: record.archived,
    ...(record.archivedAtMs === null ? {} : { archivedAt: iso(record.archivedAtMs) }),
  };
  if (view.associations === undefined || view.associations.length === 0) return rendered;
  const associations: Record<string, { results: { id: string; type: string }[] }> = {};
  for (const toType of new Set(view.associations)) {
    const results = portal.associations.list(record.type, record.id, toType).flatMap((associated) =>
      associated.typeIds.map((typeId) => ({
        id: associated.toId,
        type: associationType(typeId)?.name ?? String(typeId),
      })),
    );
    if (results.length > 0) associations[OBJECT_TYPES[toType].name] = { results };
  }
  return Object.keys(associations).length === 0 ? rendered : { ...rendered, associations };
}
