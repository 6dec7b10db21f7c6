import { describe, expect, it } from "vitest";
import type { ChangedRecord } from "../../../functions/src/providers/provider";
import { PennylaneEmulator } from "../../emulators/pennylane";
import { API_TOKEN, customerInput, interceptOnce, useHarness } from "./harness";

const h = useHarness();
const DAY = 86_400_000;

/** Reads every page of changes from `cursor`, as the sync does. */
async function drain(
  provider: ReturnType<typeof h.provider>,
  cursor: string,
  limit?: number,
): Promise<{ changes: ChangedRecord[]; cursor: string; pages: number }> {
  const changes: ChangedRecord[] = [];
  let pages = 0;
  for (;;) {
    const page = await provider.listChanges(cursor, limit === undefined ? {} : { limit });
    changes.push(...page.changes);
    cursor = page.cursor;
    pages += 1;
    if (!page.hasMore) return { changes, cursor, pages };
  }
}

describe("Pennylane: incremental changes", () => {
  it("the first call starts from now: what happened before is not replayed", async () => {
    await h.backOffice.createCompany(customerInput());
    h.clock.advance(60_000);
    const first = await h.provider().listChanges(null);
    expect(first).toMatchObject({ changes: [], hasMore: false });
    const next = await h.provider().listChanges(first.cursor);
    expect(next.changes).toEqual([]);
  });

  it("after N changes, listChanges returns exactly them, customers first, then nothing more", async () => {
    const provider = h.provider();
    const { cursor } = await provider.listChanges(null);
    h.clock.advance(1_000);
    const customer = await h.backOffice.createCompany(customerInput());
    h.clock.advance(1_000);
    const paid = await h.backOffice.createInvoice({
      customerId: customer,
      date: "2026-03-10",
      deadline: "2026-04-09",
    });
    const draft = await h.backOffice.createInvoice({
      customerId: customer,
      date: "2026-03-10",
      deadline: "2026-04-09",
      draft: true,
    });
    h.clock.advance(1_000);
    h.emulator.recordPayment(paid, { date: "2026-03-10", amountCents: 12_000, label: "VIR" });
    await h.backOffice.deleteDraft(draft);
    h.clock.advance(1_000);

    const read = await drain(provider, cursor);
    expect(read.changes).toEqual([
      { kind: "customer", id: String(customer), operation: "upsert" },
      { kind: "invoice", id: String(paid), operation: "upsert" },
      { kind: "invoice", id: String(draft), operation: "delete" },
    ]);
    expect((await drain(provider, read.cursor)).changes).toEqual([]);
  });

  it("a backlog larger than a page is read over several pages, each change once", async () => {
    const provider = h.provider();
    let { cursor } = await provider.listChanges(null);
    const customerId = await h.backOffice.createCompany(customerInput());
    const invoices = await h.backOffice.createInvoices(
      Array.from({ length: 7 }, () => ({ customerId, date: "2026-03-10", deadline: "2026-04-09" })),
    );
    const read = await drain(provider, cursor, 3);
    expect(read.pages).toBeGreaterThan(1);
    expect(
      read.changes.filter((change) => change.kind === "invoice").map((change) => change.id),
    ).toEqual(invoices.map(String));
    cursor = read.cursor;
    // More changes in the very same instant as the last ones read: only the new one comes back.
    const late = await h.backOffice.createInvoice({
      customerId,
      date: "2026-03-10",
      deadline: "2026-04-09",
    });
    expect((await drain(provider, cursor, 3)).changes).toEqual([
      { kind: "invoice", id: String(late), operation: "upsert" },
    ]);
  });

  it("a quiet connection keeps its cursor alive beyond the 4 weeks Pennylane keeps", async () => {
    const provider = h.provider();
    let { cursor } = await provider.listChanges(null);
    for (let week = 0; week < 6; week += 1) {
      h.clock.advance(7 * DAY);
      ({ cursor } = await provider.listChanges(cursor));
    }
    const customer = await h.backOffice.createCompany(customerInput());
    expect((await provider.listChanges(cursor)).changes).toEqual([
      { kind: "customer", id: String(customer), operation: "upsert" },
    ]);
  });

  it("a cursor older than 4 weeks is PROVIDER_CHANGES_EXPIRED, so the sync runs a backfill", async () => {
    const provider = h.provider();
    const { cursor } = await provider.listChanges(null);
    h.clock.advance(29 * DAY);
    await expect(provider.listChanges(cursor)).rejects.toMatchObject({
      code: "PROVIDER_CHANGES_EXPIRED",
    });
    expect(h.sentTo("GET", "/changelogs/customers")).toHaveLength(0);
  });

  it("a position Pennylane refuses as too old (422) is PROVIDER_CHANGES_EXPIRED too", async () => {
    // Pennylane's clock is ahead of ours: our check passes, Pennylane's does not.
    const ahead = new PennylaneEmulator({ now: () => new Date(h.clock.now() + 29 * DAY) });
    ahead.addApiToken(API_TOKEN);
    const provider = h.provider();
    const { cursor } = await provider.listChanges(null);
    interceptOnce("get", "/changelogs/customers", (request) => ahead.handle(request));
    await expect(provider.listChanges(cursor)).rejects.toMatchObject({
      code: "PROVIDER_CHANGES_EXPIRED",
    });
  });

  it("a cursor that is not ours is PROVIDER_CHANGES_EXPIRED rather than a silent restart", async () => {
    await expect(h.provider().listChanges("not-a-cursor")).rejects.toMatchObject({
      code: "PROVIDER_CHANGES_EXPIRED",
    });
  });
});
