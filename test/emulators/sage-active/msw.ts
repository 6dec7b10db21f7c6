/**
 * msw handlers routing Sage Active's real hosts to an emulator, so a client configured with
 * the production URLs runs unchanged in tests.
 */
import { http, type HttpHandler } from "msw";
import type { SageActiveEmulator } from "./emulator";

export const SAGE_ACTIVE_API_URL = "https://api.fr.active.sage.com/graphql";
export const SAGE_ACTIVE_AUTH_URL = "https://sbcauth.sage.fr";

export interface SageActiveMswOptions {
  readonly apiUrl?: string;
  readonly authUrl?: string;
}

/** The same request on the emulator's own path, keeping origin, query, headers, body and signal. */
async function onPath(request: Request, pathname: string): Promise<Request> {
  const url = new URL(request.url);
  url.pathname = pathname;
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return new Request(url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : null,
    signal: request.signal,
    redirect: "manual",
  });
}

export function sageActiveMswHandlers(
  emulator: SageActiveEmulator,
  options: SageActiveMswOptions = {},
): HttpHandler[] {
  const apiUrl = options.apiUrl ?? SAGE_ACTIVE_API_URL;
  const authBase = (options.authUrl ?? SAGE_ACTIVE_AUTH_URL).replace(/\/+$/, "");
  const authPrefix = new URL(authBase).pathname.replace(/\/+$/, "");
  return [
    http.all(apiUrl, async ({ request }) => emulator.handle(await onPath(request, "/graphql"))),
    http.all(`${authBase}/connect/*`, async ({ request }) => {
      const pathname = new URL(request.url).pathname.slice(authPrefix.length);
      return emulator.handleAuth(await onPath(request, pathname));
    }),
  ];
}
