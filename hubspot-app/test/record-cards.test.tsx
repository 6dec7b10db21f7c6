/**
 * The Invoices tab and the sidebar summary as a rep sees them, with `hubspot.fetch` answered
 * by the backend's own app (signed like HubSpot signs) over emulated HubSpot and Pennylane
 * loaded with the seeded book: every figure on screen is the one the backend computed.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  Alert,
  Button,
  DescriptionListItem,
  Flex,
  EmptyState,
  ErrorState,
  Link,
  LoadingButton,
  LoadingSpinner,
  StatisticsItem,
  StatusTag,
  Table,
  TableHeader,
  Text,
} from "@hubspot/ui-extensions";
import { formatAge, formatDate, formatMoney } from "@encaisse/shared";
import type { CardInvoice } from "@encaisse/shared/contracts";
import type { SeedInvoice } from "../../test/fixtures/book";
import { generateBook, paidCentsOf } from "../../test/fixtures/generate";
import { type BackendHarness, PORTAL_ID, startBackendHarness } from "../../test/backend/harness";
import {
  ageCustomerData,
  cardsOf,
  companiesWithSiren,
  getCardView,
  invoicesOf,
  pennylaneCustomer,
  providerCalls,
  seedCompany,
  today,
} from "../../test/backend/card-support";
import { newCompany, portalOf } from "../../test/backend/invoice-support";
import { InvoicesCard } from "../app/cards/InvoicesCard.tsx";
import { SummaryCard } from "../app/cards/SummaryCard.tsx";
import { connectedAppsUrl } from "../app/cards/utils/record.ts";
import { type BackendCall, callsTo, routeHubSpotFetchToBackend } from "./support/hubspot-fetch.ts";
import { type RecordOptions, crmRenderer } from "./support/render.tsx";
import { FIRST_VIEW, asPaginatedTable, bodyRows, fire, textOf } from "./support/rendered.ts";

const BOOK = generateBook({ companies: 24, invoices: 300 });
const money = (cents: number, locale = "fr-FR") => formatMoney(cents, "EUR", locale);
const ACTIONS_FR = {
  courteous_email: "Relance courtoise",
  call: "Appel",
  firm_notice: "Relance ferme",
  formal_notice: "Mise en demeure",
} as const;

describe("the record cards over the backend", () => {
  let harness: BackendHarness;
  let calls: BackendCall[];
  let withSiren: string[];
  /** Each test takes its own company, so no test sees another's links or freshness. */
  const take = (wanted: (key: string) => boolean = () => true) => {
    const key = withSiren.find(wanted);
    if (key === undefined) throw new Error("The book ran out of companies with a SIREN.");
    withSiren = withSiren.filter((candidate) => candidate !== key);
    return key;
  };
  const companyOf = (key: string) => harness.companyIds[key] ?? "";
  const backendView = (companyId: string, query: Record<string, string> = {}) =>
    getCardView(harness, { objectType: "companies", objectId: companyId, ...query });
  const lastCardRequest = () => callsTo(calls, "GET", "/v1/cards/invoices").at(-1)?.url;

  function renderTab(companyId: string, options: RecordOptions = {}) {
    const renderer = crmRenderer("crm.record.tab", { objectId: Number(companyId), ...options });
    renderer.render(<InvoicesCard context={renderer.context} />);
    return renderer;
  }

  beforeAll(async () => {
    harness = await startBackendHarness({ book: BOOK });
    // A first view lists the customer's invoices and payments: never cut short here.
    cardsOf(harness).configure({ refreshBudgetMs: 25_000 });
    withSiren = companiesWithSiren(harness, 5).filter(
      (key) => seedCompany(harness, key).address.countryCode === "FR",
    );
  }, 60_000);
  beforeEach(() => {
    calls = routeHubSpotFetchToBackend(harness);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    harness.pennylane.faults.reset();
  });
  afterAll(async () => {
    await cardsOf(harness).refresher.idle();
    await harness.close();
  });

  it("shows a spinner, then the customer's receivables exactly as the backend computed them, in French", async () => {
    const companyId = companyOf(take());
    const { find, maybeFind, findByTestId, waitFor } = renderTab(companyId);
    expect(find(LoadingSpinner).props.label).toBe("Chargement des factures…");
    await waitFor(() => expect(maybeFind(LoadingSpinner)).toBeNull(), FIRST_VIEW);

    const view = await backendView(companyId);
    expect(findByTestId(StatisticsItem, "outstanding").props.number).toBe(
      money(view.summary.outstandingCents),
    );
    expect(findByTestId(StatisticsItem, "overdue").props.number).toBe(
      money(view.summary.overdueCents),
    );
    expect(findByTestId(StatusTag, "payment-risk").text).toBe(
      { low: "Faible", medium: "Moyen", high: "Élevé\u00a0: à risque" }[view.summary.paymentRisk],
    );
    const rows = bodyRows(findByTestId(Table, "invoice-table"));
    expect(rows.map((row) => row[0])).toEqual(
      view.invoices.items.map((invoice) => invoice.number ?? "Brouillon"),
    );
    expect(rows.map((row) => [row[1], row[2], row[4]])).toEqual(
      view.invoices.items.map((invoice) => [
        formatDate(invoice.issueDate),
        formatDate(invoice.dueDate),
        money(invoice.remainingCents),
      ]),
    );
    expect(findByTestId(Text, "freshness").text).toMatch(/^Mis à jour /);
    expect(Object.fromEntries(lastCardRequest()?.searchParams ?? [])).toMatchObject({
      objectType: "companies",
      objectId: companyId,
      page: "1",
      pageSize: "10",
      sort: "issueDate",
      order: "desc",
      refresh: "0",
      locale: "fr-fr",
    });
  });

  it("pages through the invoices with the API's page parameter", async () => {
    const companyId = companyOf(take((key) => invoicesOf(harness, key).length >= 12));
    const { findByTestId, maybeFind, waitFor } = renderTab(companyId);
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
    const firstPage = await backendView(companyId);
    const table = asPaginatedTable(findByTestId(Table, "invoice-table"));
    expect(table.props).toMatchObject({
      page: 1,
      pageCount: Math.ceil(firstPage.invoices.total / 10),
    });

    fire(table, "onPageChange", 2);
    const secondPage = await backendView(companyId, { page: "2" });
    await waitFor(() =>
      expect(bodyRows(findByTestId(Table, "invoice-table")).map((row) => row[0])).toEqual(
        secondPage.invoices.items.map((invoice) => invoice.number ?? "Brouillon"),
      ),
    );
    expect(lastCardRequest()?.searchParams.get("page")).toBe("2");
    expect(asPaginatedTable(findByTestId(Table, "invoice-table")).props.page).toBe(2);
  });

  it("sorts by what is still owed through the API's sort and order, back on page one", async () => {
    const companyId = companyOf(take((key) => invoicesOf(harness, key).length >= 8));
    const { findByTestId, maybeFind, waitFor } = renderTab(companyId);
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull(), FIRST_VIEW);

    fire(findByTestId(TableHeader, "sort-remainingCents"), "onSortChange", "ascending");
    const sorted = await backendView(companyId, { sort: "remainingCents", order: "asc" });
    await waitFor(() =>
      expect(bodyRows(findByTestId(Table, "invoice-table")).map((row) => row[4])).toEqual(
        sorted.invoices.items.map((invoice) => money(invoice.remainingCents)),
      ),
    );
    expect(Object.fromEntries(lastCardRequest()?.searchParams ?? [])).toMatchObject({
      sort: "remainingCents",
      order: "asc",
      page: "1",
    });
    expect(findByTestId(TableHeader, "sort-remainingCents").props.sortDirection).toBe("ascending");
    expect(findByTestId(TableHeader, "sort-issueDate").props.sortDirection).toBe("none");
  });

  /**
   * A company whose first page (newest first) shows an invoice of the book matching
   * `inBook`, and that invoice as the backend serves it (matching `served`).
   */
  async function companyWithInvoice(
    inBook: (invoice: SeedInvoice) => boolean,
    served: (invoice: CardInvoice) => boolean,
  ) {
    const key = take((candidate) =>
      [...invoicesOf(harness, candidate)]
        .sort((a, b) => b.issueDate.localeCompare(a.issueDate))
        .slice(0, 8)
        .some(inBook),
    );
    const view = await backendView(companyOf(key));
    const invoice = view.invoices.items.find(served);
    if (invoice === undefined) throw new Error(`Company ${key} shows no such invoice.`);
    return { companyId: companyOf(key), invoice };
  }

  it("opens an invoice with its payments, and fetches its PDF link only when asked", async () => {
    const { companyId, invoice } = await companyWithInvoice(
      (seed) => seed.payments.length > 0 && !seed.draft,
      (candidate) => candidate.payments.length > 0,
    );
    const { findByTestId, maybeFind, find, waitFor } = renderTab(companyId);
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
    findByTestId(Button, `details-${invoice.id}`).trigger("onClick");

    await waitFor(() => expect(maybeFind(Table, { testId: "payments" })).not.toBeNull());
    expect(bodyRows(find(Table, { testId: "payments" })).map((row) => row.slice(0, 2))).toEqual(
      invoice.payments.map((payment) => [formatDate(payment.date), money(payment.amountCents)]),
    );
    expect(callsTo(calls, "GET", "/v1/invoices/")).toHaveLength(0);

    findByTestId(LoadingButton, "get-pdf").trigger("onClick");
    await waitFor(() => expect(maybeFind(Link, { testId: "pdf-link" })).not.toBeNull());
    const pdfCalls = callsTo(calls, "GET", `/v1/invoices/${invoice.id}/pdf-link`);
    expect(pdfCalls).toHaveLength(1);
    const href = find(Link, { testId: "pdf-link" }).props.href;
    expect(typeof href === "object" && href.url).toMatch(/^https?:\/\//);
  });

  it("shows where the dunning of a late invoice stands and the penalties accrued, EUR 40 included", async () => {
    const { companyId, invoice } = await companyWithInvoice(
      (seed) =>
        !seed.draft &&
        !seed.cancelled &&
        seed.creditNoteOf === null &&
        paidCentsOf(seed) < seed.grossCents &&
        seed.dueDate < today(),
      (candidate) =>
        candidate.status === "overdue" &&
        candidate.penalties !== null &&
        candidate.dunning !== null,
    );
    const { findByTestId, maybeFind, find, waitFor } = renderTab(companyId);
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
    const row = bodyRows(findByTestId(Table, "invoice-table")).find(
      (cells) => cells[0] === invoice.number,
    );
    expect(row?.[5]).toBe("En retard");
    expect(row?.[6]).toBe(`${invoice.daysLate} ${invoice.daysLate > 1 ? "jours" : "jour"}`);

    const { lastStep, nextStep } = invoice.dunning ?? { lastStep: null, nextStep: null };
    const dunning = [
      lastStep && `${ACTIONS_FR[lastStep.action]} le ${formatDate(lastStep.doneOn)}`,
      nextStep &&
        `Prochaine\u00a0: ${ACTIONS_FR[nextStep.action]} le ${formatDate(nextStep.dueOn)}`,
    ].filter((line): line is string => typeof line === "string");
    expect(dunning.length).toBeGreaterThan(0);
    expect(row?.[7]).toBe(dunning[0]);

    findByTestId(Button, `details-${invoice.id}`).trigger("onClick");
    await waitFor(() => expect(maybeFind(Flex, { testId: "penalties" })).not.toBeNull());
    const items = Object.fromEntries(
      find(Flex, { testId: "penalties" })
        .findAll(DescriptionListItem)
        .map((item) => [item.props.label, textOf(item)]),
    );
    expect(items).toEqual({
      "Intérêts de retard": money(invoice.penalties?.interestCents ?? -1),
      "Indemnité forfaitaire de recouvrement": money(4000),
      Total: money(invoice.penalties?.totalCents ?? -1),
    });
    expect(invoice.penalties?.totalCents).toBe((invoice.penalties?.interestCents ?? 0) + 4000);
    expect(find(Flex, { testId: "dunning" }).findAll(Text).slice(1).map(textOf)).toEqual(dunning);
  });

  it("offers the customers sharing the company's SIREN, links the one the rep confirms, then shows its invoices", async () => {
    const key = take();
    const seed = seedCompany(harness, key);
    const companyId = companyOf(key);
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
    const { findByTestId, maybeFind, waitFor } = renderTab(companyId);
    await waitFor(
      () => expect(maybeFind(Table, { testId: "candidates" })).not.toBeNull(),
      FIRST_VIEW,
    );
    expect(
      bodyRows(findByTestId(Table, "candidates"))
        .map((row) => row[0])
        .sort(),
    ).toEqual([original.name, duplicate.name].sort());
    expect(callsTo(calls, "POST", "/v1/cards/links")).toHaveLength(0);

    findByTestId(Button, `link-${original.id}`).trigger("onClick");
    await waitFor(() => expect(maybeFind(StatisticsItem)).not.toBeNull(), FIRST_VIEW);
    expect(callsTo(calls, "POST", "/v1/cards/links").map((call) => call.body)).toEqual([
      { companyId, providerCustomerId: String(original.id) },
    ]);
    expect(await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId)).toMatchObject(
      { providerCustomerId: String(original.id), matchedBy: "manual" },
    );
  });

  it("a company no customer matches says how to fix it, with nothing to pick", async () => {
    const companyId = newCompany(harness, { siren: null });
    const { find, maybeFind, waitFor } = renderTab(companyId);
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull(), FIRST_VIEW);
    const state = find(EmptyState, { testId: "not-matched" });
    expect(textOf(state)).toContain("Ajoutez le SIREN à l'entreprise dans HubSpot");
    expect(maybeFind(Table, { testId: "candidates" })).toBeNull();
    expect(maybeFind(Button, (node) => node.text === "Lier")).toBeNull();
  });

  it("a contact without a company says that invoices belong to a company", async () => {
    const contact = portalOf(harness).objects.create("contacts", {
      firstname: "Léa",
      lastname: "Martin",
      email: "lea.martin@example.fr",
    });
    const { find, maybeFind, waitFor } = renderTab(contact.id, { objectType: "contacts" });
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull(), FIRST_VIEW);
    expect(find(EmptyState, { testId: "no-company" }).props.title).toBe(
      "Ce contact n'a pas d'entreprise",
    );
    expect(lastCardRequest()?.searchParams.get("objectType")).toBe("contacts");
  });

  it("when Pennylane is down, shows the last known invoices with their age and the error", async () => {
    const companyId = companyOf(take());
    const known = await backendView(companyId);
    await ageCustomerData(harness, known.customer.providerCustomerId, 3_700);
    harness.pennylane.faults.serverErrorRate = 1;

    const { find, findByTestId, maybeFind, waitFor } = renderTab(companyId);
    await waitFor(
      () => expect(maybeFind(Alert, { testId: "provider-down" })).not.toBeNull(),
      FIRST_VIEW,
    );
    const alert = find(Alert, { testId: "provider-down" });
    expect(alert.props.title).toBe("Pennylane ne répond pas");
    expect(textOf(alert)).toContain(formatAge(3_700, "fr-FR"));
    expect(textOf(alert)).toContain("PROVIDER_UNAVAILABLE");
    expect(bodyRows(findByTestId(Table, "invoice-table")).map((row) => row[0])).toEqual(
      known.invoices.items.map((invoice) => invoice.number ?? "Brouillon"),
    );
  });

  it("the refresh button has the backend ask the accounting software now", async () => {
    const companyId = companyOf(take());
    const { findByTestId, maybeFind, waitFor } = renderTab(companyId);
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
    const providerCallsBefore = providerCalls(harness);

    findByTestId(LoadingButton, "refresh").trigger("onClick");
    expect(findByTestId(LoadingButton, "refresh").props).toMatchObject({
      loading: true,
      disabled: true,
    });
    await waitFor(
      () => expect(findByTestId(LoadingButton, "refresh").props.loading).toBe(false),
      FIRST_VIEW,
    );
    expect(lastCardRequest()?.searchParams.get("refresh")).toBe("1");
    expect(providerCalls(harness)).toBeGreaterThan(providerCallsBefore);
  });

  it("speaks English to an English-speaking user, amounts and dates included", async () => {
    const companyId = companyOf(take());
    const { findByTestId, maybeFind, waitFor } = renderTab(companyId, { locale: "en-gb" });
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
    const view = await backendView(companyId);
    expect(findByTestId(StatisticsItem, "outstanding").props).toMatchObject({
      label: "Outstanding",
      number: money(view.summary.outstandingCents, "en-GB"),
    });
    expect(bodyRows(findByTestId(Table, "invoice-table"))[0]?.[1]).toBe(
      formatDate(view.invoices.items[0]?.issueDate ?? "", "en-GB"),
    );
    expect(findByTestId(Text, "freshness").text).toMatch(/^Updated /);
  });

  it("hides amounts from a user outside the teams allowed to see them, not from one inside", async () => {
    const companyId = companyOf(take());
    await harness.backend.repos.tenants.updateSettings(PORTAL_ID, {
      amountsVisibleToTeamIds: ["4242"],
    });
    try {
      const outsider = renderTab(companyId, { teamIds: [7] });
      await outsider.waitFor(() => expect(outsider.maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
      expect(outsider.findByTestId(StatisticsItem, "outstanding").props.number).toBe("Masqué");
      expect(
        bodyRows(outsider.findByTestId(Table, "invoice-table")).every((row) => row[3] === "Masqué"),
      ).toBe(true);
      expect(outsider.find(Alert, { testId: "amounts-hidden" }).props.title).toBe(
        "Les montants sont masqués pour votre équipe.",
      );
      expect(lastCardRequest()?.searchParams.get("teamIds")).toBe("7");

      const insider = renderTab(companyId, { teamIds: [4242] });
      await insider.waitFor(() => expect(insider.maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
      const view = await backendView(companyId, { teamIds: "4242" });
      expect(insider.findByTestId(StatisticsItem, "outstanding").props.number).toBe(
        money(view.summary.outstandingCents),
      );
      expect(insider.maybeFind(Alert, { testId: "amounts-hidden" })).toBeNull();
    } finally {
      await harness.backend.repos.tenants.updateSettings(PORTAL_ID, {
        amountsVisibleToTeamIds: null,
      });
    }
  });

  it("an account Encaisse is not installed on gets the error with its code", async () => {
    vi.restoreAllMocks();
    routeHubSpotFetchToBackend(harness, { portalId: "99999" });
    const { find, maybeFind, waitFor } = renderTab(companyOf(withSiren[0] ?? ""));
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull(), FIRST_VIEW);
    expect(find(ErrorState).props.title).toBe("Impossible de charger les factures");
    expect(find(Text, { testId: "load-failed-code" }).text).toBe(
      "Code d'erreur\u00a0: TENANT_NOT_INSTALLED",
    );
    expect(maybeFind(Button, (node) => node.text === "Réessayer")).not.toBeNull();
  });

  it("the sidebar sums up what is owed, what is late and the risk, asking for one invoice only", async () => {
    const companyId = companyOf(take());
    const renderer = crmRenderer("crm.record.sidebar", { objectId: Number(companyId) });
    renderer.render(<SummaryCard context={renderer.context} />);
    expect(renderer.find(LoadingSpinner)).toBeDefined();
    await renderer.waitFor(
      () => expect(renderer.maybeFind(Text, { testId: "outstanding" })).not.toBeNull(),
      FIRST_VIEW,
    );
    const view = await backendView(companyId);
    expect(renderer.find(Text, { testId: "outstanding" }).text).toBe(
      money(view.summary.outstandingCents),
    );
    expect(renderer.find(Text, { testId: "overdue" }).text).toBe(money(view.summary.overdueCents));
    expect(renderer.find(StatusTag, { testId: "payment-risk" }).text).toBe(
      { low: "Faible", medium: "Moyen", high: "Élevé\u00a0: à risque" }[view.summary.paymentRisk],
    );
    expect(Object.fromEntries(lastCardRequest()?.searchParams ?? [])).toMatchObject({
      pageSize: "1",
      sort: "daysLate",
      order: "desc",
    });
  });

  // Last: it disconnects the account's accounting software.
  it("an account whose accounting software was disconnected is invited to connect it, on both cards", async () => {
    const disconnected = await harness.signedFetch(
      "DELETE",
      "/v1/connections/pennylane?reason=test",
    );
    expect(disconnected.status).toBe(200);
    const companyId = companyOf(withSiren[0] ?? "");
    const { find, maybeFind, waitFor } = renderTab(companyId);
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull(), FIRST_VIEW);
    const state = find(EmptyState, { testId: "not-connected" });
    expect(state.props.title).toBe("Connectez votre logiciel comptable");
    expect(state.find(Link).props.href).toEqual({ url: connectedAppsUrl(62515), external: true });

    const sidebar = crmRenderer("crm.record.sidebar", { objectId: Number(companyId) });
    sidebar.render(<SummaryCard context={sidebar.context} />);
    await sidebar.waitFor(() => expect(sidebar.maybeFind(EmptyState)).not.toBeNull(), FIRST_VIEW);
    expect(sidebar.find(EmptyState).props.testId).toBe("not-connected");
  });
});
