/**
 * Reading sales invoices (reference §4.2, §5): by id, by our external reference, a
 * customer's (newest first) and the whole book (oldest first). Lists select the open items
 * inline (paid, remaining, due dates) and fetch the payments of the page's paid invoices in
 * two more queries, so every page comes with its payments (`paymentsIncluded: true`);
 * lines come with single invoices only, to keep list queries light.
 * https://developer.sage.com/sageactive/resources/salesinvoices
 */
import type { Invoice, Payment } from "@encaisse/shared";
import type { Clock } from "../../net/clock";
import { ProviderError } from "../errors";
import type { InvoicePage, PageRequest } from "../provider";
import type { SageGraphql } from "./graphql";
import { needsGroupRates, receivableOf, toInvoice } from "./mapping";
import { nextCursorOf, pageSize } from "./pagination";
import { paymentsOfInvoices } from "./payments";
import {
  SALES_INVOICES,
  SALES_INVOICES_BY_EXTERNAL_REFERENCE,
  SALES_INVOICES_OF_CUSTOMER,
  SALES_INVOICE_BY_ID,
} from "./queries";
import type { SageReferenceData } from "./reference-data";
import { SAGE_INVOICE_REFERENCE_MAX_LENGTH, toSageReference } from "./references";
import { invoicePageDataSchema, invoicesDataSchema, type SageInvoice } from "./schemas";

/** Invoices read at once; the throttle still paces their requests. */
const READS_AT_ONCE = 4;

export class SageInvoices {
  constructor(
    private readonly graphql: SageGraphql,
    private readonly referenceData: SageReferenceData,
    private readonly clock: Clock,
  ) {}

  /** The raw Sage invoice, with lines; null when it does not exist. */
  async rawById(id: string): Promise<SageInvoice | null> {
    const data = await this.graphql.run(SALES_INVOICE_BY_ID, { id }, invoicesDataSchema);
    return data.salesInvoices.nodes[0] ?? null;
  }

  /** The invoice filed under a reference already in Sage's form (references.ts). */
  async rawByExternalReference(sageReference: string): Promise<SageInvoice | null> {
    const data = await this.graphql.run(
      SALES_INVOICES_BY_EXTERNAL_REFERENCE,
      { externalReference: sageReference },
      invoicesDataSchema,
    );
    // Sage compares strings without case; ours are upper case, so compare exactly here.
    return (
      data.salesInvoices.nodes.find((node) => node.externalReference === sageReference) ?? null
    );
  }

  async get(id: string): Promise<Invoice> {
    const invoice = await this.rawById(id);
    if (!invoice) {
      throw new ProviderError(
        "PROVIDER_NOT_FOUND",
        "This invoice no longer exists in Sage Active.",
        {
          provider: "sage_active",
          details: { invoiceId: id },
        },
      );
    }
    return this.normalize(invoice);
  }

  /** Several invoices by id, four at a time; those Sage no longer has are left out. */
  async getMany(ids: readonly string[]): Promise<Map<string, Invoice>> {
    const found = new Map<string, Invoice>();
    const unique = [...new Set(ids)];
    for (let start = 0; start < unique.length; start += READS_AT_ONCE) {
      const batch = unique.slice(start, start + READS_AT_ONCE);
      const raw = await Promise.all(batch.map((id) => this.rawById(id)));
      const present = raw.filter((invoice): invoice is SageInvoice => invoice !== null);
      for (const invoice of await this.normalizeAll(present)) found.set(invoice.id, invoice);
    }
    return found;
  }

  async findByExternalReference(externalReference: string): Promise<Invoice | null> {
    let sageReference: string;
    try {
      sageReference = toSageReference(externalReference, SAGE_INVOICE_REFERENCE_MAX_LENGTH);
    } catch {
      return null; // Sage cannot hold it, so no invoice carries it.
    }
    const invoice = await this.rawByExternalReference(sageReference);
    return invoice ? this.normalize(invoice) : null;
  }

  async paymentsOf(invoiceId: string): Promise<readonly Payment[]> {
    return (
      (await paymentsOfInvoices(this.graphql, this.referenceData, [invoiceId])).get(invoiceId) ?? []
    );
  }

  listOfCustomer(customerId: string, page: PageRequest = {}): Promise<InvoicePage> {
    return this.page(SALES_INVOICES_OF_CUSTOMER, { customerId }, page);
  }

  list(page: PageRequest = {}): Promise<InvoicePage> {
    return this.page(SALES_INVOICES, {}, page);
  }

  /** One Sage invoice in the normalized model, with its payments. */
  async normalize(invoice: SageInvoice): Promise<Invoice> {
    const [normalized] = await this.normalizeAll([invoice]);
    if (!normalized) throw new Error("unreachable: one invoice in, one out");
    return normalized;
  }

  private async page(
    document: string,
    variables: Record<string, unknown>,
    request: PageRequest,
  ): Promise<InvoicePage> {
    const after = request.cursor ?? null;
    const data = await this.graphql.run(
      document,
      { ...variables, first: pageSize(request.limit), after },
      invoicePageDataSchema,
    );
    const { nodes, pageInfo, totalCount } = data.salesInvoices;
    return {
      items: await this.normalizeAll(nodes),
      nextCursor: nextCursorOf(pageInfo, after),
      paymentsIncluded: true,
      total: totalCount ?? null,
    };
  }

  private async normalizeAll(invoices: readonly SageInvoice[]): Promise<Invoice[]> {
    const paid = invoices.filter((invoice) => receivableOf(invoice).paidCents !== 0);
    const [currency, groupRates, payments] = await Promise.all([
      this.referenceData.currency(),
      invoices.some(needsGroupRates) ? this.referenceData.groupRates() : new Map<string, number>(),
      paid.length > 0
        ? paymentsOfInvoices(
            this.graphql,
            this.referenceData,
            paid.map((invoice) => invoice.id),
          )
        : new Map<string, Payment[]>(),
    ]);
    const context = { currency, groupRates, now: new Date(this.clock.now()) };
    return invoices.map((invoice) => toInvoice(invoice, payments.get(invoice.id) ?? [], context));
  }
}
