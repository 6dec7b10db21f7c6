import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { normalizeSignedUri, signAsHubSpot, verifySignatureV3 } from "../../src/hubspot/signature";

const secret = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy";
const now = 1_764_000_000_000;
const url =
  "https://api.encaisse.fr/v1/cards/invoices?objectType=companies&objectId=123&portalId=62515&userId=1&userEmail=a%40b.fr&appId=7";

function signed(
  overrides: Partial<{
    method: string;
    uri: string;
    rawBody: string;
    timestamp: string;
    signature: string | null;
  }> = {},
) {
  const headers = signAsHubSpot({
    method: "GET",
    url,
    clientSecret: secret,
    timestamp: now - 1000,
  });
  return {
    method: "GET",
    uri: url,
    rawBody: "",
    signature: headers["X-HubSpot-Signature-v3"] ?? null,
    timestamp: headers["X-HubSpot-Request-Timestamp"] ?? null,
    ...overrides,
  };
}

describe("HubSpot signature v3", () => {
  it("accepts a request signed with the app's secret and returns a fingerprint for replay checks", () => {
    expect(verifySignatureV3(signed(), secret, now)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("computes the documented HMAC: method + decoded uri + body + timestamp", () => {
    const body = '{"mode":"draft"}';
    const headers = signAsHubSpot({
      method: "post",
      url,
      body,
      clientSecret: secret,
      timestamp: now,
    });
    const source = `POST${url.replace("%40", "@")}${body}${now}`;
    expect(headers["X-HubSpot-Signature-v3"]).toBe(
      createHmac("sha256", secret).update(source).digest("base64"),
    );
  });

  it.each([
    ["a tampered body", { method: "POST", rawBody: '{"a":1}' }],
    ["another path", { uri: url.replace("objectId=123", "objectId=124") }],
    ["another portal in the query", { uri: url.replace("portalId=62515", "portalId=1") }],
    ["another method", { method: "DELETE" }],
    [
      "a signature from another secret",
      {
        signature: signAsHubSpot({
          method: "GET",
          url,
          clientSecret: "other",
          timestamp: now - 1000,
        })["X-HubSpot-Signature-v3"] as string,
      },
    ],
    ["a truncated signature", { signature: "abc" }],
    ["no signature", { signature: null }],
    ["a timestamp that is not a time", { timestamp: "yesterday" }],
  ])("refuses %s", (_label, overrides) => {
    expect(() => verifySignatureV3(signed(overrides), secret, now)).toThrowError(
      expect.objectContaining({ code: "SIGNATURE_INVALID" }),
    );
  });

  it("refuses a signature older than 5 minutes, and one from the future", () => {
    expect(() => verifySignatureV3(signed(), secret, now + 5 * 60 * 1000)).toThrowError(
      expect.objectContaining({ code: "SIGNATURE_EXPIRED" }),
    );
    expect(() => verifySignatureV3(signed(), secret, now - 6 * 60 * 1000)).toThrowError(
      expect.objectContaining({ code: "SIGNATURE_EXPIRED" }),
    );
  });

  it("decodes only the escapes HubSpot decodes", () => {
    expect(normalizeSignedUri("https://x.fr/a%3Ab%2fc?q=%40%21%24%27%28%29%2A%2C%3B")).toBe(
      "https://x.fr/a:b/c?q=@!$'()*,;",
    );
    expect(normalizeSignedUri("https://x.fr/?q=%20%26%3D%25")).toBe("https://x.fr/?q=%20%26%3D%25");
  });

  it("a signature over an escaped character still verifies against the URL as received", () => {
    const escapedUrl = "https://api.encaisse.fr/v1/extension/search?q=caf%C3%A9%20%26%20co%3A";
    const headers = signAsHubSpot({
      method: "GET",
      url: escapedUrl,
      clientSecret: secret,
      timestamp: now,
    });
    expect(() =>
      verifySignatureV3(
        {
          method: "GET",
          uri: escapedUrl,
          rawBody: "",
          signature: headers["X-HubSpot-Signature-v3"] ?? null,
          timestamp: String(now),
        },
        secret,
        now,
      ),
    ).not.toThrow();
  });
});
