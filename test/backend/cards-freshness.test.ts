/**
 * How fresh the card's data is: served from the read model while it is fresh (no provider
 * call at all), refreshed from the provider once it is older than the tenant's window, and,
 * when the provider is down or slower than the time budget, served as last known with its
 * age and the reason, while the refresh finishes in the background.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { refreshKey } from "../../functions/src/services/cards/freshness";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { generateBook, paidCentsOf } from "../fixtures/generate";
import {
  type CardView,
  ageCustomerData,
  callsTo,
  cardsOf,
  companiesWithSiren,
  getCardView,
  invoicesOf,
  pennylaneCustomer,
  providerCalls,
  today,
} from "./card-support";
import { type BackendHarness, PORTAL_ID, startBackendHarness } from "./harness";

const BOOK = generateBook({ companies: 30, invoices: 300 });
const LIST_INVOICES = "GET /customer_invoices";
const LIST_PAYMENTS = "GET /customer_invoices/{customer_invoice_id}/payments";
/** Never the limit in these tests, except where a test says otherwise. */
const GENEROUS_BUDGET_MS = 25_000;

describe.each(TEST_DRIVERS)("card data freshness (%s store)", (driver) => {
  let harness: BackendHarness;
  let companies: string[];

  /** A company of the book not used by another test, first seen (and synced) now. */
  async function syncedCompany(options: { owing?: boolean } = {}): Promise<{
    key: string;
    query: Record<string, string>;
    customerId: string;
    first: CardView;
  }> {
    const key = companies.find((candidate) => !options.owing || owes(candidate));
    if (key === undefined) throw new Error("The book ran out of companies.");
    companies = companies.filter((candidate) => candidate !== key);
    const query = {
      objectType: "companies",
      objectId: harness.companyIds[key] ?? "",
      pageSize: "100",
    };
    const first = await getCardView(harness, query);
    return { key, query, customerId: first.customer.providerCustomerId, first };
  }

  /** The book has an invoice on which this customer still owes more than 10 euros. */
  function owes(key: string): boolean {
    return invoicesOf(harness, key).some(
      (invoice) =>
        !invoice.draft &&
        !invoice.cancelled &&
        invoice.creditNoteOf === null &&
        invoice.grossCents - paidCentsOf(invoice) > 1000,
    );
  }

  /** An invoice of the customer with money still owed on it, in the emulated Pennylane. */
  function openInvoiceOf(view: CardView) {
    const invoice = view.invoices.items.find(
      (candidate) =>
        candidate.remainingCents > 1000 && !candidate.isDraft && !candidate.isCreditNote,
    );
    if (invoice === undefined) throw new Error("This customer owes nothing.");
    return invoice;
  }

  beforeAll(async () => {
    harness = await startBackendHarness({ driver, book: BOOK });
    cardsOf(harness).configure({ refreshBudgetMs: GENEROUS_BUDGET_MS });
    // Smallest customers first: a first sync asks each paid invoice for its payments.
    companies = companiesWithSiren(harness, 5).sort(
      (a, b) => invoicesOf(harness, a).length - invoicesOf(harness, b).length,
    );
  }, 60_000);

  afterEach(async () => {
    harness.pennylane.faults.reset();
    await cardsOf(harness).refresher.idle();
    cardsOf(harness).configure({ refreshBudgetMs: GENEROUS_BUDGET_MS, failureCooldownMs: 15_000 });
  });

  afterAll(async () => {
    await cardsOf(harness).refresher.idle();
    await harness.close();
  });

  it("a second view within the freshness window costs no provider call and no HubSpot call", async () => {
    const { query, first } = await syncedCompany();
    const calls = providerCalls(harness);
    const hubspotCalls = harness.hubspot.stats.totalRequests;
    const second = await getCardView(harness, query);
    expect(providerCalls(harness)).toBe(calls);
    expect(harness.hubspot.stats.totalRequests).toBe(hubspotCalls);
    expect(second.freshness.stale).toBe(false);
    expect(second.freshness.syncedAt).toBe(first.freshness.syncedAt);
    expect(second.invoices).toEqual(first.invoices);
  });

  it("a view of data older than the window refreshes it and shows a payment recorded since", async () => {
    const { query, customerId, first } = await syncedCompany({ owing: true });
    const invoice = openInvoiceOf(first);
    harness.pennylane.recordPayment(Number(invoice.id), {
      date: today(),
      amountCents: 1000,
      label: "Virement partiel",
    });

    // Within the window the card keeps what it has: the payment is not there yet.
    const cached = await getCardView(harness, query);
    expect(cached.invoices.items.find((item) => item.id === invoice.id)?.paidCents).toBe(
      invoice.paidCents,
    );

    await ageCustomerData(harness, customerId, 3600);
    const listed = callsTo(harness, LIST_INVOICES);
    const paymentLookups = callsTo(harness, LIST_PAYMENTS);
    const refreshed = await getCardView(harness, query);
    const after = refreshed.invoices.items.find((item) => item.id === invoice.id);
    expect(after?.paidCents).toBe(invoice.paidCents + 1000);
    expect(after?.remainingCents).toBe(invoice.remainingCents - 1000);
    expect(
      after?.payments.filter((payment) => payment.date === today()).map((p) => p.amountCents),
    ).toContain(1000);
    expect(refreshed.summary.outstandingCents).toBe(first.summary.outstandingCents - 1000);
    // One listing, and the payments of the one invoice whose paid amount changed.
    expect(callsTo(harness, LIST_INVOICES) - listed).toBe(1);
    expect(callsTo(harness, LIST_PAYMENTS) - paymentLookups).toBe(1);
    expect(refreshed.freshness).toMatchObject({ stale: false, refreshError: null });
    expect(refreshed.freshness.ageSeconds).toBeLessThan(5);
  });

  it("the rep's refresh asks the provider even while the data is fresh", async () => {
    const { query } = await syncedCompany();
    const listed = callsTo(harness, LIST_INVOICES);
    const view = await getCardView(harness, { ...query, refresh: "1" });
    expect(callsTo(harness, LIST_INVOICES) - listed).toBe(1);
    expect(view.freshness.stale).toBe(false);
  });

  it("two views at once refresh a customer once", async () => {
    const { query, customerId } = await syncedCompany();
    await ageCustomerData(harness, customerId, 3600);
    const listed = callsTo(harness, LIST_INVOICES);
    const views = await Promise.all([
      getCardView(harness, query),
      getCardView(harness, query),
      getCardView(harness, query),
    ]);
    expect(callsTo(harness, LIST_INVOICES) - listed).toBe(1);
    for (const view of views) expect(view.freshness.stale).toBe(false);
  });

  it("forgets an invoice the provider no longer lists for the customer", async () => {
    const { query, customerId, first } = await syncedCompany();
    const [kept] = first.invoices.items;
    if (kept === undefined) throw new Error("This customer has no invoice.");
    const { readModel } = harness.backend.repos;
    const stored = await readModel.getInvoice(PORTAL_ID, "pennylane", kept.id);
    if (stored === null) throw new Error("The invoice is not in the read model.");
    // What a draft deleted in Pennylane since the last sync leaves behind.
    await readModel.upsertInvoices(PORTAL_ID, [{ ...stored, id: "990001", number: null }]);
    expect((await getCardView(harness, query)).invoices.total).toBe(first.invoices.total + 1);

    await ageCustomerData(harness, customerId, 3600);
    const refreshed = await getCardView(harness, query);
    expect(refreshed.invoices.total).toBe(first.invoices.total);
    expect(await readModel.getInvoice(PORTAL_ID, "pennylane", "990001")).toBeNull();
  });

  describe("when the provider is down", () => {
    it("serves the last known data with its age and the error, then does not ask again for a while", async () => {
      cardsOf(harness).configure({ failureCooldownMs: 60_000 });
      const { query, customerId, first } = await syncedCompany();
      await ageCustomerData(harness, customerId, 3600);
      harness.pennylane.faults.serverErrorRate = 1;

      const served = await getCardView(harness, query);
      expect(served.freshness.stale).toBe(true);
      expect(served.freshness.ageSeconds).toBeGreaterThanOrEqual(3600);
      expect(served.freshness.refreshError?.code).toBe("PROVIDER_UNAVAILABLE");
      expect(served.invoices).toEqual(first.invoices);
      expect(served.summary).toEqual(first.summary);

      const calls = providerCalls(harness);
      const again = await getCardView(harness, query);
      expect(providerCalls(harness)).toBe(calls);
      expect(again.freshness.refreshError?.code).toBe("PROVIDER_UNAVAILABLE");

      // Back up: the rep's refresh goes through at once.
      harness.pennylane.faults.reset();
      const recovered = await getCardView(harness, { ...query, refresh: "1" });
      expect(recovered.freshness).toMatchObject({ stale: false, refreshError: null });
    });

    it("a customer never synced still gets its card, empty, saying why", async () => {
      const key = companies.shift() ?? "";
      const companyId = harness.companyIds[key] ?? "";
      await harness.backend.repos.customerLinks.link(PORTAL_ID, {
        companyId,
        provider: "pennylane",
        providerCustomerId: String(pennylaneCustomer(harness, key).id),
        matchedBy: "siren",
        confidence: 95,
        linkedBy: null,
      });
      harness.pennylane.faults.serverErrorRate = 1;
      const view = await getCardView(harness, { objectType: "companies", objectId: companyId });
      expect(view.invoices).toMatchObject({ items: [], total: 0 });
      expect(view.summary.outstandingCents).toBe(0);
      expect(view.freshness).toMatchObject({ syncedAt: null, ageSeconds: null, stale: true });
      expect(view.freshness.refreshError?.code).toBe("PROVIDER_UNAVAILABLE");
    });
  });

  it("a provider slower than the budget: the view answers in time with the last known data, and the refresh completes in the background", async () => {
    const { query, customerId, first } = await syncedCompany({ owing: true });
    const invoice = openInvoiceOf(first);
    harness.pennylane.recordPayment(Number(invoice.id), {
      date: today(),
      amountCents: 1000,
      label: "Chèque",
    });
    await ageCustomerData(harness, customerId, 3600);
    cardsOf(harness).configure({ refreshBudgetMs: 300 });
    harness.pennylane.faults.latencyMs = 1_500;

    const started = performance.now();
    const served = await getCardView(harness, query);
    expect(performance.now() - started).toBeLessThan(1_400);
    expect(served.freshness.stale).toBe(true);
    expect(served.freshness.ageSeconds).toBeGreaterThanOrEqual(3600);
    expect(served.freshness.refreshError?.code).toBe("PROVIDER_TIMEOUT");
    expect(served.invoices.items.find((item) => item.id === invoice.id)?.paidCents).toBe(
      invoice.paidCents,
    );
    const cards = cardsOf(harness);
    expect(cards.refresher.isRunning(refreshKey(PORTAL_ID, "pennylane", customerId))).toBe(true);

    await cards.refresher.idle();
    harness.pennylane.faults.latencyMs = 0;
    const calls = providerCalls(harness);
    const later = await getCardView(harness, query);
    expect(providerCalls(harness)).toBe(calls);
    expect(later.freshness).toMatchObject({ stale: false, refreshError: null });
    expect(later.invoices.items.find((item) => item.id === invoice.id)?.paidCents).toBe(
      invoice.paidCents + 1000,
    );
  });
});
