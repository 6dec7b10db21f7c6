/**
 * What we read from Pennylane, as zod schemas derived from the official OpenAPI
 * (../specs/pennylane/accounting-openapi.json, 2026 API changes opted in). Only the fields we
 * use are declared; extra fields are ignored so that Pennylane may add some without breaking
 * us. Fields the spec marks required but that real answers have been seen to leave empty
 * ("" or null on drafts and imported records) are read leniently.
 */
import { z } from "zod";

/** An amount or quantity as Pennylane writes it: "230.32", "34.0", "-5", "1234.567800". */
export const decimalText = z.string().regex(/^[+-]?\d+(\.\d+)?$/, "Expected a decimal string.");

/** Quantities are strings in answers; a number is accepted in case an endpoint differs. */
const quantityText = z.union([
  decimalText,
  z.number().transform((value, context) => {
    const text = String(value);
    if (!/^-?\d+(\.\d+)?$/.test(text)) {
      context.addIssue({ code: "custom", message: "Quantity is not a plain decimal." });
      return z.NEVER;
    }
    return text;
  }),
]);

const optionalText = z.string().nullable().optional();
const resourceId = z.number().int().positive();

export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    has_more: z.boolean(),
    next_cursor: z.string().nullable(),
  });
}

/** GET /me — https://pennylane.readme.io/reference/getme */
export const meSchema = z.object({
  user: z.object({ email: optionalText }).nullable().optional(),
  company: z.object({ id: resourceId, name: z.string(), reg_no: optionalText }),
  scopes: z.array(z.string()).default([]),
});
export type PennylaneMe = z.infer<typeof meSchema>;

const addressSchema = z.object({
  address: optionalText,
  postal_code: optionalText,
  city: optionalText,
  country_alpha2: optionalText,
});

/** A company or individual customer (GET /customers, /customers/{id}, POST /company_customers). */
export const customerSchema = z.object({
  id: resourceId,
  customer_type: z.enum(["company", "individual"]).default("company"),
  name: z.string(),
  first_name: optionalText,
  last_name: optionalText,
  reg_no: optionalText,
  vat_number: optionalText,
  emails: z.array(z.string()).nullable().default([]),
  billing_address: addressSchema.nullable().optional(),
  payment_conditions: optionalText,
  external_reference: optionalText,
});
export type PennylaneCustomer = z.infer<typeof customerSchema>;

export const customerPageSchema = pageOf(customerSchema);

/** A customer invoice or credit note (list, retrieve, create, finalize answers). */
export const invoiceSchema = z.object({
  id: resourceId,
  invoice_number: optionalText,
  label: optionalText,
  currency: z.string().regex(/^[A-Z]{3}$/),
  currency_amount: decimalText,
  currency_amount_before_tax: decimalText,
  currency_tax: decimalText,
  remaining_amount_with_tax: decimalText.nullable(),
  date: z.string().nullable(),
  deadline: z.string().nullable(),
  paid: z.boolean(),
  draft: z.boolean(),
  status: z.string(),
  public_file_url: optionalText,
  customer: z.object({ id: resourceId }).nullable(),
  credited_invoice: z.object({ id: resourceId }).nullable().optional(),
  external_reference: optionalText,
  created_at: z.string(),
  updated_at: z.string(),
});
export type PennylaneInvoice = z.infer<typeof invoiceSchema>;

export const invoicePageSchema = pageOf(invoiceSchema);

/** GET /customer_invoices/{id}/invoice_lines */
export const invoiceLineSchema = z.object({
  id: resourceId,
  label: z
    .string()
    .nullable()
    .transform((label) => label ?? ""),
  quantity: quantityText,
  raw_currency_unit_price: decimalText,
  vat_rate: z.string(),
  currency_amount: decimalText,
  currency_amount_before_tax: decimalText,
  currency_tax: decimalText,
  discount: z
    .object({ type: z.string(), value: z.union([z.string(), z.number()]).nullable() })
    .nullable()
    .optional(),
});
export type PennylaneInvoiceLine = z.infer<typeof invoiceLineSchema>;

export const invoiceLinePageSchema = pageOf(invoiceLineSchema);

/** GET /customer_invoices/{id}/payments */
export const paymentSchema = z.object({
  id: resourceId,
  label: optionalText,
  currency_amount: decimalText,
  status: z.string(),
  created_at: z.string(),
});
export type PennylanePayment = z.infer<typeof paymentSchema>;

export const paymentPageSchema = pageOf(paymentSchema);

/** GET /changelogs/customer_invoices and /changelogs/customers */
export const changeSchema = z.object({
  id: resourceId,
  operation: z.enum(["insert", "update", "delete"]),
  processed_at: z.string(),
  updated_at: z.string().nullable().optional(),
});
export type PennylaneChange = z.infer<typeof changeSchema>;

export const changePageSchema = pageOf(changeSchema);
