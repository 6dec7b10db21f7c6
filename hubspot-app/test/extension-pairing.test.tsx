/**
 * The settings page's browser-extension section against the backend's own app: a one-time
 * pairing code for the user, the paired extension listed once the code is used, and revoking
 * it, after which the extension's token is refused.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { Alert, Button, LoadingButton, Text } from "@hubspot/ui-extensions";
import { createRenderer } from "@hubspot/ui-extensions/testing";
import { pairResponseSchema } from "@encaisse/shared/contracts";
import {
  type BackendHarness,
  PORTAL_ID,
  USER_EMAIL,
  startBackendHarness,
} from "../../test/backend/harness";
import { asExtension, pairWith } from "../../test/backend/extension-support";
import { SettingsPage } from "../app/settings/SettingsPage.tsx";
import { ExtensionPairing } from "../app/settings/components/ExtensionPairing.tsx";
import { translatorFor } from "../app/cards/utils/i18n.ts";
import { type BackendCall, callsTo, routeHubSpotFetchToBackend } from "./support/hubspot-fetch.ts";
import { FIRST_VIEW, textOf } from "./support/rendered.ts";

describe("pairing the browser extension from the settings page", () => {
  let harness: BackendHarness;
  let calls: BackendCall[];

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

  it("shows a one-time code, lists the extension paired with it, and revokes it", async () => {
    const renderer = createRenderer("settings");
    const context = {
      ...renderer.mocks.context,
      user: { ...renderer.mocks.context.user, locale: "fr-fr", teams: [] },
    };
    renderer.render(<SettingsPage context={context} />);
    const { findByTestId, maybeFind, waitFor } = renderer;
    await waitFor(
      () => expect(maybeFind(Text, { testId: "no-paired-extension" })).not.toBeNull(),
      FIRST_VIEW,
    );
    expect(findByTestId(Text, "no-paired-extension").text).toBe(
      "Aucune extension n'est associée à ce compte HubSpot.",
    );
    const generate = findByTestId(LoadingButton, "generate-pairing-code");
    expect(textOf(generate)).toBe("Générer un code d'association");

    generate.trigger("onClick");
    await waitFor(() => expect(maybeFind(Text, { testId: "pairing-code" })).not.toBeNull());
    const code = findByTestId(Text, "pairing-code").text ?? "";
    expect(code).toMatch(/^[A-Z0-9]{8}$/);
    expect(textOf(findByTestId(Text, "pairing-code-expiry"))).toMatch(
      /^Saisissez-le dans l'extension Encaisse avant \d{2}:\d{2}\./,
    );
    expect(callsTo(calls, "POST", "/v1/extension/pairing-codes")).toHaveLength(1);

    // The user types the code in the extension, then comes back to the settings page.
    const paired = await pairWith(harness, code);
    const { token } = pairResponseSchema.parse(await paired.json());
    findByTestId(Button, "refresh-extensions").trigger("onClick");
    await waitFor(() => expect(maybeFind(Text, { testId: "no-paired-extension" })).toBeNull());
    const [listed] = (await harness.backend.repos.extensionTokens.list(PORTAL_ID)).map(
      (entry) => entry.id,
    );
    const row = findByTestId(LoadingButton, `revoke-${listed ?? ""}`);
    expect(textOf(row)).toBe("Révoquer");
    const details = textOf(findByTestId(Text, `paired-${listed ?? ""}-details`));
    expect(details).toContain(USER_EMAIL);
    expect(details).toContain("jamais utilisée");

    row.trigger("onClick");
    await waitFor(() => expect(maybeFind(Text, { testId: "no-paired-extension" })).not.toBeNull());
    const refused = await asExtension(harness, token, "GET", "/v1/extension/search?q=ab");
    expect(refused.status).toBe(401);
    expect(callsTo(calls, "DELETE", `/v1/extension/tokens/${listed ?? ""}`)).toHaveLength(1);
  });

  it("speaks English to English-speaking users and shows why a code could not be made", async () => {
    vi.restoreAllMocks();
    routeHubSpotFetchToBackend(harness, { portalId: "99999" });
    const renderer = createRenderer("settings");
    renderer.render(<ExtensionPairing t={translatorFor("en-us")} locale="en-us" />);
    const { findByTestId, maybeFind, waitFor } = renderer;
    expect(textOf(findByTestId(LoadingButton, "generate-pairing-code"))).toBe(
      "Generate a pairing code",
    );
    await waitFor(() => expect(maybeFind(Text, { testId: "paired-unavailable" })).not.toBeNull());
    findByTestId(LoadingButton, "generate-pairing-code").trigger("onClick");
    await waitFor(() => expect(maybeFind(Alert, { testId: "extension-failed" })).not.toBeNull());
    expect(findByTestId(Alert, "extension-failed").props.title).toBe(
      "The extension settings could not be updated",
    );
    expect(textOf(findByTestId(Alert, "extension-failed"))).toContain("TENANT_NOT_INSTALLED");
  });
});
