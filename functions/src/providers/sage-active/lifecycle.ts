/**
 * Creating and finalizing invoices (reference §4.3, §4.6): `createSalesInvoice` (Pending,
 * no number) -> `closeSalesInvoice` (Closed, next number of the series) ->
 * `postSalesInvoice` (Posted: accounting entry and open items). The three are separate,
 * non-idempotent mutations, so each step starts from the invoice's state as Sage reports it:
 * a retry, a second worker or a crash half-way resume where things stand, and an invoice
 * is never created twice for one external reference.
 *
 * After a failure that may hide a success (timeout, 5xx, unreadable answer) we look the
 * invoice up — by external reference for a create, by id for a close or a post — and carry
 * on from what we find. If it cannot be found, the error is raised as it came (retryable):
 * the caller tries again later, and that attempt starts with the same look-up.
 */
import {
  DomainError,
  type Invoice,
  type InvoiceDraft,
  type OperationNature,
  chargedRateOf,
  daysBetween,
} from "@encaisse/shared";
import type { Clock } from "../../net/clock";
import { ProviderError } from "../errors";
import { decimalToSage } from "./decimal";
import type { SageGraphql } from "./graphql";
import type { SageInvoices } from "./invoices";
import { isDraftStatus } from "./mapping";
import type { SageProducts } from "./products";
import { CLOSE_SALES_INVOICE, CREATE_SALES_INVOICE, POST_SALES_INVOICE } from "./queries";
import { findEffect, outcomeUnknown, SingleFlight } from "./recovery";
import type { SageReferenceData } from "./reference-data";
import { SAGE_INVOICE_REFERENCE_MAX_LENGTH, toSageReference } from "./references";
import {
  closeInvoiceDataSchema,
  createInvoiceDataSchema,
  postInvoiceDataSchema,
  type SageInvoice,
} from "./schemas";
import { percentageToBasisPoints } from "./vat-codes";

/** Lengths of SalesInvoiceCreateGLDtoInput (reference §4.2). */
const MAX = { comments: 1000, remarks: 1000, specialMention: 1000, entryDescription: 200 } as const;

/** French e-invoicing "cadre de facturation" (BT-23), first invoice of a sale (§6). */
const BILLING_FRAMEWORK: Readonly<Record<OperationNature, string>> = {
  goods: "B1",
  services: "S1",
  mixed: "M1",
};

export interface LifecycleOptions {
  /**
   * Send the FR e-invoicing fields and let posting submit the invoice to Sage's platform.
   * Only for organizations whose e-invoicing setup is `Accepted` (reference §6).
   */
  readonly eInvoicing?: boolean;
}

export class SageInvoiceLifecycle {
  private readonly creates = new SingleFlight<Invoice>();
  private readonly finalizations = new SingleFlight<Invoice>();

  constructor(
    private readonly graphql: SageGraphql,
    private readonly invoices: SageInvoices,
    private readonly products: SageProducts,
    private readonly referenceData: SageReferenceData,
    private readonly clock: Clock,
    private readonly options: LifecycleOptions = {},
  ) {}

  async create(draft: InvoiceDraft): Promise<Invoice> {
    // Refused before anything is sent (SAGE_REFERENCE_TOO_LONG).
    const reference = toSageReference(draft.externalReference, SAGE_INVOICE_REFERENCE_MAX_LENGTH);
    return this.creates.run(reference, async () => {
      let invoice = await this.invoices.rawByExternalReference(reference);
      if (!invoice) invoice = await this.createDraft(draft, reference);
      if (invoice.customerId?.toLowerCase() !== draft.customerId.toLowerCase()) {
        // Someone typed our reference on another customer's invoice in Sage.
        throw new DomainError(
          "SAGE_REFERENCE_TAKEN",
          `Sage Active already has an invoice for another customer with the reference ${reference}.`,
          { reference, invoiceId: invoice.id, customerId: invoice.customerId },
        );
      }
      if (isDraftStatus(invoice.status)) assertVatAsDrafted(invoice, draft);
      if (draft.finalize) invoice = await this.advance(invoice);
      return this.invoices.normalize(invoice);
    });
  }

  finalize(invoiceId: string): Promise<Invoice> {
    return this.finalizations.run(invoiceId, async () => {
      const invoice = await this.invoices.rawById(invoiceId);
      if (!invoice) {
        throw new ProviderError(
          "PROVIDER_NOT_FOUND",
          "This invoice no longer exists in Sage Active.",
          {
            provider: "sage_active",
            details: { invoiceId },
          },
        );
      }
      return this.invoices.normalize(await this.advance(invoice));
    });
  }

  private async createDraft(draft: InvoiceDraft, reference: string): Promise<SageInvoice> {
    const input = await this.inputOf(draft, reference);
    let createdId: string;
    try {
      const data = await this.graphql.run(CREATE_SALES_INVOICE, { input }, createInvoiceDataSchema);
      createdId = data.createSalesInvoice.id;
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      const stored = await findEffect(
        () => this.invoices.rawByExternalReference(reference),
        this.clock,
      );
      if (stored) return stored;
      throw error;
    }
    const created = await this.invoices.rawById(createdId);
    if (!created) {
      throw new ProviderError(
        "PROVIDER_RESPONSE_INVALID",
        "Sage Active created the invoice but does not show it yet; try again in a moment.",
        { provider: "sage_active", details: { invoiceId: createdId } },
      );
    }
    return created;
  }

  /** Closes then posts, from whatever state the invoice is in. */
  private async advance(invoice: SageInvoice): Promise<SageInvoice> {
    let current = invoice;
    for (let step = 0; step < 3; step += 1) {
      if (isDraftStatus(current.status)) current = await this.step(current, "close");
      else if (current.status === "Closed") current = await this.step(current, "post");
      else return current;
    }
    return current;
  }

  private async step(invoice: SageInvoice, action: "close" | "post"): Promise<SageInvoice> {
    try {
      if (action === "close") {
        await this.graphql.run(
          CLOSE_SALES_INVOICE,
          { input: { salesInvoiceId: invoice.id } },
          closeInvoiceDataSchema,
        );
      } else {
        const journalTypeId = await this.referenceData.salesJournalId();
        await this.graphql.run(
          POST_SALES_INVOICE,
          {
            input: {
              salesInvoiceId: invoice.id,
              accountingEntryDescription: entryDescription(invoice),
              journalTypeId,
            },
          },
          postInvoiceDataSchema,
        );
      }
    } catch (error) {
      const ambiguous = outcomeUnknown(error);
      // A refusal may only mean that someone else already took this step.
      if (!ambiguous && !(error instanceof ProviderError && error.code === "PROVIDER_REJECTED")) {
        throw error;
      }
      const moved = await findEffect(
        async () => {
          const now = await this.invoices.rawById(invoice.id);
          return now && now.status !== invoice.status ? now : null;
        },
        this.clock,
        ambiguous ? undefined : [0],
      );
      if (moved) return moved;
      throw error;
    }
    const after = await this.invoices.rawById(invoice.id);
    if (!after) {
      throw new ProviderError("PROVIDER_NOT_FOUND", "The invoice disappeared from Sage Active.", {
        provider: "sage_active",
        details: { invoiceId: invoice.id },
      });
    }
    return after;
  }

  private async inputOf(draft: InvoiceDraft, reference: string): Promise<Record<string, unknown>> {
    const currency = await this.referenceData.currency();
    if (draft.currency !== currency) {
      throw new DomainError(
        "SAGE_CURRENCY_UNSUPPORTED",
        `Sage Active invoices this organization in ${currency} only; the deal is in ${draft.currency}.`,
        { currency: draft.currency, organizationCurrency: currency },
      );
    }
    const days = daysBetween(draft.issueDate, draft.dueDate);
    if (days < 0) {
      throw new DomainError(
        "PAYMENT_TERMS_INVALID",
        "A due date cannot be before the invoice date.",
        {
          issueDate: draft.issueDate,
          dueDate: draft.dueDate,
        },
      );
    }
    const mentions = draft.legalMentions
      .map((mention) => mention.trim())
      .filter(Boolean)
      .join("\n");
    if (mentions.length > MAX.specialMention) {
      throw new DomainError(
        "SAGE_MENTIONS_TOO_LONG",
        `Sage Active prints at most ${MAX.specialMention} characters of mentions; these take ${mentions.length}.`,
        { length: mentions.length },
      );
    }
    const lines = await Promise.all(
      draft.lines.map(async (line) => ({
        productId: await this.products.productIdFor(line.vatCode),
        productName: line.label,
        totalQuantity: decimalToSage(line.quantity),
        unitPrice: decimalToSage(line.unitPriceExclTax),
        ...(line.discountPercent ? { firstDiscount: decimalToSage(line.discountPercent) } : {}),
      })),
    );
    return {
      customerId: draft.customerId,
      documentDate: draft.issueDate,
      externalReference: reference,
      // Internal note: our full reference, for whoever reads the invoice in Sage.
      remarks: `Encaisse ${draft.externalReference}`.slice(0, MAX.remarks),
      ...(draft.label ? { comments: draft.label.slice(0, MAX.comments) } : {}),
      ...(mentions ? { specialMention: mentions } : {}),
      // One instalment on the drafted due date, whatever the customer's default terms.
      paymentTermLines: [
        { order: 9999, type: "REMAINING_AMOUNT", value: 0, condition: "NONE", day: days },
      ],
      ...(this.options.eInvoicing
        ? {
            shouldSendViaElectronicInvoicing: true,
            regulatoryBillingFramework: BILLING_FRAMEWORK[draft.operationNature],
          }
        : {}),
      lines,
    };
  }
}

function entryDescription(invoice: SageInvoice): string {
  const text = ["Facture", invoice.operationalNumber, invoice.socialName].filter(Boolean).join(" ");
  return text.slice(0, MAX.entryDescription);
}

/**
 * Sage decides the VAT of a line from the product and the customer (vat-codes.ts). Before
 * the invoice gets a number, check it charged what the deal says; otherwise leave the draft
 * for someone to look at.
 */
export function assertVatAsDrafted(invoice: SageInvoice, draft: InvoiceDraft): void {
  const lines = [...(invoice.lines ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const mismatches = draft.lines.flatMap((line, index) => {
    const applied = lines[index]?.vatPercentage ?? null;
    const appliedBasisPoints = applied === null ? null : percentageToBasisPoints(applied);
    const expected = chargedRateOf(line.vatCode);
    return appliedBasisPoints === expected
      ? []
      : [
          {
            line: index + 1,
            vatCode: line.vatCode,
            expectedPercent: expected / 100,
            appliedPercent: applied,
          },
        ];
  });
  if (mismatches.length > 0 || lines.length !== draft.lines.length) {
    throw new DomainError(
      "SAGE_VAT_MISMATCH",
      "Sage Active charged a different VAT than the deal says (check the customer's country and VAT number in Sage); the invoice was left as a draft.",
      { invoiceId: invoice.id, mismatches, lineCount: lines.length },
    );
  }
}
