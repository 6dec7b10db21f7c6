/**
 * Root fields of the schema: organization scoping (§1.3), connections (§2.3), business
 * errors turned into Sage's GraphQL errors (§2.8), and the mutations delegating to the
 * rules in customers.ts and sales.ts.
 */
import { GraphQLError, locatedError, responsePathAsArray, type GraphQLResolveInfo } from "graphql";
import { centsToDecimalString, DomainError } from "@encaisse/shared";
import { localizedMessage, SageBusinessError, BUSINESS_ERRORS } from "./business-errors";
import { type ConnectionArgs, connectionOf, plainRows, type RowSource } from "./connection";
import { createCustomer, createProduct, type CustomerInput, type ProductInput } from "./customers";
import { renderTextPdf } from "./pdf";
import type { OrganizationData } from "./records";
import {
  closeSalesInvoice,
  type CreditNoteInput,
  createSalesInvoice,
  deleteSalesInvoice,
  findInvoice,
  generateCreditNote,
  type InvoiceInput,
  liquidCents,
  postSalesInvoice,
  type PostInput,
  type RuleContext,
  settleOpenItems,
} from "./sales";
import {
  customerRows,
  entryPaymentRows,
  entryRows,
  invoiceRows,
  openItemRows,
  productRows,
} from "./rows";
import {
  customerView,
  invoiceView,
  organizationDetailView,
  organizationView,
  productView,
  taxGroupView,
  taxView,
} from "./views";

export interface UserRecord {
  readonly id: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly authenticationEmail: string;
  readonly applicationLanguageCode: string;
}

/** What the resolvers need from the emulator. */
export interface SageActiveState {
  readonly user: UserRecord;
  organizations(): readonly OrganizationData[];
  ruleContext(org: OrganizationData): RuleContext;
}

export interface RequestContext {
  readonly state: SageActiveState;
  /** The X-OrganizationId header, if sent. */
  readonly organizationId: string | null;
  readonly scopes: ReadonlySet<string>;
  /** Further errors of a field that broke several rules at once (graphql-js throws one). */
  readonly extraErrors: GraphQLError[];
}

type Resolver = (
  args: Record<string, unknown>,
  context: RequestContext,
  info: GraphQLResolveInfo,
) => unknown;

const NOT_AUTHORIZED = "The current user is not authorized to access this resource.";

function organizationOf(context: RequestContext): OrganizationData {
  if (!context.organizationId) throw new GraphQLError("X-OrganizationId header is mandatory");
  const org = context.state
    .organizations()
    .find((candidate) => candidate.organization.id === context.organizationId?.toLowerCase());
  if (!org || org.organization.status !== "READY" || !org.organization.onboardingCompleted) {
    throw new GraphQLError(NOT_AUTHORIZED, { extensions: { code: "AUTH_NOT_AUTHORIZED" } });
  }
  return org;
}

function businessError(key: string, details: string | undefined): GraphQLError {
  return new GraphQLError(key, details === undefined ? {} : { extensions: { details } });
}

/** Runs a root field, translating rule failures into Sage-shaped errors. */
function guarded(run: Resolver): Resolver {
  return (args, context, info) => {
    try {
      return run(args, context, info);
    } catch (error) {
      if (error instanceof SageBusinessError) {
        const [first, ...rest] = error.failures;
        for (const failure of rest) {
          context.extraErrors.push(
            locatedError(
              businessError(failure.key, failure.details),
              info.fieldNodes,
              responsePathAsArray(info.path),
            ),
          );
        }
        throw businessError(first.key, first.details);
      }
      if (error instanceof DomainError)
        throw new GraphQLError(error.message, { extensions: { code: error.code } });
      throw error;
    }
  };
}

/** An organization-scoped root field. */
function scoped(
  run: (
    org: OrganizationData,
    args: Record<string, unknown>,
    context: RequestContext,
    info: GraphQLResolveInfo,
  ) => unknown,
): Resolver {
  return guarded((args, context, info) => run(organizationOf(context), args, context, info));
}

/** An organization-scoped mutation: also needs the write scope. */
function writing(run: (ctx: RuleContext, args: Record<string, unknown>) => unknown): Resolver {
  return scoped((org, args, context) => {
    if (!context.scopes.has("WDSA")) {
      throw new GraphQLError(NOT_AUTHORIZED, { extensions: { code: "AUTH_NOT_AUTHORIZED" } });
    }
    return run(context.state.ruleContext(org), args);
  });
}

function list<R>(source: RowSource<R>): Resolver {
  return (args, _context, info) => connectionOf(source, args as ConnectionArgs, info);
}

function input<T>(args: Record<string, unknown>): T {
  return args.input as T;
}

export function rootValue(): Record<string, Resolver> {
  return {
    userProfile: (_args, context) => ({
      ...context.state.user,
      fullName: `${context.state.user.firstName} ${context.state.user.lastName}`,
    }),
    organizations: guarded((args, context, info) =>
      connectionOf(
        plainRows(context.state.organizations().map(organizationView)),
        args as ConnectionArgs,
        info,
      ),
    ),
    localizedErrorMessage: (args) => {
      const answer = localizedMessage(String(args.errorCode), String(args.language));
      if (answer === "unknown-language")
        throw new GraphQLError(`The specified language '${String(args.language)}' is unsupported.`);
      if (answer === "unknown-code") {
        throw new GraphQLError(
          `Unrecognized error code '${String(args.errorCode)}'. Check the code and try again.`,
        );
      }
      return answer;
    },

    organizationDetail: scoped((org, args, context, info) =>
      list(plainRows([organizationDetailView(org)]))(args, context, info),
    ),
    organizationSalesSetupByOrgId: scoped((org, args) => {
      if (String(args.id).toLowerCase() !== org.organization.id)
        throw new GraphQLError(NOT_AUTHORIZED, { extensions: { code: "AUTH_NOT_AUTHORIZED" } });
      return { id: org.salesSetupId, defaultSalesPostingInvoiceJournalTypeId: org.salesJournalId };
    }),
    customers: scoped((org, args, context, info) => list(customerRows(org))(args, context, info)),
    products: scoped((org, args, context, info) => list(productRows(org))(args, context, info)),
    taxGroups: scoped((org, args, context, info) =>
      list(plainRows(org.taxGroups.map(taxGroupView)))(args, context, info),
    ),
    taxes: scoped((org, args, context, info) =>
      list(plainRows(org.taxGroups.map(taxView)))(args, context, info),
    ),
    journalTypes: scoped((org, args, context, info) =>
      list(plainRows(org.journalTypes.map((journal) => ({ ...journal }))))(args, context, info),
    ),
    paymentMethods: scoped((org, args, context, info) =>
      list(plainRows(org.paymentMethods.map((method) => ({ ...method }))))(args, context, info),
    ),
    salesInvoices: scoped((org, args, context, info) =>
      list(invoiceRows(org))(args, context, info),
    ),
    salesInvoiceOpenItems: scoped((org, args, context, info) =>
      list(openItemRows(org))(args, context, info),
    ),
    accountingEntries: scoped((org, args, context, info) =>
      list(entryRows(org))(args, context, info),
    ),
    accountingEntryPayments: scoped((org, args, context, info) =>
      list(entryPaymentRows(org))(args, context, info),
    ),
    documentPdfPreview: scoped((org, args) => {
      const request = input<{ type: string; id: string }>(args);
      if (request.type !== "SALES_INVOICE")
        throw new SageBusinessError([
          { key: BUSINESS_ERRORS.documentNotFound, details: request.type },
        ]);
      const invoice = findInvoice(org, request.id);
      const pdf = renderTextPdf([
        invoice.type === "CREDIT_NOTE" ? "AVOIR" : "FACTURE",
        `Numéro : ${invoice.operationalNumber ?? "brouillon"}`,
        `Date : ${invoice.documentDate}`,
        `Client : ${invoice.socialName}`,
        ...invoice.lines.map(
          (line) => `${line.productName} x ${line.quantity} @ ${line.unitPrice}`,
        ),
        `Total TTC : ${centsToDecimalString(liquidCents(invoice))} EUR`,
      ]);
      return { type: request.type, id: invoice.id, pdfPreview: pdf.toString("base64") };
    }),

    createCustomer: writing((ctx, args) =>
      customerView(ctx.org, createCustomer(ctx.org, ctx.ids, ctx.now, input<CustomerInput>(args))),
    ),
    createProduct: writing((ctx, args) =>
      productView(ctx.org, createProduct(ctx.org, ctx.ids, ctx.now, input<ProductInput>(args))),
    ),
    createSalesInvoice: writing((ctx, args) =>
      invoiceView(ctx.org, createSalesInvoice(ctx, input<InvoiceInput>(args))),
    ),
    deleteSalesInvoice: writing((ctx, args) => {
      deleteSalesInvoice(ctx, input<{ id: string }>(args).id);
      return true;
    }),
    closeSalesInvoice: writing((ctx, args) =>
      invoiceView(
        ctx.org,
        closeSalesInvoice(ctx, input<{ salesInvoiceId: string }>(args).salesInvoiceId),
      ),
    ),
    postSalesInvoice: writing((ctx, args) => {
      const entry = postSalesInvoice(ctx, input<PostInput>(args));
      const posted = { accountingEntryId: entry.id, accountingEntryNumber: entry.number };
      return { ...posted, accountingEntries: [posted] };
    }),
    generateCreditNote: writing((ctx, args) => ({
      id: generateCreditNote(ctx, input<CreditNoteInput>(args)).id,
    })),
    salesOpenItemSettlement: writing((ctx, args) => {
      const settlement = input<{
        entryDate: string;
        paymentMethodId: string;
        thirdPartyId: string;
        description?: string | null;
        documentNumber?: string | null;
        salesOpenItemLinkagePaidAmounts: { openItemId: string; paidAmount: string }[];
      }>(args);
      const entry = settleOpenItems(ctx, {
        ...settlement,
        linkages: settlement.salesOpenItemLinkagePaidAmounts,
      });
      return { accountingEntryId: entry.id, accountingEntryNumber: entry.number };
    }),
  };
}
