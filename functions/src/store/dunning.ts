/**
 * Dunning state: the steps already done on each invoice (each at most once, enforced by the
 * primary key, so two runners racing on one invoice create one task) and the pauses a rep
 * put on an invoice (a dispute, a promise to pay).
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type { CalendarDate, DunningHistoryEntry, DunningPause, Provider } from "@encaisse/shared";
import type { StoreDb } from "./open";
import { chunked } from "./batch";
import { dunningActions, dunningPauses } from "./schema";

export interface DunningActionRecord {
  readonly provider: Provider;
  readonly invoiceId: string;
  readonly stepId: string;
  readonly doneOn: CalendarDate;
  readonly hubspotTaskId?: string | null;
}

export interface DoneStep extends DunningHistoryEntry {
  readonly hubspotTaskId: string | null;
}

export type NewPause =
  | { readonly kind: "dispute"; readonly since: CalendarDate }
  | { readonly kind: "promise_to_pay"; readonly since: CalendarDate; readonly until: CalendarDate };

export interface PauseRecord {
  readonly provider: Provider;
  readonly invoiceId: string;
  readonly pause: NewPause;
  readonly note?: string | null;
  /** HubSpot user id. */
  readonly createdBy?: string | null;
}

type PauseRow = typeof dunningPauses.$inferSelect;

/** A promise to pay resolved early ends on the day it was resolved. */
function toPause(row: PauseRow): DunningPause {
  if (row.kind === "dispute") {
    return { kind: "dispute", since: row.since, resolvedOn: row.resolvedOn };
  }
  const until = row.until ?? row.since;
  return {
    kind: "promise_to_pay",
    since: row.since,
    until: row.resolvedOn !== null && row.resolvedOn < until ? row.resolvedOn : until,
  };
}

export class DunningRepository {
  constructor(private readonly db: StoreDb) {}

  /** True when this step is new for this invoice; false when it was already done. */
  async recordAction(tenantId: string, action: DunningActionRecord): Promise<boolean> {
    const inserted = await this.db
      .insert(dunningActions)
      .values({
        tenantId,
        provider: action.provider,
        invoiceId: action.invoiceId,
        stepId: action.stepId,
        doneOn: action.doneOn,
        hubspotTaskId: action.hubspotTaskId ?? null,
      })
      .onConflictDoNothing()
      .returning({ stepId: dunningActions.stepId });
    return inserted.length > 0;
  }

  /** Links the HubSpot task created for a step recorded first (record, then create the task). */
  async attachTask(
    tenantId: string,
    provider: Provider,
    invoiceId: string,
    stepId: string,
    hubspotTaskId: string,
  ): Promise<void> {
    await this.db
      .update(dunningActions)
      .set({ hubspotTaskId })
      .where(
        and(
          eq(dunningActions.tenantId, tenantId),
          eq(dunningActions.provider, provider),
          eq(dunningActions.invoiceId, invoiceId),
          eq(dunningActions.stepId, stepId),
        ),
      );
  }

  /** Steps done, per invoice, oldest first: the `history` the dunning plan needs. */
  async history(
    tenantId: string,
    provider: Provider,
    invoiceIds: readonly string[],
  ): Promise<Map<string, DoneStep[]>> {
    const byInvoice = new Map<string, DoneStep[]>();
    for (const ids of chunked([...new Set(invoiceIds)], 1000)) {
      const rows = await this.db
        .select()
        .from(dunningActions)
        .where(
          and(
            eq(dunningActions.tenantId, tenantId),
            eq(dunningActions.provider, provider),
            inArray(dunningActions.invoiceId, ids),
          ),
        )
        .orderBy(asc(dunningActions.doneOn), asc(dunningActions.stepId));
      for (const row of rows) {
        const steps = byInvoice.get(row.invoiceId) ?? [];
        steps.push({ stepId: row.stepId, doneOn: row.doneOn, hubspotTaskId: row.hubspotTaskId });
        byInvoice.set(row.invoiceId, steps);
      }
    }
    return byInvoice;
  }

  async addPause(tenantId: string, record: PauseRecord): Promise<void> {
    await this.db.insert(dunningPauses).values({
      tenantId,
      provider: record.provider,
      invoiceId: record.invoiceId,
      kind: record.pause.kind,
      since: record.pause.since,
      until: record.pause.kind === "promise_to_pay" ? record.pause.until : null,
      note: record.note ?? null,
      createdBy: record.createdBy ?? null,
    });
  }

  /** Ends the invoice's open pauses on `on`; returns how many were open. */
  async resolvePauses(
    tenantId: string,
    provider: Provider,
    invoiceId: string,
    on: CalendarDate,
  ): Promise<number> {
    const resolved = await this.db
      .update(dunningPauses)
      .set({ resolvedOn: on })
      .where(
        and(
          eq(dunningPauses.tenantId, tenantId),
          eq(dunningPauses.provider, provider),
          eq(dunningPauses.invoiceId, invoiceId),
          isNull(dunningPauses.resolvedOn),
        ),
      )
      .returning({ id: dunningPauses.id });
    return resolved.length;
  }

  /** Pauses per invoice, oldest first, in the shape the dunning plan reads. */
  async pauses(
    tenantId: string,
    provider: Provider,
    invoiceIds: readonly string[],
  ): Promise<Map<string, DunningPause[]>> {
    const byInvoice = new Map<string, DunningPause[]>();
    for (const ids of chunked([...new Set(invoiceIds)], 1000)) {
      const rows = await this.db
        .select()
        .from(dunningPauses)
        .where(
          and(
            eq(dunningPauses.tenantId, tenantId),
            eq(dunningPauses.provider, provider),
            inArray(dunningPauses.invoiceId, ids),
          ),
        )
        .orderBy(asc(dunningPauses.since), asc(dunningPauses.id));
      for (const row of rows) {
        const list = byInvoice.get(row.invoiceId) ?? [];
        list.push(toPause(row));
        byInvoice.set(row.invoiceId, list);
      }
    }
    return byInvoice;
  }
}
