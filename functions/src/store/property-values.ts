/**
 * The HubSpot property values we last wrote, so that each sync writes only what changed:
 * thousands of companies with unchanged rollups cost no HubSpot call at all.
 * Call `changedValues` before the batch write and `remember` after it succeeded.
 */
import { and, eq, inArray } from "drizzle-orm";
import { type Clock, systemClock } from "../net/clock";
import { chunked, fromExcluded, lastByKey, rowsPerStatement } from "./batch";
import type { StoreDb } from "./open";
import { hubspotPropertyValues } from "./schema";

export interface PropertyValue {
  readonly objectId: string;
  readonly property: string;
  /** Null clears the property. */
  readonly value: string | null;
}

const keyOf = (row: { objectId: string; property: string }) =>
  `${row.objectId}\u0000${row.property}`;

export class PropertyValueRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The rows whose value differs from the last one written (or was never written). */
  async changedValues(
    tenantId: string,
    objectType: string,
    rows: readonly PropertyValue[],
  ): Promise<PropertyValue[]> {
    const unique = lastByKey(rows, keyOf);
    const stored = new Map<string, string | null>();
    for (const objectIds of chunked([...new Set(unique.map((row) => row.objectId))], 1000)) {
      const found = await this.db
        .select({
          objectId: hubspotPropertyValues.objectId,
          property: hubspotPropertyValues.property,
          value: hubspotPropertyValues.value,
        })
        .from(hubspotPropertyValues)
        .where(
          and(
            eq(hubspotPropertyValues.tenantId, tenantId),
            eq(hubspotPropertyValues.objectType, objectType),
            inArray(hubspotPropertyValues.objectId, objectIds),
          ),
        );
      for (const row of found) stored.set(keyOf(row), row.value);
    }
    return unique.filter((row) => {
      const key = keyOf(row);
      return !stored.has(key) || stored.get(key) !== row.value;
    });
  }

  /** Records values HubSpot accepted. */
  async remember(
    tenantId: string,
    objectType: string,
    rows: readonly PropertyValue[],
  ): Promise<void> {
    const writtenAt = new Date(this.clock.now());
    for (const chunk of chunked(lastByKey(rows, keyOf), rowsPerStatement(6))) {
      await this.db
        .insert(hubspotPropertyValues)
        .values(chunk.map((row) => ({ tenantId, objectType, ...row, writtenAt })))
        .onConflictDoUpdate({
          target: [
            hubspotPropertyValues.tenantId,
            hubspotPropertyValues.objectType,
            hubspotPropertyValues.objectId,
            hubspotPropertyValues.property,
          ],
          set: fromExcluded(hubspotPropertyValues, ["value", "writtenAt"]),
        });
    }
  }

  /** Forgets what was written to an object (it was deleted or merged in HubSpot). */
  async forget(tenantId: string, objectType: string, objectId: string): Promise<void> {
    await this.db
      .delete(hubspotPropertyValues)
      .where(
        and(
          eq(hubspotPropertyValues.tenantId, tenantId),
          eq(hubspotPropertyValues.objectType, objectType),
          eq(hubspotPropertyValues.objectId, objectId),
        ),
      );
  }
}
