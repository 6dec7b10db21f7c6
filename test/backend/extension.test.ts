/**
 * The browser extension's API over the real app, with HubSpot and Pennylane emulated: pairing
 * from the settings page, the token that only ever sees its own account, the panel's context,
 * search, notes and tasks, the call budget, and what bad input gets.
 */
import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  cardInvoicesResponseSchema,
  createdEngagementResponseSchema,
  extensionSearchResponseSchema,
  extensionTokensResponseSchema,
  pairResponseSchema,
} from "@encaisse/shared/contracts";
import { extensionTokens, pairingCodes } from "../../functions/src/store/schema";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { generateBook } from "../fixtures/generate";
import {
  cardsOf,
  companiesWithSiren,
  distinct,
  hubspotCompany,
  installAnotherPortal,
  invoicesOf,
  pennylaneCustomer,
  pennylaneInvoiceId,
  refusal,
} from "./card-support";
import {
  asExtension,
  contextOf,
  contextViewOf,
  newPairingCode,
  pairWith,
  pairedToken,
} from "./extension-support";
import {
  BACKEND_URL,
  type BackendHarness,
  PENNYLANE_TOKEN,
  PORTAL_ID,
  USER_EMAIL,
  USER_ID,
  startBackendHarness,
} from "./harness";

const BOOK = generateBook({ companies: 30, invoices: 300 });
const OTHER_PORTAL = "88002";
const CLOSED_STAGES = new Set(["closedwon", "closedlost"]);

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe.each(TEST_DRIVERS)("the browser extension API (%s store)", (driver) => {
  let harness: BackendHarness;
  let token: string;
  let withSiren: string[];
  const take = () => {
    const key = withSiren.shift();
    if (key === undefined) throw new Error("The book ran out of companies with a SIREN.");
    return key;
  };
  const portal = (portalId = PORTAL_ID) => harness.hubspot.portal(Number(portalId));
  const engagementsOf = (type: "notes" | "tasks", companyId: string, portalId = PORTAL_ID) =>
    portal(portalId)
      .associations.list("companies", companyId, type)
      .map((association) => portal(portalId).objects.get(type, association.toId))
      .filter((record) => record !== undefined);

  beforeAll(async () => {
    harness = await startBackendHarness({ driver, book: BOOK });
    cardsOf(harness).configure({ refreshBudgetMs: 25_000 });
    await installAnotherPortal(harness, OTHER_PORTAL, {
      pennylaneToken: "pennylane-other-portal-token-0123456789",
    });
    withSiren = companiesWithSiren(harness, 3);
    token = await pairedToken(harness);
  }, 120_000);

  afterAll(async () => {
    await harness.close();
  });

  describe("pairing", () => {
    it("gives the signed-in HubSpot user a short one-time code that turns into a token for their portal", async () => {
      const before = Date.now();
      const { code, expiresAt } = await newPairingCode(harness);
      expect(code).toMatch(/^[A-Z0-9]{8}$/);
      const lifetimeMs = Date.parse(expiresAt) - before;
      expect(lifetimeMs).toBeGreaterThan(9 * 60_000);
      expect(lifetimeMs).toBeLessThanOrEqual(10 * 60_000 + 5_000);

      // Typed by hand: lower case and stray spaces are fine.
      const response = await pairWith(harness, ` ${code.toLowerCase()} `);
      expect(response.status).toBe(200);
      const paired = pairResponseSchema.parse(await response.json());
      expect(paired.portalId).toBe(PORTAL_ID);
      expect(paired.userEmail).toBe(USER_EMAIL);
      expect(Object.keys(paired).sort()).toEqual(["portalId", "token", "userEmail"]);

      const again = await pairWith(harness, code);
      expect(await refusal(again)).toEqual({ status: 401, code: "PAIRING_CODE_INVALID" });
    });

    it("refuses an expired code", async () => {
      const { code } = await harness.backend.repos.extensionTokens.createPairingCode(
        { tenantId: PORTAL_ID, hubspotUserId: USER_ID, userEmail: null },
        1,
      );
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await refusal(await pairWith(harness, code))).toEqual({
        status: 401,
        code: "PAIRING_CODE_INVALID",
      });
    });

    it("keeps only the newest code of a user working", async () => {
      const first = await newPairingCode(harness);
      const second = await newPairingCode(harness);
      expect(await refusal(await pairWith(harness, first.code))).toEqual({
        status: 401,
        code: "PAIRING_CODE_INVALID",
      });
      expect((await pairWith(harness, second.code)).status).toBe(200);
    });

    it("stores codes and tokens only as hashes", async () => {
      const { code } = await newPairingCode(harness);
      const response = await pairWith(harness, code);
      const { token: fresh } = pairResponseSchema.parse(await response.json());
      const { db } = harness.backend.store;
      const tokens = await db.select().from(extensionTokens);
      const codes = await db.select().from(pairingCodes);
      expect(JSON.stringify(tokens)).not.toContain(fresh);
      expect(JSON.stringify(codes)).not.toContain(code);
      expect(tokens.map((row) => row.tokenHash)).toContain(sha256(fresh));
      expect(codes.map((row) => row.codeHash)).toContain(sha256(code));
    });

    it("only hands out codes on calls signed by HubSpot", async () => {
      const unsigned = await harness.app.request(
        `${BACKEND_URL}/v1/extension/pairing-codes?portalId=${PORTAL_ID}&userId=${USER_ID}`,
        { method: "POST" },
      );
      expect((await refusal(unsigned)).status).toBe(401);
    });

    it("refuses a malformed code as invalid input, before looking anything up", async () => {
      expect(await refusal(await pairWith(harness, "abc"))).toEqual({
        status: 400,
        code: "VALIDATION_FAILED",
      });
    });
  });

  describe("paired extensions in the settings page", () => {
    it("lists who paired and when, and a revoked token is signed out at once", async () => {
      const doomed = await pairedToken(harness);
      expect((await asExtension(harness, doomed, "GET", "/v1/extension/search?q=zz")).status).toBe(
        200,
      );
      const listed = extensionTokensResponseSchema.parse(
        await (await harness.signedFetch("GET", distinct("/v1/extension/tokens"))).json(),
      );
      const newest = listed.tokens[0];
      expect(newest?.userEmail).toBe(USER_EMAIL);
      expect(newest?.lastUsedAt).not.toBeNull();
      expect(JSON.stringify(listed)).not.toContain(doomed);

      const revoked = await harness.signedFetch(
        "DELETE",
        distinct(`/v1/extension/tokens/${newest?.id ?? ""}`),
      );
      expect(revoked.status).toBe(200);
      const remaining = extensionTokensResponseSchema.parse(await revoked.json());
      expect(remaining.tokens.map((entry) => entry.id)).not.toContain(newest?.id);

      const refused = await asExtension(harness, doomed, "GET", "/v1/extension/search?q=zz");
      expect(await refusal(refused)).toEqual({ status: 401, code: "EXTENSION_TOKEN_INVALID" });
      const audit = await harness.backend.repos.audit.list(PORTAL_ID, { limit: 50 });
      expect(audit.entries.map((entry) => entry.action)).toContain("extension.revoked");
    });

    it("answers an unknown extension id with a 404 and a malformed one with a 400", async () => {
      const unknown = await harness.signedFetch(
        "DELETE",
        distinct("/v1/extension/tokens/7d4e2c1a-0000-4000-8000-000000000000"),
      );
      expect(await refusal(unknown)).toEqual({ status: 404, code: "NOT_FOUND" });
      const malformed = await harness.signedFetch(
        "DELETE",
        distinct("/v1/extension/tokens/not-an-id"),
      );
      expect(await refusal(malformed)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
    });
  });

  describe("the token", () => {
    it("is required, and an unknown one is refused like a revoked one", async () => {
      const none = await harness.app.request(`${BACKEND_URL}/v1/extension/search?q=abc`);
      expect(await refusal(none)).toEqual({ status: 401, code: "EXTENSION_TOKEN_INVALID" });
      const forged = await asExtension(
        harness,
        `ext_${"A".repeat(43)}`,
        "GET",
        "/v1/extension/search?q=abc",
      );
      expect(await refusal(forged)).toEqual({ status: 401, code: "EXTENSION_TOKEN_INVALID" });
    });

    it("may be sent from the extension's own origin, and from no web page", async () => {
      const preflight = (origin: string) =>
        harness.app.request(`${BACKEND_URL}/v1/extension/context`, {
          method: "OPTIONS",
          headers: {
            origin,
            "access-control-request-method": "GET",
            "access-control-request-headers": "authorization",
          },
        });
      const extension = await preflight("chrome-extension://abcdefghijklmnop");
      expect(extension.status).toBe(204);
      expect(extension.headers.get("access-control-allow-origin")).toBe(
        "chrome-extension://abcdefghijklmnop",
      );
      expect(extension.headers.get("access-control-allow-headers")).toContain("authorization");
      const website = await preflight("https://evil.example");
      expect(website.headers.get("access-control-allow-origin")).toBeNull();
    });

    it("is not a way into the card API", async () => {
      const response = await asExtension(
        harness,
        token,
        "GET",
        `/v1/cards/invoices?objectType=companies&objectId=1&portalId=${PORTAL_ID}`,
      );
      expect((await refusal(response)).status).toBe(401);
    });

    it("allows 60 calls a minute, then answers 429 with how long to wait", async () => {
      const busy = await pairedToken(harness);
      // The account works with Pennylane: a Sage page is answered from nothing (no I/O).
      const call = () =>
        asExtension(
          harness,
          busy,
          "GET",
          "/v1/extension/context?provider=sage_active&customerId=1",
        );
      for (let index = 0; index < 60; index += 1) {
        const response = await call();
        expect(response.status).toBe(200);
      }
      const refused = await call();
      const retryAfter = Number(refused.headers.get("retry-after"));
      expect(await refusal(refused)).toEqual({ status: 429, code: "RATE_LIMITED" });
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Another user's extension has its own budget.
      expect((await asExtension(harness, token, "GET", "/v1/extension/search?q=zz")).status).toBe(
        200,
      );
    });

    it("of another HubSpot account never sees this account's companies, customers or records", async () => {
      const key = take();
      const customerId = String(pennylaneCustomer(harness, key).id);
      const company = hubspotCompany(harness, key);
      const mine = await contextViewOf(harness, token, { provider: "pennylane", customerId });
      expect(mine.company.id).toBe(company.id);

      const theirs = await pairedToken(harness, { portalId: OTHER_PORTAL });
      const seen = await contextOf(harness, theirs, { provider: "pennylane", customerId });
      expect(seen.state).not.toBe("ok");
      expect(JSON.stringify(seen)).not.toContain(company.id);

      const search = await asExtension(
        harness,
        theirs,
        "GET",
        `/v1/extension/search?q=${encodeURIComponent(company.name ?? "")}`,
      );
      expect(extensionSearchResponseSchema.parse(await search.json()).results).toEqual([]);

      const notesBefore = engagementsOf("notes", company.id).length;
      const note = await asExtension(harness, theirs, "POST", "/v1/extension/notes", {
        companyId: company.id,
        body: "Written from another account",
      });
      expect(await refusal(note)).toEqual({ status: 404, code: "NOT_FOUND" });
      expect(engagementsOf("notes", company.id)).toHaveLength(notesBefore);

      const theirList = extensionTokensResponseSchema.parse(
        await (
          await harness.signedFetch("GET", distinct("/v1/extension/tokens"), undefined, {
            portalId: OTHER_PORTAL,
          })
        ).json(),
      );
      expect(theirList.tokens).toHaveLength(1);
      const ourList = extensionTokensResponseSchema.parse(
        await (await harness.signedFetch("GET", distinct("/v1/extension/tokens"))).json(),
      );
      const ours = ourList.tokens.at(-1)?.id ?? "";
      const crossRevoke = await harness.signedFetch(
        "DELETE",
        distinct(`/v1/extension/tokens/${ours}`),
        undefined,
        { portalId: OTHER_PORTAL },
      );
      expect(await refusal(crossRevoke)).toEqual({ status: 404, code: "NOT_FOUND" });
    });
  });

  describe("the panel's context", () => {
    it("shows the customer's HubSpot company, owner, open deals, contacts, activity and receivables", async () => {
      const key = take();
      const customerId = String(pennylaneCustomer(harness, key).id);
      const company = hubspotCompany(harness, key);
      const view = await contextViewOf(harness, token, { provider: "pennylane", customerId });

      expect(view.company).toMatchObject({ id: company.id, name: company.name });
      expect(view.company.url).toContain(`/contacts/${PORTAL_ID}/record/0-2/${company.id}`);

      const record = portal().objects.get("companies", company.id);
      const ownerId = record?.values.get("hubspot_owner_id");
      const owner = portal().owners.find(ownerId ?? "", { idProperty: "id", archived: false });
      expect(view.owner?.email).toBe(owner?.email);
      expect(view.owner?.name).toBe(`${owner?.firstName ?? ""} ${owner?.lastName ?? ""}`);

      const openDealIds = portal()
        .associations.list("companies", company.id, "deals")
        .map((association) => portal().objects.get("deals", association.toId))
        .filter((deal) => deal !== undefined)
        .filter((deal) => !CLOSED_STAGES.has(deal.values.get("dealstage") ?? ""))
        .map((deal) => deal.id)
        .sort();
      expect(view.openDeals.map((deal) => deal.id).sort()).toEqual(openDealIds);
      for (const deal of view.openDeals) {
        expect(deal.url).toContain(`/record/0-3/${deal.id}`);
        expect(CLOSED_STAGES.has(deal.stage ?? "")).toBe(false);
      }
      const contactIds = portal()
        .associations.list("companies", company.id, "contacts")
        .map((association) => association.toId);
      expect(view.contacts.length).toBe(Math.min(5, contactIds.length));
      for (const contact of view.contacts) expect(contactIds).toContain(contact.id);
      const activity = ["notes_last_updated", "hs_last_activity_date"]
        .map((name) => record?.values.get(name))
        .filter((value) => value !== undefined && value !== "")
        .map((value) => new Date(/^\d+$/.test(value ?? "") ? Number(value) : (value ?? "")))
        .map((date) => date.toISOString())
        .sort();
      expect(view.lastActivityAt).toBe(activity.at(-1) ?? null);

      // The same receivables as the card on the company record.
      const card = cardInvoicesResponseSchema.parse(
        await (
          await harness.signedFetch(
            "GET",
            distinct(`/v1/cards/invoices?objectType=companies&objectId=${company.id}`),
          )
        ).json(),
      );
      if (card.state !== "ok") throw new Error(`Expected the card's data, got ${card.state}`);
      expect(view.receivables).toMatchObject({
        outstandingCents: card.summary.outstandingCents,
        overdueCents: card.summary.overdueCents,
        averagePaymentDelayDays: card.summary.averagePaymentDelayDays,
        currency: card.currency,
      });
      expect(view.invoice).toBeNull();

      const body = JSON.stringify(view);
      expect(body).not.toContain(PENNYLANE_TOKEN);
      const hubspotSecret = await harness.backend.repos.credentials.load(PORTAL_ID, "hubspot");
      if (hubspotSecret?.method !== "oauth") throw new Error("The portal has no HubSpot tokens");
      expect(body).not.toContain(hubspotSecret.tokens.accessToken);
      expect(body).not.toContain(hubspotSecret.tokens.refreshToken);
    });

    it("finds the customer from the invoice open in Pennylane, by id or by number", async () => {
      const key = take();
      const invoice = invoicesOf(harness, key).find((candidate) => !candidate.draft);
      if (invoice === undefined) throw new Error(`${key} has no finalized invoice`);
      const invoiceId = pennylaneInvoiceId(harness, invoice.key);
      const company = hubspotCompany(harness, key);

      const byId = await contextViewOf(harness, token, { provider: "pennylane", invoiceId });
      expect(byId.company.id).toBe(company.id);
      expect(byId.invoice?.id).toBe(invoiceId);
      expect(byId.invoice?.grossCents).toBe(invoice.grossCents);

      const number = byId.invoice?.number;
      if (!number) throw new Error("A finalized invoice has a number");
      const byNumber = await contextViewOf(harness, token, {
        provider: "pennylane",
        invoiceNumber: number,
      });
      expect(byNumber.company.id).toBe(company.id);
      expect(byNumber.invoice?.id).toBe(invoiceId);
    });

    it("finds the customer from a SIREN shown on the page", async () => {
      const key = take();
      const company = hubspotCompany(harness, key);
      const siren = company.siren?.replace(/\s/g, "") ?? "";
      const view = await contextViewOf(harness, token, {
        provider: "pennylane",
        siren: `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}`,
      });
      expect(view.company.id).toBe(company.id);
    });

    it("says not found for an invoice or a customer the account does not have", async () => {
      expect(
        await contextOf(harness, token, { provider: "pennylane", invoiceNumber: "NOPE-0000" }),
      ).toEqual({ state: "not_found" });
      expect(
        await contextOf(harness, token, { provider: "pennylane", customerId: "999999999" }),
      ).toEqual({ state: "not_found" });
    });

    it("refuses a request that names no customer, invoice or SIREN", async () => {
      for (const query of [
        "provider=pennylane",
        "provider=quickbooks&customerId=1",
        "provider=pennylane&siren=123",
      ]) {
        const response = await asExtension(harness, token, "GET", `/v1/extension/context?${query}`);
        expect(await refusal(response), query).toEqual({ status: 400, code: "VALIDATION_FAILED" });
      }
    });
  });

  describe("a company picked in the search", () => {
    it("shows its whole context, with the receivables of the customer linked to it", async () => {
      const key = take();
      const customerId = String(pennylaneCustomer(harness, key).id);
      const company = hubspotCompany(harness, key);
      // Opening the customer's page links it to its company, as a card view would.
      const fromPage = await contextViewOf(harness, token, { provider: "pennylane", customerId });
      const link = await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, company.id);
      expect(link?.providerCustomerId).toBe(customerId);

      const picked = await contextViewOf(harness, token, { hubspotCompanyId: company.id });
      expect(picked.company).toEqual(fromPage.company);
      expect(picked.owner).toEqual(fromPage.owner);
      expect(picked.openDeals).toEqual(fromPage.openDeals);
      expect(picked.contacts).toEqual(fromPage.contacts);
      expect(picked.receivables).toEqual(fromPage.receivables);
      expect(picked.receivables?.outstandingCents).toBeGreaterThanOrEqual(0);
      expect(picked.invoice).toBeNull();
    });

    it("shows a company no customer is linked to with its deals and contacts, its receivables not matched", async () => {
      const company = hubspotCompany(harness, take());
      expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, company.id)).toBeNull();
      const picked = await contextViewOf(harness, token, { hubspotCompanyId: company.id });
      expect(picked.company.id).toBe(company.id);
      expect(picked.receivables).toBeNull();
      const openDealIds = portal()
        .associations.list("companies", company.id, "deals")
        .map((association) => portal().objects.get("deals", association.toId))
        .filter((deal) => deal !== undefined)
        .filter((deal) => !CLOSED_STAGES.has(deal.values.get("dealstage") ?? ""))
        .map((deal) => deal.id)
        .sort();
      expect(picked.openDeals.map((deal) => deal.id).sort()).toEqual(openDealIds);
      // Looking is not linking: the rep confirms a match on the card.
      expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, company.id)).toBeNull();
    });

    it("is read in the token's own portal only: another account's company is not found", async () => {
      const company = hubspotCompany(harness, withSiren[0] ?? "");
      const theirs = await pairedToken(harness, { portalId: OTHER_PORTAL });
      const seen = await contextOf(harness, theirs, { hubspotCompanyId: company.id });
      expect(seen).toEqual({ state: "not_found" });
      expect(await contextOf(harness, token, { hubspotCompanyId: "987654321" })).toEqual({
        state: "not_found",
      });
    });

    it("refuses a malformed company id, or one sent with a page's customer", async () => {
      for (const query of [
        "hubspotCompanyId=acme",
        "hubspotCompanyId=12&customerId=1&provider=pennylane",
        "customerId=1",
      ]) {
        const response = await asExtension(harness, token, "GET", `/v1/extension/context?${query}`);
        expect(await refusal(response), query).toEqual({ status: 400, code: "VALIDATION_FAILED" });
      }
    });
  });

  describe("search", () => {
    it("finds companies by name in HubSpot and by invoice number in Encaisse's own data", async () => {
      const key = take();
      const company = hubspotCompany(harness, key);
      const search = async (q: string) =>
        extensionSearchResponseSchema.parse(
          await (
            await asExtension(
              harness,
              token,
              "GET",
              `/v1/extension/search?q=${encodeURIComponent(q)}`,
            )
          ).json(),
        ).results;

      const byName = await search(company.name ?? "");
      expect(byName.map((result) => result.companyId)).toContain(company.id);

      // An invoice number means nothing to HubSpot: only the read model knows it.
      const invoice = invoicesOf(harness, key).find((candidate) => !candidate.draft);
      const invoiceId = pennylaneInvoiceId(harness, invoice?.key ?? "");
      const view = await contextViewOf(harness, token, { provider: "pennylane", invoiceId });
      const byNumber = await search(view.invoice?.number ?? "");
      expect(byNumber[0]?.companyId).toBe(company.id);
    });

    it("refuses a query shorter than two characters", async () => {
      const response = await asExtension(harness, token, "GET", "/v1/extension/search?q=a");
      expect(await refusal(response)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
    });
  });

  describe("notes and tasks", () => {
    it("logs a note on the company in HubSpot and in the audit log, and the panel shows it as the last activity", async () => {
      const key = take();
      const company = hubspotCompany(harness, key);
      const customerId = String(pennylaneCustomer(harness, key).id);
      await contextViewOf(harness, token, { provider: "pennylane", customerId });
      const loggedFrom = new Date().toISOString();
      const response = await asExtension(harness, token, "POST", "/v1/extension/notes", {
        companyId: company.id,
        body: "Relance téléphonique : paiement promis pour vendredi.",
      });
      expect(response.status).toBe(200);
      const created = createdEngagementResponseSchema.parse(await response.json());
      expect(created.url).toContain(`/record/0-2/${company.id}`);

      const note = portal().objects.get("notes", created.id);
      expect(note?.values.get("hs_note_body")).toBe(
        "Relance téléphonique : paiement promis pour vendredi.",
      );
      expect(engagementsOf("notes", company.id).map((record) => record?.id)).toContain(created.id);
      const audit = await harness.backend.repos.audit.list(PORTAL_ID, { limit: 50 });
      const entry = audit.entries.find((candidate) => candidate.action === "extension.note_logged");
      expect(entry).toMatchObject({ actor: USER_ID, objectId: company.id });
      expect(JSON.stringify(entry)).not.toContain("paiement promis");
      const after = await contextViewOf(harness, token, { provider: "pennylane", customerId });
      expect(Date.parse(after.lastActivityAt ?? "")).toBeGreaterThanOrEqual(Date.parse(loggedFrom));
    });

    it("creates a follow-up task for the company's owner", async () => {
      const company = hubspotCompany(harness, take());
      const ownerId = portal().objects.get("companies", company.id)?.values.get("hubspot_owner_id");
      const response = await asExtension(harness, token, "POST", "/v1/extension/tasks", {
        companyId: company.id,
        subject: "Rappeler pour la facture en retard",
        dueDate: "2026-12-01",
      });
      expect(response.status).toBe(200);
      const created = createdEngagementResponseSchema.parse(await response.json());
      const task = portal().objects.get("tasks", created.id);
      expect(task?.values.get("hs_task_subject")).toBe("Rappeler pour la facture en retard");
      expect(task?.values.get("hubspot_owner_id")).toBe(ownerId);
      expect(engagementsOf("tasks", company.id).map((record) => record?.id)).toContain(created.id);
    });

    it("logs one note for a double click: the repeat gets the first answer without calling HubSpot", async () => {
      const company = hubspotCompany(harness, take());
      const before = engagementsOf("notes", company.id).length;
      const request = {
        companyId: company.id,
        body: "Client rappelé, virement prévu lundi.",
        requestId: randomUUID(),
      };
      const [first, second] = await Promise.all([
        asExtension(harness, token, "POST", "/v1/extension/notes", request),
        asExtension(harness, token, "POST", "/v1/extension/notes", request),
      ]);
      expect([first.status, second.status]).toEqual([200, 200]);
      const answers = [
        createdEngagementResponseSchema.parse(await first.json()),
        createdEngagementResponseSchema.parse(await second.json()),
      ];
      expect(answers[1]).toEqual(answers[0]);
      expect(engagementsOf("notes", company.id)).toHaveLength(before + 1);

      const hubspotCalls = harness.hubspot.stats.totalRequests;
      const retried = await asExtension(harness, token, "POST", "/v1/extension/notes", request);
      expect(createdEngagementResponseSchema.parse(await retried.json())).toEqual(answers[0]);
      expect(harness.hubspot.stats.totalRequests).toBe(hubspotCalls);
      expect(engagementsOf("notes", company.id)).toHaveLength(before + 1);
      const audit = await harness.backend.repos.audit.list(PORTAL_ID, { limit: 100 });
      const logged = audit.entries.filter(
        (entry) => entry.action === "extension.note_logged" && entry.objectId === company.id,
      );
      expect(logged).toHaveLength(1);
    });

    it("creates one task per request id, and another for a new id", async () => {
      const company = hubspotCompany(harness, take());
      const task = { companyId: company.id, subject: "Relancer", dueDate: "2026-12-01" };
      const before = engagementsOf("tasks", company.id).length;
      const requestId = randomUUID();
      const send = (id: string) =>
        asExtension(harness, token, "POST", "/v1/extension/tasks", { ...task, requestId: id });
      const first = createdEngagementResponseSchema.parse(await (await send(requestId)).json());
      const again = createdEngagementResponseSchema.parse(await (await send(requestId)).json());
      expect(again).toEqual(first);
      expect(engagementsOf("tasks", company.id)).toHaveLength(before + 1);
      const other = createdEngagementResponseSchema.parse(await (await send(randomUUID())).json());
      expect(other.id).not.toBe(first.id);
      expect(engagementsOf("tasks", company.id)).toHaveLength(before + 2);
    });

    it("refuses a request id already used for another note, writing nothing", async () => {
      const company = hubspotCompany(harness, take());
      const before = engagementsOf("notes", company.id).length;
      const requestId = randomUUID();
      const note = (body: string) =>
        asExtension(harness, token, "POST", "/v1/extension/notes", {
          companyId: company.id,
          body,
          requestId,
        });
      expect((await note("Première note")).status).toBe(200);
      expect(await refusal(await note("Autre chose"))).toEqual({
        status: 422,
        code: "REQUEST_ID_REUSED",
      });
      expect(engagementsOf("notes", company.id)).toHaveLength(before + 1);
    });

    it("keeps one user's request ids to that user's account", async () => {
      const company = hubspotCompany(harness, withSiren[0] ?? "");
      const requestId = randomUUID();
      const mine = await asExtension(harness, token, "POST", "/v1/extension/notes", {
        companyId: company.id,
        body: "Note de ce compte",
        requestId,
      });
      expect(mine.status).toBe(200);
      const theirs = await pairedToken(harness, { portalId: OTHER_PORTAL });
      const replayed = await asExtension(harness, theirs, "POST", "/v1/extension/notes", {
        companyId: company.id,
        body: "Note de ce compte",
        requestId,
      });
      expect(await refusal(replayed)).toEqual({ status: 404, code: "NOT_FOUND" });
    });

    it("refuses an empty note, a malformed company id or due date, and a company HubSpot does not have", async () => {
      const company = hubspotCompany(harness, withSiren[0] ?? "");
      const cases: Array<[string, unknown, { status: number; code: string }]> = [
        [
          "/v1/extension/notes",
          { companyId: company.id, body: "   " },
          { status: 400, code: "VALIDATION_FAILED" },
        ],
        [
          "/v1/extension/notes",
          { companyId: "abc", body: "x" },
          { status: 400, code: "VALIDATION_FAILED" },
        ],
        [
          "/v1/extension/tasks",
          { companyId: company.id, subject: "Rappel", dueDate: "01/12/2026" },
          { status: 400, code: "VALIDATION_FAILED" },
        ],
        [
          "/v1/extension/notes",
          { companyId: "987654321", body: "x" },
          { status: 404, code: "NOT_FOUND" },
        ],
      ];
      for (const [path, body, expected] of cases) {
        const response = await asExtension(harness, token, "POST", path, body);
        expect(await refusal(response), JSON.stringify(body)).toEqual(expected);
      }
    });
  });
});
