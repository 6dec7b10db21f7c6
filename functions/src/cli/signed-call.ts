/**
 * A request exactly as `hubspot.fetch` sends it from a card: HubSpot's query parameters
 * added, then signed v3 over the final URL and raw body. For local development, the
 * sandbox's ready-to-paste curl and `encaisse sign`; never used to authenticate anything.
 */
import { signAsHubSpot } from "../hubspot/signature";

export interface HubSpotCall {
  readonly method: string;
  /** Absolute URL of the backend endpoint, with the endpoint's own query parameters. */
  readonly url: string;
  readonly body?: string;
  readonly portalId: string;
  readonly userId?: string;
  readonly userEmail?: string;
  readonly appId?: string;
  readonly clientSecret: string;
  readonly timestamp?: number;
}

export interface SignedCall {
  readonly method: string;
  readonly url: string;
  readonly body: string | null;
  readonly headers: Readonly<Record<string, string>>;
}

export function signHubSpotCall(call: HubSpotCall): SignedCall {
  const method = call.method.toUpperCase();
  const url = new URL(call.url);
  url.searchParams.set("portalId", call.portalId);
  if (call.userId) url.searchParams.set("userId", call.userId);
  if (call.userEmail) url.searchParams.set("userEmail", call.userEmail);
  if (call.appId) url.searchParams.set("appId", call.appId);
  const body = call.body ?? null;
  const signature = signAsHubSpot({
    method,
    url: url.toString(),
    ...(body === null ? {} : { body }),
    clientSecret: call.clientSecret,
    ...(call.timestamp === undefined ? {} : { timestamp: call.timestamp }),
  });
  return {
    method,
    url: url.toString(),
    body,
    headers: body === null ? signature : { ...signature, "Content-Type": "application/json" },
  };
}

/** A curl command line that replays the call byte for byte (the body is sent raw). */
export function curlCommand(call: SignedCall): string {
  const parts = ["curl", "-sS"];
  if (call.method !== "GET") parts.push("-X", call.method);
  parts.push(shellQuote(call.url));
  for (const [name, value] of Object.entries(call.headers)) {
    parts.push("-H", shellQuote(`${name}: ${value}`));
  }
  if (call.body !== null) parts.push("--data-raw", shellQuote(call.body));
  return parts.join(" ");
}

export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
