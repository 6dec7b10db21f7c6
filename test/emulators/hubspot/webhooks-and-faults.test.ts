import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { verifySignatureV3 } from "../../../functions/src/hubspot/signature";
import { ManualClock } from "../common/clock";
import { HubSpotEmulator, startHubSpotServer, type RunningHubSpotServer } from "./index";
import { type ErrorBody, HubSpotTestClient } from "./test-client";

const PORTAL = 1001;
const TARGET = "https://encaisse.example/webhooks/hubspot?tenant=acme%3A1";

let clock: ManualClock;
let emulator: HubSpotEmulator;
let hubspot: HubSpotTestClient;

beforeEach(() => {
  clock = new ManualClock("2026-11-23T09:00:00Z");
  emulator = new HubSpotEmulator({ now: clock.now });
  hubspot = new HubSpotTestClient(emulator, emulator.installApp(PORTAL).accessToken);
});

const verify = async (request: Request, clientSecret = emulator.app.clientSecret) =>
  verifySignatureV3(
    {
      method: request.method,
      uri: request.url,
      rawBody: await request.text(),
      signature: request.headers.get("X-HubSpot-Signature-v3"),
      timestamp: request.headers.get("X-HubSpot-Request-Timestamp"),
    },
    clientSecret,
    clock.nowMs(),
  );

describe("webhook deliveries", () => {
  it("a dealstage delivery is signed v3 so that the backend's verifier accepts it", async () => {
    const delivery = emulator.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId: "42", dealstage: "closedwon" }],
    });
    expect(delivery.headers["X-HubSpot-Request-Timestamp"]).toBe(String(clock.nowMs()));
    await expect(verify(delivery.toRequest())).resolves.toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.parse(delivery.body)).toEqual([
      expect.objectContaining({
        objectId: 42,
        propertyName: "dealstage",
        propertyValue: "closedwon",
        portalId: PORTAL,
        appId: emulator.app.appId,
        eventType: "object.propertyChange",
        attemptNumber: 0,
        occurredAt: clock.nowMs(),
      }),
    ]);
  });

  it("a tampered body or another app's secret fails verification", async () => {
    const delivery = emulator.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId: "42", dealstage: "closedwon" }],
    });
    const tampered = new Request(delivery.url, {
      method: "POST",
      headers: delivery.headers,
      body: delivery.body.replace("closedwon", "closedlost"),
    });
    await expect(verify(tampered)).rejects.toMatchObject({ code: "SIGNATURE_INVALID" });
    await expect(verify(delivery.toRequest(), "another-secret")).rejects.toMatchObject({
      code: "SIGNATURE_INVALID",
    });
  });

  it("a delivery signed more than 5 minutes ago is refused by the backend", async () => {
    const delivery = emulator.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId: "42", dealstage: "closedwon" }],
      timestampMs: clock.nowMs() - 6 * 60_000,
    });
    await expect(verify(delivery.toRequest())).rejects.toMatchObject({ code: "SIGNATURE_EXPIRED" });
  });

  it("can carry duplicates and come newest first, as HubSpot's at-least-once delivery does", () => {
    const delivery = emulator.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [
        { dealId: "1", dealstage: "contractsent", occurredAt: 1_000 },
        { dealId: "1", dealstage: "closedwon", occurredAt: 2_000 },
      ],
      duplicate: true,
      reorder: true,
    });
    expect(delivery.events.map((event) => [event.propertyValue, event.occurredAt])).toEqual([
      ["closedwon", 2_000],
      ["closedwon", 2_000],
      ["contractsent", 1_000],
      ["contractsent", 1_000],
    ]);
    expect(new Set(delivery.events.map((event) => event.eventId)).size).toBe(2);
  });

  it("a redelivery repeats the same events with the next attempt number and a fresh signature", async () => {
    const first = emulator.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId: "7", dealstage: "closedwon" }],
    });
    clock.advance(60_000);
    const retry = emulator.redeliver(first);
    expect(retry.events.map((event) => [event.eventId, event.attemptNumber])).toEqual([
      [first.events[0]?.eventId, 1],
    ]);
    expect(retry.headers["X-HubSpot-Signature-v3"]).not.toBe(
      first.headers["X-HubSpot-Signature-v3"],
    );
    await expect(verify(retry.toRequest())).resolves.toBeTypeOf("string");
  });

  it("moves the deal to the new stage, so the backend reads what the event says", () => {
    const deal = emulator
      .portal(PORTAL)
      .objects.create("deals", { dealname: "Refonte", dealstage: "contractsent" });
    emulator.webhookEvent({
      targetUrl: TARGET,
      portalId: PORTAL,
      changes: [{ dealId: deal.id, dealstage: "closedwon" }],
    });
    expect(deal.values.get("dealstage")).toBe("closedwon");
  });
});

describe("faults", () => {
  const outcomes = async (count: number) => {
    const statuses: number[] = [];
    for (let index = 0; index < count; index += 1)
      statuses.push((await hubspot.get("/crm/v3/objects/companies")).status);
    return statuses;
  };

  it("a seeded 5xx rate fails the same requests on every replay", async () => {
    emulator.faults.seed(7).serverErrorRate = 0.3;
    const first = await outcomes(30);
    emulator.faults.seed(7);
    const replay = await outcomes(30);
    expect(replay).toEqual(first);
    const failures = first.filter((status) => status === 502).length;
    expect(failures).toBeGreaterThan(2);
    expect(failures).toBeLessThan(20);
    expect(emulator.stats.injectedServerErrors).toBe(failures * 2);
  });

  it("a 429 storm refuses the next requests with the ten-secondly policy, then clears", async () => {
    emulator.faults.rateLimitStorm({ requests: 2 });
    const refused = await hubspot.get<ErrorBody>("/crm/v3/objects/companies");
    expect(refused.status).toBe(429);
    expect(refused.body.policyName).toBe("TEN_SECONDLY_ROLLING");
    expect(await outcomes(2)).toEqual([429, 200]);
  });

  it("added latency delays every answer", async () => {
    emulator.faults.latencyMs = 40;
    const started = performance.now();
    await hubspot.get("/crm/v3/objects/companies");
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
  });

  it("a timeout hangs until the client gives up", async () => {
    emulator.faults.timeouts({ requests: 1 });
    const abort = new AbortController();
    const pending = emulator.handle(
      new Request("https://api.hubapi.com/crm/v3/objects/companies", {
        headers: { authorization: `Bearer ${hubspot.token ?? ""}` },
        signal: abort.signal,
      }),
    );
    let settled = false;
    void pending.then(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(settled).toBe(false);
    abort.abort();
    expect((await pending).status).toBe(504);
    expect(emulator.stats.injectedTimeouts).toBe(1);
  });
});

describe("over real HTTP", () => {
  let server: RunningHubSpotServer | undefined;

  afterEach(async () => {
    await server?.close();
  });

  it("the node server answers the API on 127.0.0.1", async () => {
    server = await startHubSpotServer(emulator);
    const reply = await fetch(`${server.url}/crm/v3/objects/companies`, {
      headers: { authorization: `Bearer ${hubspot.token ?? ""}` },
    });
    expect(reply.status).toBe(200);
    expect(reply.headers.get("x-hubspot-ratelimit-max")).toBe("110");
    expect(await reply.json()).toEqual({ results: [] });
  });
});
