/**
 * Serves the emulator over real HTTP on 127.0.0.1, for the sandbox (`npm start`) and for
 * tests that exercise sockets, timeouts and aborts end to end.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { PennylaneEmulator } from "./emulator";

export interface RunningPennylaneServer {
  /** Origin to use as PENNYLANE_API_URL, e.g. http://127.0.0.1:54321. */
  readonly url: string;
  close(): Promise<void>;
}

export function startPennylaneServer(
  emulator: PennylaneEmulator,
  options: { port?: number } = {},
): Promise<RunningPennylaneServer> {
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
