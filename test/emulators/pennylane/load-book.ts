/**
 * Seeds the emulator from a provider-neutral book: each company becomes a company customer,
 * each invoice a Pennylane invoice (finalized with the book's number, or a draft), credit
 * notes are linked to the invoice they cancel, and payments are recorded. Changelog entries
 * carry the historical instants, so only the last 4 weeks of them remain visible.
 */
import type { Book, SeedInvoice } from "../../fixtures/book";
import { firstInvoiceDates } from "../common/book";
import { type PennylaneLedger, instantOfDate } from "./ledger";
import type { InvoiceRecord, PaymentConditions } from "./records";
import { PAYMENT_CONDITIONS } from "./records";

export interface LoadedBook {
  /** Pennylane customer id by book company key. */
  readonly customerIds: ReadonlyMap<string, number>;
  /** Pennylane invoice id by book invoice key. */
  readonly invoiceIds: ReadonlyMap<string, number>;
}

function paymentConditionsOf(terms: string): PaymentConditions {
  return (PAYMENT_CONDITIONS as readonly string[]).includes(terms)
    ? (terms as PaymentConditions)
    : "custom";
}

function seedInvoice(
  ledger: PennylaneLedger,
  seed: SeedInvoice,
  customerId: number,
): InvoiceRecord {
  const at = instantOfDate(seed.issueDate);
  return ledger.seedInvoice({
    customerId,
    draft: seed.draft,
    number: seed.draft ? null : seed.number,
    date: seed.issueDate,
    deadline: seed.dueDate,
    label: null,
    externalReference: `book-${seed.key}`,
    language: "fr_FR",
    pdfInvoiceFreeText: "",
    pdfInvoiceSubject: "",
    pdfDescription: null,
    specialMention: null,
    discountPercent: null,
    lines: seed.lines.map((line) => ({
      label: line.label,
      unit: "piece",
      quantity: line.quantity,
      rawUnitPrice: line.unitPriceExclTax,
      vatRate: line.vatCode,
      discountPercent: line.discountPercent,
      description: "",
      productId: null,
      sectionRank: null,
    })),
    creditedInvoiceId: null,
    cancelledInBook: false,
    markedPaid: false,
    templateId: null,
    createdAt: at,
    updatedAt: at,
  });
}

export function loadBookInto(ledger: PennylaneLedger, book: Book): LoadedBook {
  const customerIds = new Map<string, number>();
  const invoiceIds = new Map<string, number>();
  const firstIssue = firstInvoiceDates(book);
  for (const company of book.companies) {
    const customer = ledger.createCompanyCustomer(
      {
        name: company.name,
        reg_no: company.siren,
        vat_number: company.vatNumber,
        emails: [company.email],
        phone: company.phone,
        recipient: `${company.contact.firstName} ${company.contact.lastName}`,
        billing_address: {
          address: company.address.line1,
          postal_code: company.address.postalCode,
          city: company.address.city,
          country_alpha2: company.address.countryCode,
        },
        payment_conditions: paymentConditionsOf(company.paymentTerms),
        external_reference: `book-${company.key}`,
      },
      instantOfDate(firstIssue.get(company.key) ?? book.today),
    );
    customerIds.set(company.key, customer.id);
  }

  const byKey = new Map<string, InvoiceRecord>();
  const ordered = [...book.invoices].sort((a, b) =>
    a.issueDate < b.issueDate ? -1 : a.issueDate > b.issueDate ? 1 : 0,
  );
  for (const seed of ordered) {
    const customerId = customerIds.get(seed.customerKey);
    if (customerId === undefined)
      throw new Error(`Book invoice ${seed.key} names unknown company ${seed.customerKey}`);
    const invoice = seedInvoice(ledger, seed, customerId);
    byKey.set(seed.key, invoice);
    invoiceIds.set(seed.key, invoice.id);
    for (const payment of seed.payments) {
      if (!invoice.draft)
        ledger.seedPayment(invoice, {
          date: payment.date,
          amountCents: payment.amountCents,
          label: payment.label,
        });
    }
  }

  for (const seed of ordered) {
    const invoice = byKey.get(seed.key) as InvoiceRecord;
    if (seed.creditNoteOf !== null) {
      const credited = byKey.get(seed.creditNoteOf);
      if (credited !== undefined && invoice.creditNote && !invoice.draft)
        ledger.seedCreditLink(invoice, credited);
    }
  }
  // A cancellation the book records without a credit note to carry it still reads "cancelled".
  for (const seed of book.invoices) {
    const invoice = byKey.get(seed.key) as InvoiceRecord;
    if (seed.cancelled && !invoice.draft && ledger.stateOf(invoice).status !== "cancelled")
      invoice.cancelledInBook = true;
  }
  return { customerIds, invoiceIds };
}
