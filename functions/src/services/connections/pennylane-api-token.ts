/**
 * Connecting Pennylane with a company API token: ask Pennylane who the token acts for
 * (`GET /me`) before keeping anything, so a mistyped or under-scoped token is refused with a
 * message the user can act on and leaves no trace.
 */
import { DomainError } from "@encaisse/shared";
import type { Backend } from "../../backend";
import {
  PENNYLANE_SCOPES,
  PennylaneProvider,
  ProviderError,
  createPennylaneLimiter,
  pennylaneApiTokenAuth,
} from "../../providers";
import type { Tenant } from "../../store";
import { type EstablishedConnection, saveConnection } from "./save-connection";

/** A refused token in words the user can act on; anything else (Pennylane down…) as it was. */
function tokenRefusal(error: unknown): unknown {
  if (!(error instanceof ProviderError) || error.code !== "PROVIDER_AUTH_FAILED") return error;
  return error.httpStatus === 403
    ? new DomainError(
        "PROVIDER_SCOPES_MISSING",
        "This Pennylane API token may not read the company; create a token with the permissions Encaisse lists and paste it again.",
        { provider: "pennylane", required: PENNYLANE_SCOPES },
      )
    : new DomainError(
        "PROVIDER_TOKEN_INVALID",
        "Pennylane does not accept this API token; check that it was copied whole and has not been revoked.",
        { provider: "pennylane" },
      );
}

export async function connectPennylaneApiToken(
  backend: Backend,
  tenant: Tenant,
  token: string,
  actor: string | null,
): Promise<EstablishedConnection> {
  const pennylane = new PennylaneProvider({
    connectionId: `${tenant.tenantId}:pennylane:connecting`,
    baseUrl: backend.config.PENNYLANE_API_URL,
    auth: pennylaneApiTokenAuth(token),
    limiter: createPennylaneLimiter(backend.clock),
    clock: backend.clock,
  });
  const identity = await pennylane.probe().catch((error: unknown) => {
    throw tokenRefusal(error);
  });
  // Pennylane lists the token's scopes in /me; an empty list means it did not say.
  const missing =
    identity.scopes.length === 0
      ? []
      : PENNYLANE_SCOPES.filter((scope) => !identity.scopes.includes(scope));
  if (missing.length > 0) {
    throw new DomainError(
      "PROVIDER_SCOPES_MISSING",
      `This Pennylane API token lacks permissions Encaisse needs: ${missing.join(", ")}. Create a token with them and paste it again.`,
      { provider: "pennylane", missing },
    );
  }
  const connection: EstablishedConnection = {
    provider: "pennylane",
    secret: { method: "api_token", token },
    accountId: identity.companyId,
    companyName: identity.companyName,
  };
  await saveConnection(backend, tenant, connection, actor);
  return connection;
}
