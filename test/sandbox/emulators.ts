/**
 * HubSpot, Pennylane and Sage Active as real HTTP servers on 127.0.0.1, seeded with the same
 * book: the demo portal's CRM in HubSpot, its ledger in Pennylane (the demo tenant's
 * connection) and in Sage Active (to connect from the settings page).
 *
 * The servers start empty, so the backend can be configured with their URLs and open its
 * database while they are seeded; nothing calls them before seeding is done.
 */
import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import type { Book } from "../fixtures/book";
import {
  HubSpotEmulator,
  type InstalledApp,
  type LoadedBook as LoadedCrm,
  SANDBOX_PORTAL_ID,
  startHubSpotServer,
} from "../emulators/hubspot";
import { PennylaneEmulator, startPennylaneServer } from "../emulators/pennylane";
import { SageActiveEmulator, startSageActiveServer } from "../emulators/sage-active";

/** The demo company's Pennylane API token (a sandbox value, like everything here). */
export const SANDBOX_PENNYLANE_TOKEN = "sandbox-pennylane-company-token";
/** A Pennylane OAuth app, so "Connect with Pennylane" works from the settings page too. */
export const SANDBOX_PENNYLANE_APP = {
  clientId: "encaisse-sandbox",
  clientSecret: "encaisse-sandbox-pennylane-secret",
} as const;

export interface SandboxEmulators {
  readonly portalId: number;
  readonly hubspot: { readonly emulator: HubSpotEmulator; readonly url: string };
  readonly pennylane: { readonly emulator: PennylaneEmulator; readonly url: string };
  readonly sageActive: {
    readonly emulator: SageActiveEmulator;
    readonly url: string;
    readonly apiUrl: string;
    readonly authUrl: string;
  };
  close(): Promise<void>;
}

export interface SeededEmulators {
  /** The demo portal's install: tokens and the installing user. */
  readonly install: InstalledApp;
  readonly crm: LoadedCrm;
}

export async function startEmulators(): Promise<SandboxEmulators> {
  // The emulators' clocks are the real one: the sandbox runs in real time.
  const hubspot = new HubSpotEmulator({ rateLimitNow: Date.now });
  const pennylane = new PennylaneEmulator({ rateLimitNow: Date.now });
  // A fixed id seed: the same organization and ids at every start.
  const sage = new SageActiveEmulator({ rateLimitNow: Date.now, seed: 7 });
  const started = await Promise.allSettled([
    startHubSpotServer(hubspot),
    startPennylaneServer(pennylane),
    startSageActiveServer(sage),
  ]);
  const servers = started.flatMap((result) =>
    result.status === "fulfilled" ? [result.value] : [],
  );
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
  const [hubspotServer, pennylaneServer, sageServer] = started;
  if (
    hubspotServer?.status !== "fulfilled" ||
    pennylaneServer?.status !== "fulfilled" ||
    sageServer?.status !== "fulfilled"
  ) {
    await close();
    const failure = started.find((result) => result.status === "rejected");
    throw failure?.reason ?? new Error("An emulator did not start.");
  }
  return {
    portalId: SANDBOX_PORTAL_ID,
    hubspot: { emulator: hubspot, url: hubspotServer.value.url },
    pennylane: { emulator: pennylane, url: pennylaneServer.value.url },
    sageActive: {
      emulator: sage,
      url: sageServer.value.url,
      apiUrl: sageServer.value.apiUrl,
      authUrl: sageServer.value.authUrl,
    },
    close,
  };
}

/** Seeds each emulator in turn, letting other work (the database opening) run in between. */
export async function seedEmulators(
  emulators: SandboxEmulators,
  book: Book,
): Promise<SeededEmulators> {
  const hubspot = emulators.hubspot.emulator;
  const install = hubspot.installApp(emulators.portalId);
  const crm = hubspot.loadBook(emulators.portalId, book);
  await yieldToEventLoop();

  const pennylane = emulators.pennylane.emulator;
  pennylane.addApiToken(SANDBOX_PENNYLANE_TOKEN);
  pennylane.registerOAuthClient(SANDBOX_PENNYLANE_APP);
  pennylane.loadBook(book);
  await yieldToEventLoop();

  emulators.sageActive.emulator.loadBook(book);
  return { install, crm };
}
