/**
 * HubSpot request signature v3, for `hubspot.fetch` calls from cards and for webhooks.
 * https://developers.hubspot.com/docs/apps/legacy-apps/authentication/validating-requests
 *
 *   source   = method + uri + rawBody + timestamp
 *   expected = base64(HMAC-SHA256(clientSecret, source))
 *
 * The uri is the exact URL HubSpot called, with only a handful of percent-escapes decoded.
 * Unlike HubSpot's own helper we compare in constant time and never trust a stale timestamp.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { DomainError } from "@encaisse/shared";

export const SIGNATURE_MAX_AGE_MS = 5 * 60 * 1000;

const DECODED_ESCAPES: Readonly<Record<string, string>> = {
  "%3A": ":",
  "%2F": "/",
  "%3F": "?",
  "%40": "@",
  "%21": "!",
  "%24": "$",
  "%27": "'",
  "%28": "(",
  "%29": ")",
  "%2A": "*",
  "%2C": ",",
  "%3B": ";",
};

/** Decodes only the escapes HubSpot decodes before signing; every other %XX stays as sent. */
export function normalizeSignedUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (escape) => DECODED_ESCAPES[escape.toUpperCase()] ?? escape,
  );
}

export function signatureV3(input: {
  method: string;
  uri: string;
  rawBody: string;
  timestamp: string;
  clientSecret: string;
}): string {
  const source = `${input.method.toUpperCase()}${normalizeSignedUri(input.uri)}${input.rawBody}${input.timestamp}`;
  return createHmac("sha256", input.clientSecret).update(source, "utf8").digest("base64");
}

export interface SignedRequest {
  readonly method: string;
  /** The full URL HubSpot called: scheme, host, path and query, as received. */
  readonly uri: string;
  readonly rawBody: string;
  readonly signature: string | null;
  readonly timestamp: string | null;
}

/**
 * Throws SIGNATURE_INVALID or SIGNATURE_EXPIRED; returns the signature's fingerprint, which
 * the caller records to refuse replays within the validity window.
 */
export function verifySignatureV3(
  request: SignedRequest,
  clientSecret: string,
  now: number,
  maxAgeMs = SIGNATURE_MAX_AGE_MS,
): string {
  if (!request.signature || !request.timestamp) {
    throw new DomainError("SIGNATURE_INVALID", "This request is not signed by HubSpot.");
  }
  if (!/^\d{10,16}$/.test(request.timestamp)) {
    throw new DomainError("SIGNATURE_INVALID", "The request timestamp is not a valid time.");
  }
  const age = now - Number(request.timestamp);
  if (age > maxAgeMs || age < -maxAgeMs) {
    throw new DomainError(
      "SIGNATURE_EXPIRED",
      "The request signature is older than 5 minutes; reload the page and try again.",
    );
  }
  const expected = Buffer.from(
    signatureV3({ ...request, timestamp: request.timestamp, clientSecret }),
    "utf8",
  );
  const received = Buffer.from(request.signature, "utf8");
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    throw new DomainError("SIGNATURE_INVALID", "The request signature does not match.");
  }
  return createHash("sha256").update(request.signature).digest("hex");
}

/** Signs a request as HubSpot would: for tests, the sandbox's ready-to-paste curl, local dev. */
export function signAsHubSpot(input: {
  method: string;
  url: string;
  body?: string;
  clientSecret: string;
  timestamp?: number;
}): Record<string, string> {
  const timestamp = String(input.timestamp ?? Date.now());
  return {
    "X-HubSpot-Signature-v3": signatureV3({
      method: input.method,
      uri: input.url,
      rawBody: input.body ?? "",
      timestamp,
      clientSecret: input.clientSecret,
    }),
    "X-HubSpot-Request-Timestamp": timestamp,
  };
}
