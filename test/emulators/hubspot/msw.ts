/**
 * msw handlers that route every request to HubSpot's API origin (and the authorize page on the
 * app origin) into the emulator, so a client under test — `@hubspot/api-client` included, it
 * uses node-fetch — talks to it through its real HTTP code path.
 */
import { http } from "msw";
import type { HubSpotEmulator } from "./emulator";

export const HUBSPOT_API_URL = "https://api.hubapi.com";
export const HUBSPOT_APP_URL = "https://app.hubspot.com";

export interface HubSpotMswOptions {
  readonly apiUrl?: string;
  readonly appUrl?: string;
  /** Sees every exchange, e.g. to validate it against the official contract. */
  readonly onExchange?: (request: Request, response: Response) => void | Promise<void>;
}

export function hubspotMswHandlers(emulator: HubSpotEmulator, options: HubSpotMswOptions = {}) {
  const forward = async ({ request }: { request: Request }) => {
    const copy = options.onExchange === undefined ? null : request.clone();
    const response = await emulator.handle(request);
    if (copy !== null) await options.onExchange?.(copy, response.clone());
    return response;
  };
  const apiOrigin = (options.apiUrl ?? HUBSPOT_API_URL).replace(/\/+$/, "");
  const appOrigin = (options.appUrl ?? HUBSPOT_APP_URL).replace(/\/+$/, "");
  return [http.all(`${apiOrigin}/*`, forward), http.get(`${appOrigin}/oauth/authorize`, forward)];
}
