/**
 * The sync benchmark's other side, in its own process: the seeded book loaded into HubSpot
 * and one accounting emulator, served over HTTP on 127.0.0.1. Kept out of the measured
 * process so that its peak memory is the sync's own (the book and the emulators' state
 * weigh several hundred MiB).
 *
 * Usage: `tsx test/bench/sync-emulators.ts <pennylane|sage_active> <companies> <invoices>
 * <portal id> <Pennylane API token>`.
 * Prints one JSON line `{ "ready": … }` (addresses, tokens), then answers JSON-line requests
 * read from stdin (`{ id, op: "traffic" | "reset" | "pay", … }`) with `{ id, result }`; exits
 * when stdin closes.
 */
import readline from "node:readline";
import { HubSpotEmulator, startHubSpotServer } from "../emulators/hubspot";
import { PennylaneEmulator, startPennylaneServer } from "../emulators/pennylane";
import { SageActiveEmulator, startSageActiveServer } from "../emulators/sage-active";
import { generateBook } from "../fixtures/generate";

export interface EmulatorsReady {
  readonly hubspotUrl: string;
  readonly pennylaneUrl: string;
  readonly sageApiUrl: string;
  readonly sageAuthUrl: string;
  readonly hubspotTokens: {
    readonly accessToken: string;
    readonly refreshToken: string;
    readonly expiresAt: number;
    readonly scope: string;
  };
  readonly sageTokens: {
    readonly accessToken: string;
    readonly refreshToken: string;
    readonly expiresAt: number;
    readonly scope: string;
  } | null;
  readonly organizationId: string | null;
  readonly companies: number;
  /** Resident memory of this process once everything is loaded. */
  readonly rssBytes: number;
}

export interface EmulatorTraffic {
  readonly provider: number;
  readonly providerRateLimited: number;
  readonly providerByEndpoint: Readonly<Record<string, number>>;
  readonly hubspot: number;
  readonly hubspotByEndpoint: Readonly<Record<string, number>>;
  readonly hubspotRecordsWritten: number;
  readonly hubspotRateLimited: number;
}

export type EmulatorQuery =
  | { readonly op: "traffic" }
  | { readonly op: "reset" }
  | {
      readonly op: "pay";
      readonly invoiceId: string;
      readonly label: string;
      readonly date: string;
      readonly amountCents: number;
    };

export type EmulatorRequest = EmulatorQuery & { readonly id: number };

async function main(): Promise<void> {
  const [provider, companies, invoices, portal, pennylaneToken] = process.argv.slice(2);
  if (
    (provider !== "pennylane" && provider !== "sage_active") ||
    portal === undefined ||
    pennylaneToken === undefined
  ) {
    throw new Error(
      "Usage: sync-emulators.ts <pennylane|sage_active> <companies> <invoices> <portal> <token>",
    );
  }
  const portalId = Number(portal);
  const book = generateBook({ companies: Number(companies), invoices: Number(invoices) });
  const hubspot = new HubSpotEmulator();
  const installed = hubspot.installApp(portalId);
  hubspot.loadBook(portalId, book);
  const pennylane = new PennylaneEmulator();
  const sage = new SageActiveEmulator({ seed: 7 });
  let organizationId: string | null = null;
  let sageTokens: EmulatorsReady["sageTokens"] = null;
  if (provider === "pennylane") {
    pennylane.addApiToken(pennylaneToken);
    pennylane.loadBook(book);
  } else {
    organizationId = sage.loadBook(book).organizationId;
    const issued = sage.issueTokens();
    sageTokens = {
      accessToken: issued.access_token,
      refreshToken: issued.refresh_token ?? "",
      expiresAt: Date.now() + issued.expires_in * 1000,
      scope: issued.scope,
    };
  }
  const hubspotServer = await startHubSpotServer(hubspot);
  const pennylaneServer = await startPennylaneServer(pennylane);
  const sageServer = await startSageActiveServer(sage);

  const ready: EmulatorsReady = {
    hubspotUrl: hubspotServer.url,
    pennylaneUrl: pennylaneServer.url,
    sageApiUrl: sageServer.apiUrl,
    sageAuthUrl: sageServer.authUrl,
    hubspotTokens: {
      accessToken: installed.accessToken,
      refreshToken: installed.refreshToken,
      expiresAt: installed.expiresAt.getTime(),
      scope: installed.scopes.join(" "),
    },
    sageTokens,
    organizationId,
    companies: book.companies.length,
    rssBytes: process.memoryUsage().rss,
  };
  process.stdout.write(`${JSON.stringify({ ready })}\n`);

  const answer = (request: EmulatorRequest): unknown => {
    switch (request.op) {
      case "traffic": {
        const h = hubspot.stats;
        const p =
          provider === "pennylane"
            ? {
                calls: pennylane.stats.totalRequests,
                limited: pennylane.stats.rateLimited,
                byEndpoint: pennylane.stats.byEndpoint,
              }
            : {
                calls: sage.stats.requests,
                limited: sage.stats.rateLimited,
                byEndpoint: sage.stats.byOperation,
              };
        const traffic: EmulatorTraffic = {
          provider: p.calls,
          providerRateLimited: p.limited,
          providerByEndpoint: { ...p.byEndpoint },
          hubspot: h.totalRequests,
          hubspotByEndpoint: { ...h.byEndpoint },
          hubspotRecordsWritten: h.recordsWrittenInBatches,
          hubspotRateLimited: h.rateLimited,
        };
        return traffic;
      }
      case "reset":
        hubspot.resetStats();
        pennylane.resetStats();
        sage.resetStats();
        return null;
      case "pay":
        if (provider === "pennylane") {
          pennylane.recordPayment(Number(request.invoiceId), {
            date: request.date,
            amountCents: request.amountCents,
            label: request.label,
          });
        } else {
          sage.recordPayment(request.invoiceId, {
            date: request.date,
            amountCents: request.amountCents,
          });
        }
        return null;
    }
  };

  const lines = readline.createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    const request = JSON.parse(line) as EmulatorRequest;
    process.stdout.write(`${JSON.stringify({ id: request.id, result: answer(request) })}\n`);
  });
  lines.on("close", () => {
    void Promise.all([hubspotServer.close(), pennylaneServer.close(), sageServer.close()]).then(
      () => process.exit(0),
    );
  });
}

// Only when run as the entry script: the benchmark imports this file for its types.
if (process.argv[1]?.endsWith("sync-emulators.ts")) {
  main().catch((error: unknown) => {
    console.error("The emulator process crashed:", error);
    process.exit(1);
  });
}
