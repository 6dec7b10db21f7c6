/**
 * What a tenant learned from one accounting software: customers, invoices, payments, their
 * freshness, the HubSpot company links to those customers and the sync cursors. Forgotten
 * when the software is disconnected or replaced by another company, so no card shows data
 * from an account that is no longer connected (and a reconnection resyncs from scratch).
 *
 * Dunning steps already taken and the audit log stay: they are our own history, and
 * keeping them means a reconnection never sends the same reminder twice.
 */
import { and, eq } from "drizzle-orm";
import type { Provider } from "@encaisse/shared";
import type { StoreDb } from "../../store";
import {
  customerFreshness,
  customerLinks,
  customers,
  invoices,
  payments,
  syncCursors,
} from "../../store/schema";

export async function forgetProviderData(
  db: StoreDb,
  tenantId: string,
  provider: Provider,
): Promise<void> {
  await db.transaction(async (tx) => {
    for (const table of [
      payments,
      invoices,
      customers,
      customerFreshness,
      customerLinks,
      syncCursors,
    ]) {
      await tx.delete(table).where(and(eq(table.tenantId, tenantId), eq(table.provider, provider)));
    }
  });
}
