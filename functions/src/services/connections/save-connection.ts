/**
 * Recording a working connection, whichever way it was made (API token or OAuth): the
 * encrypted credentials, the provider and account the tenant now works with, and the audit
 * entry the settings page reads back.
 *
 * One accounting software per HubSpot account: connecting Sage Active disconnects
 * Pennylane and the other way round. Connecting the same software to another company
 * forgets what was copied from the previous one, since none of it is true there.
 *
 * A new connection queues a sync at once: with no cursor yet, it is the full backfill whose
 * progress the settings page and `encaisse sync` show.
 */
import type { Provider } from "@encaisse/shared";
import type { Backend } from "../../backend";
import type { CredentialSecret, Tenant } from "../../store";
import { PROVIDERS } from "../../store/schema";
import { CONNECTION_CONNECTED, CONNECTION_OBJECT_TYPE } from "./connection-records";
import { disconnectProvider } from "./disconnect";
import { forgetProviderData } from "./forget-provider-data";

export interface EstablishedConnection {
  readonly provider: Provider;
  readonly secret: CredentialSecret;
  /** Pennylane company id, or Sage Active organization id. */
  readonly accountId: string;
  readonly companyName: string;
}

export async function saveConnection(
  backend: Backend,
  tenant: Tenant,
  connection: EstablishedConnection,
  actor: string | null,
): Promise<void> {
  const { tenantId } = tenant;
  const { provider, accountId } = connection;
  const connectedKinds = new Set(
    (await backend.repos.credentials.list(tenantId)).map((summary) => summary.kind),
  );
  for (const other of PROVIDERS) {
    if (other !== provider && (connectedKinds.has(other) || tenant.activeProvider === other)) {
      await disconnectProvider(backend, tenantId, other, { actor, reason: "replaced" });
    }
  }
  const anotherAccount =
    tenant.activeProvider === provider &&
    tenant.providerAccountId !== null &&
    tenant.providerAccountId !== accountId;
  if (anotherAccount) await forgetProviderData(backend.store.db, tenantId, provider);
  await backend.repos.credentials.save(tenantId, provider, connection.secret);
  await backend.repos.tenants.setActiveProvider(tenantId, provider, accountId);
  await backend.repos.audit.append(tenantId, {
    actor,
    action: CONNECTION_CONNECTED,
    objectType: CONNECTION_OBJECT_TYPE,
    objectId: provider,
    details: {
      provider,
      method: connection.secret.method,
      accountId,
      companyName: connection.companyName,
      replacedAccountId: anotherAccount ? tenant.providerAccountId : null,
    },
  });
  await backend.jobs.enqueue({ kind: "sync", tenantId, reason: "connect" });
}
