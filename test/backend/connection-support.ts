/**
 * Helpers for the settings, connection and OAuth tests: rows a sync would have copied from a
 * provider (to see what a disconnect or an uninstall forgets), the raw credential column (to
 * see that no secret is stored in clear), and the OAuth redirects followed by hand.
 */
import { and, count, eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Provider } from "@encaisse/shared";
import { errorBodySchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../functions/src/backend";
import type { CredentialKind } from "../../functions/src/store";
import {
  credentials,
  customerFreshness,
  customerLinks,
  customers,
  invoices,
  payments,
  syncCursors,
} from "../../functions/src/store/schema";

const COMPANY_IDS: Record<Provider, string> = { pennylane: "9001", sage_active: "9002" };

/** One customer with one part-paid invoice, its freshness, link and sync cursor. */
export async function seedProviderRows(
  backend: Backend,
  tenantId: string,
  provider: Provider,
): Promise<void> {
  const { db } = backend.store;
  const now = new Date();
  const customerId = `${provider}-customer-1`;
  const invoiceId = `${provider}-invoice-1`;
  await db.insert(customers).values({
    tenantId,
    provider,
    providerId: customerId,
    kind: "company",
    name: "Menuiserie Durand SARL",
    siren: "732829320",
    emails: ["compta@menuiserie-durand.fr"],
    syncedAt: now,
  });
  await db.insert(invoices).values({
    tenantId,
    provider,
    id: invoiceId,
    customerId,
    customerName: "Menuiserie Durand SARL",
    number: "F-2026-0001",
    issueDate: "2026-01-05",
    dueDate: "2026-02-04",
    currency: "EUR",
    netCents: 100_000,
    vatCents: 20_000,
    grossCents: 120_000,
    paidCents: 20_000,
    remainingCents: 100_000,
    providerStatus: "partially_paid",
    isDraft: false,
    isCreditNote: false,
    isCancelled: false,
    lines: [],
    providerUpdatedAt: now,
    syncedAt: now,
  });
  await db.insert(payments).values({
    tenantId,
    provider,
    invoiceId,
    id: `${provider}-payment-1`,
    date: "2026-01-20",
    amountCents: 20_000,
    method: "transfer",
  });
  await db.insert(customerFreshness).values({ tenantId, provider, customerId, syncedAt: now });
  await backend.repos.customerLinks.link(tenantId, {
    companyId: COMPANY_IDS[provider],
    provider,
    providerCustomerId: customerId,
    matchedBy: "siren",
    confidence: 100,
    linkedBy: "7001",
  });
  await backend.repos.cursors.save(tenantId, provider, "invoices", { cursor: "page-2" });
}

/** How many rows of each provider-copied table the tenant has for `provider`. */
export async function providerRowCounts(
  backend: Backend,
  tenantId: string,
  provider: Provider,
): Promise<Record<string, number>> {
  const { db } = backend.store;
  const tables = {
    customers,
    invoices,
    payments,
    customerFreshness,
    customerLinks,
    syncCursors,
  } as const;
  const entries = await Promise.all(
    Object.entries(tables).map(async ([name, table]) => {
      const [row] = await db
        .select({ rows: count() })
        .from(table)
        .where(and(eq(table.tenantId, tenantId), eq(table.provider, provider)));
      return [name, row?.rows ?? 0] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export const NO_PROVIDER_ROWS = {
  customers: 0,
  invoices: 0,
  payments: 0,
  customerFreshness: 0,
  customerLinks: 0,
  syncCursors: 0,
};

export const ONE_OF_EACH_PROVIDER_ROW = {
  customers: 1,
  invoices: 1,
  payments: 1,
  customerFreshness: 1,
  customerLinks: 1,
  syncCursors: 1,
};

/** The credential column exactly as stored, or null. */
export async function rawCiphertext(
  backend: Backend,
  tenantId: string,
  kind: CredentialKind,
): Promise<string | null> {
  const [row] = await backend.store.db
    .select({ ciphertext: credentials.ciphertext })
    .from(credentials)
    .where(and(eq(credentials.tenantId, tenantId), eq(credentials.kind, kind)));
  return row?.ciphertext ?? null;
}

/** The `Location` of a redirect, asserting it is one. */
export function locationOf(response: Response): URL {
  expect([301, 302, 303, 307]).toContain(response.status);
  const location = response.headers.get("location");
  expect(location).not.toBeNull();
  return new URL(location ?? "");
}

/** The error code of a JSON error answer, checked against the contract. */
export async function errorCodeOf(response: Response): Promise<string> {
  return errorBodySchema.parse(await response.json()).error.code;
}
