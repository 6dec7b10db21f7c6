/**
 * The dunning runner over a simulated calendar: the real backend on a virtual clock shared
 * with the HubSpot and Pennylane emulators, one run per morning (and a second one, which
 * must do nothing), pauses set and lifted from the card's own endpoint, a payment arriving
 * in Pennylane and brought into the read model as the card's refresh does.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CalendarDate, addDays, invoiceDraftSchema, parisDateOf } from "@encaisse/shared";
import { signAsHubSpot } from "../../functions/src/hubspot/signature";
import type { AccountingProvider } from "../../functions/src/providers/provider";
import { refreshCustomer } from "../../functions/src/services/cards/refresh";
import { type DunningReport, runDunning } from "../../functions/src/sync/dunning-runner";
import { VirtualClock } from "../../functions/test/support/virtual-clock";
import { SANDBOX_HUBSPOT_APP } from "../emulators/hubspot";
import { generateBook } from "../fixtures/generate";
import {
  BACKEND_URL,
  type BackendHarness,
  PORTAL_ID,
  USER_ID,
  startBackendHarness,
} from "../backend/harness";

const ISSUED: CalendarDate = "2026-11-23";
const DUE: CalendarDate = "2026-11-24";
const DAYS = 60;
const parisMorning = (day: CalendarDate) => Date.parse(`${day}T07:00:00Z`);
const normalize = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

interface Case {
  readonly key: string;
  readonly companyId: string | null;
  readonly ownerId: string | null;
  readonly customerId: string;
  invoiceId: string;
}

describe("the dunning plan over 60 days", () => {
  const clock = new VirtualClock(parisMorning(ISSUED));
  let harness: BackendHarness;
  let provider: AccountingProvider;
  let lastTimestamp = 0;
  const cases = new Map<string, Case>();
  const firstRuns = new Map<CalendarDate, DunningReport>();
  const secondRuns = new Map<CalendarDate, DunningReport>();
  let tasksBefore = new Set<string>();

  const portal = () => harness.hubspot.portal(Number(PORTAL_ID));
  const caseOf = (key: string): Case => {
    const found = cases.get(key);
    if (!found) throw new Error(`No case ${key}.`);
    return found;
  };
  const onDay = (offset: number) => addDays(DUE, offset);

  /** A call from the card, signed at the virtual time (the backend checks it against its clock). */
  const fromCard = async (method: string, path: string, body?: unknown) => {
    const url = new URL(path, BACKEND_URL);
    url.searchParams.set("portalId", PORTAL_ID);
    url.searchParams.set("userId", USER_ID);
    url.searchParams.set("appId", String(SANDBOX_HUBSPOT_APP.appId));
    lastTimestamp = Math.max(clock.now(), lastTimestamp + 1);
    const rawBody = body === undefined ? "" : JSON.stringify(body);
    const response = await harness.app.request(url.toString(), {
      method,
      headers: {
        ...signAsHubSpot({
          method,
          url: url.toString(),
          body: rawBody,
          clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
          timestamp: lastTimestamp,
        }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: rawBody }),
    });
    expect(response.status, await response.clone().text()).toBe(200);
  };

  /** A customer of the book in Pennylane, linked (or not) to its HubSpot company. */
  const customerOf = async (companyIndex: number, linked: boolean) => {
    const seed = harness.book.companies.filter(
      (company) => company.address.countryCode === "FR" && company.siren,
    )[companyIndex];
    if (!seed) throw new Error("The book has too few French companies.");
    const [customer] = await provider.findCustomers({ siren: seed.siren });
    if (!customer) throw new Error(`No Pennylane customer for ${seed.key}.`);
    const companyId = harness.companyIds[seed.key] ?? null;
    if (linked && companyId !== null) {
      await harness.backend.repos.customerLinks.link(PORTAL_ID, {
        companyId,
        provider: "pennylane",
        providerCustomerId: customer.providerId,
        matchedBy: "siren",
        confidence: 100,
        linkedBy: null,
      });
    }
    const ownerId =
      companyId === null
        ? null
        : (portal().objects.get("companies", companyId)?.values.get("hubspot_owner_id") ?? null);
    return { companyId: linked ? companyId : null, ownerId, customerId: customer.providerId };
  };

  const issueInvoice = async (key: string, customer: Awaited<ReturnType<typeof customerOf>>) => {
    const invoice = await provider.createInvoice(
      invoiceDraftSchema.parse({
        externalReference: `dunning-test-${key}`,
        customerId: customer.customerId,
        issueDate: ISSUED,
        dueDate: DUE,
        paymentTerms: "upon_receipt",
        currency: "EUR",
        operationNature: "services",
        // 10 000.00 excl. VAT at 20 %: 12 000.00 owed.
        lines: [
          {
            label: "Mission d'audit",
            quantity: "1",
            unitPriceExclTax: "10000.00",
            vatCode: "FR_200",
          },
        ],
        legalMentions: [],
        finalize: true,
      }),
    );
    cases.set(key, { key, ...customer, invoiceId: invoice.id });
  };

  const refreshReadModel = async (customerId: string) => {
    await refreshCustomer({
      repos: harness.backend.repos,
      provider,
      tenantId: PORTAL_ID,
      customerId,
      clock,
    });
  };

  const newTasks = () =>
    portal()
      .objects.all("tasks")
      .filter((task) => !tasksBefore.has(task.id))
      .map((task) => ({
        id: task.id,
        subject: normalize(task.values.get("hs_task_subject") ?? ""),
        body: normalize(task.values.get("hs_task_body") ?? ""),
        ownerId: task.values.get("hubspot_owner_id") ?? null,
        dueOn: parisDateOf(new Date(task.values.get("hs_timestamp") ?? 0)),
      }));

  beforeAll(async () => {
    harness = await startBackendHarness({
      book: generateBook({ companies: 8, invoices: 0 }),
      clock,
    });
    await harness.backend.repos.tenants.updateSettings(PORTAL_ID, { digestEnabled: true });
    const found = await harness.backend.provider(await harness.backend.tenant(PORTAL_ID));
    if (!found) throw new Error("Pennylane is not connected.");
    provider = found;

    const first = await customerOf(0, true);
    await issueInvoice("plain", first);
    await issueInvoice("paid", first);
    await issueInvoice("disputed", await customerOf(1, true));
    await issueInvoice("promised", await customerOf(2, true));
    await issueInvoice("unlinked", await customerOf(3, false));
    for (const customerId of new Set([...cases.values()].map((c) => c.customerId))) {
      await refreshReadModel(customerId);
    }
    tasksBefore = new Set(
      portal()
        .objects.all("tasks")
        .map((task) => task.id),
    );

    for (let offset = 0; offset <= DAYS; offset += 1) {
      const day = onDay(offset);
      clock.advance(Math.max(0, parisMorning(day) - clock.now()));
      if (offset === 3) {
        await fromCard("POST", `/v1/invoices/${caseOf("disputed").invoiceId}/dunning-pause`, {
          kind: "dispute",
        });
      }
      if (offset === 5) {
        await fromCard("POST", `/v1/invoices/${caseOf("promised").invoiceId}/dunning-pause`, {
          kind: "promise_to_pay",
          until: onDay(12),
        });
      }
      if (offset === 10) {
        const paid = caseOf("paid");
        harness.pennylane.recordPayment(Number(paid.invoiceId), {
          date: day,
          amountCents: 1_200_000,
          label: "Virement ACME",
        });
        await refreshReadModel(paid.customerId);
      }
      if (offset === 20) {
        await fromCard("DELETE", `/v1/invoices/${caseOf("disputed").invoiceId}/dunning-pause`);
      }
      firstRuns.set(day, await runDunning(harness.backend, PORTAL_ID, day));
      secondRuns.set(day, await runDunning(harness.backend, PORTAL_ID, day));
    }
  }, 240_000);
  afterAll(async () => {
    await harness.close();
  });

  const stepsDone = async (key: string) => {
    const { invoiceId } = caseOf(key);
    const history = await harness.backend.repos.dunning.history(PORTAL_ID, "pennylane", [
      invoiceId,
    ]);
    return (history.get(invoiceId) ?? []).map((entry) => [entry.stepId, entry.doneOn]);
  };

  it("does each step of the ladder once, on its day: D+1 email, D+7 call, D+14 firm notice, D+30 formal notice", async () => {
    expect(await stepsDone("plain")).toEqual([
      ["courteous-email", onDay(1)],
      ["call", onDay(7)],
      ["firm-notice", onDay(14)],
      ["formal-notice", onDay(30)],
    ]);
  });

  it("a second run on the same day does nothing", () => {
    for (const [day, report] of secondRuns) {
      expect({ day, reminders: report.reminders, digests: report.digests }).toEqual({
        day,
        reminders: [],
        digests: [],
      });
    }
  });

  it("holds a disputed invoice until the dispute is lifted, then goes to the step due (the call is passed over)", async () => {
    expect(await stepsDone("disputed")).toEqual([
      ["courteous-email", onDay(1)],
      ["firm-notice", onDay(20)],
      ["formal-notice", onDay(30)],
    ]);
    expect(firstRuns.get(onDay(14))?.idle.paused_dispute).toBeGreaterThanOrEqual(1);
  });

  it("holds an invoice under a promise to pay until the day after the promised date", async () => {
    expect(await stepsDone("promised")).toEqual([
      ["courteous-email", onDay(1)],
      ["call", onDay(13)],
      ["firm-notice", onDay(14)],
      ["formal-notice", onDay(30)],
    ]);
  });

  it("stops once the invoice is paid", async () => {
    expect(await stepsDone("paid")).toEqual([
      ["courteous-email", onDay(1)],
      ["call", onDay(7)],
    ]);
    const { invoiceId } = caseOf("paid");
    const later = [...firstRuns.values()].filter((report) => report.day > onDay(10));
    expect(later.flatMap((report) => report.reminders).map((r) => r.invoiceId)).not.toContain(
      invoiceId,
    );
  });

  it("skips an invoice whose customer is linked to no HubSpot company, saying why, and records nothing", async () => {
    const { invoiceId } = caseOf("unlinked");
    expect(firstRuns.get(onDay(1))?.skipped).toEqual([{ invoiceId, reason: "no_linked_company" }]);
    expect(await stepsDone("unlinked")).toEqual([]);
  });

  it("gives each step a HubSpot task for the company owner, due that day, on the company", () => {
    const dunningTasks = newTasks().filter((task) => !task.subject.startsWith("Relances du"));
    expect(dunningTasks).toHaveLength(4 + 3 + 4 + 2);
    const reminders = [...firstRuns.values()].flatMap((report) =>
      report.reminders.map((reminder) => ({ ...reminder, day: report.day })),
    );
    for (const reminder of reminders) {
      const task = dunningTasks.find((candidate) => candidate.id === reminder.taskId);
      const owner = [...cases.values()].find((c) => c.invoiceId === reminder.invoiceId)?.ownerId;
      expect(task).toMatchObject({ ownerId: owner, dueOn: reminder.day });
      const companies = portal()
        .associations.list("tasks", reminder.taskId ?? "", "companies")
        .map((association) => association.toId);
      expect(companies).toEqual([reminder.companyId]);
    }
  });

  it("states the interest and the EUR 40 indemnity owed, to the cent, from the firm notice on", () => {
    const plainId = caseOf("plain").invoiceId;
    const disputedId = caseOf("disputed").invoiceId;
    const reminderOf = (invoiceId: string, stepId: string) =>
      [...firstRuns.values()]
        .flatMap((report) => report.reminders)
        .find((reminder) => reminder.invoiceId === invoiceId && reminder.stepId === stepId);
    const bodyOf = (invoiceId: string, stepId: string) =>
      newTasks().find((task) => task.id === reminderOf(invoiceId, stepId)?.taskId)?.body ?? "";

    // 12 000.00 owed at ECB 2.15 % + 10 points = 12.15 % a year (2026 H2, rate not yet
    // confirmed): 1 200 000 x 1215 x days / (10 000 x 365) cents, rounded half up.
    // 14 days: 5 592.33 -> 5 592; 20 days: 7 989.04 -> 7 989; 30 days: 11 983.56 -> 11 984.
    expect(reminderOf(plainId, "firm-notice")).toMatchObject({
      daysLate: 14,
      interestCents: 5_592,
      indemnityCents: 4_000,
    });
    expect(bodyOf(plainId, "firm-notice")).toContain(
      "Pénalités à ce jour : intérêts de retard de 55,92 € (taux provisoire) et indemnité forfaitaire pour frais de recouvrement de 40,00 €",
    );
    expect(bodyOf(plainId, "formal-notice")).toContain("intérêts de retard de 119,84 €");
    expect(bodyOf(disputedId, "firm-notice")).toContain("intérêts de retard de 79,89 €");
    expect(bodyOf(plainId, "courteous-email")).not.toContain("Pénalités");
    expect(bodyOf(plainId, "call")).toContain("en retard de 7 jours. Reste dû : 12 000,00 €");
  });

  it("sends each owner one digest a day listing that owner's reminders, and never a second", () => {
    const digests = newTasks().filter((task) => task.subject.startsWith("Relances du"));
    const sent = [...firstRuns.values()].flatMap((report) =>
      report.digests.map((digest) => ({ ...digest, day: report.day })),
    );
    expect(digests.map((task) => task.id).sort()).toEqual(sent.map((d) => d.taskId).sort());
    const perOwnerAndDay = new Set(sent.map((digest) => `${digest.ownerId}@${digest.day}`));
    expect(perOwnerAndDay.size).toBe(sent.length);

    for (const report of firstRuns.values()) {
      const expected = new Map<string, number>();
      for (const reminder of report.reminders) {
        if (reminder.ownerId === null) continue;
        expected.set(reminder.ownerId, (expected.get(reminder.ownerId) ?? 0) + 1);
      }
      expect(new Map(report.digests.map((digest) => [digest.ownerId, digest.reminders]))).toEqual(
        expected,
      );
    }
    const firstDay = sent.filter((digest) => digest.day === onDay(1));
    const task = digests.find((candidate) => candidate.id === firstDay[0]?.taskId);
    expect(task?.ownerId).toBe(firstDay[0]?.ownerId);
    expect(task?.dueOn).toBe(onDay(1));
    expect(task?.body.split("\n").filter((line) => line.startsWith("• "))).toHaveLength(
      firstDay[0]?.reminders ?? -1,
    );
  });
});

describe("the dunning runner's own safety and the email channel", () => {
  const clock = new VirtualClock(parisMorning(ISSUED));
  let harness: BackendHarness;
  let invoiceId = "";
  let companyId = "";

  const goTo = (day: CalendarDate) => clock.advance(Math.max(0, parisMorning(day) - clock.now()));
  const tasksOn = (id: string) =>
    harness.hubspot
      .portal(Number(PORTAL_ID))
      .associations.list("companies", id, "tasks")
      .map((association) => association.toId);

  beforeAll(async () => {
    harness = await startBackendHarness({
      book: generateBook({ companies: 4, invoices: 0 }),
      clock,
    });
    const { backend } = harness;
    await backend.repos.tenants.updateSettings(PORTAL_ID, {
      dunningByEmail: true,
      dunningLocale: "en",
    });
    const provider = await backend.provider(await backend.tenant(PORTAL_ID));
    if (!provider) throw new Error("Pennylane is not connected.");
    const seed = harness.book.companies.find(
      (company) => company.address.countryCode === "FR" && company.siren,
    );
    if (!seed) throw new Error("The book has no French company.");
    const [customer] = await provider.findCustomers({ siren: seed.siren });
    if (!customer) throw new Error("No Pennylane customer for the company.");
    companyId = harness.companyIds[seed.key] ?? "";
    await backend.repos.customerLinks.link(PORTAL_ID, {
      companyId,
      provider: "pennylane",
      providerCustomerId: customer.providerId,
      matchedBy: "siren",
      confidence: 100,
      linkedBy: null,
    });
    const invoice = await provider.createInvoice(
      invoiceDraftSchema.parse({
        externalReference: "dunning-safety",
        customerId: customer.providerId,
        issueDate: ISSUED,
        dueDate: DUE,
        paymentTerms: "upon_receipt",
        currency: "EUR",
        operationNature: "services",
        lines: [{ label: "Audit", quantity: "1", unitPriceExclTax: "500.00", vatCode: "FR_200" }],
        legalMentions: [],
        finalize: true,
      }),
    );
    invoiceId = invoice.id;
    await refreshCustomer({
      repos: backend.repos,
      provider,
      tenantId: PORTAL_ID,
      customerId: customer.providerId,
      clock,
    });
  }, 120_000);
  afterAll(async () => {
    await harness.close();
  });

  it("has Pennylane email the invoice for the courteous reminder, once, and makes no task for it", async () => {
    const day = addDays(DUE, 1);
    goTo(day);
    const before = tasksOn(companyId).length;
    const report = await runDunning(harness.backend, PORTAL_ID, day);
    expect(report.reminders).toEqual([
      expect.objectContaining({
        invoiceId,
        stepId: "courteous-email",
        channel: "email",
        taskId: null,
      }),
    ]);
    expect((await runDunning(harness.backend, PORTAL_ID, day)).reminders).toEqual([]);
    expect(harness.pennylane.sentEmails(Number(invoiceId))).toHaveLength(1);
    expect(tasksOn(companyId)).toHaveLength(before);
  });

  it("keeps the call a task for the rep, in English when the tenant chose it", async () => {
    const day = addDays(DUE, 7);
    goTo(day);
    const report = await runDunning(harness.backend, PORTAL_ID, day);
    expect(report.reminders).toEqual([
      expect.objectContaining({ stepId: "call", channel: "task", resumed: false }),
    ]);
    const task = harness.hubspot
      .portal(Number(PORTAL_ID))
      .objects.get("tasks", report.reminders[0]?.taskId ?? "");
    expect(task?.values.get("hs_task_subject")).toMatch(/^Call – invoice /);
    expect(harness.pennylane.sentEmails(Number(invoiceId))).toHaveLength(1);
  });

  it("finishes a step an interrupted run recorded but never did, exactly once", async () => {
    const day = addDays(DUE, 14);
    goTo(day);
    // What a run that died right after recording the step leaves behind.
    await harness.backend.repos.dunning.recordAction(PORTAL_ID, {
      provider: "pennylane",
      invoiceId,
      stepId: "firm-notice",
      doneOn: day,
    });
    const before = tasksOn(companyId).length;
    const resumed = await runDunning(harness.backend, PORTAL_ID, day);
    expect(resumed.reminders).toEqual([
      expect.objectContaining({ stepId: "firm-notice", channel: "task", resumed: true }),
    ]);
    expect((await runDunning(harness.backend, PORTAL_ID, day)).reminders).toEqual([]);
    expect(tasksOn(companyId)).toHaveLength(before + 1);
    const history = await harness.backend.repos.dunning.history(PORTAL_ID, "pennylane", [
      invoiceId,
    ]);
    expect(history.get(invoiceId)?.find((entry) => entry.stepId === "firm-notice")).toEqual({
      stepId: "firm-notice",
      doneOn: day,
      hubspotTaskId: resumed.reminders[0]?.taskId,
    });
  });

  it("sends no digest when the tenant did not turn it on", async () => {
    const day = addDays(DUE, 30);
    goTo(day);
    const report = await runDunning(harness.backend, PORTAL_ID, day);
    expect(report.reminders.map((reminder) => reminder.stepId)).toEqual(["formal-notice"]);
    expect(report.digests).toEqual([]);
  });
});
