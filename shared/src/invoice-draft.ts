/**
 * From a won deal to the invoice we ask the accounting software to create — and the French
 * mandatory mentions checked before anything is sent (décret 2022-1299, Code de commerce
 * L441-9): customer SIREN (or intra-EU VAT number), billing address, nature of the
 * operation, late-payment penalties and the EUR 40 indemnity, and the VAT exemption mention
 * of every line that charges no French VAT.
 */
import { type FieldError } from "./contracts/errors";
import {
  type CalendarDate,
  type EndOfMonthConvention,
  type PaymentTerms,
  dueDateFor,
} from "./dates";
import { DomainError } from "./errors";
import { validateSiren, validateSiret, validateVatNumber } from "./identifiers";
import type { Address, DraftLine, InvoiceDraft } from "./model";
import { parseDecimal } from "./money";
import {
  type InvoiceAmounts,
  type LineAmounts,
  computeInvoiceAmounts,
  computeLineAmounts,
} from "./totals";
import {
  type OperationNature,
  type VatCode,
  chargedRateOf,
  isVatCode,
  legalMentionFor,
  requiresCustomerVatNumber,
} from "./vat";

/** Our reference on every invoice created from a deal: how a retry finds the first attempt. */
export function externalReferenceForDeal(dealId: string): string {
  if (!/^\d{1,20}$/.test(dealId)) {
    throw new DomainError("VALIDATION_FAILED", `"${dealId}" is not a HubSpot deal id.`, { dealId });
  }
  return `hubspot-deal-${dealId}`;
}

export interface DealLineItem {
  readonly id: string;
  readonly name: string;
  /** Decimal strings as HubSpot stores them. */
  readonly quantity: string;
  readonly unitPriceExclTax: string;
  readonly discountPercent: string | null;
  /** From the line item or its product; null falls back to the tenant's default. */
  readonly vatCode: string | null;
}

export interface BillingCustomer {
  readonly name: string;
  readonly siren: string | null;
  readonly siret: string | null;
  readonly vatNumber: string | null;
  readonly billingAddress: Address | null;
  readonly paymentTerms: PaymentTerms | null;
}

export interface DraftSettings {
  readonly defaultVatCode: VatCode;
  readonly defaultPaymentTerms: PaymentTerms;
  readonly endOfMonthConvention: EndOfMonthConvention;
  readonly finalize: boolean;
}

export interface BuildDraftInput {
  readonly dealId: string;
  readonly dealName: string | null;
  readonly currency: string;
  readonly lineItems: readonly DealLineItem[];
  readonly customer: BillingCustomer;
  /** The customer's id in the accounting software; null when it will be created. */
  readonly providerCustomerId: string | null;
  readonly operationNature: OperationNature | null;
  readonly settings: DraftSettings;
  readonly today: CalendarDate;
}

export interface DraftPreview {
  readonly draft: Omit<InvoiceDraft, "customerId"> & { readonly customerId: string | null };
  readonly lines: ReadonlyArray<DraftLine & LineAmounts>;
  readonly amounts: InvoiceAmounts;
}

export type BuildDraftResult =
  | { readonly ok: true; readonly preview: DraftPreview }
  | { readonly ok: false; readonly fieldErrors: readonly FieldError[] };

/** The late-payment mentions every B2B invoice must carry (L441-10, D441-5). */
export const LATE_PAYMENT_MENTION =
  "En cas de retard de paiement, des pénalités sont exigibles au taux de refinancement de la BCE majoré de 10 points, ainsi qu'une indemnité forfaitaire pour frais de recouvrement de 40 € (art. L441-10 et D441-5 du Code de commerce).";

const isFrench = (address: Address | null) => (address?.countryCode ?? "FR") === "FR";

function customerErrors(customer: BillingCustomer, lines: readonly DraftLine[]): FieldError[] {
  const errors: FieldError[] = [];
  const address = customer.billingAddress;
  if (
    !address ||
    !address.line1.trim() ||
    !address.postalCode.trim() ||
    !address.city.trim() ||
    !address.countryCode.trim()
  ) {
    errors.push({
      field: "customer.billingAddress",
      code: "CUSTOMER_ADDRESS_MISSING",
      message:
        "The company needs a full billing address (street, postal code, city, country) on its HubSpot record.",
    });
  }
  if (isFrench(address)) {
    const siret = customer.siret ? validateSiret(customer.siret) : null;
    const siren = customer.siren ? validateSiren(customer.siren) : null;
    if (!siren && !siret) {
      errors.push({
        field: "customer.siren",
        code: "CUSTOMER_SIREN_MISSING",
        message:
          "French invoices must show the customer's SIREN: add it to the company in HubSpot.",
      });
    } else if ((siren && !siren.ok) || (siret && !siret.ok)) {
      const failure = siren && !siren.ok ? siren.error : siret && !siret.ok ? siret.error : null;
      errors.push({
        field: siren && !siren.ok ? "customer.siren" : "customer.siret",
        code: failure?.code ?? "SIREN_INVALID_FORMAT",
        message: failure?.message ?? "The customer's SIREN is not valid.",
      });
    }
  }
  const needsVatNumber =
    !isFrench(address) || lines.some((line) => requiresCustomerVatNumber(line.vatCode));
  if (needsVatNumber) {
    const vat = customer.vatNumber ? validateVatNumber(customer.vatNumber) : null;
    if (!vat) {
      errors.push({
        field: "customer.vatNumber",
        code: "CUSTOMER_VAT_NUMBER_MISSING",
        message:
          "This invoice needs the customer's intra-EU VAT number (EU customer or reverse charge).",
      });
    } else if (!vat.ok) {
      errors.push({
        field: "customer.vatNumber",
        code: vat.error.code,
        message: vat.error.message,
      });
    }
  }
  return errors;
}

function lineFromItem(
  item: DealLineItem,
  index: number,
  settings: DraftSettings,
): { line: DraftLine | null; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const field = (name: string) => `lineItems[${index}].${name}`;
  const decimal = (text: string, name: string, code: string, what: string): string | null => {
    try {
      const value = parseDecimal(text);
      if (value.scale > 6) throw new Error("too precise");
      return text.trim().replace(",", ".");
    } catch {
      errors.push({
        field: field(name),
        code,
        message: `Line "${item.name}": ${what} "${text}" is not a number.`,
      });
      return null;
    }
  };
  const quantity = decimal(item.quantity, "quantity", "LINE_QUANTITY_INVALID", "the quantity");
  const unitPrice = decimal(item.unitPriceExclTax, "price", "LINE_PRICE_INVALID", "the unit price");
  const discount =
    item.discountPercent === null || item.discountPercent.trim() === ""
      ? null
      : decimal(item.discountPercent, "discount", "LINE_DISCOUNT_INVALID", "the discount");
  if (quantity !== null && parseDecimal(quantity).units <= 0n) {
    errors.push({
      field: field("quantity"),
      code: "LINE_QUANTITY_INVALID",
      message: `Line "${item.name}": the quantity must be positive.`,
    });
  }
  if (unitPrice !== null && parseDecimal(unitPrice).units < 0n) {
    errors.push({
      field: field("price"),
      code: "LINE_PRICE_INVALID",
      message: `Line "${item.name}": a negative price belongs on a credit note, not an invoice.`,
    });
  }
  const vatCode =
    item.vatCode === null || item.vatCode === "" ? settings.defaultVatCode : item.vatCode;
  if (!isVatCode(vatCode)) {
    errors.push({
      field: field("vatCode"),
      code: "VAT_RATE_UNKNOWN",
      message: `Line "${item.name}": "${item.vatCode}" is not a VAT code we know (e.g. FR_200 for 20 %).`,
    });
  }
  if (!item.name.trim()) {
    errors.push({
      field: field("name"),
      code: "LINE_LABEL_MISSING",
      message: "Every line needs a label.",
    });
  }
  if (errors.length > 0 || quantity === null || unitPrice === null || !isVatCode(vatCode)) {
    return { line: null, errors };
  }
  return {
    line: {
      label: item.name.trim(),
      quantity,
      unitPriceExclTax: unitPrice,
      vatCode,
      discountPercent: discount,
      sourceId: item.id,
    },
    errors,
  };
}

/**
 * Builds the invoice draft for a deal, or the field errors that must be fixed first. Pure:
 * `today` is the Paris date the invoice will carry.
 */
export function buildInvoiceDraft(input: BuildDraftInput): BuildDraftResult {
  const errors: FieldError[] = [];
  if (input.lineItems.length === 0) {
    errors.push({
      field: "lineItems",
      code: "DEAL_HAS_NO_LINE_ITEMS",
      message: "The deal has no line items: add the products sold before invoicing.",
    });
  }
  const lines: DraftLine[] = [];
  input.lineItems.forEach((item, index) => {
    const result = lineFromItem(item, index, input.settings);
    errors.push(...result.errors);
    if (result.line) lines.push(result.line);
  });
  errors.push(...customerErrors(input.customer, lines));
  if (input.operationNature === null) {
    errors.push({
      field: "operationNature",
      code: "OPERATION_NATURE_MISSING",
      message: "Say whether the invoice is for goods, services or both (mandatory mention).",
    });
  }
  const terms = input.customer.paymentTerms ?? input.settings.defaultPaymentTerms;
  let dueDate: CalendarDate | null = null;
  try {
    dueDate = dueDateFor(input.today, terms, input.settings.endOfMonthConvention);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    errors.push({ field: "customer.paymentTerms", code: error.code, message: error.message });
  }
  if (errors.length > 0 || dueDate === null || input.operationNature === null) {
    return { ok: false, fieldErrors: errors };
  }
  const nature = input.operationNature;
  const lineAmounts = lines.map((line) => ({
    ...line,
    ...computeLineAmounts(lineInput(line)),
  }));
  const mentions = new Set<string>([LATE_PAYMENT_MENTION]);
  for (const line of lines) {
    const mention = legalMentionFor(line.vatCode, nature);
    if (mention) mentions.add(mention);
  }
  return {
    ok: true,
    preview: {
      draft: {
        externalReference: externalReferenceForDeal(input.dealId),
        customerId: input.providerCustomerId,
        issueDate: input.today,
        dueDate,
        paymentTerms: terms,
        currency: input.currency,
        operationNature: nature,
        lines,
        legalMentions: [...mentions],
        finalize: input.settings.finalize,
        label: input.dealName,
      },
      lines: lineAmounts,
      amounts: computeInvoiceAmounts(lines.map(lineInput)),
    },
  };
}

function lineInput(line: DraftLine) {
  return {
    quantity: line.quantity,
    unitPriceExclTax: line.unitPriceExclTax,
    vatRateBasisPoints: chargedRateOf(line.vatCode),
    discountPercent: line.discountPercent ?? undefined,
  };
}
