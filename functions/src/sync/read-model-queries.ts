/**
 * The few read-model questions only the sync asks, answered for many invoices per statement:
 * what we already hold of a page of invoices, what a finished backfill did not see again,
 * which invoices were created from a deal, which customers share a page of companies'
 * identifiers.
 */
import { type SQL, and, eq, inArray, isNull, like, lt, or, sql } from "drizzle-orm";
import type { Customer, Provider } from "@encaisse/shared";
import type { StoreDb } from "../store";
import { toCustomer } from "../store/read-model";
import { customerLinks, customers, invoices } from "../store/schema";

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

/** What a page of companies is known by, normalized (digits, upper-case VAT numbers). */
export interface StrongIdentifiers {
  readonly sirens: readonly string[];
  readonly vatNumbers: readonly string[];
  readonly externalReferences: readonly string[];
}

/** A VAT number as `normalizeIdentifier` gives it, in SQL: no spaces, dots or dashes. */
const normalizedVatNumber = sql`upper(replace(replace(replace(${customers.vatNumber}, ' ', ''), '.', ''), '-', ''))`;

/**
 * Customers sharing a SIREN (theirs, or their SIRET's, which the providers store as SIREN
 * too), a VAT number or our reference with any of these companies: the candidates
 * `matchCustomer` ranks for each of them.
 */
export async function customersSharingIdentifiers(
  db: StoreDb,
  tenantId: string,
  provider: Provider,
  identifiers: StrongIdentifiers,
): Promise<Customer[]> {
  const alternatives: SQL[] = [];
  if (identifiers.sirens.length > 0)
    alternatives.push(inArray(customers.siren, [...identifiers.sirens]));
  if (identifiers.vatNumbers.length > 0)
    alternatives.push(inArray(normalizedVatNumber, [...identifiers.vatNumbers]));
  if (identifiers.externalReferences.length > 0)
    alternatives.push(inArray(customers.externalReference, [...identifiers.externalReferences]));
  if (alternatives.length === 0) return [];
  const rows = await db
    .select()
    .from(customers)
    .where(
      and(eq(customers.tenantId, tenantId), eq(customers.provider, provider), or(...alternatives)),
    )
    .orderBy(customers.providerId);
  return rows.map(toCustomer);
}

/**
 * Whether any of these customers (all of them when `ids` is null) is linked to no company
 * yet while carrying something a company can be matched on: else there is nothing to find.
 */
export async function anyUnlinkedIdentifiedCustomer(
  db: StoreDb,
  tenantId: string,
  provider: Provider,
  ids: readonly string[] | null,
): Promise<boolean> {
  if (ids !== null && ids.length === 0) return false;
  const rows = await db
    .select({ id: customers.providerId })
    .from(customers)
    .leftJoin(
      customerLinks,
      and(
        eq(customerLinks.tenantId, customers.tenantId),
        eq(customerLinks.provider, customers.provider),
        eq(customerLinks.providerCustomerId, customers.providerId),
      ),
    )
    .where(
      and(
        eq(customers.tenantId, tenantId),
        eq(customers.provider, provider),
        isNull(customerLinks.companyId),
        // Past one statement's worth, asking about every customer is as cheap and as right.
        ids === null || ids.length > IDS_PER_STATEMENT
          ? undefined
          : inArray(customers.providerId, [...ids]),
        or(
          sql`${customers.siren} is not null`,
          sql`${customers.vatNumber} is not null`,
          like(customers.externalReference, "hubspot-company-%"),
        ),
      ),
    )
    .limit(1);
  return rows.length > 0;
}
