/**
 * One HubSpot account (portal, hub id): its own records, properties, associations and owners,
 * isolated from every other portal. Associating an engagement updates the activity dates of
 * the records it is attached to, as HubSpot's calculated properties do: a note sets "Last
 * Activity Date" (`notes_last_updated`), an open task "Next Activity Date".
 */
import { AssociationGraph, requireAssociationType } from "./associations";
import { notFound } from "./errors";
import type { CrmObjectType } from "./object-types";
import { type CrmRecord, CrmObjects } from "./objects";
import { OwnerDirectory } from "./owners";
import { PropertyCatalog } from "./properties";
import { instantOf } from "./property-values";

export interface RecordRef {
  readonly type: CrmObjectType;
  readonly id: string;
}

export class Portal {
  readonly properties: PropertyCatalog;
  readonly owners: OwnerDirectory;
  readonly associations = new AssociationGraph();
  readonly objects: CrmObjects;

  constructor(
    readonly portalId: number,
    readonly hubDomain: string,
    nextId: () => number,
    private readonly nowMs: () => number,
  ) {
    this.properties = new PropertyCatalog(nowMs);
    this.owners = new OwnerDirectory(nextId, nowMs);
    this.objects = new CrmObjects(
      portalId,
      this.properties,
      (id) => this.owners.isActiveOwner(id),
      nextId,
      nowMs,
    );
  }

  /** The live record, or HubSpot's 404. */
  requireRecord(type: CrmObjectType, id: string): CrmRecord {
    const record = this.objects.get(type, id);
    if (record === undefined) {
      throw notFound(`Object not found. objectId are usually numeric.`, { id: [id] });
    }
    return record;
  }

  /** Associates two live records (both must exist), in both directions. */
  associate(from: RecordRef, to: RecordRef, typeId: number): void {
    requireAssociationType(typeId, from.type, to.type);
    const fromRecord = this.requireRecord(from.type, from.id);
    const toRecord = this.requireRecord(to.type, to.id);
    this.associations.add(from, to, typeId);
    this.recordActivity(fromRecord, toRecord);
    this.recordActivity(toRecord, fromRecord);
  }

  archive(record: CrmRecord): void {
    this.objects.archive(record);
    this.associations.removeAll(record.type, record.id);
  }

  private recordActivity(engagement: CrmRecord, target: CrmRecord): void {
    if (!["companies", "contacts", "deals"].includes(target.type)) return;
    const at = instantOf(engagement.values.get("hs_timestamp") ?? "");
    if (at === null) return;
    if (engagement.type === "notes") {
      const previous = instantOf(target.values.get("notes_last_updated") ?? "");
      if (previous === null || at > previous) {
        this.objects.touch(target, { notes_last_updated: new Date(at).toISOString() });
      }
    }
    if (
      engagement.type === "tasks" &&
      engagement.values.get("hs_task_status") !== "COMPLETED" &&
      at > this.nowMs()
    ) {
      const next = instantOf(target.values.get("notes_next_activity_date") ?? "");
      if (next === null || next <= this.nowMs() || at < next) {
        this.objects.touch(target, { notes_next_activity_date: new Date(at).toISOString() });
      }
    }
  }
}
