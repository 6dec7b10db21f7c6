/**
 * Serves the emulator over real HTTP on 127.0.0.1, for the sandbox (`npm start`) and for
 * tests that exercise sockets, timeouts and aborts end to end. The same origin serves the API
 * and the authorize page, so HUBSPOT_API_URL and HUBSPOT_APP_URL both point at it.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { HubSpotEmulator } from "./emulator";

export interface RunningHubSpotServer {
  /** Origin to use as HUBSPOT_API_URL (and HUBSPOT_APP_URL), e.g. http://127.0.0.1:54321. */
  readonly url: string;
  close(): Promise<void>;
}

export function startHubSpotServer(
  emulator: HubSpotEmulator,
  options: { port?: number } = {},
): Promise<RunningHubSpotServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: (request) => emulator.handle(request),
        port: options.port ?? 0,
        hostname: "127.0.0.1",
      },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              emulator.close();
              if ("closeAllConnections" in server) server.closeAllConnections();
              server.close((error) => (error ? fail(error) : done()));
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
