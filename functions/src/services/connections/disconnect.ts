/**
 * Disconnecting an accounting software: revoke its tokens where the provider allows it (best
 * effort), delete the credentials, stop using it, and forget what we copied from it.
 */
import type { Provider } from "@encaisse/shared";
import type { Backend } from "../../backend";
import { CONNECTION_DISCONNECTED, CONNECTION_OBJECT_TYPE } from "./connection-records";
import { forgetProviderData } from "./forget-provider-data";
import { loadForRevocation, type RevocationOutcome, revokeBestEffort } from "./revoke";

export interface DisconnectOutcome {
  /** False when there was nothing to disconnect (the call is idempotent). */
  readonly disconnected: boolean;
  readonly revocation: RevocationOutcome | null;
}

export async function disconnectProvider(
  backend: Backend,
  tenantId: string,
  provider: Provider,
  options: { readonly actor: string | null; readonly reason: "user" | "replaced" },
): Promise<DisconnectOutcome> {
  const tenant = await backend.repos.tenants.get(tenantId);
  const secret = await loadForRevocation(backend, tenantId, provider);
  const revocation = secret ? await revokeBestEffort(backend, tenantId, provider, secret) : null;
  const deleted = await backend.repos.credentials.delete(tenantId, provider);
  const wasActive = tenant?.activeProvider === provider;
  if (wasActive) await backend.repos.tenants.setActiveProvider(tenantId, null);
  await forgetProviderData(backend.store.db, tenantId, provider);
  const disconnected = deleted || wasActive;
  if (disconnected) {
    await backend.repos.audit.append(tenantId, {
      actor: options.actor,
      action: CONNECTION_DISCONNECTED,
      objectType: CONNECTION_OBJECT_TYPE,
      objectId: provider,
      details: { provider, reason: options.reason, revocation },
    });
  }
  return { disconnected, revocation };
}
