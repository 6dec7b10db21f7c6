import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ORGANIZATIONS, USER_PROFILE } from "./documents";
import { SageActiveEmulator } from "./emulator";
import type { Loose } from "./harness";
import { SAGE_ACTIVE_API_URL, SAGE_ACTIVE_AUTH_URL, sageActiveMswHandlers } from "./msw";
import { startSageActiveServer } from "./server";

const REDIRECT = "https://app.encaisse.test/oauth/sage/callback";

/** The whole dance a client does: authorize, exchange the code, call the API. */
async function connectAndQuery(emulator: SageActiveEmulator, authUrl: string, apiUrl: string) {
  const authorize = await fetch(
    `${authUrl}/connect/authorize?${new URLSearchParams({
      response_type: "code",
      client_id: emulator.clientId,
      redirect_uri: REDIRECT,
      scope: "RDSA WDSA offline_access",
      state: "s1",
    })}`,
    { redirect: "manual" },
  );
  const code =
    new URL(authorize.headers.get("location") ?? "about:blank").searchParams.get("code") ?? "";
  const tokenResponse = await fetch(`${authUrl}/connect/token`, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      authorization: `Basic ${Buffer.from(`${emulator.clientId}:${emulator.clientSecret}`).toString("base64")}`,
    },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT }),
  });
  const tokens = (await tokenResponse.json()) as Loose;
  const api = await fetch(apiUrl, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-api-key": emulator.apiKey,
      authorization: `Bearer ${tokens.access_token}`,
    },
    body: JSON.stringify({ query: ORGANIZATIONS, variables: { first: 10 } }),
  });
  return {
    authorizeStatus: authorize.status,
    tokenStatus: tokenResponse.status,
    apiStatus: api.status,
    body: (await api.json()) as Loose,
  };
}

describe("through msw on Sage's real hosts", () => {
  const emulator = new SageActiveEmulator();
  const server = setupServer(...sageActiveMswHandlers(emulator));
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterEach(() => emulator.faults.reset());
  afterAll(() => server.close());

  it("a client configured with the production URLs authorizes, gets tokens and queries", async () => {
    const outcome = await connectAndQuery(emulator, SAGE_ACTIVE_AUTH_URL, SAGE_ACTIVE_API_URL);
    expect(outcome).toMatchObject({ authorizeStatus: 302, tokenStatus: 200, apiStatus: 200 });
    expect(outcome.body.data.organizations.nodes[0].id).toBe(emulator.defaultOrganizationId);
  });

  it("a hung request rejects the client's fetch when it aborts", async () => {
    emulator.faults.timeouts({ requests: 1 });
    const tokens = emulator.issueTokens();
    const pending = fetch(SAGE_ACTIVE_API_URL, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": emulator.apiKey,
        authorization: `Bearer ${tokens.access_token}`,
      },
      body: JSON.stringify({ query: USER_PROFILE }),
      signal: AbortSignal.timeout(50),
    });
    await expect(pending).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(emulator.faults.hangingRequests).toBe(0);
  });
});

describe("over HTTP on 127.0.0.1", () => {
  it("serves the API at /graphql and OAuth at /connect/* on one random port", async () => {
    const emulator = new SageActiveEmulator();
    const server = await startSageActiveServer(emulator);
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(server.apiUrl).toBe(`${server.url}/graphql`);
      const outcome = await connectAndQuery(emulator, server.authUrl, server.apiUrl);
      expect(outcome).toMatchObject({ authorizeStatus: 302, tokenStatus: 200, apiStatus: 200 });
      expect(outcome.body.data.organizations.totalCount).toBe(1);
      const gateway = await fetch(server.apiUrl, {
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/json" },
      });
      expect(gateway.status).toBe(401);
    } finally {
      await server.close();
    }
  });

  it("closing the server releases requests still hanging", async () => {
    const emulator = new SageActiveEmulator();
    const server = await startSageActiveServer(emulator);
    emulator.faults.timeouts({ requests: 1 });
    const tokens = emulator.issueTokens();
    const pending = fetch(server.apiUrl, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-api-key": emulator.apiKey,
        authorization: `Bearer ${tokens.access_token}`,
      },
      body: JSON.stringify({ query: USER_PROFILE }),
    }).then(
      (response) => response.status,
      () => "connection closed",
    );
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(emulator.faults.hangingRequests).toBe(1);
    await server.close();
    expect([504, "connection closed"]).toContain(await pending);
    expect(emulator.faults.hangingRequests).toBe(0);
  });
});
