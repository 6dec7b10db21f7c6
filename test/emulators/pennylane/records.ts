/**
 * What the emulator stores. Amounts are integer cents and exact decimal strings; everything a
 * response shows that can be derived (status, paid, remaining) is derived when rendering.
 */
import type { CalendarDate, Cents } from "@encaisse/shared";

export const PAYMENT_CONDITIONS = [
  "upon_receipt",
  "custom",
  "7_days",
  "15_days",
  "30_days",
  "30_days_end_of_month",
  "45_days",
  "45_days_end_of_month",
  "60_days",
] as const;
export type PaymentConditions = (typeof PAYMENT_CONDITIONS)[number];

export const LANGUAGES = ["fr_FR", "en_GB", "de_DE"] as const;
export type Language = (typeof LANGUAGES)[number];

export interface PostalAddress {
  readonly address: string;
  readonly postal_code: string;
  readonly city: string;
  readonly country_alpha2: string;
}

export interface CustomerRecord {
  readonly id: number;
  readonly kind: "company" | "individual";
  name: string;
  firstName: string;
  lastName: string;
  /** SIREN for companies; "" when unknown. */
  regNo: string;
  vatNumber: string;
  emails: string[];
  phone: string;
  recipient: string;
  reference: string | null;
  notes: string | null;
  billingIban: string | null;
  billingAddress: PostalAddress;
  deliveryAddress: PostalAddress;
  paymentConditions: PaymentConditions;
  externalReference: string;
  billingLanguage: Language;
  ledgerAccountId: number | null;
  readonly createdAt: string;
  updatedAt: string;
}

export interface ProductRecord {
  readonly id: number;
  label: string;
  description: string;
  externalReference: string;
  /** Decimal string, before tax. */
  priceBeforeTax: string;
  vatRate: string;
  unit: string;
  reference: string | null;
  readonly createdAt: string;
  updatedAt: string;
}

export interface InvoiceLineRecord {
  readonly id: number;
  label: string;
  unit: string | null;
  /** Exact decimal text, negative on credit notes. */
  quantity: string;
  /** Exact decimal text, before tax and discount. */
  rawUnitPrice: string;
  vatRate: string;
  /** Relative line discount in percent, or null. */
  discountPercent: string | null;
  description: string;
  productId: number | null;
  sectionRank: number | null;
  netCents: Cents;
  vatCents: Cents;
  grossCents: Cents;
  readonly createdAt: string;
  updatedAt: string;
}

export interface InvoiceRecord {
  readonly id: number;
  customerId: number;
  draft: boolean;
  /** Assigned at finalization; null while a draft. */
  number: string | null;
  date: CalendarDate;
  deadline: CalendarDate;
  label: string | null;
  externalReference: string;
  language: Language;
  pdfInvoiceFreeText: string;
  pdfInvoiceSubject: string;
  pdfDescription: string | null;
  specialMention: string | null;
  /** Relative invoice-level discount in percent, or null. */
  discountPercent: string | null;
  lines: InvoiceLineRecord[];
  netCents: Cents;
  vatCents: Cents;
  grossCents: Cents;
  /** A credit note is an invoice whose total is negative. */
  readonly creditNote: boolean;
  /** The invoice this credit note cancels, once linked. */
  creditedInvoiceId: number | null;
  /** Cancelled in the seed book without a credit note to show for it. */
  cancelledInBook: boolean;
  /** Set by `mark_as_paid`: paid without any payment recorded. */
  markedPaid: boolean;
  readonly ledgerEntryId: number;
  templateId: number | null;
  readonly createdAt: string;
  updatedAt: string;
}

export interface PaymentRecord {
  readonly id: number;
  readonly invoiceId: number;
  readonly label: string;
  readonly amountCents: Cents;
  readonly date: CalendarDate;
  /** The bank transaction the payment was matched with. */
  readonly transactionId: number;
  readonly createdAt: string;
}

export interface InvoiceTemplateRecord {
  readonly id: number;
  readonly name: string;
  readonly createdAt: string;
}
