/**
 * `AccountingProvider` for the Pennylane Company API v2
 * (https://pennylane.readme.io/reference, spec: ../specs/pennylane/accounting-openapi.json).
 * Each operation lives in its own file; this class wires them to one connection.
 */
import type { Customer, Invoice, InvoiceDraft, Payment } from "@encaisse/shared";
import { type Clock, systemClock } from "../../net/clock";
import type { RateLimiter } from "../../net/rate-limit";
import type { RetryPolicy } from "../../net/retry";
import { type ProviderAuth, ProviderHttp, type ProviderHttpStats } from "../http";
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
import { API_PATH, DEFAULT_PENNYLANE_URL, PennylaneApi } from "./api";
import { listChanges } from "./changelogs";
import { createCustomer } from "./create-customer";
import { createInvoice, finalizeInvoice } from "./create-invoice";
import { CustomerNames, findCustomers, getCustomer, listCustomers } from "./customers";
import { describePennylaneError } from "./errors";
import {
  findInvoiceByExternalReference,
  getInvoice,
  getInvoices,
  getPdfLink,
  listCustomerInvoices,
  listInvoicePayments,
  listInvoices,
} from "./invoices";
import { pennylaneLimiterFor } from "./limiter";
import { probe } from "./me";
import { sendInvoiceByEmail } from "./send-by-email";

export interface PennylaneProviderOptions {
  /** Our id of the connection (tenant + Pennylane company): keys the throttle and create locks. */
  readonly connectionId: string;
  readonly auth: ProviderAuth;
  /** `PENNYLANE_API_URL`; default https://app.pennylane.com (the API is under /api/external/v2). */
  readonly baseUrl?: string;
  /** Shared by every client of the connection; default: this process's limiter for it. */
  readonly limiter?: RateLimiter;
  readonly clock?: Clock;
  readonly timeoutMs?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
}

export class PennylaneProvider implements AccountingProvider {
  readonly provider = "pennylane" as const;
  private readonly http: ProviderHttp;
  private readonly api: PennylaneApi;
  private readonly names = new CustomerNames();
  private readonly connectionKey: string;

  constructor(options: PennylaneProviderOptions) {
    const clock = options.clock ?? systemClock;
    const origin = (options.baseUrl ?? DEFAULT_PENNYLANE_URL).replace(/\/+$/, "");
    this.connectionKey = `pennylane:${options.connectionId}`;
    this.http = new ProviderHttp({
      provider: "pennylane",
      baseUrl: `${origin}${API_PATH}/`,
      auth: options.auth,
      limiter: options.limiter ?? pennylaneLimiterFor(options.connectionId),
      limiterKey: this.connectionKey,
      clock,
      describeError: describePennylaneError,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.api = new PennylaneApi(this.http, clock);
  }

  /** Requests sent, retries and 429s seen by this client. */
  get stats(): Readonly<ProviderHttpStats> {
    return this.http.stats;
  }

  probe(): Promise<ProviderIdentity> {
    return probe(this.api);
  }

  findCustomers(lookup: CustomerLookup): Promise<readonly Customer[]> {
    return findCustomers(this.api, lookup);
  }

  getCustomer(id: string): Promise<Customer> {
    return getCustomer(this.api, id);
  }

  listCustomers(page?: PageRequest): Promise<Page<Customer>> {
    return listCustomers(this.api, this.names, page);
  }

  createCustomer(input: NewCustomer): Promise<Customer> {
    return createCustomer(this.api, input, this.connectionKey);
  }

  listCustomerInvoices(customerId: string, page?: PageRequest): Promise<InvoicePage> {
    return listCustomerInvoices(this.api, this.names, customerId, page);
  }

  listInvoices(page?: PageRequest): Promise<InvoicePage> {
    return listInvoices(this.api, this.names, page);
  }

  listInvoicePayments(invoiceId: string): Promise<readonly Payment[]> {
    return listInvoicePayments(this.api, invoiceId);
  }

  getInvoice(id: string): Promise<Invoice> {
    return getInvoice(this.api, this.names, id);
  }

  getInvoices(ids: readonly string[]): Promise<ReadonlyMap<string, Invoice>> {
    return getInvoices(this.api, this.names, ids);
  }

  findInvoiceByExternalReference(externalReference: string): Promise<Invoice | null> {
    return findInvoiceByExternalReference(this.api, this.names, externalReference);
  }

  createInvoice(draft: InvoiceDraft): Promise<Invoice> {
    return createInvoice(this.api, this.names, draft, this.connectionKey);
  }

  finalizeInvoice(id: string): Promise<Invoice> {
    return finalizeInvoice(this.api, this.names, id);
  }

  listChanges(cursor: string | null, options?: { readonly limit?: number }): Promise<ChangePage> {
    return listChanges(this.api, cursor, options);
  }

  getPdfLink(invoiceId: string): Promise<PdfLink> {
    return getPdfLink(this.api, invoiceId);
  }

  sendInvoiceByEmail(invoiceId: string): Promise<void> {
    return sendInvoiceByEmail(this.api, invoiceId);
  }
}
