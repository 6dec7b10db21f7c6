/**
 * Request bodies of the endpoints the emulator serves, as zod schemas mirroring the official
 * OpenAPI (`additionalProperties: false` becomes a strict object). A body that does not fit
 * is answered 400 `{ message, field, code }` with the spec's error codes, as Pennylane's own
 * schema validation does.
 */
import { isCalendarDate } from "@encaisse/shared";
import { type ZodType, z } from "zod";
import { type BadRequestCode, badRequest } from "./errors";
import { LANGUAGES, PAYMENT_CONDITIONS } from "./records";

const id = z.number().int();
const calendarDate = z.string().refine(isCalendarDate, { message: "must be a date (YYYY-MM-DD)" });
const discount = z.strictObject({ type: z.enum(["absolute", "relative"]), value: z.string() });
const imputationDates = z.strictObject({ start_date: calendarDate, end_date: calendarDate });

const address = z.strictObject({
  address: z.string(),
  postal_code: z.string(),
  city: z.string(),
  country_alpha2: z.string(),
});

export const companyCustomerCreateSchema = z.strictObject({
  name: z.string(),
  vat_number: z.string().optional(),
  reg_no: z.string().optional(),
  ledger_account: z.strictObject({ number: z.string() }).nullable().optional(),
  phone: z.string().optional(),
  billing_address: address,
  delivery_address: address.optional(),
  payment_conditions: z.enum(PAYMENT_CONDITIONS).optional(),
  billing_iban: z.string().nullable().optional(),
  recipient: z.string().optional(),
  reference: z.string().nullable().optional(),
  notes: z.string().nullable().optional(),
  emails: z.array(z.string()).optional(),
  external_reference: z.string().optional(),
  billing_language: z.enum(LANGUAGES).optional(),
});
export type CompanyCustomerCreate = z.infer<typeof companyCustomerCreateSchema>;

export const companyCustomerUpdateSchema = companyCustomerCreateSchema
  .omit({ ledger_account: true })
  .partial();
export type CompanyCustomerUpdate = z.infer<typeof companyCustomerUpdateSchema>;

const lineExtras = {
  ledger_account_id: id.optional(),
  section_rank: id.optional(),
  discount: discount.optional(),
  description: z.string().nullable().optional(),
  imputation_dates: imputationDates.nullable().optional(),
};

const productLineSchema = z.strictObject({
  product_id: id,
  quantity: z.number(),
  label: z.string().optional(),
  raw_currency_unit_price: z.string().optional(),
  unit: z.string().optional(),
  vat_rate: z.string().optional(),
  ...lineExtras,
});

const explicitLineSchema = z.strictObject({
  label: z.string(),
  quantity: z.number(),
  raw_currency_unit_price: z.string(),
  unit: z.string(),
  vat_rate: z.string(),
  ...lineExtras,
});

export type NewInvoiceLine = z.infer<typeof productLineSchema> | z.infer<typeof explicitLineSchema>;

const lineUpdateSchema = z.strictObject({
  id,
  label: z.string().optional(),
  quantity: z.number().optional(),
  ledger_account_id: id.optional(),
  raw_currency_unit_price: z.string().optional(),
  unit: z.string().optional(),
  vat_rate: z.string().optional(),
  description: z.string().nullable().optional(),
  product_id: id.optional(),
  discount: discount.optional(),
  section_rank: id.optional(),
  imputation_dates: imputationDates.nullable().optional(),
});
export type InvoiceLineUpdate = z.infer<typeof lineUpdateSchema>;

const transactionReference = z.strictObject({
  banking_provider: z.string(),
  provider_field_name: z.string(),
  provider_field_value: z.string(),
});

const invoiceHeader = {
  customer_invoice_template_id: id.optional(),
  pdf_invoice_free_text: z.string().nullable().optional(),
  pdf_invoice_subject: z.string().nullable().optional(),
  pdf_description: z.string().max(5000).nullable().optional(),
  currency: z.string().optional(),
  special_mention: z.string().max(20000).nullable().optional(),
  language: z.enum(LANGUAGES).optional(),
  discount: discount.optional(),
  invoice_line_sections: z
    .array(
      z.strictObject({
        title: z.string().optional(),
        description: z.string().optional(),
        rank: id.min(1),
      }),
    )
    .optional(),
  label: z.string().max(2000).nullable().optional(),
  external_reference: z.string().optional(),
};

const invoiceCreateSchema = z.strictObject({
  date: calendarDate,
  deadline: calendarDate,
  customer_id: id,
  ...invoiceHeader,
  draft: z.boolean().optional(),
  transaction_reference: transactionReference.optional(),
  invoice_lines: z.array(z.unknown()).min(1),
});

export type InvoiceCreate = Omit<z.infer<typeof invoiceCreateSchema>, "invoice_lines"> & {
  readonly invoice_lines: NewInvoiceLine[];
};

const invoiceUpdateSchema = z.strictObject({
  date: calendarDate.optional(),
  deadline: calendarDate.optional(),
  customer_id: id.optional(),
  ...invoiceHeader,
  discount: z
    .strictObject({ type: z.enum(["absolute", "relative"]), value: z.string().nullable() })
    .optional(),
  transaction_reference: transactionReference.optional(),
  invoice_lines: z
    .strictObject({
      create: z.array(z.unknown()).optional(),
      update: z.array(lineUpdateSchema).optional(),
      delete: z.array(z.strictObject({ id })).optional(),
    })
    .optional(),
});

export type InvoiceUpdate = Omit<z.infer<typeof invoiceUpdateSchema>, "invoice_lines"> & {
  readonly invoice_lines?: {
    readonly create?: NewInvoiceLine[];
    readonly update?: InvoiceLineUpdate[];
    readonly delete?: { id: number }[];
  };
};

export const linkCreditNoteSchema = z.strictObject({ credit_note_id: id });
/** POST /customer_invoices/{id}/send_by_email; no body (or no recipients): the customer's own addresses. */
export const sendByEmailSchema = z
  .strictObject({ recipients: z.array(z.string().email()).optional() })
  .optional();

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function codeOf(issue: z.core.$ZodIssue, input: unknown): BadRequestCode {
  switch (issue.code) {
    case "invalid_type":
      if (valueAt(input, issue.path) === undefined) return "NotExistRequiredKey";
      return valueAt(input, issue.path) === null ? "NotNullError" : "ValidateError";
    case "invalid_value":
      return "NotEnumInclude";
    case "unrecognized_keys":
      return "NotExistPropertyDefinition";
    case "too_small":
      return issue.origin === "array"
        ? "LessThanMinItems"
        : issue.origin === "string"
          ? "LessThanMinLength"
          : "LessThanMinimum";
    case "too_big":
      return issue.origin === "array"
        ? "MoreThanMaxItems"
        : issue.origin === "string"
          ? "MoreThanMaxLength"
          : "MoreThanMaximum";
    case "custom":
      // The only refinement in these schemas is the calendar-date check.
      return "InvalidDateFormat";
    default:
      return "ValidateError";
  }
}

function pathText(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter((part) => part !== "").join(".");
}

/** Parses `input` with `schema`, or throws the 400 Pennylane would answer. */
export function parseBody<T>(schema: ZodType<T>, input: unknown, prefix = ""): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  if (issue === undefined) throw badRequest("Invalid request body");
  const field =
    issue.code === "unrecognized_keys"
      ? pathText(prefix, [...issue.path, issue.keys[0] ?? ""])
      : pathText(prefix, issue.path);
  const code = codeOf(issue, input);
  const message =
    code === "NotExistRequiredKey"
      ? `${field} is required`
      : code === "NotExistPropertyDefinition"
        ? `${field} is not a known property`
        : `${field === "" ? "body" : field}: ${issue.message}`;
  throw badRequest(message, field === "" ? undefined : field, code);
}

/** A new line is a product line when it names a product, else every field must be given. */
export function parseNewLine(input: unknown, prefix: string): NewInvoiceLine {
  const isProductLine = input !== null && typeof input === "object" && "product_id" in input;
  return isProductLine
    ? parseBody(productLineSchema, input, prefix)
    : parseBody(explicitLineSchema, input, prefix);
}

export function parseInvoiceCreate(input: unknown): InvoiceCreate {
  const header = parseBody(invoiceCreateSchema, input);
  if (header.draft === true && header.transaction_reference !== undefined) {
    throw badRequest(
      "transaction_reference is not a known property of a draft",
      "transaction_reference",
      "NotExistPropertyDefinition",
    );
  }
  return {
    ...header,
    invoice_lines: header.invoice_lines.map((line, index) =>
      parseNewLine(line, `invoice_lines.${index}`),
    ),
  };
}

export function parseInvoiceUpdate(input: unknown): InvoiceUpdate {
  const { invoice_lines: lines, ...rest } = parseBody(invoiceUpdateSchema, input);
  if (lines === undefined) return rest;
  return {
    ...rest,
    invoice_lines: {
      ...(lines.update === undefined ? {} : { update: lines.update }),
      ...(lines.delete === undefined ? {} : { delete: lines.delete }),
      ...(lines.create === undefined
        ? {}
        : {
            create: lines.create.map((line, index) =>
              parseNewLine(line, `invoice_lines.create.${index}`),
            ),
          }),
    },
  };
}
