/**
 * The records behind each connection: how the API shows them (views.ts), and the fields a
 * `where` or an `order` commonly names, read straight off the records so that a query over
 * a whole book builds views only for the page it returns. Every field here answers what
 * the view holds (rows.test.ts checks it on a generated book).
 */
import { type LazyRow, linkedRow, type RowShape, type RowSource } from "./connection";
import {
  type CustomerRecord,
  type EntryLineRecord,
  type EntryPaymentRecord,
  type EntryRecord,
  type InvoiceRecord,
  type OpenItemRecord,
  openItemStatus,
  type OrganizationData,
  type ProductRecord,
} from "./records";
import {
  customerView,
  entryModificationDate,
  entryPaymentView,
  entryView,
  invoiceView,
  openItemView,
  productView,
} from "./views";

export function customerShape(org: OrganizationData): RowShape<CustomerRecord> {
  return {
    view: (customer) => customerView(org, customer),
    fields: {
      id: (customer) => customer.id,
      creationDate: (customer) => customer.creationDate,
      modificationDate: (customer) => customer.modificationDate,
      code: (customer) => customer.code,
      socialName: (customer) => customer.socialName,
      customerType: (customer) => customer.customerType,
      documentId: (customer) => customer.documentId,
      vatNumber: (customer) => customer.vatNumber,
      status: (customer) => (customer.disabled ? "DISABLED" : "ENABLED"),
    },
  };
}

export function invoiceShape(org: OrganizationData): RowShape<InvoiceRecord> {
  const customers = customerShape(org);
  return {
    view: (invoice) => invoiceView(org, invoice),
    fields: {
      id: (invoice) => invoice.id,
      creationDate: (invoice) => invoice.creationDate,
      modificationDate: (invoice) => invoice.modificationDate,
      customerId: (invoice) => invoice.customerId,
      customer: (invoice): LazyRow<CustomerRecord> | null =>
        linkedRow(org.customers.get(invoice.customerId), customers),
      operationalNumber: (invoice) => invoice.operationalNumber,
      documentDate: (invoice) => invoice.documentDate,
      firstDueDate: (invoice) => invoice.firstDueDate,
      status: (invoice) => invoice.status,
      type: (invoice) => invoice.type,
      socialName: (invoice) => invoice.socialName,
      externalReference: (invoice) => invoice.externalReference,
      sourceSalesInvoiceId: (invoice) => invoice.sourceSalesInvoiceId,
    },
  };
}

export function openItemShape(org: OrganizationData): RowShape<OpenItemRecord> {
  const invoices = invoiceShape(org);
  return {
    view: (item) => openItemView(org, item),
    fields: {
      id: (item) => item.id,
      creationDate: (item) => item.creationDate,
      modificationDate: (item) => item.modificationDate,
      dueDate: (item) => item.dueDate,
      status: (item) => openItemStatus(item),
      salesInvoiceId: (item) => item.invoiceId,
      salesInvoice: (item) => linkedRow(org.invoices.get(item.invoiceId), invoices),
    },
  };
}

export function entryShape(org: OrganizationData): RowShape<EntryRecord> {
  const invoices = invoiceShape(org);
  return {
    view: (entry) => entryView(org, entry),
    fields: {
      id: (entry) => entry.id,
      creationDate: (entry) => entry.creationDate,
      modificationDate: entryModificationDate,
      sourceType: (entry) => entry.sourceType,
      date: (entry) => entry.date,
      journalTypeId: (entry) => entry.journalTypeId,
      number: (entry) => entry.number,
      sourceEntityId: (entry) => entry.salesInvoiceId,
      salesInvoice: (entry) =>
        entry.salesInvoiceId === null
          ? null
          : linkedRow(org.invoices.get(entry.salesInvoiceId), invoices),
    },
  };
}

/** A settlement's mark on an entry line: a row of `accountingEntryPayments`. */
export interface EntryPaymentRow {
  readonly entry: EntryRecord;
  readonly line: EntryLineRecord;
  readonly payment: EntryPaymentRecord;
}

export function entryPaymentShape(org: OrganizationData): RowShape<EntryPaymentRow> {
  return {
    view: ({ entry, line, payment }) => entryPaymentView(org, entry, line, payment),
    fields: {
      id: (row) => row.payment.id,
      creationDate: (row) => row.payment.creationDate,
      modificationDate: (row) => row.payment.modificationDate,
      matchId: (row) => row.payment.matchId,
      accountingEntryLineId: (row) => row.line.id,
    },
  };
}

// ---- the sources --------------------------------------------------------------------------

/** The records of these ids in a map keyed by id. */
function inMap<R>(records: ReadonlyMap<string, R>): (ids: ReadonlySet<string>) => R[] {
  return (ids) =>
    [...ids].flatMap((id) => {
      const record = records.get(id);
      return record === undefined ? [] : [record];
    });
}

const own = <R extends { readonly id: string }>(record: R) => record.id;

export function customerRows(org: OrganizationData): RowSource<CustomerRecord> {
  return {
    records: () => org.customers.values(),
    shape: customerShape(org),
    idFields: { id: own },
    find: { id: inMap(org.customers) },
  };
}

export function productRows(org: OrganizationData): RowSource<ProductRecord> {
  return {
    records: () => org.products.values(),
    shape: { view: (product) => productView(org, product) },
    idFields: { id: own },
    find: { id: inMap(org.products) },
  };
}

export function invoiceRows(org: OrganizationData): RowSource<InvoiceRecord> {
  return {
    records: () => org.invoices.values(),
    shape: invoiceShape(org),
    idFields: {
      id: own,
      customerId: (invoice) => invoice.customerId,
      sourceSalesInvoiceId: (invoice) => invoice.sourceSalesInvoiceId,
    },
    links: { customer: (invoice) => invoice.customerId },
    find: { id: inMap(org.invoices) },
  };
}

export function openItemRows(org: OrganizationData): RowSource<OpenItemRecord> {
  // An invoice lists the open items posting gave it.
  const ofInvoices = (ids: ReadonlySet<string>) =>
    inMap(org.invoices)(ids).flatMap((invoice) =>
      inMap(org.openItems)(new Set(invoice.openItemIds)),
    );
  return {
    records: () => org.openItems.values(),
    shape: openItemShape(org),
    idFields: { id: own, salesInvoiceId: (item) => item.invoiceId },
    links: { salesInvoice: (item) => item.invoiceId },
    find: { id: inMap(org.openItems), salesInvoiceId: ofInvoices, salesInvoice: ofInvoices },
  };
}

export function entryRows(org: OrganizationData): RowSource<EntryRecord> {
  // Only posting books an entry for an invoice, and the invoice keeps its id.
  const postingsOf = (ids: ReadonlySet<string>) =>
    inMap(org.invoices)(ids).flatMap((invoice) =>
      invoice.postingEntryId === null ? [] : inMap(org.entries)(new Set([invoice.postingEntryId])),
    );
  return {
    records: () => org.entries.values(),
    shape: entryShape(org),
    idFields: {
      id: own,
      journalTypeId: (entry) => entry.journalTypeId,
      sourceEntityId: (entry) => entry.salesInvoiceId,
    },
    links: { salesInvoice: (entry) => entry.salesInvoiceId },
    find: { id: inMap(org.entries), sourceEntityId: postingsOf, salesInvoice: postingsOf },
  };
}

function paymentRowsOf(entries: Iterable<EntryRecord>): EntryPaymentRow[] {
  const rows: EntryPaymentRow[] = [];
  for (const entry of entries)
    for (const line of entry.lines)
      if (line.payment) rows.push({ entry, line, payment: line.payment });
  return rows;
}

export function entryPaymentRows(org: OrganizationData): RowSource<EntryPaymentRow> {
  /**
   * A line is lettered only with the match of the invoice whose customer lines it is among
   * (sales.ts, refreshMatching), so a match's lines are found from its invoice.
   */
  const ofMatches = (ids: ReadonlySet<string>) => {
    const rows: EntryPaymentRow[] = [];
    for (const invoice of org.invoices.values()) {
      if (invoice.match === null || !ids.has(invoice.match.matchId)) continue;
      for (const reference of invoice.customerLines) {
        const entry = org.entries.get(reference.entryId);
        const line = entry?.lines.find((candidate) => candidate.id === reference.lineId);
        if (entry && line?.payment) rows.push({ entry, line, payment: line.payment });
      }
    }
    return rows;
  };
  return {
    records: () => paymentRowsOf(org.entries.values()),
    shape: entryPaymentShape(org),
    idFields: {
      id: (row) => row.payment.id,
      matchId: (row) => row.payment.matchId,
      accountingEntryLineId: (row) => row.line.id,
    },
    find: { matchId: ofMatches },
    // Entries are numbered as they are booked, lines in their order within the entry.
    inCreationOrder: (found) =>
      [...found].sort((a, b) => a.entry.number - b.entry.number || a.line.order - b.line.order),
  };
}
