/**
 * Serves an emulator over HTTP on 127.0.0.1 (see `../common/server.ts`): the API at /graphql
 * and the OAuth server at /connect/* on the same origin.
 */
import { Hono } from "hono";
import { type EmulatorServerOptions, serveEmulator } from "../common/server";
import type { SageActiveEmulator } from "./emulator";

export interface SageActiveServer {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** `${url}/graphql`, for SAGE_ACTIVE_API_URL. */
  readonly apiUrl: string;
  /** `url`, for SAGE_ACTIVE_AUTH_URL (the routes are /connect/...). */
  readonly authUrl: string;
  close(): Promise<void>;
}

export type SageActiveServerOptions = EmulatorServerOptions;

export async function startSageActiveServer(
  emulator: SageActiveEmulator,
  options: SageActiveServerOptions = {},
): Promise<SageActiveServer> {
  const app = new Hono()
    .all("/graphql", (c) => emulator.handle(c.req.raw))
    .all("/connect/*", (c) => emulator.handleAuth(c.req.raw));
  const server = await serveEmulator(
    { handle: (request) => app.fetch(request), close: () => emulator.faults.releaseHangs() },
    options,
  );
  return { ...server, apiUrl: `${server.url}/graphql`, authUrl: server.url };
}
