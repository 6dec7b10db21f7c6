/**
 * Webhook deliveries as HubSpot sends them to an app, for backend tests: a JSON array of
 * `object.propertyChange` events on `dealstage`, signed with signature v3
 * (base64 HMAC-SHA256, keyed with the app's client secret, over method + URI + body +
 * timestamp) in `X-HubSpot-Signature-v3` and `X-HubSpot-Request-Timestamp` (ms). HubSpot
 * delivers at least once and in no particular order: a delivery can carry duplicates, come
 * newest first, or be sent again later (`redeliver`, with a higher `attemptNumber`).
 */
import { createHmac } from "node:crypto";

export interface DealStageChange {
  readonly dealId: string;
  readonly dealstage: string;
  /** When the stage changed, ms (defaults to now). */
  readonly occurredAt?: number;
}

export interface DealStageEvent {
  readonly eventId: number;
  readonly subscriptionId: number;
  readonly portalId: number;
  readonly appId: number;
  readonly occurredAt: number;
  readonly eventType: "object.propertyChange";
  readonly subscriptionType: "object.propertyChange";
  readonly objectTypeId: "0-3";
  readonly attemptNumber: number;
  readonly objectId: number;
  readonly propertyName: "dealstage";
  readonly propertyValue: string;
  readonly changeSource: string;
  readonly sourceId: string;
}

export interface WebhookDeliveryOptions {
  /** The app's webhook target, exactly as HubSpot calls it (the signature covers it). */
  readonly targetUrl: string;
  readonly portalId: number;
  readonly changes: readonly DealStageChange[];
  /** Every event twice in the same delivery (same eventId), as at-least-once delivery allows. */
  readonly duplicate?: boolean;
  /** Newest change first. */
  readonly reorder?: boolean;
  readonly attemptNumber?: number;
  /** The signing timestamp, ms (defaults to now); an old one tests the 5-minute rule. */
  readonly timestampMs?: number;
  readonly changeSource?: string;
}

export interface WebhookDelivery {
  readonly url: string;
  readonly method: "POST";
  readonly headers: Readonly<Record<string, string>>;
  /** The raw body, byte for byte what was signed. */
  readonly body: string;
  readonly events: readonly DealStageEvent[];
  toRequest(): Request;
}

/** HubSpot decodes these escapes (and only these) in the URI before signing it. */
const SIGNED_URI_ESCAPES: Readonly<Record<string, string>> = {
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

/** Signature v3 over the method, the URI (those escapes decoded), the raw body and the timestamp. */
export function signatureV3(
  clientSecret: string,
  method: string,
  uri: string,
  body: string,
  timestamp: string,
): string {
  const signedUri = uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (escape) => SIGNED_URI_ESCAPES[escape.toUpperCase()] ?? escape,
  );
  return createHmac("sha256", clientSecret)
    .update(`${method}${signedUri}${body}${timestamp}`, "utf8")
    .digest("base64");
}

export function signedDelivery(
  app: { readonly clientSecret: string },
  targetUrl: string,
  events: readonly DealStageEvent[],
  timestampMs: number,
): WebhookDelivery {
  const body = JSON.stringify(events);
  const timestamp = String(timestampMs);
  const headers = {
    "Content-Type": "application/json",
    "X-HubSpot-Signature-v3": signatureV3(app.clientSecret, "POST", targetUrl, body, timestamp),
    "X-HubSpot-Request-Timestamp": timestamp,
    "User-Agent": "HubSpot Connect 2.0 (http://dev.hubspot.com/)",
  };
  return {
    url: targetUrl,
    method: "POST",
    headers,
    body,
    events,
    toRequest: () => new Request(targetUrl, { method: "POST", headers, body }),
  };
}

export function dealStageEvents(
  options: WebhookDeliveryOptions,
  context: {
    readonly appId: number;
    readonly subscriptionId: number;
    readonly nextEventId: () => number;
    readonly nowMs: number;
  },
): DealStageEvent[] {
  const events = options.changes.map((change): DealStageEvent => ({
    eventId: context.nextEventId(),
    subscriptionId: context.subscriptionId,
    portalId: options.portalId,
    appId: context.appId,
    occurredAt: change.occurredAt ?? context.nowMs,
    eventType: "object.propertyChange",
    subscriptionType: "object.propertyChange",
    objectTypeId: "0-3",
    attemptNumber: options.attemptNumber ?? 0,
    objectId: Number(change.dealId),
    propertyName: "dealstage",
    propertyValue: change.dealstage,
    changeSource: options.changeSource ?? "CRM_UI",
    sourceId: "userId:1",
  }));
  const ordered =
    options.reorder === true
      ? [...events].sort((a, b) => b.occurredAt - a.occurredAt || b.eventId - a.eventId)
      : events;
  return options.duplicate === true ? ordered.flatMap((event) => [event, event]) : ordered;
}
