/**
 * The first sync of a connection and the quiet ones after it, on both providers: the whole
 * book lands in the read model, every linked company gets its rollups in batches of 100, and
 * a sync with nothing new writes nothing to HubSpot.
 */
import { afterEach, describe, expect, it } from "vitest";
import { describeSyncStatus } from "../../functions/src/services/connections/status";
import { syncTenant, type SyncProgress } from "../../functions/src/sync/sync-tenant";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { generateBook } from "../fixtures/generate";
import { expectHubSpotMatches, expectReadModelMatches } from "./expectations";
import { PORTAL_ID, type ProviderName, type SyncHarness, startSyncHarness } from "./harness";

const BOOK = generateBook({ seed: 11, companies: 5, invoices: 36 });
const PROVIDERS: readonly ProviderName[] = ["pennylane", "sage_active"];

describe.each(TEST_DRIVERS)("first sync (%s store)", (driver) => {
  let harness: SyncHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it.each(PROVIDERS)(
    "%s: the backfill brings the whole book in and writes each company once, in one batch",
    async (provider) => {
      const h = (harness = await startSyncHarness({ book: BOOK, provider, driver }));
      const progress: SyncProgress[] = [];
      const report = await syncTenant(h.backend, PORTAL_ID, {
        pageSize: 10,
        onProgress: (p) => progress.push(p),
      });

      const truth = await h.truth();
      expect(report.backfilled).toBe(true);
      expect(report.backfillInvoices).toBe(truth.length);
      await expectReadModelMatches(h, truth);
      expectHubSpotMatches(h, truth);
      // Five linked companies fit in one batch call.
      expect(h.hubspotWrites()).toEqual({ calls: 1, records: BOOK.companies.length });
      expect(report.companiesWritten).toBe(BOOK.companies.length);

      const backfillSteps = progress.filter((p) => p.phase === "backfill");
      expect(backfillSteps.map((p) => p.done)).toEqual(
        Array.from({ length: Math.ceil(truth.length / 10) }, (_, index) =>
          Math.min((index + 1) * 10, truth.length),
        ),
      );
      expect(backfillSteps.at(-1)).toMatchObject({ total: truth.length, etaSeconds: 0 });
      // Sage Active counts its book with the first page; Pennylane's lists say no total.
      expect(backfillSteps[0]?.total).toBe(provider === "sage_active" ? truth.length : null);
      const status = await describeSyncStatus(h.backend, await h.backend.tenant(PORTAL_ID));
      expect(status).toMatchObject({
        state: "idle",
        backfill: { done: truth.length, total: truth.length, etaSeconds: 0 },
        lastError: null,
      });
    },
  );

  it.each(PROVIDERS)(
    "%s: a sync with nothing new reads only the change feed and writes nothing to HubSpot",
    async (provider) => {
      const h = (harness = await startSyncHarness({ book: BOOK, provider, driver }));
      await syncTenant(h.backend, PORTAL_ID);
      const writesAfterFirst = h.hubspotWrites();

      const second = await syncTenant(h.backend, PORTAL_ID);
      expect(second.backfilled).toBe(false);
      expect(second.backfillInvoices).toBe(0);
      expect(second.invoicesFetched).toBe(0);
      expect(second.hubspotWriteCalls).toBe(0);
      expect(h.hubspotWrites()).toEqual(writesAfterFirst);
      await expectReadModelMatches(h, await h.truth());
    },
  );
});
