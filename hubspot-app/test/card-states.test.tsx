/**
 * The states the backend's own app cannot be made to produce on demand — an unreachable or
 * broken backend, a refusal mid-flow, a PDF link expiring, a creation another click started
 * — with `hubspot.fetch` answered by msw in the exact shapes of the shared contracts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HttpResponse, delay, http } from "msw";
import { setupServer } from "msw/node";
import {
  Alert,
  Button,
  EmptyState,
  ErrorState,
  Flex,
  Link,
  LoadingButton,
  StatisticsItem,
  Table,
  Text,
  Toggle,
} from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { formatMoney } from "@encaisse/shared";
import { InvoicesCard } from "../app/cards/InvoicesCard.tsx";
import { SummaryCard } from "../app/cards/SummaryCard.tsx";
import { BACKEND_URL } from "../app/cards/utils/backend-url.ts";
import { SettingsPage } from "../app/settings/SettingsPage.tsx";
import {
  DEAL_ID,
  connections,
  missingMentions,
  invoiceSummary,
  notMatchedView,
  okView,
  readyPreview,
  sampleInvoices,
  settings,
  syncStatus,
} from "./support/fixtures.ts";
import { callsTo, routeHubSpotFetchToNetwork } from "./support/hubspot-fetch.ts";
import { crmRenderer } from "./support/render.tsx";
import { bodyRows, fire, textOf } from "./support/rendered.ts";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
  vi.useRealTimers();
});
afterAll(() => server.close());

const refusal = (code: string, message: string, status: number, details?: object) =>
  HttpResponse.json({ error: { code, message, ...(details ? { details } : {}) } }, { status });
const cardsAnswer = (answer: Parameters<typeof http.get>[1]) =>
  http.get(`${BACKEND_URL}/v1/cards/invoices`, answer);

function renderCompanyTab() {
  const renderer = crmRenderer("crm.record.tab");
  renderer.render(<InvoicesCard context={renderer.context} />);
  return renderer;
}

function renderDealTab() {
  const renderer = crmRenderer("crm.record.tab", {
    objectType: "deals",
    objectId: Number(DEAL_ID),
  });
  renderer.render(<InvoicesCard context={renderer.context} />);
  return renderer;
}

describe("the Invoices tab when things go wrong", () => {
  it("an answer off the contract shows BACKEND_RESPONSE_INVALID, never half-read figures", async () => {
    routeHubSpotFetchToNetwork();
    server.use(cardsAnswer(() => HttpResponse.json({ state: "ok", invoices: [] })));
    const { find, maybeFind, waitFor } = renderCompanyTab();
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(find(Text, { testId: "load-failed-code" }).text).toBe(
      "Code d'erreur\u00a0: BACKEND_RESPONSE_INVALID",
    );
    expect(maybeFind(StatisticsItem)).toBeNull();
  });

  it("an unreachable backend says so, and Try again loads the invoices once it answers", async () => {
    const calls = routeHubSpotFetchToNetwork();
    server.use(cardsAnswer(() => HttpResponse.error()));
    const { find, maybeFind, waitFor } = renderCompanyTab();
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(textOf(find(ErrorState))).toContain(
      "Encaisse est injoignable. Vérifiez votre connexion et réessayez.",
    );

    server.use(cardsAnswer(() => HttpResponse.json(okView())));
    find(Button, (node) => node.text === "Réessayer").trigger("onClick");
    await waitFor(() => expect(maybeFind(StatisticsItem)).not.toBeNull());
    expect(callsTo(calls, "GET", "/v1/cards/invoices")).toHaveLength(2);
  });

  it("a page change that fails keeps the invoices on screen and shows the error with its code", async () => {
    routeHubSpotFetchToNetwork();
    server.use(cardsAnswer(() => HttpResponse.json(okView({ total: 25 }))));
    const { find, findByTestId, maybeFind, waitFor } = renderCompanyTab();
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull());
    const shown = bodyRows(findByTestId(Table, "invoice-table"));

    server.use(cardsAnswer(() => refusal("PROVIDER_TIMEOUT", "Pennylane took too long.", 504)));
    fire(findByTestId(Table, "invoice-table"), "onPageChange", 2);
    await waitFor(() => expect(maybeFind(Alert, { testId: "update-failed" })).not.toBeNull());
    expect(textOf(find(Alert, { testId: "update-failed" }))).toBe(
      "Votre logiciel comptable a mis trop de temps à répondre. Réessayez. (PROVIDER_TIMEOUT)",
    );
    expect(bodyRows(findByTestId(Table, "invoice-table"))).toEqual(shown);
  });

  it("a customer never synced says so instead of an age", async () => {
    routeHubSpotFetchToNetwork();
    server.use(
      cardsAnswer(() =>
        HttpResponse.json(
          okView({ invoices: [], freshness: { syncedAt: null, ageSeconds: null, stale: true } }),
        ),
      ),
    );
    const { find, maybeFind, waitFor } = renderCompanyTab();
    await waitFor(() => expect(maybeFind(EmptyState)).not.toBeNull());
    expect(find(Text, { testId: "freshness" }).text).toBe("Pas encore synchronisé");
    expect(find(EmptyState, { testId: "no-invoices" }).props.title).toBe(
      "Aucune facture pour l'instant",
    );
  });

  it("a failed link confirmation says why with its code and keeps the candidates", async () => {
    routeHubSpotFetchToNetwork();
    server.use(
      cardsAnswer(() => HttpResponse.json(notMatchedView())),
      http.post(`${BACKEND_URL}/v1/cards/links`, () =>
        refusal("CUSTOMER_ALREADY_LINKED", "Linked to another company.", 409),
      ),
    );
    const { find, findByTestId, maybeFind, waitFor } = renderCompanyTab();
    await waitFor(() => expect(maybeFind(Table, { testId: "candidates" })).not.toBeNull());
    findByTestId(Button, "link-pl-cust-77").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "link-failed" })).not.toBeNull());
    expect(textOf(find(Alert, { testId: "link-failed" }))).toContain("(CUSTOMER_ALREADY_LINKED)");
    expect(bodyRows(findByTestId(Table, "candidates"))).toHaveLength(2);
  });

  it("drops a PDF link when it expires and fetches a new one when asked again", async () => {
    const calls = routeHubSpotFetchToNetwork();
    const [invoice] = sampleInvoices();
    server.use(
      cardsAnswer(() => HttpResponse.json(okView())),
      http.get(`${BACKEND_URL}/v1/invoices/:invoiceId/pdf-link`, () =>
        HttpResponse.json({
          url: `https://files.pennylane.example/${invoice?.id}.pdf?signature=abc`,
          expiresAt: new Date(Date.now() + 300).toISOString(),
        }),
      ),
    );
    const { findByTestId, maybeFind, waitFor } = renderCompanyTab();
    await waitFor(() => expect(maybeFind(Table)).not.toBeNull());
    findByTestId(Button, `details-${invoice?.id}`).trigger("onClick");
    findByTestId(LoadingButton, "get-pdf").trigger("onClick");
    await waitFor(() => expect(maybeFind(Link, { testId: "pdf-link" })).not.toBeNull());

    await waitFor(() => expect(maybeFind(Link, { testId: "pdf-link" })).toBeNull(), {
      timeoutInMs: 2_000,
    });
    findByTestId(LoadingButton, "get-pdf").trigger("onClick");
    await waitFor(() => expect(maybeFind(Link, { testId: "pdf-link" })).not.toBeNull());
    expect(callsTo(calls, "GET", `/v1/invoices/${invoice?.id}/pdf-link`)).toHaveLength(2);
  });

  it("a record type the cards do not support says which ones are, without calling the backend", () => {
    const calls = routeHubSpotFetchToNetwork();
    const renderer = createRenderer("crm.record.tab");
    renderer.render(
      <InvoicesCard
        context={{ ...renderer.mocks.context, crm: { objectId: 7, objectTypeId: "0-5" } }}
      />,
    );
    expect(renderer.find(EmptyState, { testId: "unsupported-record" })).toBeDefined();
    expect(calls).toHaveLength(0);
  });
});

describe("creating an invoice when the backend refuses", () => {
  it("shows the field errors of a refused creation, named in the user's words", async () => {
    routeHubSpotFetchToNetwork();
    server.use(
      cardsAnswer(() => HttpResponse.json(okView())),
      http.get(`${BACKEND_URL}/v1/deals/${DEAL_ID}/invoice-preview`, () =>
        HttpResponse.json(readyPreview()),
      ),
      http.post(`${BACKEND_URL}/v1/deals/${DEAL_ID}/invoices`, () =>
        refusal("INVOICE_MANDATORY_MENTIONS_MISSING", "Mandatory mentions are missing.", 422, {
          fieldErrors: missingMentions(),
        }),
      ),
    );
    const { find, findByTestId, maybeFind, waitFor } = renderDealTab();
    await waitFor(() => expect(maybeFind(Button, { testId: "create" })).not.toBeNull());
    findByTestId(Button, "create").trigger("onClick");
    findByTestId(LoadingButton, "confirm").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "create-failed" })).not.toBeNull());
    const failure = textOf(find(Alert, { testId: "create-failed" }));
    expect(failure).toContain("(INVOICE_MANDATORY_MENTIONS_MISSING)");
    expect(failure).toContain("SIREN de l'entreprise: ");
    expect(failure).toContain("Ligne 2\u00a0: prix unitaire: ");
    // Refused: the rep may try again once the company is fixed.
    expect(findByTestId(Button, "create").props.disabled).toBeUndefined();
  });

  it("keeps Confirm disabled while the creation is in flight, then shows the invoice", async () => {
    const calls = routeHubSpotFetchToNetwork();
    server.use(
      cardsAnswer(() => HttpResponse.json(okView())),
      http.get(`${BACKEND_URL}/v1/deals/${DEAL_ID}/invoice-preview`, () =>
        HttpResponse.json(readyPreview("draft")),
      ),
      http.post(`${BACKEND_URL}/v1/deals/${DEAL_ID}/invoices`, async () => {
        await delay(150);
        return HttpResponse.json(
          { invoice: invoiceSummary({ number: null, status: "draft" }), created: true },
          { status: 201 },
        );
      }),
    );
    const { find, findByTestId, maybeFind, waitFor } = renderDealTab();
    await waitFor(() => expect(maybeFind(Button, { testId: "create" })).not.toBeNull());
    findByTestId(Button, "create").trigger("onClick");
    findByTestId(LoadingButton, "confirm").trigger("onClick");
    await new Promise((resolve) => setTimeout(resolve, 50));
    const confirm = findByTestId(LoadingButton, "confirm");
    expect(confirm.props).toMatchObject({ loading: true, disabled: true });
    expect(findByTestId(Button, "cancel").props.disabled).toBe(true);
    confirm.trigger("onClick");

    await waitFor(() => expect(maybeFind(Text, { testId: "invoice-number" })).not.toBeNull());
    expect(find(Text, (node) => node.text === "Brouillon de facture créé")).toBeDefined();
    expect(callsTo(calls, "POST", `/v1/deals/${DEAL_ID}/invoices`)).toHaveLength(1);
  });

  it("a deal invoiced meanwhile (DEAL_ALREADY_INVOICED) shows that invoice instead", async () => {
    routeHubSpotFetchToNetwork();
    let invoiced = false;
    server.use(
      cardsAnswer(() => HttpResponse.json(okView())),
      http.get(`${BACKEND_URL}/v1/deals/${DEAL_ID}/invoice-preview`, () =>
        HttpResponse.json(
          invoiced ? { state: "already_invoiced", invoice: invoiceSummary() } : readyPreview(),
        ),
      ),
      http.post(`${BACKEND_URL}/v1/deals/${DEAL_ID}/invoices`, () => {
        invoiced = true;
        return refusal("DEAL_ALREADY_INVOICED", "This deal is already invoiced.", 409);
      }),
    );
    const { find, findByTestId, maybeFind, waitFor } = renderDealTab();
    await waitFor(() => expect(maybeFind(Button, { testId: "create" })).not.toBeNull());
    findByTestId(Button, "create").trigger("onClick");
    findByTestId(LoadingButton, "confirm").trigger("onClick");
    await waitFor(() => expect(maybeFind(Text, { testId: "invoice-number" })).not.toBeNull());
    expect(find(Text, { testId: "invoice-number" }).text).toBe(invoiceSummary().number);
    expect(find(Text, (node) => node.text === "Cette affaire est déjà facturée")).toBeDefined();
    expect(maybeFind(Button, { testId: "create" })).toBeNull();
  });
});

describe("the sidebar summary", () => {
  function renderSidebar() {
    const renderer = crmRenderer("crm.record.sidebar", { locale: "en-us" });
    renderer.render(<SummaryCard context={renderer.context} />);
    return renderer;
  }

  it("points to the Invoices tab to link a company not matched yet", async () => {
    routeHubSpotFetchToNetwork();
    server.use(cardsAnswer(() => HttpResponse.json(notMatchedView())));
    const { find, maybeFind, waitFor } = renderSidebar();
    await waitFor(() => expect(maybeFind(Flex, { testId: "not-matched" })).not.toBeNull());
    expect(find(Flex, { testId: "not-matched" }).findAll(Text).map(textOf)).toEqual([
      "Atelier Dupont is not linked to a Pennylane customer yet",
      "Link it to its customer from the Invoices tab.",
    ]);
  });

  it("shows the oldest late invoice and the amounts in English for an English-speaking user", async () => {
    routeHubSpotFetchToNetwork();
    const view = okView();
    server.use(cardsAnswer(() => HttpResponse.json(view)));
    const { find, maybeFind, waitFor } = renderSidebar();
    await waitFor(() => expect(maybeFind(Text, { testId: "outstanding" })).not.toBeNull());
    if (view.state !== "ok") throw new Error("fixture");
    expect(find(Text, { testId: "outstanding" }).text).toBe(
      formatMoney(view.summary.outstandingCents, "EUR", "en-US"),
    );
    expect(find(Text, { testId: "oldest-late" }).text).toBe(
      `Oldest: ${view.summary.oldestOverdueDays} days late`,
    );
  });
});

describe("the settings page when the backend refuses", () => {
  function renderSettings() {
    const renderer = createRenderer("settings");
    renderer.render(
      <SettingsPage
        context={{
          ...renderer.mocks.context,
          user: { ...renderer.mocks.context.user, locale: "en" },
        }}
      />,
    );
    return renderer;
  }

  it("a page that cannot load says why with its code", async () => {
    routeHubSpotFetchToNetwork();
    server.use(
      http.get(`${BACKEND_URL}/v1/settings`, () =>
        refusal("TENANT_NOT_INSTALLED", "Encaisse is not installed on this account.", 404),
      ),
      http.get(`${BACKEND_URL}/v1/connections`, () => HttpResponse.json(connections())),
      http.get(`${BACKEND_URL}/v1/sync/status`, () => HttpResponse.json(syncStatus())),
    );
    const { find, maybeFind, waitFor } = renderSettings();
    await waitFor(() => expect(maybeFind(ErrorState)).not.toBeNull());
    expect(find(ErrorState).props.title).toBe("The settings could not be loaded");
    expect(find(Text, { testId: "load-failed-code" }).text).toBe(
      "Error code: TENANT_NOT_INSTALLED",
    );
  });

  it("a refused save shows the backend's code and the fields it names; the sync status missing does not block", async () => {
    routeHubSpotFetchToNetwork();
    server.use(
      http.get(`${BACKEND_URL}/v1/settings`, () => HttpResponse.json(settings())),
      http.get(`${BACKEND_URL}/v1/connections`, () => HttpResponse.json(connections("error"))),
      http.get(`${BACKEND_URL}/v1/sync/status`, () =>
        refusal("INTERNAL", "Something went wrong on our side.", 500),
      ),
      http.put(`${BACKEND_URL}/v1/settings`, () =>
        refusal("VALIDATION_FAILED", "Some fields are missing or invalid.", 400, {
          fields: [{ field: "invoiceMode", message: "Invalid option" }],
        }),
      ),
    );
    const { find, findByTestId, maybeFind, waitFor } = renderSettings();
    await waitFor(() => expect(maybeFind(Text, { testId: "sync-unavailable" })).not.toBeNull());
    expect(find(Text, { testId: "sync-unavailable" }).text).toBe(
      "The synchronisation status is not available right now. (INTERNAL)",
    );
    expect(textOf(find(Alert, { testId: "pennylane-connection-error" }))).toBe(
      "Error code: PROVIDER_AUTH_FAILED",
    );

    fire(findByTestId(Toggle, "auto-invoice"), "onChange", true);
    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "save-failed" })).not.toBeNull());
    expect(textOf(find(Alert, { testId: "save-failed" }))).toContain("(VALIDATION_FAILED)");
    expect(textOf(find(Alert, { testId: "save-failed" }))).toContain("invoiceMode: Invalid option");
  });
});
