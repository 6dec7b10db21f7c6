/** Serves the emulator over real HTTP on 127.0.0.1 (see `../common/server.ts`). */
import { type EmulatorServer, type EmulatorServerOptions, serveEmulator } from "../common/server";
import type { PennylaneEmulator } from "./emulator";

/** `url` is the origin to use as PENNYLANE_API_URL. */
export type RunningPennylaneServer = EmulatorServer;

export const startPennylaneServer = (
  emulator: PennylaneEmulator,
  options?: EmulatorServerOptions,
): Promise<RunningPennylaneServer> => serveEmulator(emulator, options);
