import { addDays } from "@encaisse/shared";
import { describe, expect, it } from "vitest";
import {
  MemoryTokenStore,
  OAuthSession,
  type OAuthTokens,
} from "../../../functions/src/net/oauth-session";
import {
  type PennylaneOAuthConfig,
  createPennylaneLimiter,
  exchangePennylaneCode,
  pennylaneAuthorizeUrl,
  pennylaneLimiterFor,
  pennylaneOAuthAuth,
  pennylaneTokenRefresher,
  revokePennylaneToken,
} from "../../../functions/src/providers/pennylane";
import { DEFAULT_RETRY_POLICY } from "../../../functions/src/net/retry";
import { BASE_URL, customerInput, useHarness } from "./harness";

const h = useHarness();

describe("Pennylane: OAuth with rotating refresh tokens", () => {
  const config = (): PennylaneOAuthConfig => ({
    baseUrl: BASE_URL,
    clientId: "encaisse-app",
    clientSecret: "encaisse-secret",
    redirectUri: "https://encaisse.example/oauth/pennylane/callback",
    clock: h.clock,
  });

  /** The marketplace install: consent, callback with a code, first token pair. */
  async function connect(): Promise<{
    session: OAuthSession;
    store: MemoryTokenStore;
    first: OAuthTokens;
  }> {
    const settings = config();
    h.emulator.registerOAuthClient({
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      redirectUris: [settings.redirectUri],
    });
    const consent = await fetch(pennylaneAuthorizeUrl(settings, { state: "install-42" }), {
      redirect: "manual",
    });
    const callback = new URL(consent.headers.get("location") ?? "");
    expect(callback.searchParams.get("state")).toBe("install-42");
    const first = await exchangePennylaneCode(settings, callback.searchParams.get("code") ?? "");
    const store = new MemoryTokenStore(first);
    const session = new OAuthSession(store, pennylaneTokenRefresher(settings), { clock: h.clock });
    return { session, store, first };
  }

  const refreshesSent = async () => {
    const forms = await Promise.all(
      h.sent
        .filter((request) => request.method === "POST" && request.url.pathname === "/oauth/token")
        .map(async (request) => new URLSearchParams(await request.body)),
    );
    return forms
      .filter((form) => form.get("grant_type") === "refresh_token")
      .map((form) => form.get("refresh_token"));
  };

  it("asks for the scopes Encaisse needs on the consent screen", () => {
    const url = new URL(pennylaneAuthorizeUrl(config(), { state: "s" }));
    expect(url.origin + url.pathname).toBe(`${BASE_URL}/oauth/authorize`);
    expect(url.searchParams.get("response_type")).toBe("code");
    expect(url.searchParams.get("scope")?.split(" ")).toEqual([
      "customers:all",
      "customer_invoices:all",
      "products:readonly",
      "customer_invoice_templates:readonly",
      "transactions:readonly",
    ]);
  });

  it("20 calls hitting an expired token refresh it once, save the new pair and all succeed", async () => {
    const { session, store, first } = await connect();
    const provider = h.provider({ auth: pennylaneOAuthAuth(session) });
    h.emulator.expireAccessTokens();
    const identities = await Promise.all(Array.from({ length: 20 }, () => provider.probe()));
    expect(identities.every((identity) => identity.companyId === "42001")).toBe(true);
    expect(await refreshesSent()).toEqual([first.refreshToken]);
    expect(store.saves).toBe(1);
    expect((await store.load())?.refreshToken).not.toBe(first.refreshToken);
  });

  it("tokens due to expire are refreshed ahead, once per expiry, never spending a refresh token twice", async () => {
    const { session, store, first } = await connect();
    const provider = h.provider({ auth: pennylaneOAuthAuth(session) });
    h.clock.advance(24 * 3_600_000);
    await Promise.all(Array.from({ length: 20 }, () => provider.probe()));
    const second = await store.load();
    h.clock.advance(24 * 3_600_000);
    await Promise.all(Array.from({ length: 20 }, () => provider.probe()));
    const spent = await refreshesSent();
    expect(spent).toEqual([first.refreshToken, second?.refreshToken]);
    expect(new Set(spent).size).toBe(spent.length);
    // The emulator enforces rotation: the first refresh token is dead.
    await expect(pennylaneTokenRefresher(config())(first.refreshToken)).rejects.toMatchObject({
      code: "PROVIDER_AUTH_FAILED",
    });
  });

  it("after a disconnect, calls fail with PROVIDER_AUTH_FAILED instead of looping", async () => {
    const { session, store } = await connect();
    const provider = h.provider({ auth: pennylaneOAuthAuth(session) });
    await revokePennylaneToken(config(), (await store.load())?.accessToken ?? "");
    await expect(provider.probe()).rejects.toMatchObject({ code: "PROVIDER_AUTH_FAILED" });
    expect(h.sentTo("GET", "/me")).toHaveLength(1);
  });
});

describe("Pennylane: rate limits", () => {
  it("every client of one connection in this process draws from one budget", () => {
    expect(pennylaneLimiterFor("tenant-a")).toBe(pennylaneLimiterFor("tenant-a"));
    expect(pennylaneLimiterFor("tenant-a")).not.toBe(pennylaneLimiterFor("tenant-b"));
  });

  it("60 calls from two clients of one connection stay under 25 per 5 s and never see a 429", async () => {
    const limiter = createPennylaneLimiter(h.clock);
    const clients = [
      h.provider({ connectionId: "tenant-9", limiter }),
      h.provider({ connectionId: "tenant-9", limiter }),
    ];
    const startedAt = h.clock.now();
    await Promise.all(Array.from({ length: 60 }, (_, index) => clients[index % 2]?.probe()));
    expect(h.emulator.stats.rateLimited).toBe(0);
    expect(h.emulator.stats.maxRequestsInWindow).toBeLessThanOrEqual(25);
    expect(h.clock.now() - startedAt).toBeGreaterThanOrEqual(10_000);
  });

  it("a 429 storm is waited out: every call finishes, nothing is lost", async () => {
    const customerId = await h.backOffice.createCompany(customerInput());
    const ids = await h.backOffice.createInvoices(
      Array.from({ length: 10 }, (_, day) => ({
        customerId,
        date: addDays("2026-03-01", day),
        deadline: "2026-04-30",
      })),
    );
    const provider = h.provider();
    h.emulator.faults.rateLimitStorm({ requests: 30, retryAfterSeconds: 2 });
    const startedAt = h.clock.now();
    const invoices = await Promise.all(ids.map((id) => provider.getInvoice(String(id))));
    expect(invoices.map((invoice) => invoice.id)).toEqual(ids.map(String));
    expect(h.emulator.stats.rateLimited).toBeGreaterThanOrEqual(30);
    expect(provider.stats.rateLimited).toBe(h.emulator.stats.rateLimited);
    expect(h.clock.now() - startedAt).toBeGreaterThanOrEqual(2_000);
  });
});

describe("Pennylane: server errors and timeouts", () => {
  it("5xx answers to reads are retried until the data comes", async () => {
    const customerId = await h.backOffice.createCompany(customerInput());
    const ids = await h.backOffice.createInvoices(
      Array.from({ length: 8 }, () => ({ customerId, date: "2026-03-02", deadline: "2026-04-01" })),
    );
    const provider = h.provider({ retryPolicy: { ...DEFAULT_RETRY_POLICY, maxAttempts: 8 } });
    h.emulator.faults.seed(7).serverErrorRate = 0.3;
    const invoices = await Promise.all(ids.map((id) => provider.getInvoice(String(id))));
    expect(invoices.map((invoice) => invoice.grossCents)).toEqual(ids.map(() => 12_000));
    expect(h.emulator.stats.injectedServerErrors).toBeGreaterThan(0);
    expect(provider.stats.retries).toBe(h.emulator.stats.injectedServerErrors);
  });

  it("a read that keeps failing gives up after 4 attempts with PROVIDER_UNAVAILABLE", async () => {
    h.emulator.faults.serverErrorRate = 1;
    await expect(h.provider().probe()).rejects.toMatchObject({ code: "PROVIDER_UNAVAILABLE" });
    expect(h.sentTo("GET", "/me")).toHaveLength(4);
  });

  it("a read that hangs is abandoned at the timeout and asked again", async () => {
    h.emulator.faults.timeouts({ requests: 1 });
    const identity = await h.provider({ timeoutMs: 100 }).probe();
    expect(identity.companyId).toBe("42001");
    expect(h.emulator.stats.injectedTimeouts).toBe(1);
    expect(h.sentTo("GET", "/me")).toHaveLength(2);
  });

  it("a service that never answers ends in PROVIDER_TIMEOUT", async () => {
    h.emulator.faults.timeouts({ requests: 10 });
    await expect(h.provider({ timeoutMs: 50 }).probe()).rejects.toMatchObject({
      code: "PROVIDER_TIMEOUT",
    });
    expect(h.sentTo("GET", "/me")).toHaveLength(4);
  });
});
