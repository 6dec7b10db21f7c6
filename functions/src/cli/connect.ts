/**
 * `encaisse connect pennylane`: connects a tenant with a Pennylane company API token through
 * the same service as the settings page: the token is checked with Pennylane first
 * (GET /me); only a token that works is stored (encrypted) and made the active connection.
 */
import { connectApiTokenRequestSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../backend";
import { connectPennylaneApiToken } from "../services/connections/pennylane-api-token";
import type { EstablishedConnection } from "../services/connections/save-connection";
import { type Command, hubspotIdOption, requiredOption } from "./command";
import { type CliIo, EXIT_OK, UsageError, progress } from "./io";
import { withBackend } from "./open";

export async function connectPennylaneWithToken(
  backend: Backend,
  portalId: string,
  token: string,
  io: CliIo,
): Promise<EstablishedConnection> {
  const tenant = await backend.tenant(portalId);
  progress(
    io,
    `checking the token with Pennylane (GET /me at ${backend.config.PENNYLANE_API_URL})`,
  );
  // No HubSpot user behind an operator's command: the audit entry has no actor.
  return connectPennylaneApiToken(backend, tenant, token, null);
}

export const connectPennylaneCommand: Command = {
  path: ["connect", "pennylane"],
  summary: "connect a tenant to Pennylane with a company API token",
  usage: `Usage: encaisse connect pennylane --portal <id> --token <token>

Checks the token with Pennylane (GET /me), then stores it encrypted and makes Pennylane
the tenant's accounting connection (replacing Sage Active if it was connected). Nothing
is stored when the check fails.

Options:
  --portal <id>    the tenant's HubSpot portal id (see \`encaisse tenants list\`)
  --token <token>  a Pennylane company API token`,
  options: { portal: { type: "string" }, token: { type: "string" } },
  async run(values, io) {
    const portalId = hubspotIdOption(this, values, "portal");
    const token = requiredOption(this, values, "token");
    if (!connectApiTokenRequestSchema.safeParse({ token }).success) {
      throw new UsageError(
        "--token does not look like a Pennylane API token (10 to 512 characters).",
        this.usage,
      );
    }
    const connection = await withBackend(io, (backend) =>
      connectPennylaneWithToken(backend, portalId, token, io),
    );
    io.out(
      `Connected portal ${portalId} to Pennylane company "${connection.companyName}" (id ${connection.accountId}) with an API token.`,
    );
    return EXIT_OK;
  },
};
