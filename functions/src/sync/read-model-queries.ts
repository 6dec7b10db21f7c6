/**
 * The few read-model questions only the sync asks, answered for many invoices per statement:
 * what we already hold of a page of invoices, what a finished backfill did not see again,
 * which invoices were created from a deal.
 */
import { and, eq, inArray, like, lt } from "drizzle-orm";
import type { Provider } from "@encaisse/shared";
import type { StoreDb } from "../store";
import { invoices } from "../store/schema";

export interface KnownInvoice {
  readonly id: string;
  readonly customerId: string;
  readonly paidCents: number;
  readonly externalReference: string | null;
}

const IDS_PER_STATEMENT = 1000;

export async function knownInvoices(
  db: StoreDb,
  tenantId: string,
  provider: Provider,
  ids: readonly string[],
): Promise<Map<string, KnownInvoice>> {
  const known = new Map<string, KnownInvoice>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += IDS_PER_STATEMENT) {
    const rows = await db
      .select({
        id: invoices.id,
        customerId: invoices.customerId,
        paidCents: invoices.paidCents,
        externalReference: invoices.externalReference,
      })
      .from(invoices)
      .where(
        and(
          eq(invoices.tenantId, tenantId),
          eq(invoices.provider, provider),
          inArray(invoices.id, unique.slice(start, start + IDS_PER_STATEMENT)),
        ),
      );
    for (const row of rows) known.set(row.id, row);
  }
  return known;
}

/** Invoices no listing has confirmed since `since`: gone from the provider after a full pass. */
export async function invoicesNotSeenSince(
  db: StoreDb,
  tenantId: string,
  provider: Provider,
  since: Date,
): Promise<KnownInvoice[]> {
  return db
    .select({
      id: invoices.id,
      customerId: invoices.customerId,
      paidCents: invoices.paidCents,
      externalReference: invoices.externalReference,
    })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        eq(invoices.provider, provider),
        lt(invoices.syncedAt, since),
      ),
    );
}

/** The ids of the deals whose invoice (created from the deal) the read model holds. */
export async function dealsWithInvoices(
  db: StoreDb,
  tenantId: string,
  provider: Provider,
): Promise<string[]> {
  const rows = await db
    .select({ externalReference: invoices.externalReference })
    .from(invoices)
    .where(
      and(
        eq(invoices.tenantId, tenantId),
        eq(invoices.provider, provider),
        like(invoices.externalReference, "hubspot-deal-%"),
      ),
    );
  const ids = rows
    .map((row) => /^hubspot-deal-(\d{1,20})$/.exec(row.externalReference ?? "")?.[1])
    .filter((id): id is string => id !== undefined);
  return [...new Set(ids)];
}
