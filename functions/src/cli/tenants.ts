/** `encaisse tenants list`: every installed HubSpot account and its accounting connection. */
import type { Backend } from "../backend";
import type { Command } from "./command";
import { EXIT_OK } from "./io";
import { withBackend } from "./open";

export interface TenantRow {
  readonly portalId: string;
  readonly installedAt: string;
  readonly provider: string | null;
  readonly providerAccountId: string | null;
  /** A credential of the active provider is stored. */
  readonly connected: boolean;
  readonly method: string | null;
}

export async function listTenants(backend: Backend): Promise<TenantRow[]> {
  const tenants = await backend.repos.tenants.listInstalled();
  return Promise.all(
    tenants.map(async (tenant) => {
      const stored = await backend.repos.credentials.list(tenant.tenantId);
      const credential = stored.find((summary) => summary.kind === tenant.activeProvider);
      return {
        portalId: tenant.tenantId,
        installedAt: tenant.installedAt.toISOString(),
        provider: tenant.activeProvider,
        providerAccountId: tenant.providerAccountId,
        connected: credential !== undefined,
        method: credential?.method ?? null,
      };
    }),
  );
}

export const tenantsListCommand: Command = {
  path: ["tenants", "list"],
  summary: "installed HubSpot accounts and their accounting connection",
  usage: `Usage: encaisse tenants list [--json]

One line per installed HubSpot account (portal): when it installed Encaisse, the
accounting software it uses and whether that connection holds credentials.

Options:
  --json  one JSON array on stdout, for scripts`,
  options: { json: { type: "boolean" } },
  async run(values, io) {
    const rows = await withBackend(io, listTenants);
    if (values.json === true) {
      io.out(JSON.stringify(rows, null, 2));
      return EXIT_OK;
    }
    if (rows.length === 0) {
      io.out("No tenant installed yet.");
      return EXIT_OK;
    }
    const table = [
      ["PORTAL", "INSTALLED AT", "PROVIDER", "CONNECTED"],
      ...rows.map((row) => [
        row.portalId,
        row.installedAt.replace("T", " ").slice(0, 16) + " UTC",
        row.provider ?? "-",
        row.connected ? `yes (${row.method === "api_token" ? "API token" : "OAuth"})` : "no",
      ]),
    ];
    const widths = table[0]?.map((_, column) =>
      Math.max(...table.map((cells) => cells[column]?.length ?? 0)),
    );
    for (const cells of table) {
      io.out(
        cells
          .map((cell, column) => cell.padEnd(widths?.[column] ?? 0))
          .join("  ")
          .trimEnd(),
      );
    }
    return EXIT_OK;
  },
};
