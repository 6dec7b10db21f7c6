/**
 * Serves the emulator over real HTTP on 127.0.0.1 (see `../common/server.ts`). The same origin
 * serves the API and the authorize page, so HUBSPOT_API_URL and HUBSPOT_APP_URL both point at it.
 */
import { type EmulatorServer, type EmulatorServerOptions, serveEmulator } from "../common/server";
import type { HubSpotEmulator } from "./emulator";

/** `url` is the origin to use as HUBSPOT_API_URL (and HUBSPOT_APP_URL). */
export type RunningHubSpotServer = EmulatorServer;

export const startHubSpotServer = (
  emulator: HubSpotEmulator,
  options?: EmulatorServerOptions,
): Promise<RunningHubSpotServer> => serveEmulator(emulator, options);
