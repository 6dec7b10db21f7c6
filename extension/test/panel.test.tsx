import { Storage } from "@plasmohq/storage";
import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { PageDetection } from "../src/detect/detection";
import type { Language } from "../src/panel/i18n";
import { tabPageSource } from "../src/panel/page-source";
import { Panel } from "../src/panel/Panel";
import { LEMOINE_CONTEXT, PAIRING_CODE, fakeBackend } from "./helpers/backend";
import { testBackground } from "./helpers/background";

// The panel talks to the real background logic, which talks over fetch to the backend's
// contract served by msw; the page context arrives through chrome.storage.session.
const { server, state } = fakeBackend();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const TAB = 12;

/** The panel section a heading titles. */
function sectionTitled(name: string | RegExp): HTMLElement {
  const section = screen.getByRole("heading", { name }).closest("section");
  if (!(section instanceof HTMLElement)) throw new Error(`No section titled ${String(name)}`);
  return section;
}
const customerPage = (customerId: string): PageDetection => ({
  provider: "pennylane",
  target: { kind: "customer", customerId },
  source: "url",
  searchHint: null,
  url: `https://app.pennylane.com/companies/1/thirdparties/customers?id=${customerId}`,
});
const listPage = (searchHint: string | null): PageDetection => ({
  provider: "pennylane",
  target: null,
  source: null,
  searchHint,
  url: "https://app.pennylane.com/companies/1/clients/customer_invoices",
});

let harness: ReturnType<typeof testBackground>;

const A_REQUEST_ID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const A_REQUEST_ID = expect.stringMatching(A_REQUEST_ID_SHAPE) as unknown as string;

type Refusal = { status: number; code: string } | null;
/** Note and task requests held by the backend until the test answers them, one by one. */
function heldReplies() {
  const waiting: ((refusal: Refusal) => void)[] = [];
  let received = 0;
  state.engagementReply = () =>
    new Promise<Refusal>((resolve) => {
      received += 1;
      waiting.push(resolve);
    });
  return {
    arrived: (count: number) => waitFor(() => expect(received).toBe(count)),
    release: (refusal: Refusal) => {
      const next = waiting.shift();
      if (next === undefined) throw new Error("No request is waiting for an answer");
      act(() => next(refusal));
    },
  };
}

beforeEach(() => {
  state.validTokens.clear();
  state.notes.length = 0;
  state.tasks.length = 0;
  state.engagementReply = () => Promise.resolve(null);
  state.searchResults = [
    {
      companyId: "9001",
      name: "Transports Lemoine SARL",
      domain: "lemoine-transports.fr",
      siren: "732829320",
    },
    { companyId: "9002", name: "Boulangerie Martin", domain: null, siren: null },
  ];
  state.contextFor = () => LEMOINE_CONTEXT;
  harness = testBackground();
});

async function showPage(page: PageDetection | null) {
  await act(async () => {
    await harness.background.messages["page-detected"](page, { tab: { id: TAB } });
  });
}

async function pair() {
  expect((await harness.send("pair", { code: PAIRING_CODE })).ok).toBe(true);
}

function renderPanel(language: Language = "fr") {
  const pages = tabPageSource(new Storage({ area: "session" }), TAB);
  return render(
    <Panel
      send={harness.send}
      pages={pages}
      language={language}
      today={() => new Date("2026-03-10T08:00:00Z")}
    />,
  );
}

describe("signed out", () => {
  it("asks for the pairing code from HubSpot, then shows the page's customer", async () => {
    await showPage(customerPage("184522"));
    renderPanel();
    expect(await screen.findByText(/générez un code d’appairage/)).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Code d’appairage"), { target: { value: "abcd2345" } });
    fireEvent.click(screen.getByRole("button", { name: "Appairer" }));

    expect(await screen.findByText("Transports Lemoine SARL")).toBeTruthy();
    expect(screen.getByText("Connecté : claire@atelier-dubois.fr")).toBeTruthy();
  });

  it("says why when the code is refused", async () => {
    await showPage(customerPage("184522"));
    renderPanel();
    fireEvent.change(await screen.findByLabelText("Code d’appairage"), {
      target: { value: "ZZZZ9999" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Appairer" }));
    expect((await screen.findByRole("alert")).textContent).toContain("Code invalide ou expiré");
  });

  it("comes back with a notice when the pairing is revoked from HubSpot settings", async () => {
    await pair();
    state.validTokens.clear();
    await showPage(customerPage("184522"));
    renderPanel();
    expect(await screen.findByText(/L’appairage a été révoqué/)).toBeTruthy();
    expect(screen.getByLabelText("Code d’appairage")).toBeTruthy();
    expect(await harness.local.get("pairing")).toBeUndefined();
  });
});

describe("a customer open in the accounting app", () => {
  beforeEach(pair);

  it("shows a loading state, then the HubSpot company, owner, receivables, deals and contacts", async () => {
    await showPage(customerPage("184522"));
    renderPanel();
    expect(screen.getByRole("status").textContent).toContain("Chargement");

    const link = await screen.findByRole("link", { name: "Ouvrir dans HubSpot" });
    expect(link.getAttribute("href")).toBe(LEMOINE_CONTEXT.company.url);
    expect(link.getAttribute("target")).toBe("_blank");
    expect(screen.getByText("lemoine-transports.fr")).toBeTruthy();
    expect(screen.getByText("Claire Fontaine")).toBeTruthy();
    expect(screen.getByRole("link", { name: "+33 4 72 00 00 00" }).getAttribute("href")).toBe(
      "tel:+33 4 72 00 00 00",
    );
    const receivables = sectionTitled("Encours");
    // Text queries see non-breaking spaces as plain ones.
    expect(within(receivables).getByText("18 450,00 €")).toBeTruthy();
    expect(within(receivables).getByText("9 840,00 €").className).toBe("late");
    expect(within(receivables).getByText("12 jours")).toBeTruthy();
    expect(within(receivables).getByText("Relance ferme")).toBeTruthy();
    expect(screen.getByRole("link", { name: "Renouvellement flotte 2026" })).toBeTruthy();
    expect(
      screen.getByText("Proposition envoyée · 45 000,00 € · Clôture 30 juin 2026"),
    ).toBeTruthy();
    expect(screen.getByText("Julien Lemoine")).toBeTruthy();
    expect(screen.getByText("2 mars 2026, 10:30")).toBeTruthy();
  });

  it("speaks English in an English browser", async () => {
    await showPage(customerPage("184522"));
    renderPanel("en");
    expect(await screen.findByRole("heading", { name: "Receivables" })).toBeTruthy();
    expect(screen.getByText("€18,450.00")).toBeTruthy();
    expect(screen.getByText("Firm reminder")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Create task for the owner" })).toBeTruthy();
  });

  it("shows the open invoice's status when the page is an invoice", async () => {
    state.contextFor = (query) => ({
      ...LEMOINE_CONTEXT,
      invoice: {
        provider: "pennylane",
        id: query.invoiceId ?? "?",
        number: "F-2026-0118",
        status: "overdue",
        grossCents: 984_000,
        remainingCents: 484_000,
        currency: "EUR",
        issueDate: "2026-01-31",
        dueDate: "2026-02-28",
        webUrl: null,
      },
    });
    await showPage({ ...customerPage("1"), target: { kind: "invoice", invoiceId: "733410955" } });
    renderPanel();
    await screen.findByRole("heading", { name: "Facture F-2026-0118" });
    const invoice = sectionTitled("Facture F-2026-0118");
    expect(within(invoice).getByText("En retard")).toBeTruthy();
    expect(invoice.textContent).toContain("4\u202f840,00\u00a0€ / 9\u202f840,00\u00a0€");
    expect(invoice.textContent).toContain("Échéance 28 févr. 2026");
  });

  it("follows the app to the next customer without a reload", async () => {
    const asked: string[] = [];
    state.contextFor = (query) => {
      asked.push(query.customerId ?? "");
      return query.customerId === "2"
        ? {
            ...LEMOINE_CONTEXT,
            company: { ...LEMOINE_CONTEXT.company, name: "Boulangerie Martin" },
          }
        : LEMOINE_CONTEXT;
    };
    await showPage(customerPage("1"));
    renderPanel();
    expect(await screen.findByText("Transports Lemoine SARL")).toBeTruthy();
    await showPage(customerPage("2"));
    expect(await screen.findByText("Boulangerie Martin")).toBeTruthy();
    expect(asked).toEqual(["1", "2"]);
  });

  it("logs a note on the company and links to it", async () => {
    await showPage(customerPage("184522"));
    renderPanel();
    fireEvent.change(await screen.findByLabelText("Note sur l’entreprise"), {
      target: { value: "Promesse de paiement au 15/03." },
    });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer la note" }));
    expect(await screen.findByText("Note ajoutée.")).toBeTruthy();
    expect(state.notes).toEqual([
      { companyId: "9001", body: "Promesse de paiement au 15/03.", requestId: A_REQUEST_ID },
    ]);
    expect(screen.getByRole("link", { name: "Voir dans HubSpot" }).getAttribute("href")).toBe(
      "https://app-eu1.hubspot.com/notes/9001",
    );
  });

  it("creates a follow-up task for the owner, due in three days by default", async () => {
    await showPage(customerPage("184522"));
    renderPanel();
    expect(await screen.findByDisplayValue("Relancer Transports Lemoine SARL")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Créer la tâche pour le propriétaire" }));
    expect(await screen.findByText("Tâche créée.")).toBeTruthy();
    expect(state.tasks).toEqual([
      {
        companyId: "9001",
        subject: "Relancer Transports Lemoine SARL",
        dueDate: "2026-03-13",
        requestId: A_REQUEST_ID,
      },
    ]);
  });

  it("sends a note once however often it is clicked, the button disabled while it saves", async () => {
    const held = heldReplies();
    await showPage(customerPage("184522"));
    renderPanel();
    fireEvent.change(await screen.findByLabelText("Note sur l’entreprise"), {
      target: { value: "Rappel fait." },
    });
    const button = screen.getByRole("button", { name: "Enregistrer la note" });
    const form = button.closest("form");
    if (form === null) throw new Error("The note button is outside its form");
    // Two submits in one go, before React shows anything: the second is dropped.
    act(() => {
      fireEvent.submit(form);
      fireEvent.submit(form);
    });
    const saving = screen.getByRole("button", { name: "Enregistrement…" });
    expect(saving).toHaveProperty("disabled", true);
    fireEvent.click(saving);
    await held.arrived(1);
    held.release(null);
    expect(await screen.findByText("Note ajoutée.")).toBeTruthy();
    expect(state.notes).toHaveLength(1);
  });

  it("tries a refused task again under the same request id, and a changed one under a new id", async () => {
    const held = heldReplies();
    await showPage(customerPage("184522"));
    renderPanel();
    const button = await screen.findByRole("button", {
      name: "Créer la tâche pour le propriétaire",
    });
    fireEvent.click(button);
    await held.arrived(1);
    held.release({ status: 503, code: "HUBSPOT_UNAVAILABLE" });
    expect((await screen.findByRole("alert")).textContent).toContain(
      "HubSpot est momentanément indisponible.",
    );
    fireEvent.click(screen.getByRole("button", { name: "Créer la tâche pour le propriétaire" }));
    await held.arrived(2);
    held.release(null);
    expect(await screen.findByText("Tâche créée.")).toBeTruthy();

    fireEvent.change(screen.getByLabelText("Objet"), { target: { value: "Rappeler demain" } });
    fireEvent.click(screen.getByRole("button", { name: "Créer la tâche pour le propriétaire" }));
    await held.arrived(3);
    held.release(null);
    await waitFor(() => expect(state.tasks).toHaveLength(3));
    const ids = (state.tasks as { requestId: string }[]).map((task) => task.requestId);
    expect(ids[0]).toMatch(A_REQUEST_ID_SHAPE);
    expect(ids[1]).toBe(ids[0]);
    expect(ids[2]).toMatch(A_REQUEST_ID_SHAPE);
    expect(ids[2]).not.toBe(ids[0]);
  });

  it("shows the error and retries on demand", async () => {
    state.contextFor = () => ({ status: 503, code: "HUBSPOT_UNAVAILABLE" });
    await showPage(customerPage("184522"));
    renderPanel();
    expect((await screen.findByRole("alert")).textContent).toContain(
      "HubSpot est momentanément indisponible.",
    );
    state.contextFor = () => LEMOINE_CONTEXT;
    fireEvent.click(screen.getByRole("button", { name: "Réessayer" }));
    expect(await screen.findByText("Transports Lemoine SARL")).toBeTruthy();
  });

  it("offers a search when the customer is not linked to a HubSpot company", async () => {
    const asked: unknown[] = [];
    state.contextFor = (query) => {
      asked.push(query);
      return query.hubspotCompanyId === "9001"
        ? { ...LEMOINE_CONTEXT, receivables: null }
        : { state: "not_matched", candidates: [] };
    };
    await showPage({ ...customerPage("184522"), searchHint: "Lemoine" });
    renderPanel();
    expect(await screen.findByText("Client non relié à HubSpot")).toBeTruthy();
    const result = await screen.findByRole("button", { name: "Transports Lemoine SARL" });
    expect(screen.queryByRole("button", { name: "Boulangerie Martin" })).toBeNull();

    fireEvent.click(result);
    // The picked company's whole context: deals and contacts, receivables not matched.
    expect(await screen.findByText("Renouvellement flotte 2026")).toBeTruthy();
    expect(asked.at(-1)).toEqual({ hubspotCompanyId: "9001" });
    expect(within(sectionTitled("Contacts clés")).getByText("Julien Lemoine")).toBeTruthy();
    expect(within(sectionTitled("Encours")).getByText(/Non relié/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Ouvrir dans HubSpot" }).getAttribute("href")).toBe(
      LEMOINE_CONTEXT.company.url,
    );
    fireEvent.change(screen.getByLabelText("Note sur l’entreprise"), {
      target: { value: "Client relié à la main." },
    });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer la note" }));
    expect(await screen.findByText("Note ajoutée.")).toBeTruthy();
    expect(state.notes).toEqual([
      { companyId: "9001", body: "Client relié à la main.", requestId: A_REQUEST_ID },
    ]);

    fireEvent.click(screen.getByRole("button", { name: "Retour aux résultats" }));
    expect(await screen.findByRole("button", { name: "Transports Lemoine SARL" })).toBeTruthy();
  });

  it("says when Encaisse does not know the customer yet", async () => {
    state.contextFor = () => ({ state: "not_found" });
    await showPage(customerPage("184522"));
    renderPanel();
    expect(await screen.findByText("Inconnu d’Encaisse")).toBeTruthy();
    expect(screen.getByRole("search")).toBeTruthy();
  });
});

describe("nothing detected on the page", () => {
  beforeEach(pair);

  it("offers a search instead of staying blank", async () => {
    await showPage(listPage(null));
    renderPanel();
    expect(await screen.findByText("Aucun client ni facture détecté")).toBeTruthy();
    fireEvent.change(screen.getByLabelText("Nom, SIREN ou numéro de facture"), {
      target: { value: "732829320" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Chercher" }));
    expect(await screen.findByRole("button", { name: "Transports Lemoine SARL" })).toBeTruthy();
    expect(screen.getByText("lemoine-transports.fr · SIREN 732829320")).toBeTruthy();
  });

  it("searches right away for what the page shows, and says when nothing matches", async () => {
    await showPage(listPage("Dupont"));
    renderPanel();
    expect(await screen.findByText("Aucune entreprise trouvée.")).toBeTruthy();
    expect(screen.getByDisplayValue("Dupont")).toBeTruthy();
  });

  it("looks a typed invoice number up directly", async () => {
    let asked: unknown;
    state.contextFor = (query) => {
      asked = query;
      return LEMOINE_CONTEXT;
    };
    await showPage(listPage("F-2026-0118"));
    renderPanel();
    fireEvent.click(
      await screen.findByRole("button", { name: "Chercher la facture « F-2026-0118 »" }),
    );
    expect(await screen.findByText("Transports Lemoine SARL")).toBeTruthy();
    expect(asked).toEqual({ provider: "pennylane", invoiceNumber: "F-2026-0118" });
  });

  it("waits for a page when the panel was opened on its own, then follows the last reported tab", async () => {
    render(
      <Panel
        send={harness.send}
        pages={tabPageSource(new Storage({ area: "session" }), null)}
        language="en"
      />,
    );
    expect(await screen.findByText("No customer or invoice detected")).toBeTruthy();
    await showPage(customerPage("184522"));
    expect(await screen.findByText("Transports Lemoine SARL")).toBeTruthy();
  });
});
