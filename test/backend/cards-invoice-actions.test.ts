/**
 * What a rep does on one invoice from the card: open its PDF (a fresh provider link each
 * time) and hold or resume its dunning plan (the customer disputes it, or promised to pay).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays } from "@encaisse/shared";
import { dunningPauseResponseSchema, pdfLinkResponseSchema } from "@encaisse/shared/contracts";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { generateBook } from "../fixtures/generate";
import {
  type CardView,
  callsTo,
  cardsOf,
  distinct,
  getCardView,
  installAnotherPortal,
  providerCalls,
  refusal,
  today,
} from "./card-support";
import { type BackendHarness, PORTAL_ID, USER_ID, startBackendHarness } from "./harness";

const BOOK = generateBook({ companies: 20, invoices: 300 });
const READ_INVOICE = "GET /customer_invoices/{id}";

describe.each(TEST_DRIVERS)("invoice actions from the card (%s store)", (driver) => {
  let harness: BackendHarness;
  /** A customer with late, paid and draft invoices, synced once. */
  let view: CardView;

  const invoiceWhere = (wanted: (invoice: CardView["invoices"]["items"][number]) => boolean) => {
    const invoice = view.invoices.items.find(wanted);
    if (invoice === undefined) throw new Error("The customer has no such invoice.");
    return invoice;
  };
  const auditCount = async () =>
    (await harness.backend.repos.audit.list(PORTAL_ID, { limit: 200 })).entries.length;
  const pausesOf = async (invoiceId: string) =>
    (await harness.backend.repos.dunning.pauses(PORTAL_ID, "pennylane", [invoiceId])).get(
      invoiceId,
    ) ?? [];

  beforeAll(async () => {
    harness = await startBackendHarness({ driver, book: BOOK });
    cardsOf(harness).configure({ refreshBudgetMs: 25_000 });
    // The customer with the most invoices has every kind of them.
    const counts = new Map<string, number>();
    for (const invoice of BOOK.invoices)
      counts.set(invoice.customerKey, (counts.get(invoice.customerKey) ?? 0) + 1);
    const [busiest] = [...counts].sort((a, b) => b[1] - a[1]);
    view = await getCardView(harness, {
      objectType: "companies",
      objectId: harness.companyIds[busiest?.[0] ?? ""] ?? "",
      pageSize: "100",
    });
  }, 60_000);

  afterAll(async () => {
    await cardsOf(harness).refresher.idle();
    await harness.close();
  });

  describe("the PDF link", () => {
    it("is asked of the provider each time, and opens the invoice's PDF", async () => {
      const invoice = invoiceWhere((candidate) => candidate.status === "paid");
      const reads = callsTo(harness, READ_INVOICE);
      const links = [];
      for (let attempt = 0; attempt < 2; attempt += 1) {
        const response = await harness.signedFetch(
          "GET",
          distinct(`/v1/invoices/${invoice.id}/pdf-link`),
        );
        expect(response.status).toBe(200);
        links.push(pdfLinkResponseSchema.parse(await response.json()));
      }
      expect(callsTo(harness, READ_INVOICE) - reads).toBe(2);
      for (const link of links) {
        expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());
        const pdf = await fetch(link.url);
        expect(pdf.status).toBe(200);
        expect(pdf.headers.get("content-type")).toContain("application/pdf");
      }
    });

    it("of an invoice this account does not have is refused without asking the provider", async () => {
      const calls = providerCalls(harness);
      const response = await harness.signedFetch("GET", distinct("/v1/invoices/4040404/pdf-link"));
      expect(await refusal(response)).toEqual({ status: 404, code: "INVOICE_NOT_FOUND" });
      expect(providerCalls(harness)).toBe(calls);
    });

    it("of an id that no accounting software gives is refused with VALIDATION_FAILED", async () => {
      const response = await harness.signedFetch(
        "GET",
        distinct(`/v1/invoices/${encodeURIComponent("12 OR 1=1")}/pdf-link`),
      );
      expect(await refusal(response)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
    });

    it("needs an accounting software connected: PROVIDER_NOT_CONNECTED", async () => {
      await installAnotherPortal(harness, "78001");
      const invoice = invoiceWhere((candidate) => candidate.status === "paid");
      const response = await harness.signedFetch(
        "GET",
        distinct(`/v1/invoices/${invoice.id}/pdf-link`),
        undefined,
        { portalId: "78001" },
      );
      expect(await refusal(response)).toEqual({ status: 409, code: "PROVIDER_NOT_CONNECTED" });
    });
  });

  describe("pausing dunning", () => {
    it("a dispute holds the plan until the rep resumes it", async () => {
      const invoice = invoiceWhere((candidate) => candidate.status === "overdue");
      const audited = await auditCount();

      const disputed = await harness.signedFetch(
        "POST",
        distinct(`/v1/invoices/${invoice.id}/dunning-pause`),
        { kind: "dispute", note: "Le client conteste la quantité livrée." },
      );
      expect(disputed.status).toBe(200);
      expect(dunningPauseResponseSchema.parse(await disputed.json())).toEqual({
        invoiceId: invoice.id,
        dunning: {
          lastStep: null,
          nextStep: null,
          pausedBy: { kind: "dispute", since: today(), until: null },
        },
      });
      const onCard = await getCardView(harness, {
        objectType: "companies",
        objectId: view.company.id,
        pageSize: "100",
      });
      expect(onCard.invoices.items.find((item) => item.id === invoice.id)?.dunning).toMatchObject({
        pausedBy: { kind: "dispute" },
        nextStep: null,
      });

      const resumed = await harness.signedFetch(
        "DELETE",
        distinct(`/v1/invoices/${invoice.id}/dunning-pause`),
      );
      const back = dunningPauseResponseSchema.parse(await resumed.json());
      expect(back.dunning.pausedBy).toBeNull();
      expect(back.dunning.nextStep?.dueOn).toBe(today());

      const entries = (await harness.backend.repos.audit.list(PORTAL_ID, { limit: 2 })).entries;
      expect(entries.map((entry) => [entry.action, entry.actor, entry.objectId])).toEqual([
        ["dunning.resumed", USER_ID, invoice.id],
        ["dunning.paused", USER_ID, invoice.id],
      ]);
      expect(entries[1]?.details).toMatchObject({ kind: "dispute", hasNote: true });
      expect(await auditCount()).toBe(audited + 2);
    });

    it("a promise to pay replaces a dispute and holds the plan through its date", async () => {
      const invoice = invoiceWhere(
        (candidate) => candidate.status === "overdue" && candidate.daysLate > 1,
      );
      await harness.signedFetch("POST", distinct(`/v1/invoices/${invoice.id}/dunning-pause`), {
        kind: "dispute",
      });
      const until = addDays(today(), 10);
      const promised = await harness.signedFetch(
        "POST",
        distinct(`/v1/invoices/${invoice.id}/dunning-pause`),
        { kind: "promise_to_pay", until },
      );
      expect(promised.status).toBe(200);
      const promise = dunningPauseResponseSchema.parse(await promised.json());
      expect(promise.dunning.pausedBy).toEqual({ kind: "promise_to_pay", since: today(), until });
      expect(promise.dunning.nextStep?.dueOn).toBe(addDays(until, 1));

      // Lifted today, the promise still covers today: reminders come back tomorrow.
      const lifted = await harness.signedFetch(
        "DELETE",
        distinct(`/v1/invoices/${invoice.id}/dunning-pause`),
      );
      const back = dunningPauseResponseSchema.parse(await lifted.json());
      expect(back.dunning.pausedBy).toEqual({
        kind: "promise_to_pay",
        since: today(),
        until: today(),
      });
      expect(back.dunning.nextStep?.dueOn).toBe(addDays(today(), 1));
    });

    it("resuming an invoice that is not paused changes nothing and logs nothing", async () => {
      const invoice = invoiceWhere(
        (candidate) => candidate.status === "overdue" || candidate.status === "open",
      );
      const audited = await auditCount();
      const response = await harness.signedFetch(
        "DELETE",
        distinct(`/v1/invoices/${invoice.id}/dunning-pause`),
      );
      expect(response.status).toBe(200);
      expect(dunningPauseResponseSchema.parse(await response.json()).dunning.pausedBy).toBeNull();
      expect(await auditCount()).toBe(audited);
    });

    it("a paid invoice cannot be paused: INVOICE_NOT_RECEIVABLE, nothing written", async () => {
      const paid = invoiceWhere((candidate) => candidate.status === "paid");
      const response = await harness.signedFetch(
        "POST",
        distinct(`/v1/invoices/${paid.id}/dunning-pause`),
        { kind: "dispute" },
      );
      expect(await refusal(response)).toEqual({ status: 409, code: "INVOICE_NOT_RECEIVABLE" });
      expect(await pausesOf(paid.id)).toEqual([]);
    });

    it("an invoice this account does not have cannot be paused: INVOICE_NOT_FOUND", async () => {
      const response = await harness.signedFetch(
        "POST",
        distinct("/v1/invoices/4040404/dunning-pause"),
        { kind: "dispute" },
      );
      expect(await refusal(response)).toEqual({ status: 404, code: "INVOICE_NOT_FOUND" });
      expect(await pausesOf("4040404")).toEqual([]);
    });

    const badBodies: readonly [string, unknown][] = [
      ["an unknown kind", { kind: "holiday" }],
      ["a promise to pay without its date", { kind: "promise_to_pay" }],
      ["a promise to pay on an impossible date", { kind: "promise_to_pay", until: "2026-13-01" }],
      ["a promise to pay in the past", { kind: "promise_to_pay", until: "2020-01-15" }],
      ["a note longer than 2,000 characters", { kind: "dispute", note: "x".repeat(2001) }],
      ["no body", undefined],
    ];

    it.each(badBodies)(
      "%s is refused with VALIDATION_FAILED and writes nothing",
      async (_, body) => {
        const invoice = invoiceWhere((candidate) => candidate.status === "overdue");
        const pausesBefore = await pausesOf(invoice.id);
        const audited = await auditCount();
        const response = await harness.signedFetch(
          "POST",
          distinct(`/v1/invoices/${invoice.id}/dunning-pause`),
          body,
        );
        expect(await refusal(response)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
        expect(await pausesOf(invoice.id)).toEqual(pausesBefore);
        expect(await auditCount()).toBe(audited);
      },
    );
  });
});
