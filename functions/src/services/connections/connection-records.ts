/**
 * When each connection was made, and to which company: read back from the audit log's
 * `connection.connected` entries, the one record of that event (credential rows change on
 * every token refresh, so their dates say nothing about when the user connected).
 */
import { and, desc, eq } from "drizzle-orm";
import { type Provider, providerSchema } from "@encaisse/shared";
import { z } from "zod";
import type { Backend } from "../../backend";
import { auditLog } from "../../store/schema";

export const CONNECTION_CONNECTED = "connection.connected";
export const CONNECTION_DISCONNECTED = "connection.disconnected";
export const CONNECTION_OBJECT_TYPE = "connection";

export interface ConnectionRecord {
  readonly provider: Provider;
  readonly connectedAt: Date;
  readonly companyName: string | null;
  readonly accountId: string | null;
}

const detailsSchema = z.object({
  companyName: z.string().nullable().catch(null),
  accountId: z.string().nullable().catch(null),
});

/** The latest connection of `provider` for the tenant, or null if it was never connected. */
export async function lastConnectionRecord(
  backend: Backend,
  tenantId: string,
  provider: Provider,
): Promise<ConnectionRecord | null> {
  const [row] = await backend.store.db
    .select({ at: auditLog.at, details: auditLog.details })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.tenantId, tenantId),
        eq(auditLog.action, CONNECTION_CONNECTED),
        eq(auditLog.objectType, CONNECTION_OBJECT_TYPE),
        eq(auditLog.objectId, providerSchema.parse(provider)),
      ),
    )
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1);
  if (!row) return null;
  const details = detailsSchema.safeParse(row.details);
  return {
    provider,
    connectedAt: row.at,
    companyName: details.success ? details.data.companyName : null,
    accountId: details.success ? details.data.accountId : null,
  };
}
