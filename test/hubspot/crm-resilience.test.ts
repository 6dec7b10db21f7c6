import { http, HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import { HUBSPOT_API_URL } from "../emulators/hubspot";
import { countCalls, useHubSpot } from "./harness";

const hubspot = useHubSpot();

describe("HubSpot's rate limit", () => {
  it("250 reads in a burst never exceed 110 requests in any 10 seconds, and none is refused", async () => {
    const { crm, portal, portalId, emulator } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Très demandée" });
    const refusedBefore = emulator.stats.rateLimitedByPolicy.TEN_SECONDLY_ROLLING ?? 0;

    const reads = await Promise.all(Array.from({ length: 250 }, () => crm.getCompany(company.id)));

    expect(reads.every((read) => read.name === "Très demandée")).toBe(true);
    expect(emulator.stats.maxRequestsInWindowByPortal[String(portalId)]).toBeLessThanOrEqual(110);
    expect((emulator.stats.rateLimitedByPolicy.TEN_SECONDLY_ROLLING ?? 0) - refusedBefore).toBe(0);
  });

  it("a burst of 429s is waited out: the account is held for HubSpot's window, every call succeeds", async () => {
    const { crm, portal, portalId, emulator, limiter } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Sous pression" });
    emulator.faults.rateLimitStorm({ requests: 5 });
    const reads = countCalls(emulator, "GET /crm/v3/objects/companies/{objectId}");

    const results = await Promise.all(Array.from({ length: 20 }, () => crm.getCompany(company.id)));

    expect(results).toHaveLength(20);
    expect(results.every((read) => read.id === company.id)).toBe(true);
    // HubSpot's 429 names its 10 s window: the whole account waits that long.
    expect(limiter.blocks.length).toBeGreaterThanOrEqual(1);
    expect(limiter.blocks.every((block) => block.key === String(portalId))).toBe(true);
    expect(Math.min(...limiter.blocks.map((block) => block.forMs))).toBeGreaterThan(9_000);
    expect(reads()).toBe(25);
    expect(crm.stats.rateLimited).toBe(5);
    expect(emulator.stats.maxRequestsInWindowByPortal[String(portalId)]).toBeLessThanOrEqual(110);
  });

  it("the daily quota is not waited for: HUBSPOT_RATE_LIMITED at once", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Quota épuisé" });
    emulator.faults.rateLimitStorm({ requests: 1, policy: "DAILY" });
    const reads = countCalls(emulator, "GET /crm/v3/objects/companies/{objectId}");

    await expect(crm.getCompany(company.id)).rejects.toMatchObject({
      code: "HUBSPOT_RATE_LIMITED",
      details: { policy: "DAILY" },
    });
    expect(reads()).toBe(1);
  });
});

describe("HubSpot having trouble", () => {
  it("a read that meets a 502 is retried and succeeds", async () => {
    const { crm, portal } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Patiente" });
    let failures = 0;
    hubspot.server.use(
      http.get(
        `${HUBSPOT_API_URL}/crm/v3/objects/companies/${company.id}`,
        () => {
          failures += 1;
          return HttpResponse.json(
            {
              status: "error",
              message: "Bad gateway",
              correlationId: crypto.randomUUID(),
              category: "BAD_GATEWAY",
            },
            { status: 502 },
          );
        },
        { once: true },
      ),
    );

    expect((await crm.getCompany(company.id)).name).toBe("Patiente");
    expect(failures).toBe(1);
    expect(crm.stats.retries).toBe(1);
  });

  it("a read that keeps failing gives up after 4 attempts with HUBSPOT_UNAVAILABLE", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Injoignable" });
    emulator.faults.serverErrorRate = 1;
    const reads = countCalls(emulator, "GET /crm/v3/objects/companies/{objectId}");

    await expect(crm.getCompany(company.id)).rejects.toMatchObject({ code: "HUBSPOT_UNAVAILABLE" });
    expect(reads()).toBe(4);
  });

  it("a task whose creation met a 5xx is not sent again: it may exist already", async () => {
    const { crm, portal, emulator } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Prudence" });
    emulator.faults.serverErrorRate = 1;
    const creates = countCalls(emulator, "POST /crm/v3/objects/tasks");

    await expect(
      crm.createTask({
        companyId: company.id,
        ownerId: null,
        subject: "Relance",
        body: "",
        dueDate: "2026-12-01",
      }),
    ).rejects.toMatchObject({ code: "HUBSPOT_UNAVAILABLE", httpStatus: 502 });
    expect(creates()).toBe(1);
  });

  it("a note whose creation timed out is not sent again", async () => {
    const { crm, portal, emulator } = hubspot.connect({ crm: { timeoutMs: 300 } });
    const company = portal.objects.create("companies", { name: "Lente" });
    emulator.faults.timeouts({ requests: 1 });
    const creates = countCalls(emulator, "POST /crm/v3/objects/notes");

    await expect(crm.createNote({ companyId: company.id, body: "Appel" })).rejects.toMatchObject({
      code: "HUBSPOT_UNAVAILABLE",
      details: { timedOut: true },
    });
    expect(creates()).toBe(1);
    expect(emulator.stats.injectedTimeouts).toBeGreaterThanOrEqual(1);
  });

  it("a read that timed out is retried", async () => {
    const { crm, portal, emulator } = hubspot.connect({ crm: { timeoutMs: 300 } });
    const company = portal.objects.create("companies", { name: "Lente mais là" });
    emulator.faults.timeouts({ requests: 1 });

    expect((await crm.getCompany(company.id)).name).toBe("Lente mais là");
    expect(crm.stats.retries).toBe(1);
  });
});

describe("access to the account", () => {
  it("an access token HubSpot expired early is refreshed once and the read replayed", async () => {
    const { crm, portal, portalId, emulator, store } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Jeton périmé" });
    const firstToken = (await store.load())?.accessToken;
    emulator.expireAccessTokens(portalId);
    const refreshes = countCalls(emulator, "POST /oauth/v1/token");

    expect((await crm.getCompany(company.id)).name).toBe("Jeton périmé");
    expect(refreshes()).toBe(1);
    expect((await store.load())?.accessToken).not.toBe(firstToken);
  });

  it("an uninstalled app is HUBSPOT_AUTH_FAILED, with nothing about the account in the message", async () => {
    const { crm, portal, portalId, emulator } = hubspot.connect();
    const company = portal.objects.create("companies", { name: "Désinstallée" });
    emulator.uninstallApp(portalId);

    const failure = await crm.getCompany(company.id).catch((error: unknown) => error);

    expect(failure).toMatchObject({ code: "HUBSPOT_AUTH_FAILED" });
    expect(String((failure as Error).message)).not.toMatch(/admin@|demo-/);
  });
});
