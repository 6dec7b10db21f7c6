/**
 * Records rendered in the exact response shapes of the official OpenAPI (every required
 * property present, amounts as strings, nested resources as `{ url }` links).
 */
import { pennylaneAmount, pennylaneDecimal } from "./amounts";
import type { DerivedInvoiceState } from "./invoice-status";
import type {
  CustomerRecord,
  InvoiceLineRecord,
  InvoiceRecord,
  InvoiceTemplateRecord,
  PaymentRecord,
  ProductRecord,
} from "./records";

export const API_BASE_PATH = "/api/external/v2";

const link = (origin: string, path: string) => ({ url: `${origin}${API_BASE_PATH}${path}` });

/**
 * A customer as `/customers` shows it. The `/company_customers` endpoints use the same shape
 * without `customer_type` (official spec), hence `shape`.
 */
export function renderCustomer(
  customer: CustomerRecord,
  origin: string,
  shape: "customers" | "company_customers" = "customers",
) {
  const byCustomer = encodeURIComponent(
    JSON.stringify([{ field: "customer_id", operator: "eq", value: String(customer.id) }]),
  );
  const common = {
    id: customer.id,
    name: customer.name,
    billing_iban: customer.billingIban,
    payment_conditions: customer.paymentConditions,
    recipient: customer.recipient,
    phone: customer.phone,
    reference: customer.reference,
    notes: customer.notes,
  };
  const rest = {
    ledger_account: customer.ledgerAccountId === null ? null : { id: customer.ledgerAccountId },
    emails: [...customer.emails],
    billing_address: { ...customer.billingAddress },
    delivery_address: { ...customer.deliveryAddress },
    created_at: customer.createdAt,
    updated_at: customer.updatedAt,
    customer_type: customer.kind,
    external_reference: customer.externalReference,
    billing_language: customer.billingLanguage,
    mandates: link(origin, `/gocardless_mandates?filter=${byCustomer}`),
    pro_account_mandates: link(origin, `/pro_account/mandates?filter=${byCustomer}`),
    contacts: link(origin, `/customers/${customer.id}/contacts`),
  };
  if (customer.kind === "individual") {
    return { ...common, first_name: customer.firstName, last_name: customer.lastName, ...rest };
  }
  const company = { ...common, vat_number: customer.vatNumber, reg_no: customer.regNo, ...rest };
  if (shape === "customers") return company;
  const { customer_type: _type, ...withoutType } = company;
  return withoutType;
}

export function renderProduct(product: ProductRecord) {
  return {
    id: product.id,
    label: product.label,
    description: product.description,
    external_reference: product.externalReference,
    price_before_tax: pennylaneDecimal(product.priceBeforeTax),
    vat_rate: product.vatRate,
    price: pennylaneDecimal(product.priceBeforeTax),
    unit: product.unit,
    currency: "EUR",
    reference: product.reference,
    ledger_account: null,
    archived_at: null,
    created_at: product.createdAt,
    updated_at: product.updatedAt,
  };
}

const noDiscount = { type: "relative", value: "0.0" } as const;

const discountOf = (percent: string | null) =>
  percent === null ? noDiscount : { type: "relative" as const, value: pennylaneDecimal(percent) };

export interface InvoiceRenderContext {
  readonly origin: string;
  readonly state: DerivedInvoiceState;
  readonly publicFileUrl: string;
}

export function renderInvoice(invoice: InvoiceRecord, context: InvoiceRenderContext) {
  const { origin, state } = context;
  const at = (suffix: string) => link(origin, `/customer_invoices/${invoice.id}${suffix}`);
  return {
    id: invoice.id,
    label: invoice.label,
    invoice_number: invoice.number ?? "",
    currency: "EUR",
    amount: pennylaneAmount(invoice.grossCents),
    currency_amount: pennylaneAmount(invoice.grossCents),
    currency_amount_before_tax: pennylaneAmount(invoice.netCents),
    exchange_rate: "1.0",
    date: invoice.date,
    deadline: invoice.deadline,
    currency_tax: pennylaneAmount(invoice.vatCents),
    tax: pennylaneAmount(invoice.vatCents),
    language: invoice.language,
    paid: state.paid,
    status: state.status,
    discount: discountOf(invoice.discountPercent),
    ledger_entry: { id: invoice.ledgerEntryId },
    public_file_url: context.publicFileUrl,
    filename: invoice.number === null ? null : `${invoice.number}.pdf`,
    remaining_amount_with_tax: pennylaneAmount(state.remainingWithTaxCents),
    remaining_amount_without_tax: pennylaneAmount(state.remainingWithoutTaxCents),
    draft: invoice.draft,
    special_mention: invoice.specialMention,
    customer: { id: invoice.customerId, url: link(origin, `/customers/${invoice.customerId}`).url },
    invoice_line_sections: at("/invoice_line_sections"),
    invoice_lines: at("/invoice_lines"),
    custom_header_fields: at("/custom_header_fields"),
    categories: at("/categories"),
    pdf_invoice_free_text: invoice.pdfInvoiceFreeText,
    pdf_invoice_subject: invoice.pdfInvoiceSubject,
    pdf_description: invoice.pdfDescription,
    billing_subscription: null,
    credited_invoice:
      invoice.creditedInvoiceId === null
        ? null
        : {
            id: invoice.creditedInvoiceId,
            url: link(origin, `/customer_invoices/${invoice.creditedInvoiceId}`).url,
          },
    customer_invoice_template: invoice.templateId === null ? null : { id: invoice.templateId },
    transaction_reference: null,
    payments: at("/payments"),
    matched_transactions: at("/matched_transactions"),
    appendices: at("/appendices"),
    quote: null,
    external_reference: invoice.externalReference,
    e_invoicing: null,
    archived_at: null,
    created_at: invoice.createdAt,
    updated_at: invoice.updatedAt,
  };
}

export function renderInvoiceLine(line: InvoiceLineRecord, origin: string) {
  return {
    id: line.id,
    label: line.label,
    unit: line.unit,
    quantity: pennylaneDecimal(line.quantity),
    amount: pennylaneAmount(line.grossCents),
    currency_amount: pennylaneAmount(line.grossCents),
    description: line.description,
    product:
      line.productId === null
        ? null
        : { id: line.productId, url: link(origin, `/products/${line.productId}`).url },
    vat_rate: line.vatRate,
    currency_amount_before_tax: pennylaneAmount(line.netCents),
    currency_tax: pennylaneAmount(line.vatCents),
    tax: pennylaneAmount(line.vatCents),
    raw_currency_unit_price: pennylaneDecimal(line.rawUnitPrice),
    discount: discountOf(line.discountPercent),
    section_rank: line.sectionRank,
    imputation_dates: null,
    created_at: line.createdAt,
    updated_at: line.updatedAt,
  };
}

/**
 * A payment received. Pennylane's payment shape has no date of its own: `created_at` is when
 * it was received, and the matched bank transaction carries the value date.
 */
export function renderPayment(payment: PaymentRecord) {
  return {
    id: payment.id,
    label: payment.label,
    currency: "EUR",
    currency_amount: pennylaneAmount(payment.amountCents),
    status: "paid_out",
    created_at: payment.createdAt,
    updated_at: payment.createdAt,
  };
}

export function renderMatchedTransaction(
  payment: PaymentRecord,
  customerId: number,
  origin: string,
) {
  return {
    id: payment.transactionId,
    label: payment.label,
    attachment_required: false,
    date: payment.date,
    outstanding_balance: null,
    created_at: payment.createdAt,
    updated_at: payment.createdAt,
    archived_at: null,
    currency: "EUR",
    currency_amount: pennylaneAmount(payment.amountCents),
    amount: pennylaneAmount(payment.amountCents),
    currency_fee: null,
    fee: null,
    journal: { id: 1 },
    bank_account: { id: 1, url: link(origin, "/bank_accounts/1").url },
    pro_account_expense: null,
    customer: { id: customerId, url: link(origin, `/customers/${customerId}`).url },
    categories: [],
  };
}

export function renderTemplate(template: InvoiceTemplateRecord) {
  return {
    id: template.id,
    name: template.name,
    created_at: template.createdAt,
    updated_at: template.createdAt,
  };
}
