/**
 * The normalized model every part of Encaisse speaks. Providers map their own shapes to
 * these at their boundary (functions/src/providers/<name>/); nothing past it sees a
 * Pennylane or Sage Active field.
 */
import { z } from "zod";
import { calendarDateSchema, paymentTermsSchema } from "./dates";
import { vatCodeSchema } from "./vat";

export const providerSchema = z.enum(["pennylane", "sage_active"]);
export type Provider = z.infer<typeof providerSchema>;

/** Integer minor units; never a float amount. */
export const centsSchema = z.number().int().refine(Number.isSafeInteger, "Amount out of range.");

/** An exact decimal as a string ("1.5", "1234.567800"): quantities and unit prices. */
export const decimalStringSchema = z
  .string()
  .regex(
    /^-?\d{1,15}(\.\d{1,6})?$/,
    "Expected a decimal number with at most 6 decimals, e.g. 1234.50.",
  );

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, "Expected an ISO 4217 code such as EUR.");

export const addressSchema = z.object({
  line1: z.string().min(1),
  line2: z.string().nullable().default(null),
  postalCode: z.string().min(1),
  city: z.string().min(1),
  /** ISO 3166-1 alpha-2, e.g. FR. */
  countryCode: z.string().regex(/^[A-Z]{2}$/),
});
export type Address = z.infer<typeof addressSchema>;

export const customerSchema = z.object({
  provider: providerSchema,
  /** The customer's id in the accounting software. */
  providerId: z.string().min(1),
  kind: z.enum(["company", "individual"]),
  name: z.string().min(1),
  siren: z
    .string()
    .regex(/^\d{9}$/)
    .nullable(),
  siret: z
    .string()
    .regex(/^\d{14}$/)
    .nullable(),
  vatNumber: z.string().nullable(),
  emails: z.array(z.string()),
  billingAddress: addressSchema.nullable(),
  paymentTerms: paymentTermsSchema.nullable(),
  externalReference: z.string().nullable(),
});
export type Customer = z.infer<typeof customerSchema>;

export const paymentMethodSchema = z.enum([
  "transfer",
  "direct_debit",
  "card",
  "check",
  "cash",
  "credit_note",
  "other",
]);
export type PaymentMethod = z.infer<typeof paymentMethodSchema>;

export const paymentSchema = z.object({
  id: z.string().min(1),
  date: calendarDateSchema,
  amountCents: centsSchema,
  method: paymentMethodSchema,
  label: z.string().nullable(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const invoiceStatusSchema = z.enum([
  "draft",
  "open",
  "partially_paid",
  "paid",
  "overdue",
  "cancelled",
  "credit_note",
]);
export type InvoiceStatus = z.infer<typeof invoiceStatusSchema>;

export const invoiceLineSchema = z.object({
  label: z.string(),
  quantity: decimalStringSchema,
  unitPriceExclTax: decimalStringSchema,
  vatCode: vatCodeSchema,
  discountPercent: decimalStringSchema.nullable(),
  netCents: centsSchema,
  vatCents: centsSchema,
  grossCents: centsSchema,
});
export type InvoiceLine = z.infer<typeof invoiceLineSchema>;

export const invoiceSchema = z.object({
  provider: providerSchema,
  id: z.string().min(1),
  /** Null while a draft: numbers are assigned when the invoice is finalized. */
  number: z.string().nullable(),
  customerId: z.string().min(1),
  customerName: z.string(),
  issueDate: calendarDateSchema,
  dueDate: calendarDateSchema,
  currency: currencySchema,
  netCents: centsSchema,
  vatCents: centsSchema,
  grossCents: centsSchema,
  paidCents: centsSchema,
  remainingCents: centsSchema,
  status: invoiceStatusSchema,
  /** Days past the due date while money is still owed; 0 otherwise. */
  daysLate: z.number().int().nonnegative(),
  isDraft: z.boolean(),
  isCreditNote: z.boolean(),
  isCancelled: z.boolean(),
  /** The provider's own status word, kept for support and audit. */
  providerStatus: z.string(),
  lines: z.array(invoiceLineSchema),
  payments: z.array(paymentSchema),
  externalReference: z.string().nullable(),
  /** The invoice's page in the accounting web app (stable). PDF links expire and are fetched on demand. */
  webUrl: z.string().nullable(),
  /** When the provider last changed it (ISO 8601). */
  updatedAt: z.string(),
});
export type Invoice = z.infer<typeof invoiceSchema>;

export const operationNatureSchema = z.enum(["goods", "services", "mixed"]);

export const draftLineSchema = z.object({
  label: z.string().min(1).max(500),
  quantity: decimalStringSchema,
  unitPriceExclTax: decimalStringSchema,
  vatCode: vatCodeSchema,
  discountPercent: decimalStringSchema.nullable().default(null),
  /** Where the line came from (HubSpot line item id), for audit. */
  sourceId: z.string().nullable().default(null),
});
export type DraftLine = z.infer<typeof draftLineSchema>;

/** What we ask the accounting software to create from a deal. */
export const invoiceDraftSchema = z.object({
  externalReference: z.string().min(1).max(100),
  customerId: z.string().min(1),
  issueDate: calendarDateSchema,
  dueDate: calendarDateSchema,
  paymentTerms: paymentTermsSchema,
  currency: currencySchema,
  operationNature: operationNatureSchema,
  lines: z.array(draftLineSchema).min(1),
  legalMentions: z.array(z.string()),
  finalize: z.boolean(),
  label: z.string().nullable().default(null),
});
export type InvoiceDraft = z.infer<typeof invoiceDraftSchema>;
