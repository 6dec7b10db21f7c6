import { describe, expect, it } from "vitest";
import { loadConfig } from "../../functions/src/config";
import { HUBSPOT_REQUIRED_SCOPES, HubSpotOAuth } from "../../functions/src/hubspot/oauth";
import { MemoryTokenStore } from "../../functions/src/net/oauth-session";
import { HUBSPOT_API_URL, HUBSPOT_APP_URL } from "../emulators/hubspot";
import { CLIENT_ID, REDIRECT_URI, countCalls, useHubSpot } from "./harness";

const hubspot = useHubSpot();

/** What the admin's browser does on the consent page: follow the install link to our callback. */
async function approve(installUrl: string): Promise<URL> {
  const answer = await fetch(installUrl, { redirect: "manual" });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get("location") ?? "");
}

describe("the install link", () => {
  it("names our app, the scopes we use, the optional ones, our callback and the state", () => {
    const url = new URL(
      hubspot.oauth.installUrl({ state: "st-123", optionalScopes: ["crm.objects.invoices.read"] }),
    );

    expect(url.origin + url.pathname).toBe("https://app.hubspot.com/oauth/authorize");
    expect(url.searchParams.get("client_id")).toBe(CLIENT_ID);
    expect(url.searchParams.get("scope")?.split(" ")).toEqual([...HUBSPOT_REQUIRED_SCOPES]);
    expect(url.searchParams.get("optional_scope")).toBe("crm.objects.invoices.read");
    expect(url.searchParams.get("redirect_uri")).toBe(REDIRECT_URI);
    expect(url.searchParams.get("state")).toBe("st-123");
    expect(url.search).not.toContain("+");
  });

  it("takes the consent page's origin from the configuration", () => {
    const config = loadConfig({
      ENCAISSE_SANDBOX: "1",
      HUBSPOT_CLIENT_ID: "id",
      HUBSPOT_CLIENT_SECRET: "secret",
      HUBSPOT_APP_URL: "https://app-eu1.hubspot.com",
    });
    const oauth = HubSpotOAuth.fromConfig(config, REDIRECT_URI);

    expect(oauth.installUrl({ state: "s" })).toMatch(
      /^https:\/\/app-eu1\.hubspot\.com\/oauth\/authorize\?client_id=id&/,
    );
  });

  it("without app credentials in the configuration, installing is CONFIG_INVALID", () => {
    const config = loadConfig({ ENCAISSE_SANDBOX: "1" });
    expect(() => HubSpotOAuth.fromConfig(config, REDIRECT_URI)).toThrow(
      expect.objectContaining({ code: "CONFIG_INVALID" }),
    );
  });
});

describe("installing and staying connected", () => {
  it("the code of the callback becomes tokens for the portal that installed us", async () => {
    const callback = await approve(hubspot.oauth.installUrl({ state: "st-1" }));
    expect(callback.searchParams.get("state")).toBe("st-1");

    const install = await hubspot.oauth.exchangeCode(callback.searchParams.get("code") ?? "");

    expect(install.portalId).toBe(String(hubspot.emulator.sandboxPortalId));
    expect(install.scopes).toEqual(expect.arrayContaining([...HUBSPOT_REQUIRED_SCOPES]));
    expect(install.tokens.expiresAt - hubspot.clock.now()).toBeGreaterThan(29 * 60_000);
    expect(install.tokens.expiresAt - hubspot.clock.now()).toBeLessThanOrEqual(30 * 60_000);
    expect(install.installedByUserId).toMatch(/^\d+$/);
  });

  it("a code used twice is refused with HUBSPOT_AUTH_FAILED", async () => {
    const callback = await approve(hubspot.oauth.installUrl({ state: "st-2" }));
    const code = callback.searchParams.get("code") ?? "";
    await hubspot.oauth.exchangeCode(code);

    await expect(hubspot.oauth.exchangeCode(code)).rejects.toMatchObject({
      code: "HUBSPOT_AUTH_FAILED",
      message: expect.stringContaining("start the install again"),
    });
  });

  it("tokens are refreshed 5 minutes ahead of expiry, once for 20 concurrent calls", async () => {
    const portalId = 50_000_001;
    const oauth = new HubSpotOAuth({
      clientId: CLIENT_ID,
      clientSecret: "encaisse-test-secret",
      apiUrl: HUBSPOT_API_URL,
      appUrl: HUBSPOT_APP_URL,
      redirectUri: REDIRECT_URI,
      clock: hubspot.clock,
    });
    const callback = await approve(`${oauth.installUrl({ state: "st-3" })}&portal_id=${portalId}`);
    const install = await oauth.exchangeCode(callback.searchParams.get("code") ?? "");
    const store = new MemoryTokenStore(install.tokens);
    const company = hubspot.emulator
      .portal(portalId)
      .objects.create("companies", { name: "Fidèle" });
    const { crm } = hubspot.crmFor(install.portalId, oauth.crmAuth(install.portalId, store));
    const refreshes = countCalls(hubspot.emulator, "POST /oauth/v1/token");
    const unauthorizedBefore = hubspot.emulator.stats.byStatus["401"] ?? 0;

    await crm.getCompany(company.id);
    expect(refreshes()).toBe(0);

    hubspot.clock.advance(26 * 60_000);
    const reads = await Promise.all(Array.from({ length: 20 }, () => crm.getCompany(company.id)));

    expect(reads.every((read) => read.name === "Fidèle")).toBe(true);
    expect(refreshes()).toBe(1);
    expect(store.saves).toBe(1);
    const refreshed = await store.load();
    expect(refreshed?.accessToken).not.toBe(install.tokens.accessToken);
    expect(refreshed?.refreshToken).toBe(install.tokens.refreshToken);
    // No call met an expired token: HubSpot never answered 401.
    expect(hubspot.emulator.stats.byStatus["401"] ?? 0).toBe(unauthorizedBefore);
  });

  it("a revoked refresh token means reinstalling: HUBSPOT_AUTH_FAILED", async () => {
    const { crm, portal, portalId, store } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Révoquée" });
    hubspot.emulator.uninstallApp(portalId);
    hubspot.clock.advance(28 * 60_000);

    await expect(crm.getCompany(company.id)).rejects.toMatchObject({ code: "HUBSPOT_AUTH_FAILED" });
    expect(store.saves).toBe(0);
  });
});
