/**
 * Serves an emulator over real HTTP on 127.0.0.1, for the sandbox (`npm start`) and for tests
 * that exercise sockets, timeouts and aborts end to end.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** What a server needs from an emulator. */
export interface ServedEmulator {
  handle(request: Request): Response | Promise<Response>;
  /** Lets go of requests still hanging on an injected timeout, so the server can close. */
  close(): void;
}

export interface EmulatorServerOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
}

export interface EmulatorServer {
  /** The origin, e.g. http://127.0.0.1:54321. */
  readonly url: string;
  close(): Promise<void>;
}

export function serveEmulator(
  emulator: ServedEmulator,
  options: EmulatorServerOptions = {},
): Promise<EmulatorServer> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: (request) => emulator.handle(request),
        port: options.port ?? 0,
        hostname: "127.0.0.1",
        // The process under test keeps its own Request and Response.
        overrideGlobalObjects: false,
      },
      (info: AddressInfo) => {
        resolve({
          url: `http://127.0.0.1:${info.port}`,
          close: () =>
            new Promise<void>((done, fail) => {
              emulator.close();
              server.close((error) => (error ? fail(error) : done()));
              if ("closeAllConnections" in server) server.closeAllConnections();
            }),
        });
      },
    );
    server.once("error", reject);
  });
}
