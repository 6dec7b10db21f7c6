import { describe, expect, it } from "vitest";
import type { ChangedRecord } from "../../../functions/src/providers";
import { draftFor, seedCustomer, seedInvoice, useSageTestbed } from "./harness";

const bed = useSageTestbed();
const MINUTE = 60_000;

const sorted = (changes: readonly ChangedRecord[]) =>
  [...changes].map((change) => `${change.kind}:${change.id}`).sort();

describe("modification-date polling", () => {
  it("starting from now reports nothing, then exactly what changed, each change once", async () => {
    const existing = seedCustomer(bed(), { socialName: "DUPONT SA", documentId: "552100554" });
    const paidLater = seedInvoice(bed(), existing.id);
    const untouched = seedInvoice(bed(), existing.id);
    bed().clock.advance(10 * MINUTE);

    const start = await bed().provider.listChanges(null);
    expect(start).toMatchObject({ changes: [], hasMore: false });

    bed().clock.advance(10 * MINUTE);
    bed().emulator.recordPayment(paidLater.id, { date: "2026-03-10", amountCents: 5_000 });
    bed().clock.advance(MINUTE);
    const newcomer = seedCustomer(bed(), { socialName: "Nouveau client SAS" });
    bed().clock.advance(MINUTE);
    const created = await bed().provider.createInvoice(draftFor(existing.id));
    bed().clock.advance(MINUTE);

    const first = await bed().provider.listChanges(start.cursor);
    expect(sorted(first.changes)).toEqual(
      sorted([
        { kind: "invoice", id: paidLater.id, operation: "upsert" },
        { kind: "invoice", id: created.id, operation: "upsert" },
        { kind: "customer", id: newcomer.id, operation: "upsert" },
      ]),
    );
    expect(first.changes.some((change) => change.id === untouched.id)).toBe(false);
    expect(first.hasMore).toBe(false);

    // The next poll re-reads the overlap window but reports nothing twice.
    bed().clock.advance(MINUTE);
    const second = await bed().provider.listChanges(first.cursor);
    expect(second.changes).toEqual([]);

    bed().clock.advance(MINUTE);
    bed().emulator.recordPayment(untouched.id, { date: "2026-03-10", amountCents: 12_000 });
    const third = await bed().provider.listChanges(second.cursor);
    expect(sorted(third.changes)).toEqual([`invoice:${untouched.id}`]);
  });

  it("asks Sage for rows modified or created since the overlap, by modification date", async () => {
    const start = await bed().provider.listChanges(null);
    bed().clock.advance(MINUTE);
    await bed().provider.listChanges(start.cursor);
    const polled = bed().sent.filter((operation) => /ChangedSince$/.test(operation.operationName));
    expect(polled.map((operation) => operation.operationName)).toEqual([
      "SageSalesInvoicesChangedSince",
      "SageOpenItemsChangedSince",
      "SageCustomersChangedSince",
    ]);
    // 5 minutes before the starting point.
    expect(polled.map((operation) => operation.variables["since"])).toEqual(
      Array(3).fill("2026-03-10T08:55:00.000Z"),
    );
  });

  it("a burst larger than the page is walked with hasMore, without losing or repeating a change", async () => {
    const customer = seedCustomer(bed(), { socialName: "DUPONT SA" });
    const start = await bed().provider.listChanges(null);
    const invoices = [1, 2, 3, 4, 5].map(() => {
      bed().clock.advance(MINUTE);
      return seedInvoice(bed(), customer.id, { stage: "Pending" }).id;
    });
    const reported: string[] = [];
    let cursor = start.cursor;
    let calls = 0;
    for (;;) {
      const page = await bed().provider.listChanges(cursor, { limit: 2 });
      reported.push(
        ...page.changes.filter((change) => change.kind === "invoice").map((change) => change.id),
      );
      cursor = page.cursor;
      calls += 1;
      if (!page.hasMore) break;
    }
    expect(calls).toBe(3);
    expect([...reported].sort()).toEqual([...invoices].sort());
    expect(new Set(reported).size).toBe(reported.length);
  });

  it("a cursor that is not ours is refused with SYNC_CURSOR_INVALID", async () => {
    await expect(bed().provider.listChanges("bm90IGEgY3Vyc29y")).rejects.toMatchObject({
      code: "SYNC_CURSOR_INVALID",
    });
  });
});
