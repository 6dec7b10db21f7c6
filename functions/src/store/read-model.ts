/**
 * The read model: our copy of each tenant's customers, invoices and payments, so that a card
 * view answers from the database and costs zero provider calls while the data is fresh.
 *
 * Writes are batched upserts (one statement per batch). An invoice update older than the
 * stored one is ignored, so a slow sync page cannot undo a newer on-demand refresh.
 * Statuses are not stored: they depend on the day, and are derived on read
 * (`deriveInvoiceStatus`) from the facts that are.
 */
import { type SQL, and, asc, count, desc, eq, gt, inArray, lt, lte, sql } from "drizzle-orm";
import {
  type CalendarDate,
  type Customer,
  type Invoice,
  type Payment,
  type PaymentMethod,
  type Provider,
  deriveInvoiceStatus,
  parisDateOf,
} from "@encaisse/shared";
import { type Clock, systemClock } from "../net/clock";
import { chunked, fromExcluded, lastByKey, rowsPerStatement } from "./batch";
import type { StoreDb } from "./open";
import { customerFreshness, customers, invoices, payments } from "./schema";

export interface StoredCustomer extends Customer {
  readonly syncedAt: Date;
}

export interface InvoicePayment extends Payment {
  readonly invoiceId: string;
}

export type InvoiceSort =
  "issueDate" | "dueDate" | "grossCents" | "remainingCents" | "number" | "daysLate";
export type InvoiceFilter = "all" | "unpaid" | "overdue" | "paid";

export interface CustomerInvoicesQuery {
  readonly provider: Provider;
  readonly customerId: string;
  /** 1-based. */
  readonly page?: number;
  readonly pageSize?: number;
  readonly sort?: InvoiceSort;
  readonly order?: "asc" | "desc";
  readonly status?: InvoiceFilter;
  /** The day statuses and lateness are computed for (default: today in Paris). */
  readonly today?: CalendarDate;
}

export interface InvoicePage {
  readonly items: Invoice[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
}

export interface CustomerIdentifiers {
  readonly siren?: string | null;
  readonly siret?: string | null;
  readonly vatNumber?: string | null;
  readonly externalReference?: string | null;
}

type InvoiceRow = typeof invoices.$inferSelect;
type PaymentRow = typeof payments.$inferSelect;
type CustomerRow = typeof customers.$inferSelect;

const CUSTOMER_UPDATES = [
  "kind",
  "name",
  "siren",
  "siret",
  "vatNumber",
  "externalReference",
  "emails",
  "billingAddress",
  "paymentTerms",
  "syncedAt",
] as const;

const INVOICE_UPDATES = [
  "customerId",
  "customerName",
  "number",
  "issueDate",
  "dueDate",
  "currency",
  "netCents",
  "vatCents",
  "grossCents",
  "paidCents",
  "remainingCents",
  "providerStatus",
  "isDraft",
  "isCreditNote",
  "isCancelled",
  "externalReference",
  "webUrl",
  "lines",
  "providerUpdatedAt",
  "syncedAt",
] as const;

/** Not a draft, not cancelled, not a credit note: money may still come in or has come in. */
const isReceivable = and(
  eq(invoices.isDraft, false),
  eq(invoices.isCancelled, false),
  eq(invoices.isCreditNote, false),
);
const isUnpaid = and(isReceivable, gt(invoices.remainingCents, 0));

function daysLateOf(today: CalendarDate): SQL<number> {
  return sql<number>`case when ${isUnpaid} and ${invoices.dueDate} < ${today}::date then ${today}::date - ${invoices.dueDate} else 0 end`;
}

function filterOf(filter: InvoiceFilter, today: CalendarDate): SQL | undefined {
  switch (filter) {
    case "all":
      return undefined;
    case "unpaid":
      return isUnpaid;
    case "overdue":
      return and(isUnpaid, lt(invoices.dueDate, today));
    case "paid":
      return and(isReceivable, lte(invoices.remainingCents, 0));
  }
}

function sortOf(sort: InvoiceSort, today: CalendarDate): SQL {
  switch (sort) {
    case "issueDate":
      return sql`${invoices.issueDate}`;
    case "dueDate":
      return sql`${invoices.dueDate}`;
    case "grossCents":
      return sql`${invoices.grossCents}`;
    case "remainingCents":
      return sql`${invoices.remainingCents}`;
    case "number":
      return sql`${invoices.number}`;
    case "daysLate":
      return daysLateOf(today);
  }
}

function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    date: row.date,
    amountCents: row.amountCents,
    method: row.method as PaymentMethod,
    label: row.label,
  };
}

function toInvoice(row: InvoiceRow, invoicePayments: Payment[], today: CalendarDate): Invoice {
  const { status, daysLate } = deriveInvoiceStatus(row, today);
  return {
    provider: row.provider,
    id: row.id,
    number: row.number,
    customerId: row.customerId,
    customerName: row.customerName,
    issueDate: row.issueDate,
    dueDate: row.dueDate,
    currency: row.currency,
    netCents: row.netCents,
    vatCents: row.vatCents,
    grossCents: row.grossCents,
    paidCents: row.paidCents,
    remainingCents: row.remainingCents,
    status,
    daysLate,
    isDraft: row.isDraft,
    isCreditNote: row.isCreditNote,
    isCancelled: row.isCancelled,
    providerStatus: row.providerStatus,
    lines: row.lines,
    payments: invoicePayments,
    externalReference: row.externalReference,
    webUrl: row.webUrl,
    updatedAt: row.providerUpdatedAt.toISOString(),
  };
}

export function toCustomer(row: CustomerRow): StoredCustomer {
  return {
    provider: row.provider,
    providerId: row.providerId,
    kind: row.kind,
    name: row.name,
    siren: row.siren,
    siret: row.siret,
    vatNumber: row.vatNumber,
    emails: row.emails,
    billingAddress: row.billingAddress,
    paymentTerms: row.paymentTerms,
    externalReference: row.externalReference,
    syncedAt: row.syncedAt,
  };
}

export class ReadModelRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  private today(): CalendarDate {
    return parisDateOf(new Date(this.clock.now()));
  }

  // ---------------------------------------------------------------- customers

  async upsertCustomers(tenantId: string, batch: readonly Customer[]): Promise<void> {
    const syncedAt = new Date(this.clock.now());
    const unique = lastByKey(batch, (c) => `${c.provider}\u0000${c.providerId}`);
    for (const chunk of chunked(unique, rowsPerStatement(13))) {
      await this.db
        .insert(customers)
        .values(
          chunk.map((customer) => ({
            tenantId,
            provider: customer.provider,
            providerId: customer.providerId,
            kind: customer.kind,
            name: customer.name,
            siren: customer.siren,
            siret: customer.siret,
            vatNumber: customer.vatNumber,
            externalReference: customer.externalReference,
            emails: customer.emails,
            billingAddress: customer.billingAddress,
            paymentTerms: customer.paymentTerms,
            syncedAt,
          })),
        )
        .onConflictDoUpdate({
          target: [customers.tenantId, customers.provider, customers.providerId],
          set: fromExcluded(customers, CUSTOMER_UPDATES),
        });
    }
  }

  async getCustomer(
    tenantId: string,
    provider: Provider,
    providerId: string,
  ): Promise<StoredCustomer | null> {
    const [row] = await this.db
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.tenantId, tenantId),
          eq(customers.provider, provider),
          eq(customers.providerId, providerId),
        ),
      );
    return row ? toCustomer(row) : null;
  }

  /** Customers sharing any of the given identifiers: the candidates for a match. */
  async findCustomers(
    tenantId: string,
    provider: Provider,
    identifiers: CustomerIdentifiers,
  ): Promise<StoredCustomer[]> {
    const alternatives = [
      identifiers.siren ? eq(customers.siren, identifiers.siren) : undefined,
      identifiers.siret ? eq(customers.siret, identifiers.siret) : undefined,
      identifiers.vatNumber ? eq(customers.vatNumber, identifiers.vatNumber) : undefined,
      identifiers.externalReference
        ? eq(customers.externalReference, identifiers.externalReference)
        : undefined,
    ].filter((condition) => condition !== undefined);
    if (alternatives.length === 0) return [];
    const rows = await this.db
      .select()
      .from(customers)
      .where(
        and(
          eq(customers.tenantId, tenantId),
          eq(customers.provider, provider),
          sql`(${sql.join(alternatives, sql` or `)})`,
        ),
      )
      .orderBy(asc(customers.providerId))
      .limit(50);
    return rows.map(toCustomer);
  }

  async deleteCustomer(tenantId: string, provider: Provider, providerId: string): Promise<void> {
    await this.db
      .delete(customers)
      .where(
        and(
          eq(customers.tenantId, tenantId),
          eq(customers.provider, provider),
          eq(customers.providerId, providerId),
        ),
      );
  }

  // ---------------------------------------------------------------- invoices and payments

  /** Stores the invoices' facts (their payments go through `upsertPayments`/`replacePayments`). */
  async upsertInvoices(tenantId: string, batch: readonly Invoice[]): Promise<void> {
    const syncedAt = new Date(this.clock.now());
    const unique = lastByKey(batch, (i) => `${i.provider}\u0000${i.id}`);
    for (const chunk of chunked(unique, rowsPerStatement(24))) {
      await this.db
        .insert(invoices)
        .values(
          chunk.map((invoice) => ({
            tenantId,
            provider: invoice.provider,
            id: invoice.id,
            customerId: invoice.customerId,
            customerName: invoice.customerName,
            number: invoice.number,
            issueDate: invoice.issueDate,
            dueDate: invoice.dueDate,
            currency: invoice.currency,
            netCents: invoice.netCents,
            vatCents: invoice.vatCents,
            grossCents: invoice.grossCents,
            paidCents: invoice.paidCents,
            remainingCents: invoice.remainingCents,
            providerStatus: invoice.providerStatus,
            isDraft: invoice.isDraft,
            isCreditNote: invoice.isCreditNote,
            isCancelled: invoice.isCancelled,
            externalReference: invoice.externalReference,
            webUrl: invoice.webUrl,
            lines: invoice.lines,
            providerUpdatedAt: new Date(invoice.updatedAt),
            syncedAt,
          })),
        )
        .onConflictDoUpdate({
          target: [invoices.tenantId, invoices.provider, invoices.id],
          set: fromExcluded(invoices, INVOICE_UPDATES),
          setWhere: sql`${invoices.providerUpdatedAt} <= excluded.provider_updated_at`,
        });
    }
  }

  async upsertPayments(
    tenantId: string,
    provider: Provider,
    batch: readonly InvoicePayment[],
  ): Promise<void> {
    const unique = lastByKey(batch, (p) => `${p.invoiceId}\u0000${p.id}`);
    for (const chunk of chunked(unique, rowsPerStatement(8))) {
      await this.db
        .insert(payments)
        .values(chunk.map((payment) => ({ tenantId, provider, ...payment })))
        .onConflictDoUpdate({
          target: [payments.tenantId, payments.provider, payments.invoiceId, payments.id],
          set: fromExcluded(payments, ["date", "amountCents", "method", "label"]),
        });
    }
  }

  /** Makes `batch` the complete list of payments of `invoiceIds` (a payment can be unmatched). */
  async replacePayments(
    tenantId: string,
    provider: Provider,
    invoiceIds: readonly string[],
    batch: readonly InvoicePayment[],
  ): Promise<void> {
    if (invoiceIds.length === 0) return;
    await this.db.transaction(async (tx) => {
      for (const ids of chunked([...new Set(invoiceIds)], 1000)) {
        await tx
          .delete(payments)
          .where(
            and(
              eq(payments.tenantId, tenantId),
              eq(payments.provider, provider),
              inArray(payments.invoiceId, ids),
            ),
          );
      }
      await new ReadModelRepository(tx, this.clock).upsertPayments(tenantId, provider, batch);
    });
  }

  async deleteInvoice(tenantId: string, provider: Provider, invoiceId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx
        .delete(payments)
        .where(
          and(
            eq(payments.tenantId, tenantId),
            eq(payments.provider, provider),
            eq(payments.invoiceId, invoiceId),
          ),
        );
      await tx
        .delete(invoices)
        .where(
          and(
            eq(invoices.tenantId, tenantId),
            eq(invoices.provider, provider),
            eq(invoices.id, invoiceId),
          ),
        );
    });
  }

  /** One page of a customer's invoices, each with its payments. */
  async listCustomerInvoices(tenantId: string, query: CustomerInvoicesQuery): Promise<InvoicePage> {
    const today = query.today ?? this.today();
    const page = Math.max(1, query.page ?? 1);
    const pageSize = Math.min(100, Math.max(1, query.pageSize ?? 10));
    const where = and(
      eq(invoices.tenantId, tenantId),
      eq(invoices.provider, query.provider),
      eq(invoices.customerId, query.customerId),
      filterOf(query.status ?? "all", today),
    );
    const sortKey = sortOf(query.sort ?? "issueDate", today);
    const direction = query.order === "asc" ? sql`asc` : sql`desc`;
    const [rows, [counted]] = await Promise.all([
      this.db
        .select()
        .from(invoices)
        .where(where)
        .orderBy(sql`${sortKey} ${direction} nulls last`, asc(invoices.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize),
      this.db.select({ total: count() }).from(invoices).where(where),
    ]);
    return {
      items: await this.withPayments(tenantId, query.provider, rows, today),
      page,
      pageSize,
      total: counted?.total ?? 0,
    };
  }

  /** Every invoice of a customer (for its receivables summary), most recent first. */
  async allCustomerInvoices(
    tenantId: string,
    provider: Provider,
    customerId: string,
    today: CalendarDate = this.today(),
  ): Promise<Invoice[]> {
    return this.invoicesWhere(tenantId, provider, eq(invoices.customerId, customerId), today, [
      desc(invoices.issueDate),
      asc(invoices.id),
    ]);
  }

  /** Every invoice of the tenant still owed after its due date (the dunning plan's work), oldest due first. */
  async overdueInvoices(
    tenantId: string,
    provider: Provider,
    today: CalendarDate = this.today(),
  ): Promise<Invoice[]> {
    const overdue = filterOf("overdue", today) ?? sql`false`;
    return this.invoicesWhere(tenantId, provider, overdue, today, [
      asc(invoices.dueDate),
      asc(invoices.id),
    ]);
  }

  async getInvoice(
    tenantId: string,
    provider: Provider,
    invoiceId: string,
    today: CalendarDate = this.today(),
  ): Promise<Invoice | null> {
    return this.oneInvoice(tenantId, provider, eq(invoices.id, invoiceId), today);
  }

  /** How a retried invoice creation finds what its first attempt created. */
  async findInvoiceByExternalReference(
    tenantId: string,
    provider: Provider,
    externalReference: string,
    today: CalendarDate = this.today(),
  ): Promise<Invoice | null> {
    return this.oneInvoice(
      tenantId,
      provider,
      eq(invoices.externalReference, externalReference),
      today,
    );
  }

  async findInvoiceByNumber(
    tenantId: string,
    provider: Provider,
    number: string,
    today: CalendarDate = this.today(),
  ): Promise<Invoice | null> {
    return this.oneInvoice(tenantId, provider, eq(invoices.number, number), today);
  }

  // ---------------------------------------------------------------- freshness

  /** When this customer's invoices last matched the provider; null if never. */
  async freshness(tenantId: string, provider: Provider, customerId: string): Promise<Date | null> {
    const [row] = await this.db
      .select({ syncedAt: customerFreshness.syncedAt })
      .from(customerFreshness)
      .where(
        and(
          eq(customerFreshness.tenantId, tenantId),
          eq(customerFreshness.provider, provider),
          eq(customerFreshness.customerId, customerId),
        ),
      );
    return row?.syncedAt ?? null;
  }

  async markFresh(
    tenantId: string,
    provider: Provider,
    customerId: string,
    syncedAt: Date = new Date(this.clock.now()),
  ): Promise<void> {
    await this.db
      .insert(customerFreshness)
      .values({ tenantId, provider, customerId, syncedAt })
      .onConflictDoUpdate({
        target: [
          customerFreshness.tenantId,
          customerFreshness.provider,
          customerFreshness.customerId,
        ],
        set: { syncedAt },
      });
  }

  // ---------------------------------------------------------------- internals

  /** The tenant's invoices from one provider that match `condition`, with their payments. */
  private async invoicesWhere(
    tenantId: string,
    provider: Provider,
    condition: SQL,
    today: CalendarDate,
    order: readonly SQL[],
  ): Promise<Invoice[]> {
    const rows = await this.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.provider, provider), condition))
      .orderBy(...order);
    return this.withPayments(tenantId, provider, rows, today);
  }

  private async oneInvoice(
    tenantId: string,
    provider: Provider,
    condition: SQL,
    today: CalendarDate,
  ): Promise<Invoice | null> {
    const rows = await this.db
      .select()
      .from(invoices)
      .where(and(eq(invoices.tenantId, tenantId), eq(invoices.provider, provider), condition))
      .orderBy(desc(invoices.providerUpdatedAt), asc(invoices.id))
      .limit(1);
    const [invoice] = await this.withPayments(tenantId, provider, rows, today);
    return invoice ?? null;
  }

  private async withPayments(
    tenantId: string,
    provider: Provider,
    rows: readonly InvoiceRow[],
    today: CalendarDate,
  ): Promise<Invoice[]> {
    const byInvoice = new Map<string, Payment[]>();
    for (const ids of chunked(
      rows.map((row) => row.id),
      1000,
    )) {
      const found = await this.db
        .select()
        .from(payments)
        .where(
          and(
            eq(payments.tenantId, tenantId),
            eq(payments.provider, provider),
            inArray(payments.invoiceId, ids),
          ),
        )
        .orderBy(asc(payments.date), asc(payments.id));
      for (const row of found) {
        const list = byInvoice.get(row.invoiceId) ?? [];
        list.push(toPayment(row));
        byInvoice.set(row.invoiceId, list);
      }
    }
    return rows.map((row) => toInvoice(row, byInvoice.get(row.id) ?? [], today));
  }
}
