/**
 * After the backfill, each sync brings only what changed: payments, a deleted draft, a credit
 * note cancelling an invoice, an invoice created from a deal. The companies and deals whose
 * values moved are written, and only those.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ENCAISSE_DEAL_PROPERTIES } from "../../functions/src/hubspot/properties";
import { syncTenant } from "../../functions/src/sync/sync-tenant";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { generateBook } from "../fixtures/generate";
import { createPennylaneInvoice, payInFull, unpaidInvoices } from "./book-changes";
import { expectHubSpotMatches, expectReadModelMatches } from "./expectations";
import { PORTAL_ID, type SyncHarness, parisToday, startSyncHarness } from "./harness";

const BOOK = generateBook({ seed: 31, companies: 5, invoices: 40 });

describe.each(TEST_DRIVERS)("incremental sync (%s store)", (driver) => {
  let harness: SyncHarness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("pennylane: payments, a deleted draft, a credit note and a deal's invoice reach HubSpot", async () => {
    const h = (harness = await startSyncHarness({ book: BOOK, provider: "pennylane", driver }));
    await syncTenant(h.backend, PORTAL_ID);
    const before = h.hubspotWrites();
    const truthBefore = await h.truth();

    const [paid] = unpaidInvoices(truthBefore, 1);
    if (paid === undefined) throw new Error("The book has no unpaid invoice.");
    payInFull(h, paid);
    const draft = truthBefore.find((invoice) => invoice.status === "draft");
    if (draft === undefined) throw new Error("The book has no draft.");
    h.pennylane.ledger.deleteDraft(Number(draft.id));
    // A credit note cancelling a new invoice in full: nothing more is owed for it.
    const customerId = [...h.customerIds.values()][1] ?? "";
    const credited = createPennylaneInvoice(h, { customerId, unitPrice: "500.00", quantity: 2 });
    const creditNote = createPennylaneInvoice(h, { customerId, unitPrice: "500.00", quantity: -2 });
    h.pennylane.ledger.linkCreditNote(credited, creditNote);
    // The invoice of a won deal, paid today.
    const deal = h.hubspot.portal(Number(PORTAL_ID)).objects.all("deals")[0];
    if (deal === undefined) throw new Error("The portal has no deal.");
    const dealInvoice = createPennylaneInvoice(h, {
      customerId: [...h.customerIds.values()][2] ?? "",
      unitPrice: "1250.00",
      quantity: 1,
      externalReference: `hubspot-deal-${deal.id}`,
    });
    h.pennylane.recordPayment(dealInvoice, {
      date: parisToday(),
      amountCents: 150_000,
      label: "Virement",
    });

    const report = await syncTenant(h.backend, PORTAL_ID);
    const truth = await h.truth();
    expect(report.backfilled).toBe(false);
    expect(report.invoicesDeleted).toBe(1);
    await expectReadModelMatches(h, truth);
    expectHubSpotMatches(h, truth);

    const p = ENCAISSE_DEAL_PROPERTIES;
    expect(h.hubspotValue("deals", deal.id, p.invoiceStatus.name)).toBe("paid");
    expect(h.hubspotValue("deals", deal.id, p.paidDate.name)).toBe(parisToday());
    const creditedInvoice = truth.find((invoice) => invoice.id === String(credited));
    expect(creditedInvoice?.remainingCents).toBe(0);
    // One batch of companies (those that moved), one of deals.
    const moved = new Set([paid.customerId, draft.customerId, customerId]);
    moved.add([...h.customerIds.values()][2] ?? "");
    const written = h.hubspotWrites();
    expect(written.calls - before.calls).toBe(2);
    expect(written.records - before.records).toBeLessThanOrEqual(moved.size + 1);

    const quiet = await syncTenant(h.backend, PORTAL_ID);
    expect(quiet.hubspotWriteCalls).toBe(0);
  }, 60_000);

  it("pennylane: the customers of a page of changed invoices are named in one call", async () => {
    const h = (harness = await startSyncHarness({ book: BOOK, provider: "pennylane", driver }));
    await syncTenant(h.backend, PORTAL_ID);
    const paid = unpaidInvoices(await h.truth(), 4);
    for (const invoice of paid) payInFull(h, invoice);
    const customers = new Set(paid.map((invoice) => invoice.customerId));
    expect(customers.size).toBeGreaterThan(1);
    h.pennylane.resetStats();

    const report = await syncTenant(h.backend, PORTAL_ID);

    expect(report.invoicesFetched).toBe(paid.length);
    expect(h.pennylane.stats.byEndpoint["GET /customers"]).toBe(1);
    const truth = await h.truth();
    await expectReadModelMatches(h, truth);
    expectHubSpotMatches(h, truth);
  });

  it("sage_active: payments recorded in Sage move only the companies that were paid", async () => {
    const h = (harness = await startSyncHarness({ book: BOOK, provider: "sage_active", driver }));
    await syncTenant(h.backend, PORTAL_ID);
    const before = h.hubspotWrites();
    const paid = unpaidInvoices(await h.truth(), 3);
    for (const invoice of paid) payInFull(h, invoice);

    const report = await syncTenant(h.backend, PORTAL_ID);
    const truth = await h.truth();
    await expectReadModelMatches(h, truth);
    expectHubSpotMatches(h, truth);
    expect(report.invoicesFetched).toBeGreaterThanOrEqual(paid.length);
    const companies = new Set(paid.map((invoice) => invoice.customerId)).size;
    expect(h.hubspotWrites().records - before.records).toBe(companies);
    expect(h.hubspotWrites().calls - before.calls).toBe(1);
  });
});
