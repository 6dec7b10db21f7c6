import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { PageDetection } from "../src/detect/detection";
import { backendUrl } from "../src/service/backend-url";
import { answer } from "../src/service/runtime";
import { BACKEND, LEMOINE_CONTEXT, PAIRING_CODE, TOKEN, fakeBackend } from "./helpers/backend";
import { testBackground } from "./helpers/background";

const { server, state } = fakeBackend();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CUSTOMER_PAGE: PageDetection = {
  provider: "pennylane",
  target: { kind: "customer", customerId: "184522" },
  source: "url",
  searchHint: null,
  url: "https://app.pennylane.com/companies/1/thirdparties/customers?id=184522",
};

beforeEach(() => {
  state.validTokens.clear();
  state.notes.length = 0;
  state.tasks.length = 0;
  state.authorizations.length = 0;
  state.contextFor = () => LEMOINE_CONTEXT;
});

async function paired() {
  const context = testBackground();
  const outcome = await context.send("pair", { code: PAIRING_CODE });
  expect(outcome.ok).toBe(true);
  return context;
}

describe("the side panel follows the accounting tabs", () => {
  it("is disabled everywhere when the worker starts, and opens from the toolbar button", async () => {
    await testBackground().background.start();
    expect(chrome.sidePanel.setOptions).toHaveBeenCalledWith({ enabled: false });
    expect(chrome.sidePanel.setPanelBehavior).toHaveBeenCalledWith({
      openPanelOnActionClick: true,
    });
  });

  it("turns on in the tab whose content script reports an accounting page, with that tab's id", async () => {
    const { background, session } = testBackground();
    const reply = await background.messages["page-detected"](CUSTOMER_PAGE, { tab: { id: 12 } });
    expect(reply).toEqual({ enabled: true });
    expect(chrome.sidePanel.setOptions).toHaveBeenCalledWith({
      tabId: 12,
      path: "sidepanel.html?tabId=12",
      enabled: true,
    });
    expect(await session.get("tab:12")).toEqual(CUSTOMER_PAGE);
    expect(await session.get("lastDetectedTab")).toBe(12);
  });

  it("ignores a report that does not come from a tab", async () => {
    const { background, session } = testBackground();
    expect(await background.messages["page-detected"](CUSTOMER_PAGE, {})).toEqual({
      enabled: false,
    });
    expect(await session.get("lastDetectedTab")).toBeUndefined();
  });

  it("turns off and forgets the tab when it leaves for a site it has no access to", async () => {
    const { background, session } = testBackground();
    await background.messages["page-detected"](CUSTOMER_PAGE, { tab: { id: 12 } });
    await background.tabUpdated(12, "https://app.pennylane.com/companies/1/dashboard", true);
    expect(await session.get("tab:12")).toEqual(CUSTOMER_PAGE);

    await background.tabUpdated(12, undefined, true);
    expect(chrome.sidePanel.setOptions).toHaveBeenLastCalledWith({ tabId: 12, enabled: false });
    expect(await session.get("tab:12")).toBeUndefined();
    expect(await session.get("lastDetectedTab")).toBeUndefined();
  });

  it("forgets a closed tab", async () => {
    const { background, session } = testBackground();
    await background.messages["page-detected"](CUSTOMER_PAGE, { tab: { id: 3 } });
    await background.tabRemoved(3);
    expect(await session.get("tab:3")).toBeUndefined();
  });

  it("answers Plasmo messages with the same logic, the sender's tab included", async () => {
    const send = vi.fn();
    await answer("page-detected")(
      { body: CUSTOMER_PAGE, sender: { tab: { id: 8 } as chrome.tabs.Tab } },
      { send },
    );
    expect(send).toHaveBeenCalledWith({ enabled: true });
    expect(await chrome.storage.session.get("tab:8")).toEqual({
      "tab:8": JSON.stringify(CUSTOMER_PAGE),
    });
  });
});

describe("pairing", () => {
  it("exchanges the one-time code for a token kept in chrome.storage.local", async () => {
    const { send } = testBackground();
    const outcome = await send("pair", { code: " abcd2345 " });
    expect(outcome).toEqual({
      ok: true,
      value: { signedIn: true, portalId: "4455", userEmail: "claire@atelier-dubois.fr" },
    });
    const stored = await chrome.storage.local.get("pairing");
    expect(JSON.parse(stored.pairing as string)).toMatchObject({ token: TOKEN, portalId: "4455" });
    expect(await chrome.storage.sync.get(null)).toEqual({});
  });

  it("keeps nothing when the code is refused", async () => {
    const { send } = testBackground();
    const outcome = await send("pair", { code: "ZZZZ9999" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "PAIRING_CODE_INVALID" } });
    expect(
      (await send("session-status", null)).ok && (await send("session-status", null)),
    ).toMatchObject({
      value: { signedIn: false },
    });
  });

  it("refuses a malformed code without calling the backend", async () => {
    const { send } = testBackground();
    const outcome = await send("pair", { code: "12" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "VALIDATION_FAILED" } });
  });

  it("is signed out, token cleared, as soon as the backend answers 401 (revoked in settings)", async () => {
    const { send, local } = await paired();
    state.validTokens.clear();
    const outcome = await send("hubspot-context", CUSTOMER_PAGE as never);
    expect(outcome).toMatchObject({ ok: false, error: { code: "SIGNED_OUT" } });
    expect(await local.get("pairing")).toBeUndefined();
    expect(await send("session-status", null)).toEqual({
      ok: true,
      value: { signedIn: false, portalId: null, userEmail: null },
    });
  });

  it("signs out locally on request", async () => {
    const { send, local } = await paired();
    await send("sign-out", null);
    expect(await local.get("pairing")).toBeUndefined();
  });
});

describe("calls to the backend", () => {
  it("ask for the context of the page's customer with the paired token", async () => {
    const { send } = await paired();
    let asked: unknown;
    state.contextFor = (query) => {
      asked = query;
      return LEMOINE_CONTEXT;
    };
    const outcome = await send("hubspot-context", {
      provider: "pennylane",
      target: { kind: "customer", customerId: "184522" },
    });
    expect(outcome).toEqual({ ok: true, value: LEMOINE_CONTEXT });
    expect(asked).toEqual({ provider: "pennylane", customerId: "184522" });
    expect(state.authorizations).toEqual([`Bearer ${TOKEN}`]);
  });

  it.each([
    [{ kind: "invoice", invoiceId: "733410955" }, { invoiceId: "733410955" }],
    [{ kind: "invoice_number", invoiceNumber: "F-2026-0118" }, { invoiceNumber: "F-2026-0118" }],
    [{ kind: "siren", siren: "732829320" }, { siren: "732829320" }],
  ] as const)("look up %o as %o", async (target, query) => {
    const { send } = await paired();
    let asked: unknown;
    state.contextFor = (q) => {
      asked = q;
      return { state: "not_found" };
    };
    expect(await send("hubspot-context", { provider: "sage_active", target })).toEqual({
      ok: true,
      value: { state: "not_found" },
    });
    expect(asked).toEqual({ provider: "sage_active", ...query });
  });

  it("ask for the whole context of a company picked in the search, by its HubSpot id", async () => {
    const { send } = await paired();
    let asked: unknown;
    const unmatched = { ...LEMOINE_CONTEXT, receivables: null };
    state.contextFor = (query) => {
      asked = query;
      return unmatched;
    };
    expect(await send("hubspot-context", { hubspotCompanyId: "9001" })).toEqual({
      ok: true,
      value: unmatched,
    });
    expect(asked).toEqual({ hubspotCompanyId: "9001" });
  });

  it("are not made at all when the extension is not paired", async () => {
    const { send } = testBackground();
    const outcome = await send("search-companies", { text: "Lemoine" });
    expect(outcome).toMatchObject({ ok: false, error: { code: "SIGNED_OUT" } });
    expect(state.authorizations).toEqual([]);
  });

  it("reject an answer that does not match the contract", async () => {
    const { send } = await paired();
    server.use(
      (await import("msw")).http.get(`${BACKEND}/v1/extension/context`, () =>
        Response.json({ state: "ok", company: { id: "x" } }),
      ),
    );
    const outcome = await send("hubspot-context", CUSTOMER_PAGE as never);
    expect(outcome).toMatchObject({ ok: false, error: { code: "INVALID_RESPONSE" } });
  });

  it("pass on the backend's error code and its retry delay", async () => {
    const { send } = await paired();
    state.contextFor = () => ({ status: 429, code: "RATE_LIMITED" });
    expect(await send("hubspot-context", CUSTOMER_PAGE as never)).toMatchObject({
      ok: false,
      error: { code: "RATE_LIMITED", retryAfterSeconds: 20 },
    });
  });

  it("report an unreachable backend as NETWORK", async () => {
    const { send } = await paired();
    server.use(
      (await import("msw")).http.get(`${BACKEND}/v1/extension/search`, () => Response.error()),
    );
    expect(await send("search-companies", { text: "Lemoine" })).toMatchObject({
      ok: false,
      error: { code: "NETWORK" },
    });
  });

  it("log a note and create a task on the company", async () => {
    const { send } = await paired();
    expect(
      await send("log-note", { companyId: "9001", body: "Relancé par téléphone." }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await send("create-task", { companyId: "9001", subject: "Relancer", dueDate: "2026-03-13" }),
    ).toMatchObject({ ok: true, value: { id: "t-1" } });
    expect(state.notes).toEqual([{ companyId: "9001", body: "Relancé par téléphone." }]);
    expect(state.tasks).toEqual([
      { companyId: "9001", subject: "Relancer", dueDate: "2026-03-13" },
    ]);
  });
});

describe("the backend address", () => {
  const builtIn = { builtIn: BACKEND, allowOverride: false };
  const testBuild = { builtIn: BACKEND, allowOverride: true };

  it("is the one the extension was built with", async () => {
    await chrome.storage.local.set({ backendUrlOverride: "http://localhost:4812" });
    expect(await backendUrl(builtIn)).toBe(BACKEND);
    expect(await backendUrl({ builtIn: undefined, allowOverride: false })).toBe(
      "http://localhost:3000",
    );
  });

  it("may be a localhost origin stored by a browser test, in test builds only", async () => {
    await chrome.storage.local.set({ backendUrlOverride: "http://localhost:4812/" });
    expect(await backendUrl(testBuild)).toBe("http://localhost:4812");
    await chrome.storage.local.set({ backendUrlOverride: JSON.stringify("http://localhost:5000") });
    expect(await backendUrl(testBuild)).toBe("http://localhost:5000");
    await chrome.storage.local.set({ backendUrlOverride: "https://elsewhere.example" });
    expect(await backendUrl(testBuild)).toBe(BACKEND);
  });

  it("is where a test build sends its calls once overridden", async () => {
    const { send } = testBackground({ allowOverride: true });
    await chrome.storage.local.set({ backendUrlOverride: "http://localhost:4812" });
    server.use(
      (await import("msw")).http.post("http://localhost:4812/v1/extension/pair", () =>
        Response.json({ token: TOKEN, portalId: "1", userEmail: null }),
      ),
    );
    expect(await send("pair", { code: PAIRING_CODE })).toMatchObject({
      ok: true,
      value: { portalId: "1" },
    });
  });
});
