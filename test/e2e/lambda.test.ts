/**
 * The AWS Lambda entry: API Gateway / Function URL events in, the real app behind them.
 * What matters is that HubSpot's signature still holds there: computed over the public URL
 * (PUBLIC_BASE_URL, stage included) and the raw body bytes, which API Gateway may hand over
 * base64-encoded.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cardInvoicesResponseSchema, confirmLinkResponseSchema } from "@encaisse/shared/contracts";
import { createApp } from "../../functions/src/app";
import { signHubSpotCall } from "../../functions/src/cli/signed-call";
import {
  type LambdaApplication,
  basePathOf,
  createLambdaHandler,
  openLambdaApplication,
  withoutBasePath,
} from "../../functions/src/lambda";
import type { LambdaEvent } from "hono/aws-lambda";
import { SANDBOX_HUBSPOT_APP } from "../emulators/hubspot";
import { hubspotCompany, pennylaneCustomer } from "../backend/card-support";
import { type BackendHarness, PORTAL_ID, USER_ID, startBackendHarness } from "../backend/harness";

type HttpApiEvent = Extract<LambdaEvent, { rawPath: string }>;

const API_GATEWAY = "https://a1b2c3d4e5.execute-api.eu-west-3.amazonaws.com";

/** An API Gateway HTTP API event (payload 2.0) for a call to `url`, as AWS builds it. */
function httpApiEvent(
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string | null = null,
): HttpApiEvent {
  const parsed = new URL(url);
  return {
    version: "2.0",
    routeKey: "$default",
    rawPath: parsed.pathname,
    rawQueryString: parsed.search.slice(1),
    headers: Object.fromEntries(
      Object.entries({ ...headers, host: parsed.host }).map(([name, value]) => [
        name.toLowerCase(),
        value,
      ]),
    ),
    // API Gateway base64-encodes bodies it does not consider text.
    body: body === null ? null : Buffer.from(body, "utf8").toString("base64"),
    isBase64Encoded: body !== null,
    requestContext: {
      accountId: "123456789012",
      apiId: "a1b2c3d4e5",
      authentication: null,
      authorizer: {},
      domainName: parsed.host,
      domainPrefix: parsed.host.split(".")[0] ?? "",
      http: {
        method,
        path: parsed.pathname,
        protocol: "HTTP/1.1",
        sourceIp: "54.0.0.1",
        userAgent: "HubSpot Connect 2.0",
      },
      requestId: "request-1",
      routeKey: "$default",
      stage: parsed.pathname.startsWith("/prod/") ? "prod" : "$default",
      time: "23/Nov/2026:10:00:00 +0000",
      timeEpoch: Date.now(),
    },
  };
}

describe("the AWS Lambda entry", () => {
  let harness: BackendHarness;

  beforeAll(async () => {
    harness = await startBackendHarness();
  });

  afterAll(async () => {
    await harness?.close();
  });

  /** The harness's backend as deployed behind `publicBaseUrl`. */
  function deployedAt(publicBaseUrl: string): LambdaApplication {
    const config = { ...harness.backend.config, PUBLIC_BASE_URL: publicBaseUrl, publicBaseUrl };
    return { app: createApp({ ...harness.backend, config }), basePath: basePathOf(config) };
  }

  function signed(publicBaseUrl: string, method: string, path: string, body?: string) {
    return signHubSpotCall({
      method,
      url: `${publicBaseUrl}${path}`,
      ...(body === undefined ? {} : { body }),
      portalId: PORTAL_ID,
      userId: USER_ID,
      appId: String(SANDBOX_HUBSPOT_APP.appId),
      clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
    });
  }

  it("behind an API Gateway stage, a card request signed over the public URL is answered", async () => {
    const publicBaseUrl = `${API_GATEWAY}/prod`;
    const handler = createLambdaHandler(async () => deployedAt(publicBaseUrl));
    const key =
      harness.book.companies.find((company) => hubspotCompany(harness, company.key).siren)?.key ??
      "";
    const companyId = harness.companyIds[key] ?? "";
    const call = signed(
      publicBaseUrl,
      "GET",
      `/v1/cards/invoices?objectType=companies&objectId=${companyId}`,
    );
    const event = httpApiEvent("GET", call.url, call.headers);
    expect(event.rawPath).toBe("/prod/v1/cards/invoices");
    const result = await handler(event);
    expect(result.statusCode).toBe(200);
    const card = cardInvoicesResponseSchema.parse(JSON.parse(result.body));
    if (card.state !== "ok")
      throw new Error(`expected the matched company's card, got ${card.state}`);
    expect(card.company.id).toBe(companyId);
    expect(card.customer.providerCustomerId).toBe(String(pennylaneCustomer(harness, key).id));
  });

  it("a base64-encoded POST body is verified over its exact bytes, accents included", async () => {
    const publicBaseUrl = "https://x7y8z9.lambda-url.eu-west-3.on.aws";
    const handler = createLambdaHandler(async () => deployedAt(publicBaseUrl));
    const key =
      harness.book.companies.find((company) => !hubspotCompany(harness, company.key).siren)?.key ??
      "";
    const companyId = harness.companyIds[key] ?? "";
    const providerCustomerId = String(pennylaneCustomer(harness, key).id);
    // Spacing and accents as the card sent them: re-serializing would break the signature.
    const body = `{ "companyId": "${companyId}", "providerCustomerId": "${providerCustomerId}", "note": "société liée" }`;
    const call = signed(publicBaseUrl, "POST", "/v1/cards/links", body);

    const result = await handler(httpApiEvent("POST", call.url, call.headers, body));
    expect(result.statusCode).toBe(200);
    expect(confirmLinkResponseSchema.parse(JSON.parse(result.body))).toEqual({
      companyId,
      providerCustomerId,
      matchedBy: "manual",
    });
  });

  it("a body changed after signing is refused with 401", async () => {
    const publicBaseUrl = "https://x7y8z9.lambda-url.eu-west-3.on.aws";
    const handler = createLambdaHandler(async () => deployedAt(publicBaseUrl));
    const body = '{"companyId":"1","providerCustomerId":"2"}';
    const call = signed(publicBaseUrl, "POST", "/v1/cards/links", body);
    const result = await handler(
      httpApiEvent("POST", call.url, call.headers, body.replace('"2"', '"3"')),
    );
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toMatchObject({ error: { code: "SIGNATURE_INVALID" } });
  });

  it("a backend that cannot open answers 503 without details, and the next invocation opens it again", async () => {
    let attempts = 0;
    const handler = createLambdaHandler(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error("connection refused by db.internal:5432");
      return deployedAt(API_GATEWAY);
    });
    const health = () => handler(httpApiEvent("GET", `${API_GATEWAY}/health`, {}));

    const first = await health();
    expect(first.statusCode).toBe(503);
    expect(first.body).not.toContain("db.internal");
    expect(JSON.parse(first.body)).toMatchObject({ error: { code: "INTERNAL" } });

    expect((await health()).statusCode).toBe(200);
    expect((await health()).statusCode).toBe(200);
    expect(attempts).toBe(2);
  });

  it("refuses to open without DATABASE_URL: Lambda instances share no disk", async () => {
    await expect(
      openLambdaApplication({
        NODE_ENV: "production",
        HUBSPOT_CLIENT_ID: "client",
        HUBSPOT_CLIENT_SECRET: "secret",
        PUBLIC_BASE_URL: API_GATEWAY,
        ENCRYPTION_KEY: Buffer.alloc(32, 7).toString("base64"),
      }),
    ).rejects.toMatchObject({
      code: "CONFIG_INVALID",
      message: expect.stringContaining("DATABASE_URL"),
    });
  });

  it.each([
    { path: "/prod/v1/cards/invoices", basePath: "/prod", routed: "/v1/cards/invoices" },
    { path: "/prod", basePath: "/prod", routed: "/" },
    { path: "/production/v1/x", basePath: "/prod", routed: "/production/v1/x" },
    { path: "/v1/cards/invoices", basePath: "/prod", routed: "/v1/cards/invoices" },
    { path: "/prod/v1/x", basePath: "", routed: "/prod/v1/x" },
  ])(
    "routes $path as $routed when PUBLIC_BASE_URL's path is '$basePath'",
    ({ path, basePath, routed }) => {
      const event = httpApiEvent("GET", `${API_GATEWAY}${path}`, {});
      const stripped = withoutBasePath(event, basePath);
      expect("rawPath" in stripped && stripped.rawPath).toBe(routed);
    },
  );

  it.each([
    { publicBaseUrl: undefined, basePath: "" },
    { publicBaseUrl: "https://api.encaisse.fr", basePath: "" },
    { publicBaseUrl: "https://api.encaisse.fr/", basePath: "" },
    { publicBaseUrl: `${API_GATEWAY}/prod/`, basePath: "/prod" },
  ])("the base path of $publicBaseUrl is '$basePath'", ({ publicBaseUrl, basePath }) => {
    expect(basePathOf({ PUBLIC_BASE_URL: publicBaseUrl })).toBe(basePath);
  });
});
