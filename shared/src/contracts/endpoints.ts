/**
 * Request and response schemas of every backend endpoint, shared by the HubSpot cards, the
 * extension and the backend. Paths are versioned (`/v1/...`); a breaking change gets `/v2`.
 * The backend validates requests with these schemas and the clients validate responses.
 */
import { z } from "zod";
import { receivablesSummarySchema } from "./summary";
import { calendarDateSchema, paymentTermsSchema } from "../dates";
import { dunningActionSchema, dunningLadderSchema } from "../dunning";
import {
  centsSchema,
  currencySchema,
  invoiceSchema,
  operationNatureSchema,
  paymentSchema,
  providerSchema,
} from "../model";
import { vatCodeSchema } from "../vat";
import { fieldErrorSchema } from "./errors";

const idSchema = z.string().regex(/^\d{1,20}$/, "Expected a numeric HubSpot id.");
export const crmObjectTypeSchema = z.enum(["companies", "contacts", "deals"]);
export type CrmObjectType = z.infer<typeof crmObjectTypeSchema>;
export const localeSchema = z.enum(["fr", "en"]);

// ---------------------------------------------------------------- card: invoices

export const cardInvoicesQuerySchema = z.object({
  objectType: crmObjectTypeSchema,
  objectId: idSchema,
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(10),
  sort: z
    .enum(["issueDate", "dueDate", "grossCents", "remainingCents", "daysLate", "number"])
    .default("issueDate"),
  order: z.enum(["asc", "desc"]).default("desc"),
  status: z.enum(["all", "unpaid", "overdue", "paid"]).default("all"),
  /** Ask for a provider refresh now, whatever the freshness window says. */
  refresh: z.enum(["0", "1"]).default("0"),
});
export type CardInvoicesQuery = z.infer<typeof cardInvoicesQuerySchema>;

export const dunningStateSchema = z.object({
  lastStep: z
    .object({ id: z.string(), action: dunningActionSchema, doneOn: calendarDateSchema })
    .nullable(),
  nextStep: z
    .object({ id: z.string(), action: dunningActionSchema, dueOn: calendarDateSchema })
    .nullable(),
  pausedBy: z
    .object({
      kind: z.enum(["dispute", "promise_to_pay"]),
      since: calendarDateSchema,
      until: calendarDateSchema.nullable(),
    })
    .nullable(),
});

export const penaltiesSchema = z.object({
  interestCents: centsSchema,
  indemnityCents: centsSchema,
  totalCents: centsSchema,
  provisional: z.boolean(),
});

export const cardInvoiceSchema = invoiceSchema.omit({ lines: true }).extend({
  payments: z.array(paymentSchema),
  dunning: dunningStateSchema.nullable(),
  penalties: penaltiesSchema.nullable(),
});
export type CardInvoice = z.infer<typeof cardInvoiceSchema>;

export const freshnessSchema = z.object({
  /** When the read model last matched the provider (ISO 8601); null if never synced. */
  syncedAt: z.string().nullable(),
  ageSeconds: z.number().int().nonnegative().nullable(),
  stale: z.boolean(),
  /** Set when a refresh was attempted and failed: the data shown is the last known. */
  refreshError: z.object({ code: z.string(), message: z.string() }).nullable(),
});

export const matchCandidateSchema = z.object({
  providerCustomerId: z.string(),
  name: z.string(),
  siren: z.string().nullable(),
  vatNumber: z.string().nullable(),
  confidence: z.number().int().min(0).max(100),
  reason: z.enum(["siret", "siren", "vat_number", "external_reference", "email_domain"]),
  explanation: z.string(),
});

export const cardCompanySchema = z.object({
  id: idSchema,
  name: z.string().nullable(),
  domain: z.string().nullable(),
});

export const cardInvoicesResponseSchema = z.discriminatedUnion("state", [
  z.object({
    state: z.literal("ok"),
    provider: providerSchema,
    company: cardCompanySchema,
    customer: z.object({
      providerCustomerId: z.string(),
      name: z.string(),
      siren: z.string().nullable(),
    }),
    currency: currencySchema,
    summary: receivablesSummarySchema,
    invoices: z.object({
      items: z.array(cardInvoiceSchema),
      page: z.number().int(),
      pageSize: z.number().int(),
      total: z.number().int(),
    }),
    freshness: freshnessSchema,
    /** False when the user's teams may not see amounts: amounts are then zeroed and hidden. */
    amountsVisible: z.boolean(),
  }),
  z.object({
    state: z.literal("not_matched"),
    provider: providerSchema,
    company: cardCompanySchema,
    candidates: z.array(matchCandidateSchema),
  }),
  z.object({ state: z.literal("not_connected") }),
  z.object({ state: z.literal("no_company"), objectType: crmObjectTypeSchema }),
]);
export type CardInvoicesResponse = z.infer<typeof cardInvoicesResponseSchema>;

export const confirmLinkRequestSchema = z.object({
  companyId: idSchema,
  providerCustomerId: z.string().min(1),
});
export const confirmLinkResponseSchema = z.object({
  companyId: idSchema,
  providerCustomerId: z.string(),
  matchedBy: z.enum([
    "siret",
    "siren",
    "vat_number",
    "external_reference",
    "email_domain",
    "manual",
  ]),
});

export const pdfLinkResponseSchema = z.object({ url: z.string().url(), expiresAt: z.string() });

export const dunningPauseRequestSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("dispute"), note: z.string().max(2000).optional() }),
  z.object({
    kind: z.literal("promise_to_pay"),
    until: calendarDateSchema,
    note: z.string().max(2000).optional(),
  }),
]);
export const dunningPauseResponseSchema = z.object({
  invoiceId: z.string(),
  dunning: dunningStateSchema,
});

// ---------------------------------------------------------------- deal -> invoice

export const previewLineSchema = z.object({
  label: z.string(),
  quantity: z.string(),
  unitPriceExclTax: z.string(),
  vatCode: vatCodeSchema,
  discountPercent: z.string().nullable(),
  netCents: centsSchema,
  vatCents: centsSchema,
  grossCents: centsSchema,
});

export const invoiceSummarySchema = z.object({
  provider: providerSchema,
  id: z.string(),
  number: z.string().nullable(),
  status: invoiceSchema.shape.status,
  grossCents: centsSchema,
  remainingCents: centsSchema,
  currency: currencySchema,
  issueDate: calendarDateSchema,
  dueDate: calendarDateSchema,
  webUrl: z.string().nullable(),
});
export type InvoiceSummary = z.infer<typeof invoiceSummarySchema>;

export const invoicePreviewResponseSchema = z.discriminatedUnion("state", [
  z.object({
    state: z.literal("ready"),
    customer: z.object({
      providerCustomerId: z.string().nullable(),
      name: z.string(),
      siren: z.string().nullable(),
      willBeCreated: z.boolean(),
    }),
    issueDate: calendarDateSchema,
    dueDate: calendarDateSchema,
    paymentTerms: paymentTermsSchema,
    currency: currencySchema,
    operationNature: operationNatureSchema,
    lines: z.array(previewLineSchema),
    netCents: centsSchema,
    vatCents: centsSchema,
    grossCents: centsSchema,
    legalMentions: z.array(z.string()),
    mode: z.enum(["draft", "finalized"]),
  }),
  z.object({ state: z.literal("invalid"), fieldErrors: z.array(fieldErrorSchema).min(1) }),
  z.object({ state: z.literal("already_invoiced"), invoice: invoiceSummarySchema }),
]);
export type InvoicePreviewResponse = z.infer<typeof invoicePreviewResponseSchema>;

export const createInvoiceRequestSchema = z.object({
  /** Overrides the tenant's default for this invoice. */
  mode: z.enum(["draft", "finalized"]).optional(),
  operationNature: operationNatureSchema.optional(),
});
export const createInvoiceResponseSchema = z.object({
  invoice: invoiceSummarySchema,
  /** False when the deal was already invoiced: this is that invoice, nothing new was created. */
  created: z.boolean(),
});
export type CreateInvoiceResponse = z.infer<typeof createInvoiceResponseSchema>;

// ---------------------------------------------------------------- settings & connections

export const settingsSchema = z.object({
  invoiceMode: z.enum(["draft", "finalized"]),
  autoInvoiceOnDealWon: z.boolean(),
  /** Deal stages that count as won (HubSpot stage ids), e.g. ["closedwon"]. */
  wonStageIds: z.array(z.string().min(1)).min(1),
  dunningLadder: dunningLadderSchema,
  dunningByEmail: z.boolean(),
  /** HubSpot team ids allowed to see amounts; null = everyone. */
  amountsVisibleToTeamIds: z.array(z.string()).nullable(),
  defaultVatCode: vatCodeSchema,
  defaultPaymentTerms: paymentTermsSchema,
  endOfMonthConvention: z.enum(["days_then_end_of_month", "end_of_month_then_days"]),
  freshnessWindowSeconds: z.number().int().min(30).max(86_400),
  digestEnabled: z.boolean(),
  /** Language of the dunning tasks, reminders and digests; French when unset. */
  dunningLocale: z.enum(["fr", "en"]).optional(),
});
export type Settings = z.infer<typeof settingsSchema>;
export const settingsUpdateSchema = settingsSchema.partial();

export const connectionSchema = z.object({
  provider: providerSchema,
  status: z.enum(["connected", "disconnected", "error"]),
  method: z.enum(["oauth", "api_token"]).nullable(),
  companyName: z.string().nullable(),
  connectedAt: z.string().nullable(),
  lastSyncAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export const connectionsResponseSchema = z.object({ connections: z.array(connectionSchema) });
export const connectApiTokenRequestSchema = z.object({ token: z.string().min(10).max(512) });
export const authorizeUrlResponseSchema = z.object({ url: z.string().url() });

/** `POST /v1/jobs/tick` (a platform's cron): the jobs it queued. */
export const jobTickResponseSchema = z.object({
  tenants: z.number().int(),
  sync: z.number().int(),
  dunning: z.number().int(),
});

export const syncStatusResponseSchema = z.object({
  state: z.enum(["idle", "queued", "running", "failed"]),
  backfill: z
    .object({
      done: z.number().int(),
      total: z.number().int().nullable(),
      etaSeconds: z.number().int().nullable(),
    })
    .nullable(),
  lastRunAt: z.string().nullable(),
  lastError: z.object({ code: z.string(), message: z.string() }).nullable(),
});

// ---------------------------------------------------------------- extension

export const pairingCodeResponseSchema = z.object({
  code: z.string().regex(/^[A-Z0-9]{8}$/),
  expiresAt: z.string(),
});
export const pairRequestSchema = z.object({
  code: z
    .string()
    .trim()
    .toUpperCase()
    .pipe(z.string().regex(/^[A-Z0-9]{8}$/)),
});
export const pairResponseSchema = z.object({
  token: z.string().min(32),
  portalId: idSchema,
  userEmail: z.string().nullable(),
});
export const extensionTokensResponseSchema = z.object({
  tokens: z.array(
    z.object({
      id: z.string(),
      userEmail: z.string().nullable(),
      createdAt: z.string(),
      lastUsedAt: z.string().nullable(),
    }),
  ),
});

export const extensionContextQuerySchema = z
  .object({
    /** The accounting software of the page; not needed with a `hubspotCompanyId`. */
    provider: providerSchema.optional(),
    customerId: z.string().min(1).max(100).optional(),
    invoiceId: z.string().min(1).max(100).optional(),
    invoiceNumber: z.string().min(1).max(100).optional(),
    /** SIREN (9 digits) or SIRET (14) shown on the page, spaces allowed. */
    siren: z
      .string()
      .transform((value) => value.replace(/[\s.]/g, ""))
      .pipe(z.string().regex(/^\d{9}(\d{5})?$/, "Expected a SIREN (9 digits) or a SIRET (14)."))
      .optional(),
    /** A HubSpot company picked in the panel's search, instead of what the page shows. */
    hubspotCompanyId: idSchema.optional(),
  })
  .refine(
    (q) => {
      const page = q.customerId ?? q.invoiceId ?? q.invoiceNumber ?? q.siren;
      return q.hubspotCompanyId === undefined
        ? page !== undefined && q.provider !== undefined
        : page === undefined;
    },
    {
      message:
        "Give a provider with a customerId, an invoiceId, an invoiceNumber or a siren; or a hubspotCompanyId alone.",
    },
  );

export const crmOwnerSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
});

export const extensionContextResponseSchema = z.discriminatedUnion("state", [
  z.object({
    state: z.literal("ok"),
    company: z.object({
      id: idSchema,
      name: z.string().nullable(),
      domain: z.string().nullable(),
      url: z.string().url(),
    }),
    owner: crmOwnerSchema.nullable(),
    openDeals: z.array(
      z.object({
        id: idSchema,
        name: z.string().nullable(),
        stage: z.string().nullable(),
        amountCents: centsSchema.nullable(),
        closeDate: calendarDateSchema.nullable(),
        url: z.string().url(),
      }),
    ),
    contacts: z.array(
      z.object({
        id: idSchema,
        name: z.string().nullable(),
        email: z.string().nullable(),
        phone: z.string().nullable(),
        jobTitle: z.string().nullable(),
      }),
    ),
    lastActivityAt: z.string().nullable(),
    /**
     * Null only for a `hubspotCompanyId` linked to no customer of the accounting software
     * (a page's customer always has receivables).
     */
    receivables: z
      .object({
        outstandingCents: centsSchema,
        overdueCents: centsSchema,
        averagePaymentDelayDays: z.number().nullable(),
        dunningStep: dunningActionSchema.nullable(),
        currency: currencySchema,
      })
      .nullable(),
    invoice: invoiceSummarySchema.nullable(),
  }),
  z.object({ state: z.literal("not_matched"), candidates: z.array(matchCandidateSchema) }),
  z.object({ state: z.literal("not_found") }),
]);
export type ExtensionContextResponse = z.infer<typeof extensionContextResponseSchema>;

export const extensionSearchQuerySchema = z.object({ q: z.string().trim().min(2).max(100) });
export const extensionSearchResponseSchema = z.object({
  results: z.array(
    z.object({
      companyId: idSchema,
      name: z.string().nullable(),
      domain: z.string().nullable(),
      siren: z.string().nullable(),
    }),
  ),
});
/**
 * Chosen by the client once per user action and sent again with every retry of it: a write
 * repeated with the same id (a double click, a retry after a lost answer) is done once and
 * answered like the first.
 */
export const clientRequestIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,64}$/, "Expected 16 to 64 letters, digits, - or _ (a UUID).");
export const createNoteRequestSchema = z.object({
  companyId: idSchema,
  body: z.string().trim().min(1).max(10_000),
  requestId: clientRequestIdSchema.optional(),
});
export const createTaskRequestSchema = z.object({
  companyId: idSchema,
  requestId: clientRequestIdSchema.optional(),
  subject: z.string().trim().min(1).max(200),
  body: z.string().max(10_000).optional(),
  dueDate: calendarDateSchema,
});
export const createdEngagementResponseSchema = z.object({ id: z.string(), url: z.string().url() });

// ---------------------------------------------------------------- webhooks

/** HubSpot webhook delivery: a JSON array of events (< 100). */
export const hubspotWebhookEventSchema = z.object({
  eventId: z.number().int(),
  subscriptionId: z.number().int(),
  portalId: z.number().int(),
  appId: z.number().int(),
  occurredAt: z.number().int(),
  subscriptionType: z.string().optional(),
  eventType: z.string().optional(),
  attemptNumber: z.number().int(),
  objectId: z.number().int(),
  /** Generic (`object.*`) subscriptions name the object type: deals are "0-3". */
  objectTypeId: z.string().optional(),
  propertyName: z.string().optional(),
  propertyValue: z.string().optional(),
  changeSource: z.string().optional(),
});
export const hubspotWebhookBatchSchema = z.array(hubspotWebhookEventSchema).max(100);

// ---------------------------------------------------------------- registry

/** Every endpoint in one table: method, path template and the schemas on each side. */
export const endpoints = {
  cardInvoices: {
    method: "GET",
    path: "/v1/cards/invoices",
    query: cardInvoicesQuerySchema,
    response: cardInvoicesResponseSchema,
  },
  confirmLink: {
    method: "POST",
    path: "/v1/cards/links",
    body: confirmLinkRequestSchema,
    response: confirmLinkResponseSchema,
  },
  invoicePdfLink: {
    method: "GET",
    path: "/v1/invoices/:invoiceId/pdf-link",
    response: pdfLinkResponseSchema,
  },
  pauseDunning: {
    method: "POST",
    path: "/v1/invoices/:invoiceId/dunning-pause",
    body: dunningPauseRequestSchema,
    response: dunningPauseResponseSchema,
  },
  resumeDunning: {
    method: "DELETE",
    path: "/v1/invoices/:invoiceId/dunning-pause",
    response: dunningPauseResponseSchema,
  },
  invoicePreview: {
    method: "GET",
    path: "/v1/deals/:dealId/invoice-preview",
    response: invoicePreviewResponseSchema,
  },
  createInvoice: {
    method: "POST",
    path: "/v1/deals/:dealId/invoices",
    body: createInvoiceRequestSchema,
    response: createInvoiceResponseSchema,
  },
  getSettings: { method: "GET", path: "/v1/settings", response: settingsSchema },
  updateSettings: {
    method: "PUT",
    path: "/v1/settings",
    body: settingsUpdateSchema,
    response: settingsSchema,
  },
  connections: { method: "GET", path: "/v1/connections", response: connectionsResponseSchema },
  connectApiToken: {
    method: "POST",
    path: "/v1/connections/:provider/token",
    body: connectApiTokenRequestSchema,
    response: connectionSchema,
  },
  authorizeUrl: {
    method: "GET",
    path: "/v1/connections/:provider/authorize-url",
    response: authorizeUrlResponseSchema,
  },
  disconnect: { method: "DELETE", path: "/v1/connections/:provider", response: connectionSchema },
  syncStatus: { method: "GET", path: "/v1/sync/status", response: syncStatusResponseSchema },
  jobTick: { method: "POST", path: "/v1/jobs/tick", response: jobTickResponseSchema },
  createPairingCode: {
    method: "POST",
    path: "/v1/extension/pairing-codes",
    response: pairingCodeResponseSchema,
  },
  listExtensionTokens: {
    method: "GET",
    path: "/v1/extension/tokens",
    response: extensionTokensResponseSchema,
  },
  revokeExtensionToken: {
    method: "DELETE",
    path: "/v1/extension/tokens/:tokenId",
    response: extensionTokensResponseSchema,
  },
  pairExtension: {
    method: "POST",
    path: "/v1/extension/pair",
    body: pairRequestSchema,
    response: pairResponseSchema,
  },
  extensionContext: {
    method: "GET",
    path: "/v1/extension/context",
    query: extensionContextQuerySchema,
    response: extensionContextResponseSchema,
  },
  extensionSearch: {
    method: "GET",
    path: "/v1/extension/search",
    query: extensionSearchQuerySchema,
    response: extensionSearchResponseSchema,
  },
  extensionNote: {
    method: "POST",
    path: "/v1/extension/notes",
    body: createNoteRequestSchema,
    response: createdEngagementResponseSchema,
  },
  extensionTask: {
    method: "POST",
    path: "/v1/extension/tasks",
    body: createTaskRequestSchema,
    response: createdEngagementResponseSchema,
  },
  hubspotWebhook: {
    method: "POST",
    path: "/v1/webhooks/hubspot",
    body: hubspotWebhookBatchSchema,
    response: z.object({ accepted: z.number().int() }),
  },
} as const;

export type EndpointName = keyof typeof endpoints;

/** Fills a path template: pathFor("createInvoice", { dealId: "42" }) -> "/v1/deals/42/invoices". */
export function pathFor(name: EndpointName, params: Readonly<Record<string, string>> = {}): string {
  return endpoints[name].path.replace(/:([A-Za-z]+)/g, (_match, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`Missing path parameter "${key}" for ${name}.`);
    return encodeURIComponent(value);
  });
}
