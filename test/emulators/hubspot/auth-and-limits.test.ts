import { beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../common/clock";
import { ACCESS_TOKEN_TTL_SECONDS, ENCAISSE_HUBSPOT_SCOPES, HubSpotEmulator } from "./index";
import { type ErrorBody, HubSpotTestClient, type RecordBody } from "./test-client";

const PORTAL = 701;
const API = "https://api.hubapi.com";

let clock: ManualClock;
let emulator: HubSpotEmulator;

beforeEach(() => {
  clock = new ManualClock("2026-11-23T09:00:00Z");
  emulator = new HubSpotEmulator({ now: clock.now });
});

const form = (fields: Record<string, string>) =>
  new Request(`${API}/oauth/v1/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });

interface TokenBody {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  hub_id: number;
  scopes: string[];
}

describe("rate limits", () => {
  it("the 111th call within 10 s is a 429 TEN_SECONDLY_ROLLING, with HubSpot's headers, and passes once the window moved", async () => {
    const hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    let last = await hubspot.get("/crm/v3/objects/companies");
    expect(last.headers.get("X-HubSpot-RateLimit-Max")).toBe("110");
    expect(last.headers.get("X-HubSpot-RateLimit-Interval-Milliseconds")).toBe("10000");
    expect(last.headers.get("X-HubSpot-RateLimit-Remaining")).toBe("109");
    expect(last.headers.get("X-HubSpot-RateLimit-Daily")).toBe("500000");
    for (let index = 1; index < 110; index += 1)
      last = await hubspot.get("/crm/v3/objects/companies");
    expect(last.status).toBe(200);
    expect(last.headers.get("X-HubSpot-RateLimit-Remaining")).toBe("0");

    const refused = await hubspot.get<ErrorBody>("/crm/v3/objects/companies");
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({
      status: "error",
      errorType: "RATE_LIMIT",
      policyName: "TEN_SECONDLY_ROLLING",
      message: "You have reached your ten_secondly_rolling limit.",
    });
    expect(refused.headers.get("X-HubSpot-RateLimit-Remaining")).toBe("0");

    clock.advance(10_000);
    expect((await hubspot.get("/crm/v3/objects/companies")).status).toBe(200);
    expect(emulator.stats).toMatchObject({
      rateLimited: 1,
      rateLimitedByPolicy: { TEN_SECONDLY_ROLLING: 1 },
      maxRequestsInWindow: 111,
    });
  });

  it("each installed portal has its own budget", async () => {
    const first = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    const second = new HubSpotTestClient(emulator, emulator.installApp(PORTAL + 1).accessToken);
    for (let index = 0; index < 110; index += 1) await first.get("/crm/v3/objects/companies");
    expect((await first.get("/crm/v3/objects/companies")).status).toBe(429);
    expect((await second.get("/crm/v3/objects/companies")).status).toBe(200);
    expect(emulator.stats.byPortal).toEqual({ [String(PORTAL)]: 111, [String(PORTAL + 1)]: 1 });
  });

  it("tokens of the same portal share its budget", async () => {
    const first = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    const second = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    for (let index = 0; index < 55; index += 1) {
      await first.get("/crm/v3/objects/companies");
      await second.get("/crm/v3/objects/companies");
    }
    expect((await second.get("/crm/v3/objects/companies")).status).toBe(429);
  });

  it("the daily budget answers policyName DAILY", async () => {
    emulator = new HubSpotEmulator({ now: clock.now, rateLimit: { dailyLimit: 3 } });
    const hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    for (let index = 0; index < 3; index += 1) await hubspot.get("/crm/v3/objects/companies");
    const refused = await hubspot.get<ErrorBody>("/crm/v3/objects/companies");
    expect(refused.body.policyName).toBe("DAILY");
    clock.advance(24 * 3_600_000);
    hubspot.token = emulator.installApp(PORTAL).accessToken;
    expect((await hubspot.get("/crm/v3/objects/companies")).status).toBe(200);
  });
});

describe("authentication", () => {
  it("a call without a token is a 401 INVALID_AUTHENTICATION", async () => {
    const reply = await new HubSpotTestClient(emulator, null).get<ErrorBody>(
      "/crm/v3/objects/companies",
    );
    expect(reply.status).toBe(401);
    expect(reply.body).toMatchObject({ status: "error", category: "INVALID_AUTHENTICATION" });
  });

  it("an unknown token is a 401", async () => {
    expect(
      (await new HubSpotTestClient(emulator, "forged").get("/crm/v3/objects/companies")).status,
    ).toBe(401);
  });

  it("an access token lasts 30 minutes, then answers 401 EXPIRED_AUTHENTICATION; the refresh token gets a new one and stays the same", async () => {
    const installed = emulator.installApp(PORTAL);
    expect(ACCESS_TOKEN_TTL_SECONDS).toBe(1800);
    expect(installed.expiresAt.getTime() - clock.nowMs()).toBe(1_800_000);
    const hubspot = new HubSpotTestClient(emulator, installed.accessToken);
    clock.advance(29 * 60_000);
    expect((await hubspot.get("/crm/v3/objects/companies")).status).toBe(200);
    clock.advance(2 * 60_000);
    const expired = await hubspot.get<ErrorBody>("/crm/v3/objects/companies");
    expect(expired.status).toBe(401);
    expect(expired.body.category).toBe("EXPIRED_AUTHENTICATION");
    expect(expired.body.message).toBe(
      "The OAuth token used to make this call expired 1 minute(s) ago.",
    );

    const refresh = {
      grant_type: "refresh_token",
      client_id: emulator.app.clientId,
      client_secret: emulator.app.clientSecret,
      refresh_token: installed.refreshToken,
    };
    const refreshed = await emulator.handle(form(refresh));
    const body = (await refreshed.json()) as TokenBody;
    expect(refreshed.status).toBe(200);
    expect(body).toMatchObject({
      token_type: "bearer",
      expires_in: 1800,
      refresh_token: installed.refreshToken,
      hub_id: PORTAL,
    });
    hubspot.token = body.access_token;
    expect((await hubspot.get("/crm/v3/objects/companies")).status).toBe(200);
    // Not rotated: the same refresh token works again.
    expect((await emulator.handle(form(refresh))).status).toBe(200);
  });

  it("the fault knob expires tokens at once", async () => {
    const hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
    expect(emulator.faults.expireAccessTokens()).toBe(1);
    expect((await hubspot.get("/crm/v3/objects/companies")).status).toBe(401);
  });

  it.each([
    [
      "an unknown refresh token",
      "BAD_REFRESH_TOKEN",
      { grant_type: "refresh_token", refresh_token: "nope" },
    ],
    [
      "a wrong client secret",
      "BAD_CLIENT_SECRET",
      { grant_type: "refresh_token", client_secret: "wrong" },
    ],
    ["an unknown grant type", "BAD_GRANT_TYPE", { grant_type: "password" }],
    [
      "an unknown code",
      "BAD_AUTH_CODE",
      { grant_type: "authorization_code", code: "nope", redirect_uri: "https://x.test/cb" },
    ],
  ])("the token endpoint refuses %s with status %s", async (_case, status, fields) => {
    const reply = await emulator.handle(
      form({
        client_id: emulator.app.clientId,
        client_secret: emulator.app.clientSecret,
        ...fields,
      }),
    );
    expect(reply.status).toBe(400);
    expect(((await reply.json()) as ErrorBody).status).toBe(status);
  });

  it("an uninstalled app's tokens stop working", async () => {
    const installed = emulator.installApp(PORTAL);
    emulator.uninstallApp(PORTAL);
    expect(
      (
        await new HubSpotTestClient(emulator, installed.accessToken).get(
          "/crm/v3/objects/companies",
        )
      ).status,
    ).toBe(401);
    const refreshed = await emulator.handle(
      form({
        grant_type: "refresh_token",
        client_id: emulator.app.clientId,
        client_secret: emulator.app.clientSecret,
        refresh_token: installed.refreshToken,
      }),
    );
    expect(refreshed.status).toBe(400);
  });
});

describe("OAuth install flow", () => {
  const redirectUri = "https://encaisse.example/oauth/hubspot/callback";

  it("the sandbox authorize page approves at once, redirecting with code and state; the code is exchanged once", async () => {
    const authorize = new URL("https://app.hubspot.com/oauth/authorize");
    authorize.searchParams.set("client_id", emulator.app.clientId);
    authorize.searchParams.set("redirect_uri", redirectUri);
    authorize.searchParams.set("scope", "oauth crm.objects.companies.read");
    authorize.searchParams.set("optional_scope", "crm.objects.deals.read");
    authorize.searchParams.set("state", "csrf-123");
    authorize.searchParams.set("portal_id", String(PORTAL));
    const redirect = await emulator.handle(new Request(authorize));
    expect(redirect.status).toBe(302);
    const location = new URL(redirect.headers.get("location") ?? "");
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get("state")).toBe("csrf-123");
    const code = location.searchParams.get("code") ?? "";

    const exchange = {
      grant_type: "authorization_code",
      client_id: emulator.app.clientId,
      client_secret: emulator.app.clientSecret,
      redirect_uri: redirectUri,
      code,
    };
    const tokens = await emulator.handle(form(exchange));
    const body = (await tokens.json()) as TokenBody;
    expect(body).toMatchObject({
      hub_id: PORTAL,
      scopes: ["oauth", "crm.objects.companies.read", "crm.objects.deals.read"],
      expires_in: 1800,
    });
    expect((await emulator.handle(form(exchange))).status).toBe(400);

    const info = await emulator.handle(
      new Request(`${API}/oauth/v1/access-tokens/${body.access_token}`),
    );
    expect(await info.json()).toMatchObject({
      hub_id: PORTAL,
      app_id: emulator.app.appId,
      token_type: "access",
      expires_in: 1800,
    });
    const refreshInfo = await emulator.handle(
      new Request(`${API}/oauth/v1/refresh-tokens/${body.refresh_token}`),
    );
    expect(await refreshInfo.json()).toMatchObject({
      hub_id: PORTAL,
      client_id: emulator.app.clientId,
      token_type: "refresh",
    });
  });

  it("a code is refused with a different redirect URI than the authorize request's", async () => {
    const authorize = `https://app.hubspot.com/oauth/authorize?client_id=${emulator.app.clientId}&redirect_uri=${encodeURIComponent(redirectUri)}&scope=oauth`;
    const location = new URL(
      (await emulator.handle(new Request(authorize))).headers.get("location") ?? "",
    );
    const reply = await emulator.handle(
      form({
        grant_type: "authorization_code",
        client_id: emulator.app.clientId,
        client_secret: emulator.app.clientSecret,
        redirect_uri: "https://evil.example/cb",
        code: location.searchParams.get("code") ?? "",
      }),
    );
    expect(((await reply.json()) as ErrorBody).status).toBe("MISMATCH_REDIRECT_URI_AUTH_CODE");
  });

  it("an unknown client id is refused on the authorize page", async () => {
    const reply = await emulator.handle(
      new Request(
        `https://app.hubspot.com/oauth/authorize?client_id=nope&redirect_uri=${encodeURIComponent(redirectUri)}`,
      ),
    );
    expect(reply.status).toBe(400);
  });

  it("revoking the refresh token (DELETE) ends the install's access", async () => {
    const installed = emulator.installApp(PORTAL);
    expect(
      (
        await emulator.handle(
          new Request(`${API}/oauth/v1/refresh-tokens/${installed.refreshToken}`, {
            method: "DELETE",
          }),
        )
      ).status,
    ).toBe(204);
    expect(
      (
        await new HubSpotTestClient(emulator, installed.accessToken).get(
          "/crm/v3/objects/companies",
        )
      ).status,
    ).toBe(401);
  });
});

describe("scopes", () => {
  it.each([
    [
      "writing companies with read-only access",
      ["crm.objects.companies.read"],
      "POST",
      "/crm/v3/objects/companies",
      "crm.objects.companies.write",
    ],
    [
      "reading deals without a deals scope",
      ["crm.objects.companies.read"],
      "GET",
      "/crm/v3/objects/deals",
      "crm.objects.deals.read",
    ],
    [
      "creating a task without the contacts write scope",
      ENCAISSE_HUBSPOT_SCOPES.filter((scope) => scope !== "crm.objects.contacts.write"),
      "POST",
      "/crm/v3/objects/tasks",
      "crm.objects.contacts.write",
    ],
    [
      "creating a property without the schema scope",
      ["crm.objects.companies.write"],
      "POST",
      "/crm/v3/properties/companies",
      "crm.schemas.companies.write",
    ],
    [
      "writing products with Encaisse's scopes",
      ENCAISSE_HUBSPOT_SCOPES,
      "POST",
      "/crm/v3/objects/products",
      "crm.objects.products.write",
    ],
    [
      "listing owners without the owners scope",
      ["crm.objects.companies.read"],
      "GET",
      "/crm/v3/owners",
      "crm.objects.owners.read",
    ],
  ])("%s is a 403 MISSING_SCOPES naming the scope", async (_case, scopes, method, path, scope) => {
    const hubspot = new HubSpotTestClient(
      emulator,
      emulator.installApp(PORTAL, scopes).accessToken,
    );
    const reply = await hubspot.request<ErrorBody>(
      method,
      path,
      method === "GET" ? undefined : { properties: {} },
    );
    expect(reply.status).toBe(403);
    expect(reply.body.category).toBe("MISSING_SCOPES");
    expect(reply.body.errors?.[0]?.context?.requiredGranularScopes).toContain(scope);
  });

  it("a granted scope lets the same call through", async () => {
    const hubspot = new HubSpotTestClient(
      emulator,
      emulator.installApp(PORTAL, ["crm.objects.companies.write"]).accessToken,
    );
    expect(
      (await hubspot.post<RecordBody>("/crm/v3/objects/companies", { properties: { name: "A" } }))
        .status,
    ).toBe(201);
  });
});
