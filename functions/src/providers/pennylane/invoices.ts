/**
 * Reading customer invoices. Lists carry totals and the remaining amount but neither lines
 * nor payments (`paymentsIncluded: false`); one invoice is read whole with its lines and
 * payments.
 */
import { type Invoice, type Payment, parisDateOf } from "@encaisse/shared";
import type { InvoicePage, PageRequest, PdfLink } from "../provider";
import { ProviderError } from "../errors";
import { type FilterCondition, MAX_PAGE_SIZE, type PennylaneApi, listParams } from "./api";
import type { CustomerNames } from "./customers";
import { type InvoiceExtras, hasCustomer, toInvoice, toLines, toPayments } from "./mapping";
import {
  type PennylaneInvoice,
  invoiceLineSchema,
  invoicePageSchema,
  invoiceSchema,
  paymentSchema,
} from "./schemas";

const INVOICES = "customer_invoices";
/** Pennylane's public file links work for 30 minutes from when the invoice was read. */
const PDF_LINK_TTL_MS = 30 * 60 * 1000;

const invoicePath = (id: string) => `${INVOICES}/${encodeURIComponent(id)}`;

export function todayOf(api: PennylaneApi): string {
  return parisDateOf(new Date(api.clock.now()));
}

async function toInvoices(
  api: PennylaneApi,
  names: CustomerNames,
  invoices: readonly PennylaneInvoice[],
): Promise<Invoice[]> {
  const attached = invoices.filter(hasCustomer);
  await names.load(
    api,
    attached.map((invoice) => invoice.customer.id),
  );
  const today = todayOf(api);
  return attached.map((invoice) =>
    toInvoice(invoice, { customerName: names.nameOf(invoice.customer.id), today }),
  );
}

/** GET /customer_invoices — https://pennylane.readme.io/reference/getcustomerinvoices */
async function listPage(
  api: PennylaneApi,
  names: CustomerNames,
  query: { filter?: readonly FilterCondition[]; sort: string },
  page: PageRequest,
  options: { readonly startsBackfill?: boolean } = {},
): Promise<InvoicePage> {
  const answer = await api.get(
    INVOICES,
    invoicePageSchema,
    listParams({
      ...query,
      cursor: page.cursor ?? null,
      ...(page.limit ? { limit: page.limit } : {}),
    }),
  );
  // A book of more than one full page will name nearly every customer: reading the
  // directory once is cheaper than a lookup per page (customers.ts).
  const largeBook = answer.has_more && answer.items.length >= MAX_PAGE_SIZE;
  if (options.startsBackfill && largeBook) {
    const customerIds = answer.items.filter(hasCustomer).map((invoice) => invoice.customer.id);
    if (!names.knowsAll(customerIds)) await names.loadDirectory(api);
  }
  return {
    items: await toInvoices(api, names, answer.items),
    nextCursor: answer.has_more ? answer.next_cursor : null,
    paymentsIncluded: false,
  };
}

export function listCustomerInvoices(
  api: PennylaneApi,
  names: CustomerNames,
  customerId: string,
  page: PageRequest = {},
): Promise<InvoicePage> {
  const filter: FilterCondition[] = [{ field: "customer_id", operator: "eq", value: customerId }];
  return listPage(api, names, { filter, sort: "-date" }, page);
}

/** Oldest first by id: a stable order for a backfill, even while invoices are added. */
export function listInvoices(
  api: PennylaneApi,
  names: CustomerNames,
  page: PageRequest = {},
): Promise<InvoicePage> {
  return listPage(api, names, { sort: "id" }, page, { startsBackfill: !page.cursor });
}

export async function findInvoiceByExternalReference(
  api: PennylaneApi,
  names: CustomerNames,
  externalReference: string,
): Promise<Invoice | null> {
  const answer = await api.get(
    INVOICES,
    invoicePageSchema,
    listParams({
      filter: [{ field: "external_reference", operator: "eq", value: externalReference }],
      limit: 1,
    }),
  );
  const [invoice] = await toInvoices(api, names, answer.items);
  return invoice ?? null;
}

/** GET /customer_invoices/{id}/payments — https://pennylane.readme.io/reference/getcustomerinvoicepayments */
export async function listInvoicePayments(api: PennylaneApi, id: string): Promise<Payment[]> {
  return toPayments(await api.all(`${invoicePath(id)}/payments`, paymentSchema, { sort: "id" }));
}

/** GET /customer_invoices/{id} — https://pennylane.readme.io/reference/getcustomerinvoice */
export function readInvoice(api: PennylaneApi, id: string): Promise<PennylaneInvoice> {
  return api.get(invoicePath(id), invoiceSchema);
}

/** The invoice with its lines and payments. */
export async function getInvoice(
  api: PennylaneApi,
  names: CustomerNames,
  id: string,
): Promise<Invoice> {
  const [invoice, lines, payments] = await Promise.all([
    readInvoice(api, id),
    // GET /customer_invoices/{id}/invoice_lines — https://pennylane.readme.io/reference/getcustomerinvoiceinvoicelines
    api.all(`${invoicePath(id)}/invoice_lines`, invoiceLineSchema, { sort: "rank" }),
    listInvoicePayments(api, id),
  ]);
  return withCustomerName(api, names, invoice, { lines: toLines(lines), payments });
}

/** Invoices read at once; the throttle still paces their requests. */
const READS_AT_ONCE = 4;

/**
 * Several invoices whole: each read with its lines and payments, then the names of all their
 * customers in one filtered list call per 100 (`GET /customers?filter=id in [...]`), rather
 * than one customer lookup per invoice. Invoices Pennylane no longer has are left out.
 */
export async function getInvoices(
  api: PennylaneApi,
  names: CustomerNames,
  ids: readonly string[],
): Promise<Map<string, Invoice>> {
  const read: { invoice: PennylaneInvoice; extras: Pick<InvoiceExtras, "lines" | "payments"> }[] =
    [];
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += READS_AT_ONCE) {
    const batch = unique.slice(start, start + READS_AT_ONCE);
    const results = await Promise.all(
      batch.map(async (id) => {
        try {
          const [invoice, lines, payments] = await Promise.all([
            readInvoice(api, id),
            api.all(`${invoicePath(id)}/invoice_lines`, invoiceLineSchema, { sort: "rank" }),
            listInvoicePayments(api, id),
          ]);
          return { invoice, extras: { lines: toLines(lines), payments } };
        } catch (error) {
          if (error instanceof ProviderError && error.code === "PROVIDER_NOT_FOUND") return null;
          throw error;
        }
      }),
    );
    for (const result of results) if (result !== null) read.push(result);
  }
  await names.load(
    api,
    read.flatMap(({ invoice }) => (invoice.customer === null ? [] : [invoice.customer.id])),
  );
  const today = todayOf(api);
  return new Map(
    read.map(({ invoice, extras }) => [
      String(invoice.id),
      toInvoice(invoice, {
        ...extras,
        customerName: invoice.customer === null ? "" : names.nameOf(invoice.customer.id),
        today,
      }),
    ]),
  );
}

export async function withCustomerName(
  api: PennylaneApi,
  names: CustomerNames,
  invoice: PennylaneInvoice,
  extras: Pick<InvoiceExtras, "lines" | "payments"> = {},
): Promise<Invoice> {
  if (invoice.customer !== null) await names.load(api, [invoice.customer.id]);
  return toInvoice(invoice, {
    ...extras,
    customerName: invoice.customer === null ? "" : names.nameOf(invoice.customer.id),
    today: todayOf(api),
  });
}

/** A fresh `public_file_url`: Pennylane signs one per read and it expires after 30 minutes. */
export async function getPdfLink(api: PennylaneApi, id: string): Promise<PdfLink> {
  const readAt = api.clock.now();
  const invoice = await readInvoice(api, id);
  const url = invoice.public_file_url?.trim();
  if (!url) {
    throw new ProviderError(
      "PROVIDER_NOT_FOUND",
      "Pennylane has no PDF for this invoice yet (drafts get one once finalized).",
      { provider: "pennylane", details: { invoiceId: id } },
    );
  }
  return { url, expiresAt: new Date(readAt + PDF_LINK_TTL_MS).toISOString() };
}
