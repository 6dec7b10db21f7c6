/** What `npm start` prints once the sandbox is ready: where everything is and what to try. */
import { relative } from "node:path";
import type { ExampleCompany } from "./examples";

export interface BannerInfo {
  readonly readyInMs: number;
  readonly templateBuilt: boolean;
  readonly backendUrl: string;
  readonly emulators: {
    readonly hubspot: string;
    readonly pennylane: string;
    readonly sageActiveApi: string;
    readonly sageActiveAuth: string;
  };
  readonly storeDir: string;
  readonly envFile: string;
  readonly portalId: string;
  readonly book: { readonly companies: number; readonly documents: number; readonly today: string };
  readonly examples: readonly ExampleCompany[];
  readonly demoCompany: ExampleCompany;
  readonly curl: string;
  /** The card request of the curl, as a path: what `encaisse sign` needs to sign it again. */
  readonly cardPath: string;
  /** A one-time code to pair the browser extension with the demo portal. */
  readonly pairingCode?: { readonly code: string; readonly expiresAt: string };
}

export function formatBanner(info: BannerInfo, cwd = process.cwd()): string {
  const seconds = (info.readyInMs / 1000).toFixed(1);
  const firstStart = info.templateBuilt
    ? " (first start with this schema: the database template was built)"
    : "";
  const nameWidth = Math.max(...info.examples.map((example) => example.name.length));
  const envFile = relative(cwd, info.envFile) || info.envFile;
  return [
    "",
    `Encaisse sandbox ready in ${seconds} s${firstStart}`,
    "",
    `  Backend      ${info.backendUrl}   (health: ${info.backendUrl}/health)`,
    `  HubSpot      ${info.emulators.hubspot}   emulated, demo portal ${info.portalId}`,
    `  Pennylane    ${info.emulators.pennylane}   emulated, the demo tenant's accounting (API token)`,
    `  Sage Active  ${info.emulators.sageActiveApi}   emulated, OAuth at ${info.emulators.sageActiveAuth}`,
    `  Database     embedded PGlite in ${relative(cwd, info.storeDir) || info.storeDir} (fresh at every start)`,
    "",
    `Demo tenant: HubSpot portal ${info.portalId}, connected to Pennylane. The book: ${info.book.companies} customers, ${info.book.documents} documents, as of ${info.book.today}.`,
    "",
    "Companies to try (HubSpot company id):",
    ...info.examples.map(
      (example) =>
        `  ${example.hubspotId}  ${example.name.padEnd(nameWidth)}  ${example.note}${example.key === info.demoCompany.key ? "  <- the curl below" : ""}`,
    ),
    "",
    `The card of ${info.demoCompany.name}, requested as HubSpot does (signed v3; valid 5 minutes, for one request):`,
    "",
    info.curl,
    "",
    "Another signed request (any company, contact or deal; sign again for each request):",
    `  npx encaisse sign --env ${envFile} --portal ${info.portalId} --url '${info.cardPath}'`,
    "",
    ...(info.pairingCode
      ? [
          `Browser extension: build it (npm run build -w extension), load extension/build/chrome-mv3-prod unpacked, and pair it with code ${info.pairingCode.code} (once, until ${info.pairingCode.expiresAt.slice(11, 16)} UTC).`,
          "",
        ]
      : []),
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}
