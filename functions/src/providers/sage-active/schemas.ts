/**
 * What Sage Active answers, parsed once at the boundary. Every field Sage declares nullable
 * is read as `T | null`; decimals become exact strings (decimal.ts), dates "YYYY-MM-DD",
 * instants ISO 8601 in UTC. Unknown status words are kept as they are (reference §9).
 */
import { isCalendarDate } from "@encaisse/shared";
import { z } from "zod";
import { decimalFromSage } from "./decimal";

const nullable = <T extends z.ZodType>(schema: T) =>
  schema.nullish().transform((value) => (value ?? null) as z.infer<T> | null);

/** A Decimal: a JSON number read back exactly (or refused), or a decimal string. */
export const sageDecimalSchema = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const exact = decimalFromSage(value);
  if (exact === null) {
    ctx.addIssue({ code: "custom", message: `${value} is not an exactly readable decimal.` });
    return z.NEVER;
  }
  return exact;
});

/** The calendar date of a "date" DateTime: only the date part counts (reference §2.2). */
export const sageDateSchema = z.string().transform((value, ctx) => {
  const date = value.slice(0, 10);
  if (!isCalendarDate(date)) {
    ctx.addIssue({ code: "custom", message: `${value} is not a date.` });
    return z.NEVER;
  }
  return date;
});

const HAS_OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * An instant as ISO 8601 UTC. A bare date is midnight UTC; a date-time without an offset
 * (the format is undocumented) is read as UTC too.
 */
export function instantOf(value: string): number {
  const text =
    value.length === 10 ? `${value}T00:00:00Z` : HAS_OFFSET.test(value) ? value : `${value}Z`;
  return Date.parse(text);
}

export const sageInstantSchema = z.string().transform((value, ctx) => {
  const ms = instantOf(value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: "custom", message: `${value} is not a date-time.` });
    return z.NEVER;
  }
  return new Date(ms).toISOString();
});

export const pageInfoSchema = z.object({
  hasNextPage: z.boolean(),
  endCursor: nullable(z.string()),
});
export type SagePageInfo = z.infer<typeof pageInfoSchema>;

const nodesOf = <T extends z.ZodType>(node: T) =>
  nullable(z.array(node)).transform((nodes) => nodes ?? []);

export const connectionSchema = <T extends z.ZodType>(node: T) =>
  z.object({ nodes: nodesOf(node), pageInfo: pageInfoSchema });

const nodesOnlySchema = <T extends z.ZodType>(node: T) => z.object({ nodes: nodesOf(node) });

// ---------------------------------------------------------------------------------------
// Who am I

export const userProfileDataSchema = z.object({
  userProfile: z.object({
    id: z.string(),
    fullName: nullable(z.string()),
    authenticationEmail: nullable(z.string()),
  }),
});

export const organizationNodeSchema = z.object({
  id: z.string(),
  socialName: nullable(z.string()),
  legislationCode: nullable(z.string()),
  status: nullable(z.string()),
  onboardingCompleted: nullable(z.boolean()),
});
export type SageOrganization = z.infer<typeof organizationNodeSchema>;

export const organizationsDataSchema = z.object({
  organizations: connectionSchema(organizationNodeSchema),
});

export const organizationDetailDataSchema = z.object({
  organizationDetail: nodesOnlySchema(
    z.object({
      id: z.string(),
      socialName: nullable(z.string()),
      documentId: nullable(z.string()),
      vatNumber: nullable(z.string()),
      currency: nullable(z.object({ code: nullable(z.string()) })),
    }),
  ),
});

// ---------------------------------------------------------------------------------------
// Customers

export const sageCustomerSchema = z.object({
  id: z.string(),
  code: nullable(z.string()),
  socialName: nullable(z.string()),
  customerType: nullable(z.string()),
  countryAcronym: nullable(z.string()),
  documentId: nullable(z.string()),
  vatNumber: nullable(z.string()),
  creationDate: nullable(sageInstantSchema),
  modificationDate: nullable(sageInstantSchema),
  addresses: nullable(
    z.array(
      z.object({
        firstLine: nullable(z.string()),
        secondLine: nullable(z.string()),
        city: nullable(z.string()),
        zipCode: nullable(z.string()),
        countryIsoCodeAlpha2: nullable(z.string()),
        isMainAddress: nullable(z.boolean()),
      }),
    ),
  ),
  contacts: nullable(
    z.array(
      z.object({
        isDefaultCustomer: nullable(z.boolean()),
        emails: nullable(
          z.array(
            z.object({ emailAddress: nullable(z.string()), isDefault: nullable(z.boolean()) }),
          ),
        ),
      }),
    ),
  ),
  paymentTermLines: nullable(
    z.array(
      z.object({
        order: nullable(z.number()),
        type: nullable(z.string()),
        value: nullable(sageDecimalSchema),
        condition: nullable(z.string()),
        day: nullable(z.number()),
      }),
    ),
  ),
});
export type SageCustomer = z.infer<typeof sageCustomerSchema>;

export const customersDataSchema = z.object({ customers: nodesOnlySchema(sageCustomerSchema) });
export const customerPageDataSchema = z.object({ customers: connectionSchema(sageCustomerSchema) });

export const createCustomerDataSchema = z.object({
  createCustomer: z.object({ id: z.string(), code: nullable(z.string()) }),
});

// ---------------------------------------------------------------------------------------
// Sales invoices

export const sageOpenItemSchema = z.object({
  id: z.string(),
  amount: nullable(sageDecimalSchema),
  paidAmountAccumulated: nullable(sageDecimalSchema),
  dueDate: nullable(sageDateSchema),
  status: nullable(z.string()),
});
export type SageOpenItem = z.infer<typeof sageOpenItemSchema>;

export const sageInvoiceLineSchema = z.object({
  order: nullable(z.number()),
  productCode: nullable(z.string()),
  productName: nullable(z.string()),
  product: nullable(z.object({ code: nullable(z.string()), taxGroupId: nullable(z.string()) })),
  totalQuantity: nullable(sageDecimalSchema),
  unitPrice: nullable(sageDecimalSchema),
  firstDiscount: nullable(sageDecimalSchema),
  vatPercentage: nullable(sageDecimalSchema),
  totalNet: nullable(sageDecimalSchema),
  totalVat: nullable(sageDecimalSchema),
  totalLiquid: nullable(sageDecimalSchema),
});
export type SageInvoiceLine = z.infer<typeof sageInvoiceLineSchema>;

export const sageInvoiceSchema = z.object({
  id: z.string(),
  creationDate: nullable(sageInstantSchema),
  modificationDate: nullable(sageInstantSchema),
  customerId: nullable(z.string()),
  socialName: nullable(z.string()),
  operationalNumber: nullable(z.string()),
  status: nullable(z.string()),
  type: nullable(z.string()),
  documentDate: nullable(sageDateSchema),
  firstDueDate: nullable(sageDateSchema),
  countryAcronym: nullable(z.string()),
  vatNumber: nullable(z.string()),
  externalReference: nullable(z.string()),
  totalNet: nullable(sageDecimalSchema),
  totalVat: nullable(sageDecimalSchema),
  totalLiquid: nullable(sageDecimalSchema),
  hasCreditNote: nullable(z.boolean()),
  openItems: nullable(z.array(sageOpenItemSchema)),
  /** Absent from list selections. */
  lines: nullable(z.array(sageInvoiceLineSchema)).optional(),
});
export type SageInvoice = z.infer<typeof sageInvoiceSchema>;

export const invoicesDataSchema = z.object({ salesInvoices: nodesOnlySchema(sageInvoiceSchema) });
export const invoicePageDataSchema = z.object({
  // The whole-book listing also asks how many invoices there are (a backfill's progress).
  salesInvoices: connectionSchema(sageInvoiceSchema).extend({
    totalCount: z.number().int().nonnegative().optional(),
  }),
});

const invoiceStepSchema = z.object({
  id: z.string(),
  status: nullable(z.string()),
  operationalNumber: nullable(z.string()),
});
export const createInvoiceDataSchema = z.object({ createSalesInvoice: invoiceStepSchema });
export const closeInvoiceDataSchema = z.object({ closeSalesInvoice: invoiceStepSchema });
export const postInvoiceDataSchema = z.object({
  postSalesInvoice: z.object({
    accountingEntryId: nullable(z.string()),
    accountingEntryNumber: nullable(z.number()),
  }),
});

export const salesSetupDataSchema = z.object({
  organizationSalesSetupByOrgId: nullable(
    z.object({ defaultSalesPostingInvoiceJournalTypeId: nullable(z.string()) }),
  ),
});
export const salesJournalsDataSchema = z.object({
  journalTypes: nodesOnlySchema(
    z.object({ id: z.string(), code: nullable(z.string()), deactivated: nullable(z.boolean()) }),
  ),
});

export const invoicePdfDataSchema = z.object({
  documentPdfPreview: z.object({ pdfPreview: z.string().min(1) }),
});

// ---------------------------------------------------------------------------------------
// Payments

export const postingEntriesDataSchema = z.object({
  accountingEntries: connectionSchema(
    z.object({
      id: z.string(),
      salesInvoice: nullable(z.object({ id: z.string() })),
      accountingEntryLines: nullable(
        z.array(
          z.object({
            id: z.string(),
            accountingEntryPayment: nullable(z.object({ matchId: nullable(z.string()) })),
          }),
        ),
      ),
    }),
  ),
});

export const matchedEntryLinesDataSchema = z.object({
  accountingEntryPayments: connectionSchema(
    z.object({
      id: z.string(),
      matchId: nullable(z.string()),
      accountingEntryLine: nullable(
        z.object({
          id: z.string(),
          description: nullable(z.string()),
          debitAmount: nullable(sageDecimalSchema),
          creditAmount: nullable(sageDecimalSchema),
          accountingEntry: nullable(
            z.object({
              id: z.string(),
              date: nullable(sageDateSchema),
              number: nullable(z.number()),
              documentNumber: nullable(z.string()),
              description: nullable(z.string()),
              sourceType: nullable(z.string()),
              journalTypeId: nullable(z.string()),
            }),
          ),
        }),
      ),
    }),
  ),
});
export type SageMatchedEntryPayment = z.infer<
  typeof matchedEntryLinesDataSchema
>["accountingEntryPayments"]["nodes"][number];

export const paymentMethodsDataSchema = z.object({
  paymentMethods: nodesOnlySchema(
    z.object({ id: z.string(), type: nullable(z.string()), journalTypeId: nullable(z.string()) }),
  ),
});

// ---------------------------------------------------------------------------------------
// Products and taxes

export const taxesDataSchema = z.object({
  taxes: connectionSchema(
    z.object({
      id: z.string(),
      percentage: nullable(sageDecimalSchema),
      groupId: nullable(z.string()),
      taxType: nullable(z.string()),
      inactive: nullable(z.boolean()),
    }),
  ),
});
export type SageTax = z.infer<typeof taxesDataSchema>["taxes"]["nodes"][number];

const productSchema = z.object({
  id: z.string(),
  code: nullable(z.string()),
  taxGroupId: nullable(z.string()),
});
export const productsDataSchema = z.object({ products: nodesOnlySchema(productSchema) });
export const createProductDataSchema = z.object({ createProduct: productSchema });

// ---------------------------------------------------------------------------------------
// Changes

const changedRowSchema = z.object({
  id: z.string(),
  creationDate: nullable(sageInstantSchema),
  modificationDate: nullable(sageInstantSchema),
});
export type SageChangedRow = z.infer<typeof changedRowSchema> & {
  readonly salesInvoiceId?: string | null;
};

export const invoiceChangesDataSchema = z.object({
  salesInvoices: connectionSchema(changedRowSchema),
});
export const openItemChangesDataSchema = z.object({
  salesInvoiceOpenItems: connectionSchema(
    changedRowSchema.extend({ salesInvoiceId: nullable(z.string()) }),
  ),
});
export const customerChangesDataSchema = z.object({
  customers: connectionSchema(changedRowSchema),
});
