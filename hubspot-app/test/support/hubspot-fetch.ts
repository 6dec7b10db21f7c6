/**
 * `hubspot.fetch` as the cards see it in HubSpot: the call goes to the backend with the
 * query parameters HubSpot adds (portalId, userId, userEmail, appId) and the JSON body.
 * Here it is routed to the global `fetch`, where msw answers for the backend.
 */
import { vi } from "vitest";
import { hubspot } from "@hubspot/ui-extensions";

export const CALLER = {
  portalId: "62515",
  userId: "7001",
  userEmail: "rep@example.fr",
  appId: "9001",
};

export interface BackendCall {
  readonly method: string;
  readonly url: URL;
  readonly body: unknown;
}

/** Routes every `hubspot.fetch` to the network; returns the calls, in order. */
export function routeHubSpotFetchToNetwork(): BackendCall[] {
  const calls: BackendCall[] = [];
  vi.spyOn(hubspot, "fetch").mockImplementation(async (input, options = {}) => {
    const url = new URL(String(input));
    for (const [key, value] of Object.entries(CALLER)) url.searchParams.set(key, value);
    const method = options.method ?? "GET";
    calls.push({ method, url, body: options.body });
    return fetch(url, {
      method,
      ...(options.body === undefined
        ? {}
        : { headers: { "content-type": "application/json" }, body: JSON.stringify(options.body) }),
      signal: AbortSignal.timeout(options.timeout ?? 15_000),
    });
  });
  return calls;
}

/** Calls whose path (without the backend origin) starts with `pathPrefix`. */
export function callsTo(calls: readonly BackendCall[], method: string, pathPrefix: string) {
  return calls.filter((call) => call.method === method && call.url.pathname.startsWith(pathPrefix));
}

/** The part of the backend harness the cards need: a caller that signs like HubSpot. */
export interface SignedBackend {
  signedFetch(
    method: string,
    path: string,
    body?: unknown,
    options?: { portalId?: string },
  ): Promise<Response>;
}

let callNumber = 0;

/**
 * Routes every `hubspot.fetch` to the backend's own app (test/backend/harness.ts), signed as
 * HubSpot signs. The backend refuses a signature seen twice, and two calls within one
 * millisecond would share one: each call carries a distinct, ignored parameter, as distinct
 * HubSpot calls carry distinct timestamps.
 */
export function routeHubSpotFetchToBackend(
  backend: SignedBackend,
  options: { portalId?: string } = {},
): BackendCall[] {
  const calls: BackendCall[] = [];
  vi.spyOn(hubspot, "fetch").mockImplementation(async (input, init = {}) => {
    const url = new URL(String(input));
    callNumber += 1;
    url.searchParams.set("cardCall", String(callNumber));
    const method = init.method ?? "GET";
    calls.push({ method, url, body: init.body });
    return backend.signedFetch(method, `${url.pathname}${url.search}`, init.body, options);
  });
  return calls;
}
