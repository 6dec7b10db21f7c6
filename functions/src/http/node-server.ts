/**
 * Serves a Fetch-API handler over Node's HTTP server, and stops it without cutting answers
 * in flight: new connections are refused, idle keep-alive sockets closed at once, busy ones
 * given a grace period.
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

export type FetchHandler = (request: Request) => Response | Promise<Response>;

export interface ListenOptions {
  /** 0 picks a free port. */
  readonly port: number;
  /** Default: every interface (what a container needs); the sandbox passes 127.0.0.1. */
  readonly hostname?: string;
  /** How long answers in flight may take once stopping (default 5 s). */
  readonly graceMs?: number;
}

export interface RunningHttpServer {
  readonly port: number;
  close(): Promise<void>;
}

export function listen(handler: FetchHandler, options: ListenOptions): Promise<RunningHttpServer> {
  const graceMs = options.graceMs ?? 5_000;
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: (request) => handler(request),
        port: options.port,
        ...(options.hostname ? { hostname: options.hostname } : {}),
      },
      (info: AddressInfo) => {
        server.off("error", reject);
        let closing: Promise<void> | null = null;
        resolve({
          port: info.port,
          close: () => (closing ??= stop(server as Server, graceMs)),
        });
      },
    );
    server.once("error", reject);
  });
}

function stop(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    deadline.unref();
    server.close((error) => {
      clearTimeout(deadline);
      if (error) reject(error);
      else resolve();
    });
    server.closeIdleConnections();
  });
}
