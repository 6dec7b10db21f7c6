/**
 * HubSpot write-back: recompute the rollups of the customers and deals that owe HubSpot a
 * write, keep only the values that differ from what HubSpot last accepted from us, and send
 * them in batches of exactly 100 records (HubSpot's maximum), remembering each value only
 * once HubSpot has accepted it. Thousands of unchanged companies cost no HubSpot call; a
 * run cut short re-sends at most the batch it was on.
 *
 * Only customers linked to a HubSpot company get company values. Lateness moves with the
 * calendar, so once per Paris day every linked company is recomputed, changed or not.
 */
import { type CalendarDate, type Provider } from "@encaisse/shared";
import { HubSpotError } from "../hubspot/errors";
import type { HubSpotCrm } from "../hubspot/crm";
import type { BatchUpdateResult, PropertyUpdate } from "../hubspot/mapping";
import type { PropertyValue } from "../store";
import { dealsWithInvoices } from "./read-model-queries";
import {
  type PropertyValues,
  clearedDealProperties,
  companyPropertiesOf,
  dealPropertiesFor,
} from "./rollup-properties";
import { type SyncRun, checkpoint, etaSeconds } from "./run";
import { NOTHING_PENDING, saveRollupState } from "./sync-state";

const BATCH_SIZE = 100;

type ObjectType = "companies" | "deals";

/** Changed values waiting for a batch, by record. */
class WriteBuffer {
  private readonly pending = new Map<string, PropertyValue[]>();

  constructor(
    private readonly run: SyncRun,
    private readonly crm: HubSpotCrm,
    private readonly objectType: ObjectType,
  ) {}

  /** Queues what differs from the last accepted values; sends every full batch. */
  async add(objectId: string, values: PropertyValues): Promise<void> {
    const rows = Object.entries(values).map(([property, value]) => ({ objectId, property, value }));
    const changed = await this.run.backend.repos.propertyValues.changedValues(
      this.run.tenantId,
      this.objectType,
      rows,
    );
    if (changed.length === 0) return;
    this.pending.set(objectId, [...(this.pending.get(objectId) ?? []), ...changed]);
    while (this.pending.size >= BATCH_SIZE) await this.send(BATCH_SIZE);
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await this.send(BATCH_SIZE);
  }

  private async send(count: number): Promise<void> {
    checkpoint(this.run);
    const batch = [...this.pending].slice(0, count);
    const updates: PropertyUpdate[] = batch.map(([id, rows]) => ({
      id,
      // An empty string is how HubSpot clears a property.
      properties: Object.fromEntries(rows.map((row) => [row.property, row.value ?? ""])),
    }));
    const result = await this.write(updates);
    const refused = new Set(result.failedIds);
    const accepted = batch.filter(([id]) => !refused.has(id)).flatMap(([, rows]) => rows);
    await this.run.backend.repos.propertyValues.remember(
      this.run.tenantId,
      this.objectType,
      accepted,
    );
    for (const [id] of batch) this.pending.delete(id);
    const counters = this.run.counters;
    counters.hubspotWriteCalls += result.calls;
    counters.hubspotFailedIds.push(...result.failedIds);
    const records = batch.length - refused.size;
    if (this.objectType === "companies") {
      counters.companiesWritten += records;
      counters.companyValuesWritten += accepted.length;
    } else {
      counters.dealsWritten += records;
      counters.dealValuesWritten += accepted.length;
    }
  }

  private async write(updates: readonly PropertyUpdate[]): Promise<BatchUpdateResult> {
    const send = () =>
      this.objectType === "companies"
        ? this.crm.updateCompanies(updates)
        : this.crm.updateDeals(updates);
    try {
      return await send();
    } catch (error) {
      // The properties are created at install; one an admin deleted since makes HubSpot
      // refuse the whole batch. Put them back once and send again.
      if (!(error instanceof HubSpotError && error.category === "VALIDATION_ERROR")) throw error;
      await this.crm.ensureEncaisseProperties();
      return send();
    }
  }
}

export async function writeRollups(
  run: SyncRun,
  crm: HubSpotCrm,
  today: CalendarDate,
): Promise<void> {
  const { backend, tenantId } = run;
  const name: Provider = run.provider.provider;
  const state = run.rollups;
  const everything = state.all || state.fullDay !== today;

  const links = await backend.repos.customerLinks.list(tenantId, name);
  const wanted = new Set(state.customers);
  const companies = links.filter((link) => everything || wanted.has(link.providerCustomerId));
  const deals = everything
    ? [...new Set([...(await dealsWithInvoices(run.db, tenantId, name)), ...state.deals])]
    : state.deals;

  const total = companies.length + deals.length;
  const startedAt = backend.clock.now();
  let done = 0;
  const report = () => {
    done += 1;
    if (done % BATCH_SIZE !== 0 && done !== total) return;
    run.progress({
      phase: "hubspot",
      done,
      total,
      etaSeconds: etaSeconds(startedAt, backend.clock.now(), done, total - done),
    });
  };

  const companyWrites = new WriteBuffer(run, crm, "companies");
  for (const link of companies) {
    const invoices = await backend.repos.readModel.allCustomerInvoices(
      tenantId,
      name,
      link.providerCustomerId,
      today,
    );
    await companyWrites.add(link.companyId, companyPropertiesOf(invoices, today));
    run.counters.companiesComputed += 1;
    report();
  }
  await companyWrites.flush();

  const dealWrites = new WriteBuffer(run, crm, "deals");
  for (const dealId of deals) {
    const invoice = await backend.repos.readModel.findInvoiceByExternalReference(
      tenantId,
      name,
      `hubspot-deal-${dealId}`,
      today,
    );
    await dealWrites.add(
      dealId,
      invoice === null ? clearedDealProperties() : dealPropertiesFor(invoice),
    );
    run.counters.dealsComputed += 1;
    report();
  }
  await dealWrites.flush();

  run.rollups = { ...NOTHING_PENDING, fullDay: everything ? today : state.fullDay };
  await saveRollupState(backend.repos.cursors, tenantId, name, run.rollups);
}
