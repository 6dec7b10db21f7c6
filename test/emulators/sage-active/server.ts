/**
 * Serves an emulator over HTTP on 127.0.0.1 (the sandbox, and tests that need a real
 * socket): the API at /graphql and the OAuth server at /connect/* on the same origin.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
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

export interface SageActiveServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

export function startSageActiveServer(
  emulator: SageActiveEmulator,
  options: SageActiveServerOptions = {},
): Promise<SageActiveServer> {
  const app = new Hono()
    .all("/graphql", (c) => emulator.handle(c.req.raw))
    .all("/connect/*", (c) => emulator.handleAuth(c.req.raw));
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: app.fetch,
        port: options.port ?? 0,
        hostname: "127.0.0.1",
        overrideGlobalObjects: false,
      },
      (info: AddressInfo) => {
        const url = `http://127.0.0.1:${info.port}`;
        resolve({
          url,
          apiUrl: `${url}/graphql`,
          authUrl: url,
          close: () =>
            new Promise<void>((done, fail) => {
              emulator.faults.releaseHangs();
              server.close((error) => (error ? fail(error) : done()));
              if ("closeAllConnections" in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
