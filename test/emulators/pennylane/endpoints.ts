/**
 * Every API endpoint the emulator serves, in one table: method, spec path, the scopes the
 * official spec lists for it (any one suffices), and the handler. The request pipeline
 * around them (limits, faults, authentication) is in `routes.ts`.
 */
import {
  CUSTOMER_FILTERS,
  CUSTOMER_INVOICE_FILTERS,
  PRODUCT_FILTERS,
  type FilterTable,
  matchesFilter,
  parseFilter,
  type RowValue,
} from "./filters";
import type { ChangelogResource } from "./changelog";
import type { PennylaneFaults } from "./faults";
import type { PennylaneLedger } from "./ledger";
import type { OAuthServer } from "./oauth";
import { type Page, paginate, parseLimit, parseSort } from "./pagination";
import type { PublicFileSigner } from "./public-files";
import type { PennylaneStats, SlidingWindowRateLimiter } from "./rate-limit";
import type { CustomerRecord, InvoiceRecord, ProductRecord } from "./records";
import {
  renderCustomer,
  renderInvoice,
  renderInvoiceLine,
  renderMatchedTransaction,
  renderPayment,
  renderProduct,
  renderTemplate,
} from "./render";
import {
  companyCustomerCreateSchema,
  companyCustomerUpdateSchema,
  linkCreditNoteSchema,
  parseBody,
  parseInvoiceCreate,
  parseInvoiceUpdate,
  sendByEmailSchema,
} from "./request-bodies";
import type { Grant, TokenStore } from "./tokens";

export interface CompanyProfile {
  readonly company: { readonly id: number; readonly name: string; readonly reg_no: string };
  readonly user: {
    readonly id: number;
    readonly first_name: string;
    readonly last_name: string;
    readonly email: string;
    readonly locale: "fr" | "en" | "de";
  } | null;
}

/** What the routes need from the emulator. */
export interface PennylaneRuntime {
  readonly ledger: PennylaneLedger;
  readonly tokens: TokenStore;
  readonly limiter: SlidingWindowRateLimiter;
  readonly stats: PennylaneStats;
  readonly faults: PennylaneFaults;
  readonly publicFiles: PublicFileSigner;
  readonly oauth: OAuthServer;
  readonly profile: CompanyProfile;
  readonly nowMs: () => number;
}

export interface ApiCall {
  readonly request: Request;
  readonly origin: string;
  readonly query: URLSearchParams;
  readonly grant: Grant;
  /** An integer path parameter (400 when it is not one). */
  id(name: string): number;
  body(): Promise<unknown>;
}

type Method = "GET" | "POST" | "PUT" | "DELETE";

export interface ApiRoute {
  readonly method: Method;
  /** Spec-style path relative to /api/external/v2, e.g. "/customer_invoices/{id}". */
  readonly path: string;
  /** Any one of these scopes grants access; empty means any valid token. */
  readonly scopes: readonly string[];
  readonly handle: (call: ApiCall, runtime: PennylaneRuntime) => Response | Promise<Response>;
}

const CUSTOMERS_READ = ["customers:all", "customers:readonly"];
const CUSTOMERS_WRITE = ["customers:all"];
const INVOICES_READ = ["customer_invoices:all", "customer_invoices:readonly"];
const INVOICES_WRITE = ["customer_invoices:all"];
const PRODUCTS_READ = ["products:all", "products:readonly"];
const TEMPLATES_READ = ["customer_invoice_templates:readonly"];

const json = (body: unknown, status = 200) => Response.json(body, { status });
const noContent = () => new Response(null, { status: 204 });

function listOf<T>(
  call: ApiCall,
  rows: readonly T[],
  options: {
    readonly filters?: FilterTable;
    readonly fieldValue?: (row: T, field: string) => RowValue;
    readonly sortable: readonly string[];
    readonly idOf: (row: T) => number;
    readonly keyOf?: (row: T, field: string) => number | string;
  },
): Page<T> {
  const { query } = call;
  const conditions =
    options.filters === undefined
      ? []
      : parseFilter(query.get("filter") ?? undefined, options.filters);
  const fieldValue = options.fieldValue;
  const matching =
    conditions.length === 0 || fieldValue === undefined
      ? rows
      : rows.filter((row) => matchesFilter(conditions, (field) => fieldValue(row, field)));
  return paginate(matching, {
    cursor: query.get("cursor") ?? undefined,
    limit: parseLimit(query.get("limit") ?? undefined),
    order: parseSort(query.get("sort") ?? undefined, options.sortable),
    idOf: options.idOf,
    keyOf: options.keyOf ?? ((row) => options.idOf(row)),
  });
}

const mapPage = <T, U>(page: Page<T>, render: (row: T) => U): Page<U> => ({
  ...page,
  items: page.items.map(render),
});

function customerValue(customer: CustomerRecord, field: string): RowValue {
  switch (field) {
    case "id":
      return customer.id;
    case "customer_type":
      return customer.kind;
    case "ledger_account_id":
      return customer.ledgerAccountId;
    case "name":
      return customer.name;
    case "external_reference":
      return customer.externalReference;
    case "reg_no":
      return customer.kind === "company" ? customer.regNo : null;
    case "emails":
      return customer.emails;
    default:
      return null;
  }
}

function invoiceValue(invoice: InvoiceRecord, field: string): RowValue {
  switch (field) {
    case "id":
      return invoice.id;
    case "date":
      return invoice.date;
    case "customer_id":
      return invoice.customerId;
    case "invoice_number":
      return invoice.number;
    case "draft":
      return invoice.draft;
    case "credit_note":
      return invoice.creditNote;
    case "external_reference":
      return invoice.externalReference;
    case "category_id":
      return [];
    default:
      // billing_subscription_id, quote_id: the emulator keeps neither.
      return null;
  }
}

function productValue(product: ProductRecord, field: string): RowValue {
  switch (field) {
    case "id":
      return product.id;
    case "label":
      return product.label;
    case "reference":
      return product.reference;
    case "external_reference":
      return product.externalReference;
    default:
      return null;
  }
}

function invoiceJson(runtime: PennylaneRuntime, call: ApiCall, invoice: InvoiceRecord) {
  return renderInvoice(invoice, {
    origin: call.origin,
    state: runtime.ledger.stateOf(invoice),
    publicFileUrl: runtime.publicFiles.urlFor(call.origin, invoice.id, runtime.nowMs()),
  });
}

function changelogOf(resource: ChangelogResource): ApiRoute["handle"] {
  return (call, runtime) => {
    const { query } = call;
    return json(
      runtime.ledger.changelog.list(
        resource,
        {
          startDate: query.get("start_date") ?? undefined,
          cursor: query.get("cursor") ?? undefined,
          limit: parseLimit(query.get("limit") ?? undefined, 1000),
        },
        runtime.nowMs(),
      ),
    );
  };
}

export const API_ROUTES: readonly ApiRoute[] = [
  {
    method: "GET",
    path: "/me",
    scopes: [],
    handle: (call, { profile }) =>
      json({ user: profile.user, company: profile.company, scopes: [...call.grant.scopes] }),
  },
  {
    method: "GET",
    path: "/customers",
    scopes: CUSTOMERS_READ,
    handle: (call, { ledger }) =>
      json(
        mapPage(
          listOf(call, [...ledger.customers.values()], {
            filters: CUSTOMER_FILTERS,
            fieldValue: customerValue,
            sortable: ["id"],
            idOf: (customer) => customer.id,
          }),
          (customer) => renderCustomer(customer, call.origin),
        ),
      ),
  },
  {
    method: "GET",
    path: "/customers/{id}",
    scopes: CUSTOMERS_READ,
    handle: (call, { ledger }) => json(renderCustomer(ledger.customer(call.id("id")), call.origin)),
  },
  {
    method: "POST",
    path: "/company_customers",
    scopes: CUSTOMERS_WRITE,
    handle: async (call, { ledger }) => {
      const input = parseBody(companyCustomerCreateSchema, await call.body());
      return json(
        renderCustomer(ledger.createCompanyCustomer(input), call.origin, "company_customers"),
        201,
      );
    },
  },
  {
    method: "GET",
    path: "/company_customers/{id}",
    scopes: CUSTOMERS_READ,
    handle: (call, { ledger }) =>
      json(renderCustomer(ledger.companyCustomer(call.id("id")), call.origin, "company_customers")),
  },
  {
    method: "PUT",
    path: "/company_customers/{id}",
    scopes: CUSTOMERS_WRITE,
    handle: async (call, { ledger }) => {
      const id = call.id("id");
      const input = parseBody(companyCustomerUpdateSchema, await call.body());
      return json(
        renderCustomer(ledger.updateCompanyCustomer(id, input), call.origin, "company_customers"),
      );
    },
  },
  {
    method: "GET",
    path: "/products",
    scopes: PRODUCTS_READ,
    handle: (call, { ledger }) =>
      json(
        mapPage(
          listOf(call, [...ledger.products.values()], {
            filters: PRODUCT_FILTERS,
            fieldValue: productValue,
            sortable: ["id"],
            idOf: (product) => product.id,
          }),
          renderProduct,
        ),
      ),
  },
  {
    method: "GET",
    path: "/products/{id}",
    scopes: PRODUCTS_READ,
    handle: (call, { ledger }) => json(renderProduct(ledger.product(call.id("id")))),
  },
  {
    method: "GET",
    path: "/customer_invoice_templates",
    scopes: TEMPLATES_READ,
    handle: (call, { ledger }) =>
      json(
        mapPage(
          listOf(call, [...ledger.templates.values()], {
            sortable: ["id"],
            idOf: (template) => template.id,
          }),
          renderTemplate,
        ),
      ),
  },
  {
    method: "GET",
    path: "/customer_invoices",
    scopes: INVOICES_READ,
    handle: (call, runtime) =>
      json(
        mapPage(
          listOf(call, [...runtime.ledger.invoices.values()], {
            filters: CUSTOMER_INVOICE_FILTERS,
            fieldValue: invoiceValue,
            sortable: ["id", "date"],
            idOf: (invoice) => invoice.id,
            keyOf: (invoice, field) => (field === "date" ? invoice.date : invoice.id),
          }),
          (invoice) => invoiceJson(runtime, call, invoice),
        ),
      ),
  },
  {
    method: "POST",
    path: "/customer_invoices",
    scopes: INVOICES_WRITE,
    handle: async (call, runtime) => {
      const input = parseInvoiceCreate(await call.body());
      return json(invoiceJson(runtime, call, runtime.ledger.createInvoice(input)), 201);
    },
  },
  {
    method: "GET",
    path: "/customer_invoices/{id}",
    scopes: INVOICES_READ,
    handle: (call, runtime) =>
      json(invoiceJson(runtime, call, runtime.ledger.invoice(call.id("id")))),
  },
  {
    method: "PUT",
    path: "/customer_invoices/{id}",
    scopes: INVOICES_WRITE,
    handle: async (call, runtime) => {
      const id = call.id("id");
      const input = parseInvoiceUpdate(await call.body());
      return json(invoiceJson(runtime, call, runtime.ledger.updateInvoice(id, input)));
    },
  },
  {
    method: "DELETE",
    path: "/customer_invoices/{id}",
    scopes: INVOICES_WRITE,
    handle: (call, { ledger }) => {
      ledger.deleteDraft(call.id("id"));
      return noContent();
    },
  },
  {
    method: "PUT",
    path: "/customer_invoices/{id}/finalize",
    scopes: INVOICES_WRITE,
    handle: (call, runtime) =>
      json(invoiceJson(runtime, call, runtime.ledger.finalizeInvoice(call.id("id")))),
  },
  {
    method: "PUT",
    path: "/customer_invoices/{id}/mark_as_paid",
    scopes: INVOICES_WRITE,
    handle: (call, { ledger }) => {
      ledger.markAsPaid(call.id("id"));
      return noContent();
    },
  },
  {
    method: "POST",
    path: "/customer_invoices/{id}/send_by_email",
    scopes: INVOICES_WRITE,
    handle: async (call, { ledger }) => {
      const id = call.id("id");
      const body = parseBody(sendByEmailSchema, await call.body());
      ledger.sendByEmail(id, body?.recipients);
      return noContent();
    },
  },
  {
    method: "POST",
    path: "/customer_invoices/{id}/link_credit_note",
    scopes: INVOICES_WRITE,
    handle: async (call, runtime) => {
      const id = call.id("id");
      const { credit_note_id: creditNoteId } = parseBody(linkCreditNoteSchema, await call.body());
      return json(invoiceJson(runtime, call, runtime.ledger.linkCreditNote(id, creditNoteId)));
    },
  },
  {
    method: "GET",
    path: "/customer_invoices/{customer_invoice_id}/invoice_lines",
    scopes: INVOICES_READ,
    handle: (call, { ledger }) => {
      const invoice = ledger.invoice(call.id("customer_invoice_id"));
      const rank = new Map(invoice.lines.map((line, index) => [line.id, index + 1]));
      return json(
        mapPage(
          listOf(call, invoice.lines, {
            sortable: ["id", "rank"],
            idOf: (line) => line.id,
            keyOf: (line, field) => (field === "rank" ? (rank.get(line.id) ?? 0) : line.id),
          }),
          (line) => renderInvoiceLine(line, call.origin),
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/customer_invoices/{customer_invoice_id}/payments",
    scopes: INVOICES_READ,
    handle: (call, { ledger }) => {
      const invoice = ledger.invoice(call.id("customer_invoice_id"));
      // The spec: a draft or a credit note lists no payments.
      const payments = invoice.draft || invoice.creditNote ? [] : ledger.payments(invoice.id);
      return json(
        mapPage(
          listOf(call, payments, { sortable: ["id"], idOf: (payment) => payment.id }),
          renderPayment,
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/customer_invoices/{customer_invoice_id}/matched_transactions",
    scopes: INVOICES_READ,
    handle: (call, { ledger }) => {
      const invoice = ledger.invoice(call.id("customer_invoice_id"));
      const payments = invoice.draft ? [] : ledger.payments(invoice.id);
      return json(
        mapPage(
          listOf(call, payments, { sortable: ["id"], idOf: (payment) => payment.transactionId }),
          (payment) => renderMatchedTransaction(payment, invoice.customerId, call.origin),
        ),
      );
    },
  },
  {
    method: "GET",
    path: "/changelogs/customer_invoices",
    scopes: INVOICES_READ,
    handle: changelogOf("customer_invoices"),
  },
  {
    method: "GET",
    path: "/changelogs/customers",
    scopes: CUSTOMERS_READ,
    handle: changelogOf("customers"),
  },
];
