/**
 * The Encaisse settings page against the backend's own app: connection health and sync,
 * each setting saved through `PUT /v1/settings` (only what changed, audit-logged by the
 * backend), the dunning plan checked before it is sent, and connecting or disconnecting
 * the accounting software.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  Alert,
  Button,
  Input,
  Link,
  LoadingButton,
  NumberInput,
  ProgressBar,
  Select,
  StatusTag,
  Text,
  Toggle,
  ToggleGroup,
} from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { DEFAULT_DUNNING_LADDER } from "@encaisse/shared";
import {
  type BackendHarness,
  PENNYLANE_TOKEN,
  PORTAL_ID,
  startBackendHarness,
} from "../../test/backend/harness";
import { SANDBOX_CREDENTIALS } from "../../test/emulators/sage-active";
import { eq } from "drizzle-orm";
import { syncCursors } from "../../functions/src/store/schema";
import { SettingsPage } from "../app/settings/SettingsPage.tsx";
import { SYNC_POLL_MS } from "../app/settings/hooks/useSettingsPage.ts";
import { type BackendCall, callsTo, routeHubSpotFetchToBackend } from "./support/hubspot-fetch.ts";
import { FIRST_VIEW, fire } from "./support/rendered.ts";

const SALES_TEAM = { id: 3301, name: "Ventes Sud", teammates: [] };

describe("the settings page over the backend", () => {
  let harness: BackendHarness;
  let calls: BackendCall[];
  const puts = () => callsTo(calls, "PUT", "/v1/settings");
  const tenantSettings = async () => (await harness.backend.tenant(PORTAL_ID)).settings;

  async function renderSettings() {
    const renderer = createRenderer("settings");
    const context = {
      ...renderer.mocks.context,
      user: { ...renderer.mocks.context.user, locale: "fr-fr", teams: [SALES_TEAM] },
    };
    renderer.render(<SettingsPage context={context} />);
    await renderer.waitFor(
      () => expect(renderer.maybeFind(LoadingButton, { testId: "save" })).not.toBeNull(),
      FIRST_VIEW,
    );
    return renderer;
  }

  beforeAll(async () => {
    harness = await startBackendHarness();
  }, 60_000);
  beforeEach(() => {
    calls = routeHubSpotFetchToBackend(harness);
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    await harness.close();
  });

  it("shows each accounting software with its connection health, the sync, and the current settings", async () => {
    const { find, findByTestId, waitFor, maybeFind } = await renderSettings();
    expect(findByTestId(StatusTag, "pennylane-connection-status").text).toBe("Connecté");
    expect(findByTestId(StatusTag, "sage_active-connection-status").text).toBe("Non connecté");
    expect(findByTestId(LoadingButton, "sage_active-connect-oauth").text).toBe(
      "Se connecter avec Sage Active",
    );
    await waitFor(() => expect(maybeFind(StatusTag, { testId: "sync-state" })).not.toBeNull());
    const settings = await tenantSettings();
    expect(findByTestId(ToggleGroup, "invoice-mode").props.value).toBe(settings.invoiceMode);
    expect(findByTestId(Toggle, "auto-invoice").props.checked).toBe(settings.autoInvoiceOnDealWon);
    expect(
      settings.dunningLadder.map(
        (_, index) => find(NumberInput, { testId: `step-${index}-offset` }).props.value,
      ),
    ).toEqual(settings.dunningLadder.map((step) => step.offsetDays));
    expect(findByTestId(LoadingButton, "save").props.disabled).toBe(true);
  });

  it("saves only what changed: finalized invoices, invoiced automatically when a deal is won", async () => {
    const before = await tenantSettings();
    const { find, findByTestId, maybeFind, waitFor } = await renderSettings();
    fire(findByTestId(ToggleGroup, "invoice-mode"), "onChange", "finalized");
    fire(findByTestId(Toggle, "auto-invoice"), "onChange", true);
    expect(findByTestId(LoadingButton, "save").props.disabled).toBe(false);

    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "saved" })).not.toBeNull());
    expect(find(Alert, { testId: "saved" }).props.title).toBe("Paramètres enregistrés");
    expect(puts().map((call) => call.body)).toEqual([
      { invoiceMode: "finalized", autoInvoiceOnDealWon: true },
    ]);
    expect(await tenantSettings()).toEqual({
      ...before,
      invoiceMode: "finalized",
      autoInvoiceOnDealWon: true,
    });
    const { entries } = await harness.backend.repos.audit.list(PORTAL_ID, { limit: 50 });
    expect(entries.find((entry) => entry.action === "settings.updated")?.details).toEqual({
      changed: ["invoiceMode", "autoInvoiceOnDealWon"],
    });
  });

  it("refuses a dunning step that does not come after the previous one before sending anything, then saves it fixed", async () => {
    const { find, findByTestId, maybeFind, waitFor } = await renderSettings();
    fire(findByTestId(NumberInput, "step-2-offset"), "onChange", 5);
    findByTestId(LoadingButton, "save").trigger("onClick");

    const offset = find(NumberInput, { testId: "step-2-offset" });
    expect(offset.props).toMatchObject({
      error: true,
      validationMessage: "Un nombre entier de jours de 1 à 365, après celui de l'étape précédente.",
    });
    expect(find(Text, { testId: "fix-problems" })).toBeDefined();
    expect(puts()).toHaveLength(0);

    fire(findByTestId(NumberInput, "step-2-offset"), "onChange", 10);
    expect(find(NumberInput, { testId: "step-2-offset" }).props.error).toBe(false);
    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "saved" })).not.toBeNull());
    expect((await tenantSettings()).dunningLadder.map((step) => step.offsetDays)).toEqual(
      DEFAULT_DUNNING_LADDER.map((step, index) => (index === 2 ? 10 : step.offsetDays)),
    );
    expect(puts().map((call) => Object.keys(call.body as object))).toEqual([["dunningLadder"]]);
  });

  it("adds a step after the last one and removes another, saving the ladder as edited", async () => {
    const { findByTestId, maybeFind, waitFor } = await renderSettings();
    const ladder = (await tenantSettings()).dunningLadder;
    findByTestId(Button, "add-step").trigger("onClick");
    fire(findByTestId(Input, `step-${ladder.length}-id`), "onChange", "huissier");
    findByTestId(Button, "step-0-remove").trigger("onClick");
    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "saved" })).not.toBeNull());

    const last = ladder.at(-1);
    expect((await tenantSettings()).dunningLadder).toEqual([
      ...ladder.slice(1),
      {
        id: "huissier",
        offsetDays: (last?.offsetDays ?? 0) + 7,
        action: "call",
        citesPenalties: false,
      },
    ]);
  });

  it("lets amounts be seen by chosen teams only, then by everyone again", async () => {
    const { findByTestId, maybeFind, waitFor } = await renderSettings();
    fire(findByTestId(Toggle, "everyone-sees-amounts"), "onChange", false);
    const teams = findByTestId(ToggleGroup, "teams");
    expect(teams.props.options).toEqual([{ value: "3301", label: "Ventes Sud" }]);
    fire(teams, "onChange", ["3301"]);
    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "saved" })).not.toBeNull());
    expect((await tenantSettings()).amountsVisibleToTeamIds).toEqual(["3301"]);

    fire(findByTestId(Toggle, "everyone-sees-amounts"), "onChange", true);
    expect(maybeFind(ToggleGroup, { testId: "teams" })).toBeNull();
    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "saved" })).not.toBeNull());
    expect((await tenantSettings()).amountsVisibleToTeamIds).toBeNull();
  });

  it("writes the dunning tasks in English once chosen, French being the default", async () => {
    expect((await tenantSettings()).dunningLocale).toBeUndefined();
    const { findByTestId, maybeFind, waitFor } = await renderSettings();
    const language = findByTestId(Select, "dunning-locale");
    expect(language.props.label).toBe("Langue des tâches de relance");
    expect(language.props.value).toBe("fr");
    expect(language.props.options).toEqual([
      { value: "fr", label: "Français" },
      { value: "en", label: "English" },
    ]);
    expect(findByTestId(LoadingButton, "save").props.disabled).toBe(true);

    fire(language, "onChange", "en");
    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "saved" })).not.toBeNull());
    expect(puts().map((call) => call.body)).toEqual([{ dunningLocale: "en" }]);
    expect((await tenantSettings()).dunningLocale).toBe("en");
    expect(findByTestId(Select, "dunning-locale").props.value).toBe("en");

    fire(findByTestId(Select, "dunning-locale"), "onChange", "fr");
    findByTestId(LoadingButton, "save").trigger("onClick");
    await waitFor(() => expect(puts()).toHaveLength(2));
    await waitFor(() => expect(maybeFind(Alert, { testId: "saved" })).not.toBeNull());
    expect((await tenantSettings()).dunningLocale).toBe("fr");
  });

  it("fetches Sage Active's sign-in link only when asked, then checks the connection on return", async () => {
    const { find, findByTestId, maybeFind, waitFor } = await renderSettings();
    expect(callsTo(calls, "GET", "/v1/connections/sage_active/authorize-url")).toHaveLength(0);
    findByTestId(LoadingButton, "sage_active-connect-oauth").trigger("onClick");
    await waitFor(() =>
      expect(maybeFind(Link, { testId: "sage_active-authorize-link" })).not.toBeNull(),
    );
    const href = find(Link, { testId: "sage_active-authorize-link" }).props.href;
    const url = new URL(typeof href === "string" ? href : href.url);
    expect(url.searchParams.get("client_id")).toBe(SANDBOX_CREDENTIALS.clientId);
    expect(url.searchParams.get("state")).toMatch(/.{16,}/);
    expect(callsTo(calls, "GET", "/v1/connections/sage_active/authorize-url")).toHaveLength(1);

    // Back from the other tab without finishing: the page reads the connections again.
    findByTestId(Button, "sage_active-check-connection").trigger("onClick");
    await waitFor(() =>
      expect(maybeFind(LoadingButton, { testId: "sage_active-connect-oauth" })).not.toBeNull(),
    );
    expect(
      callsTo(calls, "GET", "/v1/connections").filter(
        (call) => call.url.pathname === "/v1/connections",
      ),
    ).toHaveLength(2);
    expect(findByTestId(StatusTag, "sage_active-connection-status").text).toBe("Non connecté");
  });

  it("cancelling a disconnect keeps Pennylane connected and sends nothing", async () => {
    const { find, findByTestId } = await renderSettings();
    findByTestId(Button, "pennylane-disconnect").trigger("onClick");
    findByTestId(Button, "pennylane-cancel-disconnect").trigger("onClick");
    expect(findByTestId(StatusTag, "pennylane-connection-status").text).toBe("Connecté");
    expect(callsTo(calls, "DELETE", "/v1/connections/pennylane")).toHaveLength(0);
    expect(find(Button, { testId: "pennylane-disconnect" })).toBeDefined();
  });

  // Last: it leaves Pennylane connected again, with the token the harness started with.
  it("disconnects Pennylane once confirmed, then connects it again with an API token", async () => {
    const { find, findByTestId, waitFor } = await renderSettings();
    findByTestId(Button, "pennylane-disconnect").trigger("onClick");
    expect(find(Text, (node) => node.text === "Déconnecter Pennylane\u00a0?")).toBeDefined();
    findByTestId(Button, "pennylane-confirm-disconnect").trigger("onClick");
    await waitFor(() =>
      expect(findByTestId(StatusTag, "pennylane-connection-status").text).toBe("Non connecté"),
    );
    const connections = await harness.signedFetch("GET", "/v1/connections?check=disconnected");
    expect(await connections.json()).toMatchObject({
      connections: [{ provider: "pennylane", status: "disconnected" }, { provider: "sage_active" }],
    });

    fire(findByTestId(Input, "pennylane-api-token"), "onChange", "short");
    findByTestId(Button, "pennylane-connect-token").trigger("onClick");
    expect(find(Text, { testId: "pennylane-token-malformed" }).text).toBe(
      "Cela ne ressemble pas à un jeton d'API Pennylane.",
    );
    expect(callsTo(calls, "POST", "/v1/connections/pennylane/token")).toHaveLength(0);

    fire(findByTestId(Input, "pennylane-api-token"), "onChange", PENNYLANE_TOKEN);
    findByTestId(Button, "pennylane-connect-token").trigger("onClick");
    await waitFor(
      () => expect(findByTestId(StatusTag, "pennylane-connection-status").text).toBe("Connecté"),
      FIRST_VIEW,
    );
    expect(
      callsTo(calls, "POST", "/v1/connections/pennylane/token").map((call) => call.body),
    ).toEqual([{ token: PENNYLANE_TOKEN }]);
  });

  it("while the first import runs, its progress is read again every few seconds, and no longer once done", async () => {
    const db = harness.backend.store.db;
    const progress = (done: number) =>
      db
        .insert(syncCursors)
        .values({
          tenantId: PORTAL_ID,
          provider: "pennylane",
          stream: "invoices",
          cursor: String(done),
          backfillDone: done,
          backfillTotal: 200,
          startedAt: new Date(Date.now() - 60_000),
          updatedAt: new Date(),
        })
        .onConflictDoUpdate({
          target: [syncCursors.tenantId, syncCursors.provider, syncCursors.stream],
          set: { backfillDone: done, cursor: String(done), updatedAt: new Date() },
        });
    const statusReads = () => callsTo(calls, "GET", "/v1/sync/status").length;
    try {
      await progress(50);
      const { maybeFind, waitFor } = await renderSettings();
      const bar = () => maybeFind(ProgressBar, { testId: "backfill-progress" });
      await waitFor(() => expect(bar()?.props.title).toBe("50 factures importées sur 200"));

      await progress(150);
      await waitFor(() => expect(bar()?.props.title).toBe("150 factures importées sur 200"), {
        timeoutInMs: SYNC_POLL_MS * 3,
      });

      await progress(200);
      await waitFor(() => expect(bar()).toBeNull(), { timeoutInMs: SYNC_POLL_MS * 3 });
      const readsWhenDone = statusReads();
      await new Promise((resolve) => setTimeout(resolve, SYNC_POLL_MS + 1_000));
      expect(statusReads()).toBe(readsWhenDone);
    } finally {
      await db.delete(syncCursors).where(eq(syncCursors.tenantId, PORTAL_ID));
    }
  }, 60_000);
});
