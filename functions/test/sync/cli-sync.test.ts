/**
 * What `encaisse sync` prints: a progress line per page (done / total and the time left)
 * and the run's report.
 */
import { describe, expect, it } from "vitest";
import { progressLine, reportLines } from "../../src/cli/sync";
import { emptyCounters } from "../../src/sync/run";

describe("encaisse sync output", () => {
  it("prints the backfill's progress as done / total with the time left", () => {
    expect(progressLine({ phase: "backfill", done: 2500, total: 10000, etaSeconds: 135 })).toBe(
      "invoices read: 2500 / 10000, about 2 min 15 s left",
    );
    expect(progressLine({ phase: "backfill", done: 100, total: null, etaSeconds: null })).toBe(
      "invoices read: 100 / ?, time left unknown",
    );
  });

  it("reports what the run did, and says so when the tenant has nothing to sync", () => {
    const report = {
      ...emptyCounters(),
      tenantId: "62515",
      provider: "pennylane" as const,
      backfilled: true,
      durationMs: 12_300,
      backfillInvoices: 300,
      customersListed: 20,
      companiesScanned: 25,
      companiesLinked: 18,
      companiesWritten: 20,
      hubspotWriteCalls: 1,
    };
    const lines = reportLines(report);
    expect(lines[0]).toBe("Synced portal 62515 from pennylane in 12.3 s (full backfill).");
    expect(lines).toContain("  invoices read by the backfill  300");
    expect(lines).toContain("  customers listed               20");
    expect(lines).toContain("  companies linked (of scanned)  18 (of 25)");
    expect(lines).toContain("  companies / deals written      20 / 0");
    expect(reportLines({ ...report, provider: null })).toEqual([
      "Portal 62515 has no accounting connection: nothing to sync.",
    ]);
  });
});
