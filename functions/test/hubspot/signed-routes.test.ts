import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { respondWithError } from "../../src/http/errors";
import {
  type HubSpotAuthVariables,
  candidateSignedUrls,
  hubspotSigned,
  MemoryReplayGuard,
} from "../../src/http/hubspot-auth";
import { signAsHubSpot } from "../../src/hubspot/signature";
import { VirtualClock } from "../support/virtual-clock";

const secret = "app-client-secret";

function app(publicBaseUrl: string | null = null) {
  const clock = new VirtualClock();
  const hono = new Hono<{ Variables: HubSpotAuthVariables }>();
  hono.onError((error, c) => respondWithError(c, error, { error: () => undefined }));
  hono.use(
    "/v1/*",
    hubspotSigned({
      clientSecret: secret,
      publicBaseUrl,
      replayGuard: new MemoryReplayGuard(),
      clock,
    }),
  );
  hono.all("/v1/echo", (c) => c.json({ caller: c.get("hubspotCaller"), body: c.get("rawBody") }));
  return { hono, clock };
}

function signedRequest(
  url: string,
  clock: VirtualClock,
  init: { method?: string; body?: string; signedUrl?: string } = {},
) {
  const method = init.method ?? "GET";
  const headers = signAsHubSpot({
    method,
    url: init.signedUrl ?? url,
    body: init.body ?? "",
    clientSecret: secret,
    timestamp: clock.now(),
  });
  return new Request(url, { method, headers, ...(init.body ? { body: init.body } : {}) });
}

const url =
  "http://localhost:3000/v1/echo?objectId=1&portalId=62515&userId=7&userEmail=rep%40acme.fr&appId=99";

describe("routes called by HubSpot", () => {
  it("accept a correctly signed request and take the tenant from the signed portalId", async () => {
    const { hono, clock } = app();
    const response = await hono.request(signedRequest(url, clock));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      caller: { portalId: "62515", userId: "7", userEmail: "rep@acme.fr", appId: "99" },
      body: "",
    });
  });

  it("keep the raw body they verified for the handler", async () => {
    const { hono, clock } = app();
    const body = '{"mode":"finalized"}';
    const response = await hono.request(signedRequest(url, clock, { method: "POST", body }));
    expect(await response.json()).toMatchObject({ body });
  });

  it("refuse a request whose portalId was changed after signing", async () => {
    const { hono, clock } = app();
    const request = signedRequest(url, clock, { signedUrl: url });
    const forged = new Request(url.replace("portalId=62515", "portalId=1"), {
      headers: request.headers,
    });
    const response = await hono.request(forged);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "SIGNATURE_INVALID" } });
  });

  it("refuse an unsigned request with a clear code", async () => {
    const { hono } = app();
    const response = await hono.request(url);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "SIGNATURE_INVALID" } });
  });

  it("refuse the same signed request played twice", async () => {
    const { hono, clock } = app();
    const first = signedRequest(url, clock);
    const replay = new Request(first.url, { headers: first.headers });
    expect((await hono.request(first)).status).toBe(200);
    const response = await hono.request(replay);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: "SIGNATURE_REPLAYED" } });
  });

  it("refuse a signature older than five minutes", async () => {
    const { hono, clock } = app();
    const request = signedRequest(url, clock);
    clock.advance(5 * 60 * 1000 + 1);
    const response = await hono.request(request);
    expect(await response.json()).toMatchObject({ error: { code: "SIGNATURE_EXPIRED" } });
  });

  it("verify against the public URL HubSpot called when we sit behind a proxy", async () => {
    const { hono, clock } = app("https://api.encaisse.fr");
    const publicUrl = url.replace("http://localhost:3000", "https://api.encaisse.fr");
    const response = await hono.request(signedRequest(url, clock, { signedUrl: publicUrl }));
    expect(response.status).toBe(200);
  });

  it("refuse a signed request without a portal", async () => {
    const { hono, clock } = app();
    const response = await hono.request(
      signedRequest("http://localhost:3000/v1/echo?objectId=1", clock),
    );
    expect(await response.json()).toMatchObject({ error: { code: "SIGNATURE_INVALID" } });
  });

  it("lists the public URL first, then the received one", () => {
    expect(
      candidateSignedUrls("http://10.0.0.5:3000/v1/x?a=1", "https://api.encaisse.fr/base/"),
    ).toEqual(["https://api.encaisse.fr/base/v1/x?a=1", "http://10.0.0.5:3000/v1/x?a=1"]);
  });
});
