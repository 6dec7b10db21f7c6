/**
 * Deal won -> invoice through HubSpot's webhook: the real app receives signed deliveries from
 * the HubSpot emulator, answers at once, and the in-process queue runs the `deal-won` job
 * against the emulated HubSpot and Pennylane.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { InProcessJobQueue } from "../../functions/src/jobs/in-process";
import type { DealWonJob, JobHandlers } from "../../functions/src/jobs/types";
import { type DealWonOutcome, invoiceWonDeal } from "../../functions/src/sync/deal-won";
import type { WebhookDelivery } from "../emulators/hubspot/webhooks";
import { BACKEND_URL, type BackendHarness, PORTAL_ID, startBackendHarness } from "./harness";
import {
  createInvoice,
  newCompany,
  newWonDeal,
  pennylaneInvoicesOfDeal,
  portalOf,
} from "./invoice-support";

const TARGET = `${BACKEND_URL}/v1/webhooks/hubspot`;
const PORTAL = Number(PORTAL_ID);
const OTHER_PORTAL_ID = "77001";

describe("deal won -> invoice, from HubSpot's webhook", () => {
  let harness: BackendHarness;
  const queue = new InProcessJobQueue({ attempts: 1 });
  const runs: { job: DealWonJob; outcome: DealWonOutcome }[] = [];
  const handlers: JobHandlers = {
    sync: async () => undefined,
    dunning: async () => undefined,
    "deal-won": async (job) => {
      runs.push({ job, outcome: await invoiceWonDeal(harness.backend, job) });
    },
  };

  const post = async (delivery: WebhookDelivery) => {
    const response = await harness.app.request(delivery.toRequest());
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const runsOf = (dealId: string) => runs.filter((run) => run.job.dealId === dealId);
  /** A won deal that was at "contractsent" before, ready to be moved by a delivery. */
  const dealAt = (stage: string) => {
    const dealId = newWonDeal(harness, newCompany(harness));
    const portal = portalOf(harness);
    const deal = portal.objects.get("deals", dealId);
    if (deal === undefined) throw new Error("The deal was not created.");
    portal.objects.update("deals", deal, { dealstage: stage });
    return dealId;
  };

  beforeAll(async () => {
    harness = await startBackendHarness({ jobs: queue });
    await harness.backend.crm(PORTAL_ID).ensureEncaisseProperties();
    await harness.backend.repos.tenants.install(OTHER_PORTAL_ID);
    await queue.start(handlers);
  }, 60_000);
  afterAll(async () => {
    await queue.stop();
    await harness.close();
  });
  beforeEach(async () => {
    await harness.backend.repos.tenants.updateSettings(PORTAL_ID, {
      autoInvoiceOnDealWon: true,
      wonStageIds: ["closedwon"],
    });
  });

  it("refuses a delivery whose signature does not match its body with 401, queuing nothing", async () => {
    const dealId = dealAt("contractsent");
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "closedwon" }],
    });
    const tampered = new Request(delivery.url, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body.replace(`"objectId":${dealId}`, `"objectId":${dealId}0`),
    });
    const response = await harness.app.request(tampered);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "SIGNATURE_INVALID" } });
    await queue.idle();
    expect(runsOf(dealId)).toEqual([]);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);
  });

  it("refuses a delivery signed more than 5 minutes ago", async () => {
    const dealId = dealAt("contractsent");
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "closedwon" }],
      timestampMs: Date.now() - 6 * 60_000,
    });
    expect((await post(delivery)).status).toBe(401);
  });

  it("answers at once and invoices in the background: nothing is billed before the job runs", async () => {
    await queue.stop();
    const dealId = dealAt("contractsent");
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "closedwon" }],
    });
    const started = performance.now();
    const answer = await post(delivery);
    const elapsedMs = performance.now() - started;
    expect(answer).toEqual({ status: 200, body: { accepted: 1 } });
    expect(elapsedMs).toBeLessThan(5_000);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);

    await queue.start(handlers);
    await queue.idle();
    expect(runsOf(dealId).map((run) => run.outcome)).toEqual([
      { kind: "invoiced", invoiceId: expect.any(String), created: true },
    ]);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("an event delivered twice in a batch and again on retry invoices the deal once and runs once", async () => {
    const dealId = dealAt("contractsent");
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "closedwon" }],
      duplicate: true,
    });
    expect(await post(delivery)).toEqual({ status: 200, body: { accepted: 1 } });
    await queue.idle();
    expect(await post(harness.hubspot.redeliver(delivery))).toEqual({
      status: 200,
      body: { accepted: 0 },
    });
    await queue.idle();
    expect(runsOf(dealId)).toHaveLength(1);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("won then moved back, delivered newest first, invoices nothing", async () => {
    const dealId = dealAt("contractsent");
    const t = Date.now() - 60_000;
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [
        { dealId, dealstage: "closedwon", occurredAt: t },
        { dealId, dealstage: "contractsent", occurredAt: t + 1_000 },
      ],
      reorder: true,
    });
    expect(JSON.parse(delivery.body)).toMatchObject([
      { propertyValue: "contractsent" },
      { propertyValue: "closedwon" },
    ]);
    expect((await post(delivery)).status).toBe(200);
    await queue.idle();
    expect(runsOf(dealId).map((run) => run.outcome)).toEqual([
      { kind: "skipped", reason: "stale_event" },
    ]);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);
  });

  it("a won event arriving after the deal was moved back (and before that change is delivered) invoices nothing", async () => {
    const dealId = dealAt("contractsent");
    const t = Date.now() - 60_000;
    const won = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "closedwon", occurredAt: t }],
    });
    // The deal moved back in HubSpot; that change's delivery is still on its way.
    const movedBack = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "contractsent", occurredAt: t + 1_000 }],
    });
    expect((await post(won)).status).toBe(200);
    await queue.idle();
    expect((await post(movedBack)).status).toBe(200);
    await queue.idle();
    expect(runsOf(dealId).map((run) => run.outcome)).toEqual([
      { kind: "skipped", reason: "no_longer_won" },
    ]);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);
  });

  it("won, lost, won again, with the first win delivered last: one invoice, the stale event ignored", async () => {
    const dealId = dealAt("contractsent");
    const t = Date.now() - 60_000;
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [
        { dealId, dealstage: "closedwon", occurredAt: t },
        { dealId, dealstage: "closedlost", occurredAt: t + 1_000 },
        { dealId, dealstage: "closedwon", occurredAt: t + 2_000 },
      ],
      reorder: true,
    });
    expect(await post(delivery)).toEqual({ status: 200, body: { accepted: 3 } });
    await queue.idle();
    expect(runsOf(dealId).map((run) => [run.job.occurredAt, run.outcome.kind])).toEqual([
      [t + 2_000, "invoiced"],
      [t, "skipped"],
    ]);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("a click on Create invoice and the webhook together bill the deal once", async () => {
    const dealId = dealAt("contractsent");
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "closedwon" }],
    });
    const [clicked] = await Promise.all([createInvoice(harness, dealId), post(delivery)]);
    await queue.idle();
    expect([200, 201]).toContain(clicked.status);
    const [run] = runsOf(dealId);
    expect(run?.outcome.kind).toBe("invoiced");
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("with the rule off, a won deal is recorded but neither queued nor invoiced", async () => {
    await harness.backend.repos.tenants.updateSettings(PORTAL_ID, {
      autoInvoiceOnDealWon: false,
    });
    const dealId = dealAt("contractsent");
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "closedwon" }],
    });
    expect(await post(delivery)).toEqual({ status: 200, body: { accepted: 1 } });
    await queue.idle();
    expect(runsOf(dealId)).toEqual([]);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);
  });

  it("a stage the tenant does not count as won invoices nothing", async () => {
    const dealId = dealAt("appointmentscheduled");
    const delivery = harness.hubspot.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId, dealstage: "contractsent" }],
    });
    expect((await post(delivery)).status).toBe(200);
    await queue.idle();
    expect(runsOf(dealId)).toEqual([]);
  });

  it("audit-logs the automatic invoice on the deal, with no user as actor", async () => {
    const dealId = dealAt("contractsent");
    await post(
      harness.hubspot.webhookEvent({
        targetUrl: TARGET,
        portalId: PORTAL,
        changes: [{ dealId, dealstage: "closedwon" }],
      }),
    );
    await queue.idle();
    const { entries } = await harness.backend.repos.audit.list(PORTAL_ID, { limit: 200 });
    const ofDeal = entries.filter((entry) => entry.objectId === dealId);
    expect(ofDeal.map((entry) => [entry.action, entry.actor])).toEqual(
      expect.arrayContaining([
        ["deal_won.invoiced", null],
        ["invoice.created", null],
      ]),
    );
  });

  describe("tenant isolation", () => {
    it("an event names its own portal: a portal without Encaisse installed is ignored", async () => {
      const dealId = dealAt("contractsent");
      const delivery = harness.hubspot.webhookEvent({
        targetUrl: TARGET,
        portalId: 424242,
        changes: [{ dealId, dealstage: "closedwon" }],
        applyToDeals: false,
      });
      expect(await post(delivery)).toEqual({ status: 200, body: { accepted: 0 } });
      await queue.idle();
      expect(runsOf(dealId)).toEqual([]);
    });

    it("another tenant's event on the same deal id works on that tenant only, and event ids are per tenant", async () => {
      await harness.backend.repos.tenants.updateSettings(OTHER_PORTAL_ID, {
        autoInvoiceOnDealWon: true,
      });
      const dealId = dealAt("contractsent");
      const forOther = harness.hubspot.webhookEvent({
        targetUrl: TARGET,
        portalId: Number(OTHER_PORTAL_ID),
        changes: [{ dealId, dealstage: "closedwon" }],
        applyToDeals: false,
      });
      expect(await post(forOther)).toEqual({ status: 200, body: { accepted: 1 } });
      await queue.idle();
      expect(runsOf(dealId).map((run) => [run.job.tenantId, run.outcome])).toEqual([
        [OTHER_PORTAL_ID, { kind: "skipped", reason: "provider_not_connected" }],
      ]);
      expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);

      // The same event id under our portal is a new event for our tenant.
      const [otherEvent] = forOther.events;
      if (otherEvent === undefined) throw new Error("The delivery carries no event.");
      const ours = harness.hubspot.webhookEvent({
        targetUrl: TARGET,
        portalId: PORTAL,
        changes: [{ dealId, dealstage: "closedwon" }],
      });
      const sameIds = JSON.stringify(
        ours.events.map((event) => ({ ...event, eventId: otherEvent.eventId })),
      );
      const resigned = harness.hubspot.redeliver({
        ...ours,
        events: JSON.parse(sameIds) as typeof ours.events,
      });
      expect(await post(resigned)).toEqual({ status: 200, body: { accepted: 1 } });
      await queue.idle();
      expect(runsOf(dealId).map((run) => run.job.tenantId)).toEqual([OTHER_PORTAL_ID, PORTAL_ID]);
      expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
    });
  });
});
