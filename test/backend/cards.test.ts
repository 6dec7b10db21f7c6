/**
 * The card API as HubSpot calls it (signed `hubspot.fetch`), over the real app with the
 * seeded book loaded in emulated HubSpot and Pennylane: what a rep sees on a company,
 * contact or deal, how companies are matched to accounting customers, who sees amounts,
 * and what bad input, bad signatures and other tenants get.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_DUNNING_LADDER, sumCents } from "@encaisse/shared";
import { confirmLinkResponseSchema } from "@encaisse/shared/contracts";
import { signAsHubSpot } from "../../functions/src/hubspot/signature";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { SANDBOX_HUBSPOT_APP } from "../emulators/hubspot";
import { generateBook, paidCentsOf } from "../fixtures/generate";
import {
  type CardView,
  cardsOf,
  companiesWithSiren,
  distinct,
  getCard,
  getCardView,
  hubspotCompany,
  installAnotherPortal,
  invoicesOf,
  pennylaneCustomer,
  pennylaneInvoiceId,
  providerCalls,
  refusal,
  seedCompany,
  today,
} from "./card-support";
import {
  BACKEND_URL,
  type BackendHarness,
  PORTAL_ID,
  USER_ID,
  startBackendHarness,
} from "./harness";

/** Big enough for the HubSpot seed to leave companies without SIREN and rename one. */
const BOOK = generateBook({ companies: 50, invoices: 400 });

function companyQuery(companyId: string, extra: Record<string, string> = {}) {
  return { objectType: "companies", objectId: companyId, pageSize: "100", ...extra };
}

/** What the book says the customer owes today, computed from its invoices and payments. */
function owedFromBook(harness: BackendHarness, key: string) {
  const owed = invoicesOf(harness, key)
    .filter((invoice) => !invoice.draft && !invoice.cancelled && invoice.creditNoteOf === null)
    .map((invoice) => ({
      dueDate: invoice.dueDate,
      cents: invoice.grossCents - paidCentsOf(invoice),
    }))
    .filter((invoice) => invoice.cents > 0);
  const overdue = owed.filter((invoice) => invoice.dueDate < today());
  return {
    outstandingCents: sumCents(owed.map((invoice) => invoice.cents)),
    overdueCents: sumCents(overdue.map((invoice) => invoice.cents)),
    overdueInvoiceCount: overdue.length,
  };
}

describe.each(TEST_DRIVERS)("the card API (%s store)", (driver) => {
  let harness: BackendHarness;
  /** Companies with a SIREN in HubSpot, each used by one test only. */
  let withSiren: string[];
  const take = (wanted: (key: string) => boolean = () => true) => {
    const key = withSiren.find(wanted);
    if (key === undefined) throw new Error("The book ran out of companies with a SIREN.");
    withSiren = withSiren.filter((candidate) => candidate !== key);
    return key;
  };
  const auditEntries = async (portalId = PORTAL_ID) =>
    (await harness.backend.repos.audit.list(portalId, { limit: 200 })).entries;

  beforeAll(async () => {
    harness = await startBackendHarness({ driver, book: BOOK });
    // A first view lists a customer's invoices and each payment: never cut short here.
    cardsOf(harness).configure({ refreshBudgetMs: 25_000 });
    const renamed = new Set(
      BOOK.companies
        .filter((company) => hubspotCompany(harness, company.key).name !== company.name)
        .map((company) => company.key),
    );
    withSiren = companiesWithSiren(harness, 5).filter((key) => !renamed.has(key));
  }, 60_000);

  afterAll(async () => {
    await cardsOf(harness).refresher.idle();
    await harness.close();
  });

  describe("a linked company", () => {
    let key: string;
    let view: CardView;

    beforeAll(async () => {
      key = take();
      view = await getCardView(harness, companyQuery(harness.companyIds[key] ?? ""));
    }, 30_000);

    it("shows every invoice of its accounting customer, with its payments", () => {
      const book = invoicesOf(harness, key);
      expect(view.customer.providerCustomerId).toBe(String(pennylaneCustomer(harness, key).id));
      expect(view.customer.name).toBe(seedCompany(harness, key).name);
      expect(view.company).toEqual({
        id: harness.companyIds[key],
        name: hubspotCompany(harness, key).name,
        domain: seedCompany(harness, key).domain,
      });
      expect(view.invoices.total).toBe(book.length);
      for (const seed of book) {
        const shown = view.invoices.items.find(
          (invoice) => invoice.externalReference === `book-${seed.key}`,
        );
        expect(shown, seed.key).toBeDefined();
        expect(shown?.grossCents).toBe(seed.grossCents);
        expect(sumCents(shown?.payments.map((payment) => payment.amountCents) ?? [])).toBe(
          paidCentsOf(seed),
        );
        expect(shown?.payments.map((payment) => payment.date).sort()).toEqual(
          seed.payments.map((payment) => payment.date).sort(),
        );
      }
    });

    it("sums what is owed and overdue over all its invoices", () => {
      const expected = owedFromBook(harness, key);
      expect(view.summary.outstandingCents).toBe(expected.outstandingCents);
      expect(view.summary.overdueCents).toBe(expected.overdueCents);
      expect(view.summary.overdueInvoiceCount).toBe(expected.overdueInvoiceCount);
      expect(view.currency).toBe("EUR");
      expect(view.amountsVisible).toBe(true);
    });

    it("gives each late invoice its penalties and the reminder due, and none to paid ones", () => {
      for (const invoice of view.invoices.items) {
        if (invoice.status === "overdue") {
          expect(invoice.penalties?.indemnityCents).toBe(4000);
          expect(invoice.penalties?.totalCents).toBe(
            (invoice.penalties?.interestCents ?? 0) + 4000,
          );
          const due = DEFAULT_DUNNING_LADDER.filter((step) => step.offsetDays <= invoice.daysLate);
          expect(invoice.dunning?.nextStep).toEqual({
            id: due.at(-1)?.id,
            action: due.at(-1)?.action,
            dueOn: today(),
          });
          expect(invoice.dunning?.lastStep).toBeNull();
        } else {
          expect(invoice.penalties).toBeNull();
        }
        if (invoice.status === "paid") expect(invoice.dunning).toBeNull();
      }
    });

    it("was linked on its SIREN without asking, and the link is in the audit log", async () => {
      const link = await harness.backend.repos.customerLinks.byCompany(
        PORTAL_ID,
        harness.companyIds[key] ?? "",
      );
      expect(link).toMatchObject({
        providerCustomerId: String(pennylaneCustomer(harness, key).id),
        matchedBy: "siren",
        confidence: 95,
        linkedBy: null,
      });
      const logged = (await auditEntries()).filter(
        (entry) => entry.action === "customer.linked" && entry.objectId === harness.companyIds[key],
      );
      expect(logged).toHaveLength(1);
      expect(logged[0]?.actor).toBeNull();
      expect(logged[0]?.details).toMatchObject({ matchedBy: "siren", automatic: true });
    });

    it("was fresh from the provider when served", () => {
      expect(view.freshness.stale).toBe(false);
      expect(view.freshness.refreshError).toBeNull();
      expect(view.freshness.ageSeconds).toBeLessThanOrEqual(30);
    });
  });

  it("a contact's and a deal's card show the invoices of their company's customer", async () => {
    const key = take();
    const companyId = harness.companyIds[key] ?? "";
    const associations = harness.hubspot.portal(Number(PORTAL_ID)).associations;
    const contactId = associations.list("companies", companyId, "contacts")[0]?.toId;
    const dealId = associations.list("companies", companyId, "deals")[0]?.toId;
    expect(contactId).toBeDefined();
    expect(dealId).toBeDefined();

    const fromCompany = await getCardView(harness, companyQuery(companyId));
    const fromContact = await getCardView(harness, {
      objectType: "contacts",
      objectId: contactId ?? "",
      pageSize: "100",
    });
    const fromDeal = await getCardView(harness, {
      objectType: "deals",
      objectId: dealId ?? "",
      pageSize: "100",
    });
    for (const view of [fromContact, fromDeal]) {
      expect(view.company.id).toBe(companyId);
      expect(view.customer).toEqual(fromCompany.customer);
      expect(view.summary).toEqual(fromCompany.summary);
      expect(view.invoices.items.map((invoice) => invoice.id)).toEqual(
        fromCompany.invoices.items.map((invoice) => invoice.id),
      );
    }
    expect(fromCompany.invoices.total).toBe(invoicesOf(harness, key).length);
  });

  it("a contact or a deal without a company gets no_company", async () => {
    const portal = harness.hubspot.portal(Number(PORTAL_ID));
    const contact = portal.objects.create("contacts", {
      email: "sans.societe@example.fr",
      firstname: "Sans",
      lastname: "Société",
    });
    const deal = portal.objects.create("deals", { dealname: "Affaire orpheline", amount: "1200" });
    expect(await getCard(harness, { objectType: "contacts", objectId: contact.id })).toEqual({
      state: "no_company",
      objectType: "contacts",
    });
    expect(await getCard(harness, { objectType: "deals", objectId: deal.id })).toEqual({
      state: "no_company",
      objectType: "deals",
    });
  });

  it("an account with no accounting software connected gets not_connected", async () => {
    await installAnotherPortal(harness, "77001");
    expect(
      await getCard(harness, companyQuery(harness.companyIds.c001 ?? ""), { portalId: "77001" }),
    ).toEqual({ state: "not_connected" });
  });

  describe("matching a company to its accounting customer", () => {
    it("never matches a company without SIREN on its name: not_matched until a rep links it", async () => {
      const key = BOOK.companies.find(
        (company) =>
          !hubspotCompany(harness, company.key).siren &&
          hubspotCompany(harness, company.key).name === company.name,
      )?.key;
      expect(key, "the seed leaves some companies without SIREN").toBeDefined();
      const companyId = harness.companyIds[key ?? ""] ?? "";
      const customer = pennylaneCustomer(harness, key ?? "");
      // The ledger has a customer of that very name: still not a reason to link.
      expect(customer.name).toBe(hubspotCompany(harness, key ?? "").name);

      const before = await getCard(harness, companyQuery(companyId));
      expect(before).toEqual({
        state: "not_matched",
        provider: "pennylane",
        company: {
          id: companyId,
          name: customer.name,
          domain: seedCompany(harness, key ?? "").domain,
        },
        candidates: [],
      });
      expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId)).toBeNull();

      const response = await harness.signedFetch("POST", distinct("/v1/cards/links"), {
        companyId,
        providerCustomerId: String(customer.id),
      });
      expect(response.status).toBe(200);
      expect(confirmLinkResponseSchema.parse(await response.json())).toEqual({
        companyId,
        providerCustomerId: String(customer.id),
        matchedBy: "manual",
      });
      expect(
        await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId),
      ).toMatchObject({ matchedBy: "manual", linkedBy: USER_ID, confidence: 100 });
      const logged = (await auditEntries()).find(
        (entry) => entry.action === "customer.linked" && entry.objectId === companyId,
      );
      expect(logged?.actor).toBe(USER_ID);

      const after = await getCardView(harness, companyQuery(companyId));
      expect(after.customer.providerCustomerId).toBe(String(customer.id));
      expect(after.invoices.total).toBe(invoicesOf(harness, key ?? "").length);
      expect(after.summary.outstandingCents).toBe(
        owedFromBook(harness, key ?? "").outstandingCents,
      );
    });

    it("still finds a company renamed in HubSpot by its SIREN", async () => {
      const key = BOOK.companies.find(
        (company) =>
          hubspotCompany(harness, company.key).siren &&
          hubspotCompany(harness, company.key).name !== company.name,
      )?.key;
      expect(key, "the seed renames some companies").toBeDefined();
      const companyId = harness.companyIds[key ?? ""] ?? "";
      const view = await getCardView(harness, companyQuery(companyId));
      expect(view.company.name).not.toBe(view.customer.name);
      expect(view.customer.providerCustomerId).toBe(
        String(pennylaneCustomer(harness, key ?? "").id),
      );
      expect(
        await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId),
      ).toMatchObject({ matchedBy: "siren" });
    });

    it("offers two customers sharing the SIREN, with their reason in the user's language, and links neither", async () => {
      const key = take();
      const seed = seedCompany(harness, key);
      const companyId = harness.companyIds[key] ?? "";
      const original = pennylaneCustomer(harness, key);
      const duplicate = harness.pennylane.ledger.createCompanyCustomer({
        name: `${seed.name} (ancien compte)`,
        reg_no: seed.siren,
        billing_address: {
          address: seed.address.line1,
          postal_code: seed.address.postalCode,
          city: seed.address.city,
          country_alpha2: seed.address.countryCode,
        },
      });
      const spaced = `${seed.siren.slice(0, 3)} ${seed.siren.slice(3, 6)} ${seed.siren.slice(6)}`;

      const inFrench = await getCard(harness, companyQuery(companyId));
      expect(inFrench.state).toBe("not_matched");
      if (inFrench.state !== "not_matched") return;
      expect(inFrench.candidates.map((candidate) => candidate.providerCustomerId).sort()).toEqual(
        [String(original.id), String(duplicate.id)].sort(),
      );
      for (const candidate of inFrench.candidates) {
        expect(candidate).toMatchObject({
          reason: "siren",
          confidence: 95,
          siren: seed.siren,
          explanation: `Même SIREN (${spaced})`,
        });
      }
      // The closer name comes first when both are as strong.
      expect(inFrench.candidates[0]?.providerCustomerId).toBe(String(original.id));

      const inEnglish = await getCard(harness, companyQuery(companyId, { locale: "en-us" }));
      expect(inEnglish.state === "not_matched" && inEnglish.candidates[0]?.explanation).toBe(
        `Same SIREN (${spaced})`,
      );
      expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId)).toBeNull();
    });

    it("refuses a customer already linked to another company with CUSTOMER_ALREADY_LINKED, writing nothing", async () => {
      const [first, second] = [take(), take()];
      const firstId = harness.companyIds[first] ?? "";
      const secondId = harness.companyIds[second] ?? "";
      const customerId = String(pennylaneCustomer(harness, first).id);
      const linked = await harness.signedFetch("POST", distinct("/v1/cards/links"), {
        companyId: firstId,
        providerCustomerId: customerId,
      });
      expect(linked.status).toBe(200);
      const auditBefore = (await auditEntries()).length;

      const refused = await harness.signedFetch("POST", distinct("/v1/cards/links"), {
        companyId: secondId,
        providerCustomerId: customerId,
      });
      expect(await refusal(refused)).toEqual({ status: 409, code: "CUSTOMER_ALREADY_LINKED" });
      expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, secondId)).toBeNull();
      expect(
        await harness.backend.repos.customerLinks.byCustomer(PORTAL_ID, "pennylane", customerId),
      ).toMatchObject({ companyId: firstId });
      expect((await auditEntries()).length).toBe(auditBefore);
    });

    it("refuses a customer the accounting software does not know with PROVIDER_CUSTOMER_NOT_FOUND", async () => {
      const companyId = harness.companyIds[take()] ?? "";
      const refused = await harness.signedFetch("POST", distinct("/v1/cards/links"), {
        companyId,
        providerCustomerId: "987654321",
      });
      expect(await refusal(refused)).toEqual({ status: 404, code: "PROVIDER_CUSTOMER_NOT_FOUND" });
      expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId)).toBeNull();
    });
  });

  it("pages, sorts and filters the invoices while the summary covers all of them", async () => {
    const key = take((candidate) => invoicesOf(harness, candidate).length >= 12);
    const companyId = harness.companyIds[key] ?? "";
    const all = await getCardView(harness, companyQuery(companyId));
    const page2 = await getCardView(harness, {
      objectType: "companies",
      objectId: companyId,
      page: "2",
      pageSize: "5",
      sort: "dueDate",
      order: "asc",
    });
    const byDueDate = [...all.invoices.items].sort(
      (a, b) => a.dueDate.localeCompare(b.dueDate) || a.id.localeCompare(b.id),
    );
    expect(page2.invoices).toMatchObject({ page: 2, pageSize: 5, total: all.invoices.total });
    expect(page2.invoices.items.map((invoice) => invoice.dueDate)).toEqual(
      byDueDate.slice(5, 10).map((invoice) => invoice.dueDate),
    );
    expect(page2.summary).toEqual(all.summary);

    const paid = await getCardView(harness, companyQuery(companyId, { status: "paid" }));
    expect(paid.invoices.items.every((invoice) => invoice.status === "paid")).toBe(true);
    expect(paid.invoices.total).toBe(
      all.invoices.items.filter((invoice) => invoice.status === "paid").length,
    );
  });

  it("zeroes every amount for a viewer outside the teams allowed to see them", async () => {
    const key = take((candidate) => owedFromBook(harness, candidate).outstandingCents > 0);
    const companyId = harness.companyIds[key] ?? "";
    const visible = await getCardView(harness, companyQuery(companyId));
    expect(visible.summary.outstandingCents).toBeGreaterThan(0);
    await harness.backend.repos.tenants.updateSettings(PORTAL_ID, {
      amountsVisibleToTeamIds: ["4242"],
    });
    try {
      const hidden = await getCardView(harness, companyQuery(companyId, { teamIds: "17" }));
      expect(hidden.amountsVisible).toBe(false);
      expect(hidden.summary.outstandingCents).toBe(0);
      expect(hidden.summary.aging).toEqual({
        notDueCents: 0,
        days1To30Cents: 0,
        days31To60Cents: 0,
        days61To90Cents: 0,
        over90DaysCents: 0,
      });
      for (const invoice of hidden.invoices.items) {
        expect([invoice.grossCents, invoice.remainingCents, invoice.paidCents]).toEqual([0, 0, 0]);
        expect(invoice.payments.every((payment) => payment.amountCents === 0)).toBe(true);
      }
      // What is not an amount stays: how many, how late, which status.
      expect(hidden.summary.overdueInvoiceCount).toBe(visible.summary.overdueInvoiceCount);
      expect(hidden.invoices.items.map((invoice) => [invoice.id, invoice.status])).toEqual(
        visible.invoices.items.map((invoice) => [invoice.id, invoice.status]),
      );

      const member = await getCardView(harness, companyQuery(companyId, { teamIds: "17,4242" }));
      expect(member.amountsVisible).toBe(true);
      expect(member.summary).toEqual(visible.summary);
    } finally {
      await harness.backend.repos.tenants.updateSettings(PORTAL_ID, {
        amountsVisibleToTeamIds: null,
      });
    }
  });

  describe("bad input", () => {
    const badQueries: readonly [string, Record<string, string>][] = [
      ["a non-numeric objectId", { objectType: "companies", objectId: "abc" }],
      ["an unknown objectType", { objectType: "tickets", objectId: "101" }],
      ["no objectId", { objectType: "companies" }],
      ["a page size of 500", { objectType: "companies", objectId: "101", pageSize: "500" }],
      ["page 0", { objectType: "companies", objectId: "101", page: "0" }],
      ["an unknown sort", { objectType: "companies", objectId: "101", sort: "amount" }],
      ["an unknown status filter", { objectType: "companies", objectId: "101", status: "late" }],
      ["team ids that are not ids", { objectType: "companies", objectId: "101", teamIds: "x,y" }],
    ];

    it.each(badQueries)(
      "a card request with %s is refused with VALIDATION_FAILED",
      async (_, query) => {
        const calls = providerCalls(harness);
        const response = await harness.signedFetch(
          "GET",
          distinct(`/v1/cards/invoices?${new URLSearchParams(query).toString()}`),
        );
        expect(await refusal(response)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
        expect(providerCalls(harness)).toBe(calls);
      },
    );

    const badLinks: readonly [string, unknown][] = [
      ["an empty body", {}],
      ["a non-numeric company id", { companyId: "acme", providerCustomerId: "12" }],
      ["no customer", { companyId: "101" }],
      ["an empty customer id", { companyId: "101", providerCustomerId: "" }],
      ["a list instead of an object", [{ companyId: "101", providerCustomerId: "12" }]],
    ];

    it.each(badLinks)(
      "a link confirmation with %s is refused and links nothing",
      async (_, body) => {
        const linksBefore = await harness.backend.repos.customerLinks.list(PORTAL_ID, "pennylane");
        const response = await harness.signedFetch("POST", distinct("/v1/cards/links"), body);
        expect(await refusal(response)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
        expect(await harness.backend.repos.customerLinks.list(PORTAL_ID, "pennylane")).toEqual(
          linksBefore,
        );
      },
    );

    it("a link confirmation whose body is not JSON is refused with VALIDATION_FAILED", async () => {
      const url = new URL(distinct("/v1/cards/links"), BACKEND_URL);
      url.searchParams.set("portalId", PORTAL_ID);
      const body = "companyId=101";
      const response = await harness.app.request(url.toString(), {
        method: "POST",
        headers: signAsHubSpot({
          method: "POST",
          url: url.toString(),
          body,
          clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
        }),
        body,
      });
      expect(await refusal(response)).toEqual({ status: 400, code: "VALIDATION_FAILED" });
    });
  });

  describe("signatures", () => {
    function signedUrl(query: string) {
      const url = new URL(distinct(`/v1/cards/invoices?${query}`), BACKEND_URL);
      url.searchParams.set("portalId", PORTAL_ID);
      url.searchParams.set("userId", USER_ID);
      return url.toString();
    }
    const sign = (url: string, timestamp?: number) =>
      signAsHubSpot({
        method: "GET",
        url,
        clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
        ...(timestamp === undefined ? {} : { timestamp }),
      });

    it("a request whose signed URL was altered (another record) is refused with 401", async () => {
      const url = signedUrl("objectType=companies&objectId=101");
      const response = await harness.app.request(url.replace("objectId=101", "objectId=102"), {
        headers: sign(url),
      });
      expect(await refusal(response)).toEqual({ status: 401, code: "SIGNATURE_INVALID" });
    });

    it("a request signed for another portal cannot be redirected to this one", async () => {
      const url = signedUrl("objectType=companies&objectId=101");
      const signedForAnother = url.replace(`portalId=${PORTAL_ID}`, "portalId=77002");
      const response = await harness.app.request(url, { headers: sign(signedForAnother) });
      expect(await refusal(response)).toEqual({ status: 401, code: "SIGNATURE_INVALID" });
    });

    it("an unsigned request is refused with 401", async () => {
      const response = await harness.app.request(signedUrl("objectType=companies&objectId=101"));
      expect(response.status).toBe(401);
    });

    it("a signature older than five minutes is refused with SIGNATURE_EXPIRED", async () => {
      const url = signedUrl("objectType=companies&objectId=101");
      const response = await harness.app.request(url, {
        headers: sign(url, Date.now() - 6 * 60_000),
      });
      expect(await refusal(response)).toEqual({ status: 401, code: "SIGNATURE_EXPIRED" });
    });

    it("the same signed request played twice is refused the second time", async () => {
      const url = signedUrl(`objectType=contacts&objectId=1`);
      const headers = sign(url);
      await harness.app.request(url, { headers });
      const replayed = await harness.app.request(url, { headers });
      expect(await refusal(replayed)).toEqual({ status: 401, code: "SIGNATURE_REPLAYED" });
    });
  });

  describe("another HubSpot account", () => {
    const OTHER_PORTAL = "77003";
    let key: string;

    beforeAll(async () => {
      key = take();
      await getCardView(harness, companyQuery(harness.companyIds[key] ?? ""));
      await installAnotherPortal(harness, OTHER_PORTAL, {
        pennylaneToken: "pennylane-other-company-token-9876543210",
      });
    }, 30_000);

    it("cannot see the first account's companies, invoices or PDF links", async () => {
      const companyId = harness.companyIds[key] ?? "";
      const invoice = invoicesOf(harness, key).find((seed) => !seed.draft);
      const invoiceId = pennylaneInvoiceId(harness, invoice?.key ?? "");
      expect(
        await harness.backend.repos.readModel.getInvoice(PORTAL_ID, "pennylane", invoiceId),
      ).not.toBeNull();
      const calls = providerCalls(harness);

      const card = await harness.signedFetch(
        "GET",
        distinct(`/v1/cards/invoices?objectType=companies&objectId=${companyId}`),
        undefined,
        { portalId: OTHER_PORTAL },
      );
      expect(await refusal(card)).toEqual({ status: 404, code: "NOT_FOUND" });
      const pdf = await harness.signedFetch(
        "GET",
        distinct(`/v1/invoices/${invoiceId}/pdf-link`),
        undefined,
        { portalId: OTHER_PORTAL },
      );
      expect(await refusal(pdf)).toEqual({ status: 404, code: "INVOICE_NOT_FOUND" });
      const pause = await harness.signedFetch(
        "POST",
        distinct(`/v1/invoices/${invoiceId}/dunning-pause`),
        { kind: "dispute" },
        { portalId: OTHER_PORTAL },
      );
      expect(await refusal(pause)).toEqual({ status: 404, code: "INVOICE_NOT_FOUND" });
      expect(providerCalls(harness)).toBe(calls);
      const pauses = await harness.backend.repos.dunning.pauses(PORTAL_ID, "pennylane", [
        invoiceId,
      ]);
      expect(pauses.get(invoiceId) ?? []).toEqual([]);
    });

    it("cannot link the first account's company", async () => {
      const companyId = harness.companyIds[key] ?? "";
      const before = await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId);
      const response = await harness.signedFetch(
        "POST",
        distinct("/v1/cards/links"),
        { companyId, providerCustomerId: String(pennylaneCustomer(harness, key).id) },
        { portalId: OTHER_PORTAL },
      );
      expect(await refusal(response)).toEqual({ status: 404, code: "NOT_FOUND" });
      expect(await harness.backend.repos.customerLinks.list(OTHER_PORTAL, "pennylane")).toEqual([]);
      expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId)).toEqual(
        before,
      );
    });
  });
});
