/**
 * The company's books as the emulator keeps them, and Pennylane's business rules on invoices:
 * drafts, finalization, credit notes, payments, and the changelog every change feeds.
 * Customers live in `customers.ts`, line pricing in `invoice-lines.ts`, date rules in
 * `invoice-rules.ts`; HTTP lives elsewhere.
 */
import {
  type CalendarDate,
  type Cents,
  DomainError,
  isCalendarDate,
  parisDateOf,
} from "@encaisse/shared";
import { Changelog, type ChangeOperation, type ChangelogResource } from "./changelog";
import { CustomerDirectory, type NewIndividualCustomer, generatedReference } from "./customers";
import { notFound, unprocessable } from "./errors";
import { type DerivedInvoiceState, type Settlement, deriveInvoiceState } from "./invoice-status";
import {
  type LineDraft,
  lineDraftOf,
  priceLines,
  relativeDiscount,
  updatedLineDraft,
} from "./invoice-lines";
import { assertChronology, assertDeadline, assertEuro, assertNotFuture } from "./invoice-rules";
import type {
  CustomerRecord,
  InvoiceLineRecord,
  InvoiceRecord,
  InvoiceTemplateRecord,
  PaymentRecord,
  ProductRecord,
} from "./records";
import type {
  CompanyCustomerCreate,
  CompanyCustomerUpdate,
  InvoiceCreate,
  InvoiceUpdate,
} from "./request-bodies";
import { isUnitPrice } from "./amounts";
import { isPennylaneVatRate } from "./vat-rates";

/** The instant a dated event is taken to have happened: late morning, Paris. */
export function instantOfDate(date: CalendarDate): string {
  return `${date}T10:00:00.000Z`;
}

export interface NewPayment {
  readonly date: CalendarDate;
  readonly amountCents: Cents;
  readonly label: string;
}

export interface SentEmail {
  readonly invoiceId: number;
  readonly recipients: readonly string[];
  readonly sentAt: string;
}

export interface NewProduct {
  readonly label: string;
  readonly priceBeforeTax: string;
  readonly vatRate: string;
  readonly unit?: string;
  readonly description?: string;
  readonly reference?: string | null;
  readonly externalReference?: string;
}

export class PennylaneLedger {
  readonly customerDirectory = new CustomerDirectory(
    () => this.nowIso(),
    (customer, operation, at) => this.log("customers", customer, operation, at),
  );
  readonly customers = this.customerDirectory.records;
  readonly products = new Map<number, ProductRecord>();
  readonly invoices = new Map<number, InvoiceRecord>();
  readonly templates = new Map<number, InvoiceTemplateRecord>();
  private readonly paymentsByInvoice = new Map<number, PaymentRecord[]>();
  /** Credit notes by the invoice they are linked to, so an invoice's status costs no scan. */
  private readonly creditNotesByInvoice = new Map<number, Set<InvoiceRecord>>();
  readonly changelog = new Changelog();
  /** Invoices emailed with send_by_email, oldest first. */
  readonly sentEmails: SentEmail[] = [];

  private nextProductId = 3_001;
  private nextInvoiceId = 5_001;
  private nextLineId = 70_001;
  private nextPaymentId = 90_001;
  private nextTransactionId = 40_001;
  private nextTemplateId = 201;

  constructor(private readonly now: () => Date) {}

  today(): CalendarDate {
    return parisDateOf(this.now());
  }

  nowIso(): string {
    return this.now().toISOString();
  }

  // ---- customers (see customers.ts) -----------------------------------------------------

  createCompanyCustomer(input: CompanyCustomerCreate, at?: string): CustomerRecord {
    return this.customerDirectory.createCompany(input, at);
  }

  addIndividualCustomer(input: NewIndividualCustomer): CustomerRecord {
    return this.customerDirectory.addIndividual(input);
  }

  updateCompanyCustomer(id: number, input: CompanyCustomerUpdate): CustomerRecord {
    return this.customerDirectory.updateCompany(id, input);
  }

  /** Any customer, company or individual (404 when unknown). */
  customer(id: number): CustomerRecord {
    return this.customerDirectory.get(id);
  }

  companyCustomer(id: number): CustomerRecord {
    return this.customerDirectory.company(id);
  }

  // ---- products and templates --------------------------------------------------------------

  addProduct(input: NewProduct): ProductRecord {
    if (!isUnitPrice(input.priceBeforeTax) || !isPennylaneVatRate(input.vatRate)) {
      throw new DomainError(
        "PENNYLANE_EMULATOR_PRODUCT_INVALID",
        "A product needs a decimal price and a Pennylane vat_rate.",
        {
          ...input,
        },
      );
    }
    const at = this.nowIso();
    const id = this.nextProductId++;
    const product: ProductRecord = {
      id,
      label: input.label,
      description: input.description ?? "",
      externalReference: input.externalReference ?? generatedReference(id),
      priceBeforeTax: input.priceBeforeTax,
      vatRate: input.vatRate,
      unit: input.unit ?? "piece",
      reference: input.reference ?? null,
      createdAt: at,
      updatedAt: at,
    };
    this.products.set(id, product);
    return product;
  }

  product(id: number): ProductRecord {
    const product = this.products.get(id);
    if (product === undefined) throw notFound("Product not found");
    return product;
  }

  addInvoiceTemplate(name: string): InvoiceTemplateRecord {
    const template = { id: this.nextTemplateId++, name, createdAt: this.nowIso() };
    this.templates.set(template.id, template);
    return template;
  }

  // ---- invoices ----------------------------------------------------------------------------

  invoice(id: number): InvoiceRecord {
    const invoice = this.invoices.get(id);
    if (invoice === undefined) throw notFound("Customer invoice not found");
    return invoice;
  }

  createInvoice(input: InvoiceCreate): InvoiceRecord {
    const customer = this.customer(input.customer_id);
    assertEuro(input.currency);
    if (
      input.customer_invoice_template_id !== undefined &&
      !this.templates.has(input.customer_invoice_template_id)
    ) {
      throw notFound("Customer invoice template not found");
    }
    this.assertInvoiceReferenceFree(input.external_reference, null);
    assertDeadline(input.date, input.deadline);
    assertNotFuture(input.date, this.today());
    const invoiceDiscount = relativeDiscount(input.discount, "discount");
    const drafts = input.invoice_lines.map((line, index) =>
      lineDraftOf(line, `invoice_lines.${index}`, this.productOf),
    );
    const at = this.nowIso();
    const lines = drafts.map((draft) => this.newLine(draft, at));
    const totals = priceLines(lines, invoiceDiscount);
    const finalize = input.draft !== true;
    const id = this.nextInvoiceId++;
    const invoice: InvoiceRecord = {
      id,
      customerId: customer.id,
      draft: true,
      number: null,
      date: input.date,
      deadline: input.deadline,
      label: input.label ?? null,
      externalReference: input.external_reference ?? generatedReference(id),
      language: input.language ?? customer.billingLanguage,
      pdfInvoiceFreeText: input.pdf_invoice_free_text ?? "",
      pdfInvoiceSubject: input.pdf_invoice_subject ?? "",
      pdfDescription: input.pdf_description ?? null,
      specialMention: input.special_mention ?? null,
      discountPercent: invoiceDiscount,
      lines,
      ...totals,
      creditNote: totals.grossCents < 0,
      creditedInvoiceId: null,
      cancelledInBook: false,
      markedPaid: false,
      ledgerEntryId: 600_000 + id,
      templateId: input.customer_invoice_template_id ?? null,
      createdAt: at,
      updatedAt: at,
    };
    if (finalize) assertChronology(invoice.date, this.invoices.values());
    this.invoices.set(id, invoice);
    if (finalize) this.assignNumber(invoice);
    invoice.label ??= this.defaultLabel(invoice);
    this.log("customer_invoices", invoice, "insert", at);
    return invoice;
  }

  updateInvoice(id: number, input: InvoiceUpdate): InvoiceRecord {
    const invoice = this.invoice(id);
    const documentChanges = Object.keys(input).filter(
      (key) => key !== "label" && key !== "external_reference" && key !== "transaction_reference",
    );
    if (!invoice.draft && documentChanges.length > 0) {
      throw unprocessable(
        `A finalized invoice cannot be edited (${documentChanges.join(", ")}): issue a credit note to correct it.`,
      );
    }
    this.assertInvoiceReferenceFree(input.external_reference, id);
    assertEuro(input.currency);
    if (input.customer_id !== undefined) this.customer(input.customer_id);
    const date = input.date ?? invoice.date;
    const deadline = input.deadline ?? invoice.deadline;
    assertDeadline(date, deadline);
    if (input.date !== undefined) assertNotFuture(date, this.today());
    const at = this.nowIso();
    const lines =
      input.invoice_lines === undefined
        ? invoice.lines.map((line) => ({ ...line }))
        : this.changedLines(invoice, input.invoice_lines, at);
    const discountPercent =
      input.discount === undefined
        ? invoice.discountPercent
        : input.discount.value === null
          ? null
          : relativeDiscount(
              { type: input.discount.type, value: input.discount.value },
              "discount",
            );
    const totals = priceLines(lines, discountPercent);
    if (invoice.draft && totals.grossCents < 0 !== invoice.creditNote) {
      throw unprocessable(
        "An invoice cannot become a credit note (or the reverse): create a new document instead.",
      );
    }
    invoice.lines = lines;
    invoice.discountPercent = discountPercent;
    Object.assign(invoice, totals);
    invoice.date = date;
    invoice.deadline = deadline;
    if (input.customer_id !== undefined) invoice.customerId = input.customer_id;
    if (input.label !== undefined) invoice.label = input.label;
    if (input.external_reference !== undefined)
      invoice.externalReference = input.external_reference;
    if (input.language !== undefined) invoice.language = input.language;
    if (input.pdf_invoice_free_text !== undefined)
      invoice.pdfInvoiceFreeText = input.pdf_invoice_free_text ?? "";
    if (input.pdf_invoice_subject !== undefined)
      invoice.pdfInvoiceSubject = input.pdf_invoice_subject ?? "";
    if (input.pdf_description !== undefined) invoice.pdfDescription = input.pdf_description;
    if (input.special_mention !== undefined) invoice.specialMention = input.special_mention;
    if (input.customer_invoice_template_id !== undefined)
      invoice.templateId = input.customer_invoice_template_id;
    invoice.updatedAt = at;
    this.log("customer_invoices", invoice, "update", at);
    return invoice;
  }

  deleteDraft(id: number): void {
    const invoice = this.invoice(id);
    if (!invoice.draft) throw unprocessable("Only draft invoices can be deleted.");
    this.invoices.delete(id);
    this.log("customer_invoices", invoice, "delete", this.nowIso());
  }

  finalizeInvoice(id: number): InvoiceRecord {
    const invoice = this.invoice(id);
    if (!invoice.draft) throw unprocessable("This invoice is already finalized.");
    assertNotFuture(invoice.date, this.today());
    assertChronology(invoice.date, this.invoices.values());
    this.assignNumber(invoice);
    invoice.updatedAt = this.nowIso();
    this.log("customer_invoices", invoice, "update", invoice.updatedAt);
    return invoice;
  }

  markAsPaid(id: number): void {
    const invoice = this.invoice(id);
    if (invoice.draft) throw unprocessable("A draft invoice cannot be marked as paid.");
    if (invoice.creditNote) throw unprocessable("A credit note cannot be marked as paid.");
    if (this.stateOf(invoice).status === "cancelled")
      throw unprocessable("A cancelled invoice cannot be marked as paid.");
    invoice.markedPaid = true;
    invoice.updatedAt = this.nowIso();
    this.log("customer_invoices", invoice, "update", invoice.updatedAt);
  }

  /**
   * Emails a finalized invoice or credit note: to `recipients`, else to the customer's own
   * addresses. A draft is refused, as is an invoice whose customer has no address to send to.
   */
  sendByEmail(id: number, recipients: readonly string[] | undefined): SentEmail {
    const invoice = this.invoice(id);
    if (invoice.draft)
      throw unprocessable("A draft invoice cannot be sent by email; finalize it first.");
    const to =
      recipients !== undefined && recipients.length > 0
        ? [...recipients]
        : [...this.customer(invoice.customerId).emails];
    if (to.length === 0)
      throw unprocessable("The customer has no email address to send this invoice to.");
    const sent: SentEmail = { invoiceId: id, recipients: to, sentAt: this.nowIso() };
    this.sentEmails.push(sent);
    return sent;
  }

  linkCreditNote(invoiceId: number, creditNoteId: number): InvoiceRecord {
    const invoice = this.invoice(invoiceId);
    const creditNote = this.invoices.get(creditNoteId);
    if (creditNote === undefined) throw notFound("Credit note not found");
    if (invoice.draft || invoice.creditNote)
      throw unprocessable("Credit notes can only be linked to a finalized invoice.");
    if (!creditNote.creditNote)
      throw unprocessable(`Document ${creditNoteId} is not a credit note.`);
    if (creditNote.draft) throw unprocessable("Finalize the credit note before linking it.");
    if (creditNote.creditedInvoiceId !== null) {
      throw unprocessable(
        `This credit note is already linked to invoice ${creditNote.creditedInvoiceId}.`,
      );
    }
    if (creditNote.customerId !== invoice.customerId) {
      throw unprocessable("The credit note and the invoice belong to different customers.");
    }
    const settlement = this.settlementOf(invoice);
    if (settlement.creditedCents - creditNote.grossCents > invoice.grossCents) {
      throw unprocessable("The credit notes would exceed the invoice amount.");
    }
    this.linkToInvoice(creditNote, invoice);
    const at = this.nowIso();
    creditNote.updatedAt = at;
    invoice.updatedAt = at;
    this.log("customer_invoices", creditNote, "update", at);
    this.log("customer_invoices", invoice, "update", at);
    return creditNote;
  }

  // ---- payments ----------------------------------------------------------------------------

  payments(invoiceId: number): readonly PaymentRecord[] {
    return this.paymentsByInvoice.get(invoiceId) ?? [];
  }

  /** Money arriving on an invoice: a payment matched with a bank transaction. */
  recordPayment(invoiceId: number, payment: NewPayment): PaymentRecord {
    const invoice = this.invoices.get(invoiceId);
    const refuse = (message: string) =>
      new DomainError("PENNYLANE_EMULATOR_PAYMENT_REFUSED", message, { invoiceId, ...payment });
    if (invoice === undefined) throw refuse(`There is no invoice ${invoiceId}.`);
    if (invoice.draft || invoice.creditNote)
      throw refuse("Payments go on finalized invoices, not drafts or credit notes.");
    if (!Number.isSafeInteger(payment.amountCents) || payment.amountCents <= 0) {
      throw refuse("A payment is a positive whole number of cents.");
    }
    if (!isCalendarDate(payment.date) || payment.date > this.today()) {
      throw refuse("A payment date is a calendar date, not in the future.");
    }
    const nowIso = this.nowIso();
    const dated = instantOfDate(payment.date);
    const stored = this.storePayment(invoice, payment, dated < nowIso ? dated : nowIso);
    invoice.updatedAt = nowIso;
    this.log("customer_invoices", invoice, "update", nowIso);
    return stored;
  }

  settlementOf(invoice: InvoiceRecord): Settlement {
    let paidCents = 0;
    for (const payment of this.payments(invoice.id)) paidCents += payment.amountCents;
    let creditedCents = 0;
    for (const other of this.creditNotesByInvoice.get(invoice.id) ?? []) {
      const current =
        other.creditedInvoiceId === invoice.id && this.invoices.get(other.id) === other;
      if (current && !other.draft) creditedCents -= other.grossCents;
    }
    return { paidCents, creditedCents };
  }

  stateOf(invoice: InvoiceRecord): DerivedInvoiceState {
    return deriveInvoiceState(invoice, this.settlementOf(invoice), this.today());
  }

  // ---- seeding (load-book) -----------------------------------------------------------------

  /** Stores an invoice as it stands in a seed book, bypassing the creation rules. */
  seedInvoice(
    seed: Omit<
      InvoiceRecord,
      "id" | "lines" | "netCents" | "vatCents" | "grossCents" | "ledgerEntryId" | "creditNote"
    > & {
      readonly lines: readonly LineDraft[];
    },
  ): InvoiceRecord {
    const id = this.nextInvoiceId++;
    const lines = seed.lines.map((draft) => this.newLine(draft, seed.createdAt));
    const totals = priceLines(lines, seed.discountPercent);
    const invoice: InvoiceRecord = {
      ...seed,
      id,
      lines,
      ...totals,
      creditNote: totals.grossCents < 0,
      ledgerEntryId: 600_000 + id,
    };
    this.invoices.set(id, invoice);
    this.log("customer_invoices", invoice, "insert", seed.createdAt);
    return invoice;
  }

  seedPayment(invoice: InvoiceRecord, payment: NewPayment): PaymentRecord {
    const at = instantOfDate(payment.date);
    const stored = this.storePayment(invoice, payment, at);
    if (at > invoice.updatedAt) invoice.updatedAt = at;
    this.log("customer_invoices", invoice, "update", at);
    return stored;
  }

  seedCreditLink(creditNote: InvoiceRecord, invoice: InvoiceRecord): void {
    this.linkToInvoice(creditNote, invoice);
    this.log("customer_invoices", invoice, "update", creditNote.createdAt);
  }

  // ---- internals ---------------------------------------------------------------------------

  private readonly productOf = (id: number) => this.product(id);

  private assertInvoiceReferenceFree(reference: string | undefined, selfId: number | null): void {
    if (reference === undefined) return;
    for (const invoice of this.invoices.values()) {
      if (invoice.externalReference === reference && invoice.id !== selfId) {
        throw unprocessable(
          `External reference "${reference}" has already been taken (invoice ${invoice.id}).`,
        );
      }
    }
  }

  private linkToInvoice(creditNote: InvoiceRecord, invoice: InvoiceRecord): void {
    creditNote.creditedInvoiceId = invoice.id;
    const linked = this.creditNotesByInvoice.get(invoice.id);
    if (linked === undefined) this.creditNotesByInvoice.set(invoice.id, new Set([creditNote]));
    else linked.add(creditNote);
  }

  private newLine(draft: LineDraft, at: string): InvoiceLineRecord {
    return {
      ...draft,
      id: this.nextLineId++,
      netCents: 0,
      vatCents: 0,
      grossCents: 0,
      createdAt: at,
      updatedAt: at,
    };
  }

  /** The invoice's lines after the changes, as copies: nothing is touched until the update commits. */
  private changedLines(
    invoice: InvoiceRecord,
    changes: NonNullable<InvoiceUpdate["invoice_lines"]>,
    at: string,
  ): InvoiceLineRecord[] {
    let lines = invoice.lines.map((line) => ({ ...line }));
    const lineOf = (id: number) => {
      const line = lines.find((candidate) => candidate.id === id);
      if (line === undefined) {
        throw notFound(`Invoice line ${id} not found on invoice ${invoice.id}`);
      }
      return line;
    };
    for (const { id } of changes.delete ?? []) {
      const line = lineOf(id);
      lines = lines.filter((candidate) => candidate !== line);
    }
    (changes.update ?? []).forEach((update, index) => {
      const line = lineOf(update.id);
      const draft = updatedLineDraft(line, update, `invoice_lines.update.${index}`, this.productOf);
      Object.assign(line, draft, { updatedAt: at });
    });
    (changes.create ?? []).forEach((line, index) => {
      lines.push(
        this.newLine(lineDraftOf(line, `invoice_lines.create.${index}`, this.productOf), at),
      );
    });
    if (lines.length === 0) throw unprocessable("An invoice needs at least one line.");
    return lines;
  }

  private assignNumber(invoice: InvoiceRecord): void {
    const prefix = `${invoice.creditNote ? "AV" : "F"}-${invoice.date.slice(0, 4)}-`;
    let last = 0;
    for (const other of this.invoices.values()) {
      if (other.number?.startsWith(prefix))
        last = Math.max(last, Number(other.number.slice(prefix.length)) || 0);
    }
    const labelWasDefault = invoice.label === null || invoice.label === this.defaultLabel(invoice);
    invoice.number = `${prefix}${String(last + 1).padStart(5, "0")}`;
    invoice.draft = false;
    if (labelWasDefault) invoice.label = this.defaultLabel(invoice);
  }

  private defaultLabel(invoice: InvoiceRecord): string {
    const name = this.customers.get(invoice.customerId)?.name ?? "";
    const kind = invoice.creditNote ? "Avoir" : "Facture";
    return invoice.number === null ? `${kind} ${name}` : `${kind} ${name} - ${invoice.number}`;
  }

  private storePayment(
    invoice: InvoiceRecord,
    payment: NewPayment,
    createdAt: string,
  ): PaymentRecord {
    const stored: PaymentRecord = {
      id: this.nextPaymentId++,
      invoiceId: invoice.id,
      label: payment.label,
      amountCents: payment.amountCents,
      date: payment.date,
      transactionId: this.nextTransactionId++,
      createdAt,
    };
    this.paymentsByInvoice.set(invoice.id, [...this.payments(invoice.id), stored]);
    return stored;
  }

  private log(
    resource: ChangelogResource,
    record: { id: number; createdAt: string; updatedAt: string },
    operation: ChangeOperation,
    processedAt: string,
  ): void {
    this.changelog.record({
      resource,
      id: record.id,
      operation,
      processedAt,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
    });
  }
}
