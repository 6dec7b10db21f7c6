/**
 * Backend answers in the exact shapes of the shared contracts: every fixture is parsed by
 * the contract schema of its endpoint, so a fixture the backend could not send fails here.
 */
import {
  DEFAULT_DUNNING_LADDER,
  type Invoice,
  computeLatePaymentPenalties,
  summarizeReceivables,
} from "@encaisse/shared";
import {
  type CardInvoice,
  cardInvoiceSchema,
  cardInvoicesResponseSchema,
  connectionsResponseSchema,
  createInvoiceResponseSchema,
  fieldErrorSchema,
  invoicePreviewResponseSchema,
  invoiceSummarySchema,
  settingsSchema,
  syncStatusResponseSchema,
} from "@encaisse/shared/contracts";
import { z } from "zod";

export const TODAY = "2026-03-20";
export const COMPANY_ID = "4101";
export const DEAL_ID = "5501";

type InvoiceFacts = Pick<
  Invoice,
  "id" | "number" | "issueDate" | "dueDate" | "grossCents" | "status" | "daysLate"
> &
  Partial<Pick<CardInvoice, "payments" | "dunning" | "penalties" | "webUrl">>;

export function cardInvoice(facts: InvoiceFacts): CardInvoice {
  const payments = facts.payments ?? [];
  const paidCents = payments.reduce((sum, payment) => sum + payment.amountCents, 0);
  const late = facts.status === "overdue";
  const penalties = late
    ? computeLatePaymentPenalties({
        dueDate: facts.dueDate,
        grossCents: facts.grossCents,
        payments: payments.map((payment) => ({
          date: payment.date,
          amountCents: payment.amountCents,
        })),
        today: TODAY,
        isBusinessCustomer: true,
      })
    : null;
  return cardInvoiceSchema.parse({
    provider: "pennylane",
    id: facts.id,
    number: facts.number,
    customerId: "pl-cust-77",
    customerName: "Atelier Dupont SARL",
    issueDate: facts.issueDate,
    dueDate: facts.dueDate,
    currency: "EUR",
    netCents: Math.trunc((facts.grossCents * 5) / 6),
    vatCents: facts.grossCents - Math.trunc((facts.grossCents * 5) / 6),
    grossCents: facts.grossCents,
    paidCents,
    remainingCents: facts.status === "paid" ? 0 : facts.grossCents - paidCents,
    status: facts.status,
    daysLate: facts.daysLate,
    isDraft: facts.status === "draft",
    isCreditNote: false,
    isCancelled: false,
    providerStatus: facts.status === "paid" ? "paid" : "upcoming",
    payments,
    externalReference: null,
    webUrl:
      facts.webUrl === undefined ? `https://app.pennylane.com/invoices/${facts.id}` : facts.webUrl,
    updatedAt: "2026-03-19T10:00:00.000Z",
    dunning: facts.dunning ?? null,
    penalties:
      facts.penalties !== undefined
        ? facts.penalties
        : penalties && {
            interestCents: penalties.interestCents,
            indemnityCents: penalties.indemnityCents,
            totalCents: penalties.totalCents,
            provisional: penalties.provisional,
          },
  });
}

/** A small book: one invoice paid late, one partly paid and overdue, one open. */
export function sampleInvoices(): CardInvoice[] {
  return [
    cardInvoice({
      id: "inv-3",
      number: "F-2026-0031",
      issueDate: "2026-03-02",
      dueDate: "2026-04-01",
      grossCents: 360_000,
      status: "open",
      daysLate: 0,
    }),
    cardInvoice({
      id: "inv-2",
      number: "F-2026-0012",
      issueDate: "2026-01-15",
      dueDate: "2026-02-14",
      grossCents: 240_000,
      status: "overdue",
      daysLate: 34,
      payments: [
        {
          id: "pay-21",
          date: "2026-02-20",
          amountCents: 40_000,
          method: "transfer",
          label: "VIR ATELIER DUPONT",
        },
      ],
      dunning: {
        lastStep: { id: "firm-notice", action: "firm_notice", doneOn: "2026-02-28" },
        nextStep: { id: "formal-notice", action: "formal_notice", dueOn: "2026-03-16" },
        pausedBy: null,
      },
    }),
    cardInvoice({
      id: "inv-1",
      number: "F-2025-0420",
      issueDate: "2025-12-01",
      dueDate: "2025-12-31",
      grossCents: 120_000,
      status: "paid",
      daysLate: 0,
      payments: [
        { id: "pay-11", date: "2026-01-12", amountCents: 120_000, method: "transfer", label: null },
      ],
    }),
  ];
}

type CardResponse = z.input<typeof cardInvoicesResponseSchema>;
type OkView = Extract<CardResponse, { state: "ok" }>;

export function okView(
  options: {
    invoices?: CardInvoice[];
    page?: number;
    pageSize?: number;
    total?: number;
    freshness?: Partial<OkView["freshness"]>;
    amountsVisible?: boolean;
  } = {},
) {
  const invoices = options.invoices ?? sampleInvoices();
  return cardInvoicesResponseSchema.parse({
    state: "ok",
    provider: "pennylane",
    company: { id: COMPANY_ID, name: "Atelier Dupont", domain: "atelier-dupont.fr" },
    customer: { providerCustomerId: "pl-cust-77", name: "Atelier Dupont SARL", siren: "552100554" },
    currency: "EUR",
    summary: summarizeReceivables(invoices, TODAY),
    invoices: {
      items: invoices,
      page: options.page ?? 1,
      pageSize: options.pageSize ?? 10,
      total: options.total ?? invoices.length,
    },
    freshness: {
      syncedAt: "2026-03-20T09:57:00.000Z",
      ageSeconds: 180,
      stale: false,
      refreshError: null,
      ...options.freshness,
    },
    amountsVisible: options.amountsVisible ?? true,
  });
}

export const notMatchedView = (candidates = true) =>
  cardInvoicesResponseSchema.parse({
    state: "not_matched",
    provider: "pennylane",
    company: { id: COMPANY_ID, name: "Atelier Dupont", domain: "atelier-dupont.fr" },
    candidates: candidates
      ? [
          {
            providerCustomerId: "pl-cust-77",
            name: "Atelier Dupont SARL",
            siren: "552100554",
            vatNumber: "FR40552100554",
            confidence: 90,
            reason: "siren",
            explanation: "Same SIREN 552 100 554 as the HubSpot company.",
          },
          {
            providerCustomerId: "pl-cust-78",
            name: "Dupont Atelier",
            siren: null,
            vatNumber: null,
            confidence: 40,
            reason: "email_domain",
            explanation: "Its contact emails use atelier-dupont.fr.",
          },
        ]
      : [],
  });

export const invoiceSummary = (overrides: Partial<z.input<typeof invoiceSummarySchema>> = {}) =>
  invoiceSummarySchema.parse({
    provider: "pennylane",
    id: "inv-900",
    number: "F-2026-0044",
    status: "open",
    grossCents: 180_000,
    remainingCents: 180_000,
    currency: "EUR",
    issueDate: TODAY,
    dueDate: "2026-04-19",
    webUrl: "https://app.pennylane.com/invoices/inv-900",
    ...overrides,
  });

export const readyPreview = (mode: "draft" | "finalized" = "finalized") =>
  invoicePreviewResponseSchema.parse({
    state: "ready",
    customer: {
      providerCustomerId: "pl-cust-77",
      name: "Atelier Dupont SARL",
      siren: "552100554",
      willBeCreated: false,
    },
    issueDate: TODAY,
    dueDate: "2026-04-19",
    paymentTerms: "30_days",
    currency: "EUR",
    operationNature: "services",
    lines: [
      {
        label: "Audit comptable",
        quantity: "1",
        unitPriceExclTax: "1000.00",
        vatCode: "FR_200",
        discountPercent: null,
        netCents: 100_000,
        vatCents: 20_000,
        grossCents: 120_000,
      },
      {
        label: "Livre blanc",
        quantity: "2",
        unitPriceExclTax: "284.360",
        vatCode: "FR_55",
        discountPercent: null,
        netCents: 56_872,
        vatCents: 3_128,
        grossCents: 60_000,
      },
    ],
    netCents: 156_872,
    vatCents: 23_128,
    grossCents: 180_000,
    legalMentions: ["En cas de retard de paiement, des pénalités sont exigibles."],
    mode,
  });

/** What the backend reports when the company lacks its SIREN and a line has no valid price. */
export const missingMentions = () =>
  z.array(fieldErrorSchema).parse([
    {
      field: "customer.siren",
      code: "CUSTOMER_SIREN_MISSING",
      message: "French invoices must show the customer's SIREN: add it to the company in HubSpot.",
    },
    {
      field: "lineItems[1].price",
      code: "LINE_PRICE_INVALID",
      message: 'Line "Livre blanc": the unit price "abc" is not a number.',
    },
  ]);

export const createdInvoice = (created = true) =>
  createInvoiceResponseSchema.parse({ invoice: invoiceSummary(), created });

export const settings = () =>
  settingsSchema.parse({
    invoiceMode: "draft",
    autoInvoiceOnDealWon: false,
    wonStageIds: ["closedwon"],
    dunningLadder: DEFAULT_DUNNING_LADDER,
    dunningByEmail: false,
    amountsVisibleToTeamIds: null,
    defaultVatCode: "FR_200",
    defaultPaymentTerms: "30_days",
    endOfMonthConvention: "days_then_end_of_month",
    freshnessWindowSeconds: 300,
    digestEnabled: false,
  });

export const connections = (pennylane: "connected" | "disconnected" | "error" = "connected") =>
  connectionsResponseSchema.parse({
    connections: [
      {
        provider: "pennylane",
        status: pennylane,
        method: pennylane === "disconnected" ? null : "api_token",
        companyName: pennylane === "disconnected" ? null : "Encaisse Démo SAS",
        connectedAt: pennylane === "disconnected" ? null : "2026-01-05T08:00:00.000Z",
        lastSyncAt: pennylane === "disconnected" ? null : "2026-03-20T09:50:00.000Z",
        lastError:
          pennylane === "error"
            ? { code: "PROVIDER_AUTH_FAILED", message: "Pennylane refused the token." }
            : null,
      },
      {
        provider: "sage_active",
        status: "disconnected",
        method: null,
        companyName: null,
        connectedAt: null,
        lastSyncAt: null,
        lastError: null,
      },
    ],
  });

export const syncStatus = () =>
  syncStatusResponseSchema.parse({
    state: "running",
    backfill: { done: 120, total: 300, etaSeconds: 90 },
    lastRunAt: "2026-03-20T09:50:00.000Z",
    lastError: null,
  });
