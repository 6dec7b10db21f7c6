/**
 * `AccountingProvider` for Sage Active (Public API V2, GraphQL). One instance per
 * connection (a Sage user's tokens + one organization); the operations live in their own
 * files and this class wires them together.
 *
 * Throttling: Sage publishes 3 000 requests per minute per app and 10 mutations in
 * parallel (reference §2.7). Every instance shares, by default, one limiter keyed per
 * app and organization and one mutation semaphore per organization; a 429 still holds the
 * key for the server's `Retry-After`.
 */
import type { Customer, Invoice, InvoiceDraft, Payment } from "@encaisse/shared";
import { type Clock, systemClock } from "../../net/clock";
import { OAuthSession, type TokenStore } from "../../net/oauth-session";
import { type RateLimiter, Semaphore, SlidingWindowLimiter } from "../../net/rate-limit";
import type { RetryPolicy } from "../../net/retry";
import type {
  AccountingProvider,
  ChangePage,
  CustomerLookup,
  InvoicePage,
  NewCustomer,
  Page,
  PageRequest,
  PdfLink,
  ProviderIdentity,
} from "../provider";
import { SageActiveAuth, sageTokenRefresher } from "./auth";
import { SageChanges } from "./changes";
import {
  SAGE_PARALLEL_MUTATIONS,
  SAGE_REQUESTS_PER_MINUTE,
  type SageActiveAppConfig,
} from "./config";
import { SageCustomers } from "./customers";
import { SageGraphql } from "./graphql";
import { SageInvoices } from "./invoices";
import { SageInvoiceLifecycle } from "./lifecycle";
import { listOrganizations, probeOrganization } from "./organization";
import { fetchInvoicePdf, type InvoicePdf, invoicePdfLink } from "./pdf";
import { type ProductOverrides, SageProducts } from "./products";
import { SageReferenceData } from "./reference-data";
import type { SageOrganization } from "./schemas";

export interface SageActiveConnectionOptions {
  readonly app: SageActiveAppConfig;
  /** This connection's tokens; refreshed tokens are saved before use. */
  readonly tokens: TokenStore;
  readonly clock?: Clock;
  readonly fetch?: typeof fetch;
  /** Defaults to one limiter per process (3 000 requests / minute per app and organization). */
  readonly limiter?: RateLimiter;
  readonly timeoutMs?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly random?: () => number;
}

export interface SageActiveProviderOptions extends SageActiveConnectionOptions {
  /** The organization (X-OrganizationId) this connection works on. */
  readonly organizationId: string;
  /** Defaults to one semaphore of 10 per organization and process. */
  readonly mutationSlots?: Semaphore;
  /** A tenant's own product per VAT code, instead of ours (vat-codes.ts). */
  readonly productIds?: ProductOverrides;
  /** FR e-invoicing fields on created invoices (organizations whose setup is Accepted). */
  readonly eInvoicing?: boolean;
  /** How far back each change poll re-reads (default 5 minutes). */
  readonly changeOverlapMs?: number;
}

let sharedLimiter: SlidingWindowLimiter | null = null;
const sharedMutationSlots = new Map<string, Semaphore>();

function defaultLimiter(): SlidingWindowLimiter {
  sharedLimiter ??= new SlidingWindowLimiter({ limit: SAGE_REQUESTS_PER_MINUTE, windowMs: 60_000 });
  return sharedLimiter;
}

function defaultMutationSlots(organizationId: string): Semaphore {
  const key = organizationId.toLowerCase();
  let slots = sharedMutationSlots.get(key);
  if (!slots) {
    slots = new Semaphore(SAGE_PARALLEL_MUTATIONS);
    sharedMutationSlots.set(key, slots);
  }
  return slots;
}

function transportFor(
  options: SageActiveConnectionOptions,
  organizationId: string | null,
  mutationSlots: Semaphore,
): SageGraphql {
  const clock = options.clock ?? systemClock;
  const transport = { clock, ...(options.fetch ? { fetch: options.fetch } : {}) };
  const session = new OAuthSession(options.tokens, sageTokenRefresher(options.app, transport), {
    clock,
  });
  return new SageGraphql({
    apiUrl: options.app.apiUrl,
    auth: new SageActiveAuth(session, options.app.apiKey),
    limiter: options.limiter ?? defaultLimiter(),
    limiterKey: `sage_active:${options.app.clientId}:${organizationId ?? "user"}`,
    mutationSlots,
    organizationId,
    clock,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
}

/**
 * The organizations a freshly connected user can pick from (before any is chosen), usable
 * or not; see `isUsableOrganization`.
 */
export function listSageOrganizations(
  options: SageActiveConnectionOptions,
): Promise<SageOrganization[]> {
  return listOrganizations(transportFor(options, null, new Semaphore(1)));
}

export class SageActiveProvider implements AccountingProvider {
  readonly provider = "sage_active" as const;
  readonly graphql: SageGraphql;
  private readonly clock: Clock;
  private readonly tokens: TokenStore;
  private readonly referenceData: SageReferenceData;
  private readonly customers: SageCustomers;
  private readonly invoices: SageInvoices;
  private readonly lifecycle: SageInvoiceLifecycle;
  private readonly changes: SageChanges;

  constructor(options: SageActiveProviderOptions) {
    this.clock = options.clock ?? systemClock;
    this.tokens = options.tokens;
    this.graphql = transportFor(
      options,
      options.organizationId,
      options.mutationSlots ?? defaultMutationSlots(options.organizationId),
    );
    this.referenceData = new SageReferenceData(this.graphql);
    this.customers = new SageCustomers(this.graphql, this.clock);
    this.invoices = new SageInvoices(this.graphql, this.referenceData, this.clock);
    const products = new SageProducts(this.graphql, this.referenceData, options.productIds);
    this.lifecycle = new SageInvoiceLifecycle(
      this.graphql,
      this.invoices,
      products,
      this.referenceData,
      this.clock,
      { eInvoicing: options.eInvoicing ?? false },
    );
    this.changes = new SageChanges(this.graphql, this.clock, options.changeOverlapMs);
  }

  probe(): Promise<ProviderIdentity> {
    return probeOrganization(this.graphql, this.referenceData, this.tokens);
  }

  findCustomers(lookup: CustomerLookup): Promise<readonly Customer[]> {
    return this.customers.find(lookup);
  }

  getCustomer(id: string): Promise<Customer> {
    return this.customers.get(id);
  }

  listCustomers(page?: PageRequest): Promise<Page<Customer>> {
    return this.customers.list(page);
  }

  createCustomer(input: NewCustomer): Promise<Customer> {
    return this.customers.create(input);
  }

  listCustomerInvoices(customerId: string, page?: PageRequest): Promise<InvoicePage> {
    return this.invoices.listOfCustomer(customerId, page);
  }

  listInvoices(page?: PageRequest): Promise<InvoicePage> {
    return this.invoices.list(page);
  }

  listInvoicePayments(invoiceId: string): Promise<readonly Payment[]> {
    return this.invoices.paymentsOf(invoiceId);
  }

  getInvoice(id: string): Promise<Invoice> {
    return this.invoices.get(id);
  }

  getInvoices(ids: readonly string[]): Promise<ReadonlyMap<string, Invoice>> {
    return this.invoices.getMany(ids);
  }

  findInvoiceByExternalReference(externalReference: string): Promise<Invoice | null> {
    return this.invoices.findByExternalReference(externalReference);
  }

  createInvoice(draft: InvoiceDraft): Promise<Invoice> {
    return this.lifecycle.create(draft);
  }

  finalizeInvoice(id: string): Promise<Invoice> {
    return this.lifecycle.finalize(id);
  }

  listChanges(cursor: string | null, options?: { readonly limit?: number }): Promise<ChangePage> {
    return this.changes.list(cursor, options);
  }

  getPdfLink(invoiceId: string): Promise<PdfLink> {
    return invoicePdfLink(this.graphql, this.clock, invoiceId);
  }

  /** The PDF's bytes, for a route that streams it (see pdf.ts). */
  getPdf(invoiceId: string): Promise<InvoicePdf> {
    return fetchInvoicePdf(this.graphql, invoiceId);
  }
}
