/**
 * The one interface the backend speaks to an accounting software. Implementations live in
 * `pennylane/` and `sage-active/`; nothing past them sees a provider's own shapes.
 */
import type {
  Customer,
  Invoice,
  InvoiceDraft,
  Payment,
  PaymentTerms,
  Provider,
} from "@encaisse/shared";

export interface ProviderIdentity {
  readonly provider: Provider;
  /** The company (Pennylane) or organization (Sage Active) the credentials act on. */
  readonly companyId: string;
  readonly companyName: string;
  /** SIREN of the company when the provider says it. */
  readonly companySiren: string | null;
  readonly userEmail: string | null;
  readonly scopes: readonly string[];
}

export interface CustomerLookup {
  readonly siren?: string | null;
  readonly vatNumber?: string | null;
  readonly externalReference?: string | null;
}

export interface NewCustomer {
  readonly name: string;
  readonly siren: string | null;
  readonly siret: string | null;
  readonly vatNumber: string | null;
  readonly emails: readonly string[];
  readonly billingAddress: NonNullable<Customer["billingAddress"]>;
  readonly paymentTerms: PaymentTerms | null;
  /** Our stable reference (e.g. `hubspot-company-123`): how a retried create finds its first attempt. */
  readonly externalReference: string;
}

export interface PageRequest {
  readonly cursor?: string | null;
  /** Page size; each provider caps it at its own maximum. */
  readonly limit?: number;
}

export interface Page<T> {
  readonly items: readonly T[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export interface InvoicePage extends Page<Invoice> {
  readonly paymentsIncluded: boolean;
  /** How many invoices the whole listing holds, where the provider counts them (progress). */
  readonly total?: number | null;
}

export type ChangedRecord =
  | { readonly kind: "invoice"; readonly id: string; readonly operation: "upsert" | "delete" }
  | { readonly kind: "customer"; readonly id: string; readonly operation: "upsert" | "delete" };

export interface ChangePage {
  readonly changes: readonly ChangedRecord[];
  /** Where to resume next time; save it once the changes are applied. */
  readonly cursor: string;
  readonly hasMore: boolean;
}

export interface PdfLink {
  readonly url: string;
  /** Provider links expire (Pennylane: 30 minutes): fetch on demand, never store. */
  readonly expiresAt: string;
}

export interface AccountingProvider {
  readonly provider: Provider;

  /** Cheap credential check: who am I, which company. */
  probe(): Promise<ProviderIdentity>;

  findCustomers(lookup: CustomerLookup): Promise<readonly Customer[]>;
  /** Every customer of the book, page by page in a stable order (the sync's backfill). */
  listCustomers(page?: PageRequest): Promise<Page<Customer>>;
  getCustomer(id: string): Promise<Customer>;
  /** Creates the customer, or returns the one already carrying `externalReference`. */
  createCustomer(input: NewCustomer): Promise<Customer>;

  /**
   * A customer's invoices, newest first. Amounts, paid and remaining are exact; `lines` may be
   * empty, and `payments` is filled only where the provider lists them with the invoice
   * (`paymentsIncluded` on the page) — otherwise ask `listInvoicePayments` for the invoices
   * whose paid amount changed.
   */
  listCustomerInvoices(customerId: string, page?: PageRequest): Promise<InvoicePage>;
  /** Every invoice of the book, oldest first, for a backfill; same rules as above. */
  listInvoices(page?: PageRequest): Promise<InvoicePage>;
  listInvoicePayments(invoiceId: string): Promise<readonly Payment[]>;
  /** One invoice with its lines and payments. */
  getInvoice(id: string): Promise<Invoice>;
  /**
   * Several invoices with their lines and payments (the sync's changed invoices), keyed by
   * id; an id the provider no longer has is absent. Cheaper than `getInvoice` one by one
   * where the provider can share work between them.
   */
  getInvoices(ids: readonly string[]): Promise<ReadonlyMap<string, Invoice>>;
  findInvoiceByExternalReference(externalReference: string): Promise<Invoice | null>;
  /**
   * Creates the invoice (draft, or finalized when `draft.finalize`). Never retried blindly:
   * after a failure that may have reached the provider, it looks the invoice up by its
   * external reference before trying again.
   */
  createInvoice(draft: InvoiceDraft): Promise<Invoice>;
  finalizeInvoice(id: string): Promise<Invoice>;

  /** What changed since `cursor` (null: start from now, returning no changes). */
  listChanges(cursor: string | null, options?: { readonly limit?: number }): Promise<ChangePage>;

  getPdfLink(invoiceId: string): Promise<PdfLink>;

  /**
   * Has the accounting software email the (finalized) invoice to the customer's invoicing
   * addresses, with its own template. Absent where the provider offers no such operation.
   * Never retried: a failure may hide a sent email.
   */
  sendInvoiceByEmail?(invoiceId: string): Promise<void>;
}
