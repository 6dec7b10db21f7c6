/**
 * `encaisse sync --portal <id>`: one sync of a tenant, in this process, with its progress.
 * The first run reads the whole book (records done / total and the time left are printed as
 * pages land); later runs bring what changed. Stopped with Ctrl-C, it keeps what it did and
 * the next run continues from there.
 */
import { type SyncProgress, type SyncReport, syncTenant } from "../sync/sync-tenant";
import { type Command, hubspotIdOption } from "./command";
import { type CliIo, EXIT_OK } from "./io";
import { withBackend } from "./open";

const PHASES: Readonly<Record<SyncProgress["phase"], string>> = {
  backfill: "invoices read",
  changes: "changes applied",
  hubspot: "companies and deals computed",
};

function formatEta(seconds: number | null): string {
  if (seconds === null) return "time left unknown";
  if (seconds < 60) return `about ${seconds} s left`;
  const minutes = Math.floor(seconds / 60);
  return `about ${minutes} min ${seconds % 60} s left`;
}

export function progressLine(progress: SyncProgress): string {
  const total = progress.total === null ? "?" : String(progress.total);
  return `${PHASES[progress.phase]}: ${progress.done} / ${total}, ${formatEta(progress.etaSeconds)}`;
}

export function reportLines(report: SyncReport): string[] {
  if (report.provider === null) {
    return [`Portal ${report.tenantId} has no accounting connection: nothing to sync.`];
  }
  return [
    `Synced portal ${report.tenantId} from ${report.provider} in ${(report.durationMs / 1000).toFixed(1)} s${report.backfilled ? " (full backfill)" : ""}.`,
    `  customers listed               ${report.customersListed}`,
    `  companies linked (of scanned)  ${report.companiesLinked} (of ${report.companiesScanned})`,
    `  invoices read by the backfill  ${report.backfillInvoices}`,
    `  changes applied                ${report.changesApplied}`,
    `  invoices fetched / deleted     ${report.invoicesFetched} / ${report.invoicesDeleted}`,
    `  payment look-ups               ${report.paymentLookups}`,
    `  companies / deals computed     ${report.companiesComputed} / ${report.dealsComputed}`,
    `  companies / deals written      ${report.companiesWritten} / ${report.dealsWritten}`,
    `  HubSpot batch calls            ${report.hubspotWriteCalls}`,
    ...(report.hubspotFailedIds.length > 0
      ? [`  refused by HubSpot (deleted?)  ${report.hubspotFailedIds.join(", ")}`]
      : []),
  ];
}

async function runSync(portalId: string, io: CliIo): Promise<SyncReport> {
  const stop = new AbortController();
  const interrupt = () => {
    io.err("Stopping after the current page; the next run continues from there.");
    stop.abort();
  };
  process.once("SIGINT", interrupt);
  try {
    return await withBackend(io, (backend) =>
      syncTenant(backend, portalId, {
        signal: stop.signal,
        onProgress: (progress) => io.err(progressLine(progress)),
      }),
    );
  } finally {
    process.off("SIGINT", interrupt);
  }
}

export const syncCommand: Command = {
  path: ["sync"],
  summary: "sync a tenant's accounting data to HubSpot now, with progress",
  usage: `Usage: encaisse sync --portal <id>

Runs one sync of the tenant in this process: on a new connection the whole book
(progress as records done / total and time left), else what changed since the last run;
then the HubSpot properties whose values moved. Ctrl-C stops after the current page and
keeps what was done.

Options:
  --portal <id>  the tenant's HubSpot portal id (see \`encaisse tenants list\`)`,
  options: { portal: { type: "string" } },
  async run(values, io) {
    const portalId = hubspotIdOption(this, values, "portal");
    const report = await runSync(portalId, io);
    for (const line of reportLines(report)) io.out(line);
    return EXIT_OK;
  },
};
