/**
 * The sync when things go wrong, on both providers: 429 storms, 5xx and requests that hang,
 * on the provider and on HubSpot; an access token expiring in the middle; the process
 * stopping between two pages. Whatever happens, the end state is the provider's truth in
 * the read model and in HubSpot, nothing missing and nothing written twice.
 */
import { afterEach, describe, expect, it } from "vitest";
import { syncTenant } from "../../functions/src/sync/sync-tenant";
import { generateBook } from "../fixtures/generate";
import { payInFull, unpaidInvoices } from "./book-changes";
import { expectHubSpotMatches, expectReadModelMatches } from "./expectations";
import { PORTAL_ID, type ProviderName, type SyncHarness, startSyncHarness } from "./harness";

const BOOK = generateBook({ seed: 23, companies: 6, invoices: 40 });
const PROVIDERS: readonly ProviderName[] = ["pennylane", "sage_active"];
const PAGE = 10;

function providerFaults(h: SyncHarness) {
  return h.providerName === "pennylane" ? h.pennylane.faults : h.sage.faults;
}

// The faults are the services' (network, limits, tokens) and the stops between pages; the
// store's part (cursors, read model, values remembered) runs on PostgreSQL too in
// first-sync, incremental and linking. Once on the embedded store keeps CI's time in check.
describe.each(["pglite"] as const)("sync under faults (%s store)", (driver) => {
  let harness: SyncHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it.each(PROVIDERS)(
    "%s: 429 storms, 5xx and hung requests on both sides end in the same state as a clean run",
    async (provider) => {
      const h = (harness = await startSyncHarness({ book: BOOK, provider, driver }));
      const faults = providerFaults(h);
      // A hung request ends as the gateway's 504 after a short while.
      faults.maxHangMs = 200;
      h.hubspot.faults.maxHangMs = 200;
      faults.rateLimitStorm({ requests: 3, retryAfterSeconds: 1 });
      let step = 0;
      const report = await syncTenant(h.backend, PORTAL_ID, {
        pageSize: PAGE,
        onProgress: () => {
          step += 1;
          if (step === 1) faults.serverErrors({ requests: 2 });
          if (step === 2) faults.timeouts({ requests: 1 });
          if (step === 3) {
            h.hubspot.faults.rateLimitStorm({ requests: 2, policy: "SECONDLY" });
            h.hubspot.faults.serverErrors({ requests: 1 });
          }
        },
      });

      const truth = await h.truth();
      await expectReadModelMatches(h, truth);
      expectHubSpotMatches(h, truth);
      expect(report.backfillInvoices).toBe(truth.length);
      // Refused batches are sent again, but each company is accepted once.
      expect(h.hubspotWrites().records).toBe(BOOK.companies.length);
      const stats = h.providerName === "pennylane" ? h.pennylane.stats : h.sage.stats;
      expect(stats.rateLimited).toBeGreaterThanOrEqual(3);
    },
    90_000,
  );

  it.each(PROVIDERS)(
    "%s: a backfill stopped between two pages resumes at the next page, reading no page twice",
    async (provider) => {
      const h = (harness = await startSyncHarness({ book: BOOK, provider, driver }));
      const stop = new AbortController();
      const first = syncTenant(h.backend, PORTAL_ID, {
        pageSize: PAGE,
        signal: stop.signal,
        onProgress: (progress) => {
          if (progress.phase === "backfill" && progress.done === 2 * PAGE) stop.abort();
        },
      });
      await expect(first).rejects.toThrow();
      const status = await h.backend.repos.cursors.get(PORTAL_ID, provider, "invoices");
      expect(status).toMatchObject({ backfillDone: 2 * PAGE, lastError: null });
      expect(h.hubspotWrites().records).toBe(0);

      const second = await syncTenant(h.backend, PORTAL_ID, { pageSize: PAGE });
      const truth = await h.truth();
      expect(2 * PAGE + second.backfillInvoices).toBe(truth.length);
      await expectReadModelMatches(h, truth);
      expectHubSpotMatches(h, truth);
      expect(h.hubspotWrites()).toEqual({ calls: 1, records: BOOK.companies.length });
    },
  );

  it.each(PROVIDERS)(
    "%s: an incremental sync stopped between two pages of changes loses and repeats nothing",
    async (provider) => {
      const h = (harness = await startSyncHarness({ book: BOOK, provider, driver }));
      await syncTenant(h.backend, PORTAL_ID);
      const before = h.hubspotWrites();
      const paid = unpaidInvoices(await h.truth(), 5);
      for (const invoice of paid) payInFull(h, invoice);
      const moved = new Set(paid.map((invoice) => invoice.customerId));

      const stop = new AbortController();
      await expect(
        syncTenant(h.backend, PORTAL_ID, {
          pageSize: 2,
          signal: stop.signal,
          onProgress: (progress) => {
            if (progress.phase === "changes") stop.abort();
          },
        }),
      ).rejects.toThrow();
      const second = await syncTenant(h.backend, PORTAL_ID, { pageSize: 2 });

      const truth = await h.truth();
      await expectReadModelMatches(h, truth);
      expectHubSpotMatches(h, truth);
      expect(second.backfilled).toBe(false);
      // Only the companies whose customer was paid are written, once each.
      expect(h.hubspotWrites().records - before.records).toBe(moved.size);
      expect(h.hubspotWrites().calls - before.calls).toBe(1);
    },
  );

  it.each(PROVIDERS)(
    "%s: access tokens expiring in the middle of a sync are refreshed and the sync completes",
    async (provider) => {
      const h = (harness = await startSyncHarness({ book: BOOK, provider, driver }));
      const report = await syncTenant(h.backend, PORTAL_ID, {
        pageSize: PAGE,
        onProgress: (progress) => {
          if (progress.phase !== "backfill" || progress.done !== PAGE) return;
          // HubSpot's token dies before the write-back; Sage's (OAuth) mid-backfill.
          h.hubspot.expireAccessTokens(Number(PORTAL_ID));
          if (provider === "sage_active") h.sage.expireAccessTokens();
        },
      });
      const truth = await h.truth();
      expect(report.backfillInvoices).toBe(truth.length);
      await expectReadModelMatches(h, truth);
      expectHubSpotMatches(h, truth);
      expect(h.hubspotWrites().records).toBe(BOOK.companies.length);
    },
  );
});
