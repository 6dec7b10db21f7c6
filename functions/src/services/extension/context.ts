/**
 * `GET /v1/extension/context` (flow 4): the HubSpot context of the customer or invoice open in
 * the accounting software, or of a company picked in the panel's search. The company, its
 * owner, open deals, key contacts and last activity are read from HubSpot at each opening
 * (they are what the panel is opened for); the receivables are the card's own view of the
 * customer (`buildCardView`), refreshed under the same freshness rules, so the panel and the
 * card never disagree.
 */
import {
  type CalendarDate,
  type DunningAction,
  type Provider,
  parisDateOf,
} from "@encaisse/shared";
import type { ExtensionContextResponse } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { ExtensionCaller } from "../../http/extension-auth";
import { HubSpotError } from "../../hubspot/errors";
import type { CrmCompany, CrmOwner } from "../../hubspot/mapping";
import type { AccountingProvider } from "../../providers/provider";
import type { Tenant } from "../../store";
import { buildCardView, type CardView } from "../cards/card-view";
import type { CardContext } from "../cards/context";
import { ensureFresh } from "../cards/freshness";
import type { CardLocale } from "../cards/match";
import { notConnected } from "../cards/tenant-invoice";
import { invoiceSummaryOf } from "../invoicing/summary";
import { companyOfCustomer, locateCustomer, type PageReference } from "./locate-customer";

/** Contacts shown in the panel: the first ones HubSpot lists for the company. */
const KEY_CONTACTS = 5;
/** Open invoices read for the dunning step: the contract's page maximum. */
const OPEN_INVOICES_READ = 100;

export interface ContextRequest extends PageReference {
  /** Always given with a page reference (the contract says so); unused for a company. */
  readonly provider?: Provider | undefined;
  readonly hubspotCompanyId?: string | undefined;
}

type OkContext = Extract<ExtensionContextResponse, { state: "ok" }>;

export async function extensionContext(
  backend: Backend,
  cards: CardContext,
  input: {
    readonly caller: ExtensionCaller;
    readonly request: ContextRequest;
    readonly locale: CardLocale;
  },
): Promise<ExtensionContextResponse> {
  const { tenant } = input.caller;
  const provider = await backend.provider(tenant);
  if (provider === null) throw notConnected();
  const today = parisDateOf(new Date(backend.clock.now()));
  if (input.request.hubspotCompanyId !== undefined) {
    return pickedCompanyContext(backend, cards, {
      tenant,
      provider,
      companyId: input.request.hubspotCompanyId,
      today,
    });
  }
  // A Sage page while the account works with Pennylane: nothing of ours is open there.
  if (input.request.provider !== provider.provider) return { state: "not_found" };

  const located = await locateCustomer(backend, {
    tenant,
    provider,
    page: input.request,
    today,
  });
  if (located.kind === "not_found") return { state: "not_found" };
  const { customerId } = located;

  const company = await companyOfCustomer(backend, cards, {
    tenant,
    provider,
    customerId,
    locale: input.locale,
  });
  if (company.kind === "not_found") return { state: "not_found" };
  if (company.kind === "not_matched")
    return { state: "not_matched", candidates: company.candidates };

  const { companyId } = company;
  // Read afresh, not from the card's cache: the owner and the last activity are what the
  // panel is opened for, and a note logged from it must show at once.
  const crmCompany = backend.crm(tenant.tenantId).getCompany(companyId);
  const [context, invoice] = await Promise.all([
    companyContext(backend, cards, { tenant, provider, companyId, crmCompany, customerId, today }),
    located.invoice === null
      ? null
      : backend.repos.readModel
          .getInvoice(tenant.tenantId, provider.provider, located.invoice.id, today)
          .then((stored) => stored ?? located.invoice),
  ]);
  return { ...context, invoice: invoice === null ? null : invoiceSummaryOf(invoice) };
}

/**
 * A company picked in the search: read through the token's own portal (a company id of
 * another account is simply not found there), its receivables those of the customer linked
 * to it, or none while no customer is.
 */
async function pickedCompanyContext(
  backend: Backend,
  cards: CardContext,
  input: {
    readonly tenant: Tenant;
    readonly provider: AccountingProvider;
    readonly companyId: string;
    readonly today: CalendarDate;
  },
): Promise<ExtensionContextResponse> {
  const { tenant, provider, companyId } = input;
  let crmCompany: CrmCompany;
  try {
    crmCompany = await backend.crm(tenant.tenantId).getCompany(companyId);
  } catch (error) {
    if (error instanceof HubSpotError && error.code === "NOT_FOUND") return { state: "not_found" };
    throw error;
  }
  const link = await backend.repos.customerLinks.byCompany(tenant.tenantId, companyId);
  // A link made while the account worked with the other software names none of its customers.
  const customerId =
    link !== null && link.provider === provider.provider ? link.providerCustomerId : null;
  const context = await companyContext(backend, cards, {
    tenant,
    provider,
    companyId,
    crmCompany: Promise.resolve(crmCompany),
    customerId,
    today: input.today,
  });
  return { ...context, invoice: null };
}

async function companyContext(
  backend: Backend,
  cards: CardContext,
  input: {
    readonly tenant: Tenant;
    readonly provider: AccountingProvider;
    readonly companyId: string;
    readonly crmCompany: Promise<CrmCompany>;
    /** The company's accounting customer; null when it has none. */
    readonly customerId: string | null;
    readonly today: CalendarDate;
  },
): Promise<Omit<OkContext, "invoice">> {
  const { tenant, companyId, customerId } = input;
  const crm = backend.crm(tenant.tenantId);
  const details = input.crmCompany;
  const [crmCompany, owner, openDeals, contacts, receivables] = await Promise.all([
    details,
    details.then((found) => (found.ownerId === null ? null : ownerOrNull(crm, found.ownerId))),
    crm.openDealsOfCompany(companyId),
    crm.contactsOfCompany(companyId, KEY_CONTACTS),
    customerId === null ? null : receivablesOf(backend, cards, { ...input, customerId }),
  ]);

  return {
    state: "ok",
    company: {
      id: crmCompany.id,
      name: crmCompany.name,
      domain: crmCompany.domain,
      url: crm.recordUrl("companies", crmCompany.id),
    },
    owner,
    openDeals: openDeals.map((deal) => ({
      id: deal.id,
      name: deal.name,
      stage: deal.stage,
      amountCents: deal.amountCents,
      closeDate: deal.closeDate,
      url: crm.recordUrl("deals", deal.id),
    })),
    contacts: contacts.map((contact) => ({
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      jobTitle: contact.jobTitle,
    })),
    lastActivityAt: crmCompany.lastActivityAt,
    receivables,
  };
}

async function receivablesOf(
  backend: Backend,
  cards: CardContext,
  input: {
    readonly tenant: Tenant;
    readonly provider: AccountingProvider;
    readonly customerId: string;
    readonly companyId: string;
    readonly today: CalendarDate;
  },
): Promise<NonNullable<OkContext["receivables"]>> {
  const { tenant, provider, customerId } = input;
  const freshness = await ensureFresh(backend, cards, {
    tenant,
    provider,
    customerId,
    force: false,
  });
  const view = await buildCardView(backend.repos, {
    tenantId: tenant.tenantId,
    provider: provider.provider,
    company: { id: input.companyId, name: null, domain: null },
    customerId,
    query: {
      page: 1,
      pageSize: OPEN_INVOICES_READ,
      sort: "dueDate",
      order: "asc",
      status: "unpaid",
    },
    ladder: tenant.settings.dunningLadder,
    freshness,
    // The panel is the accountant's tool: amounts are what it is for.
    amountsVisible: true,
    today: input.today,
  });
  return {
    outstandingCents: view.summary.outstandingCents,
    overdueCents: view.summary.overdueCents,
    averagePaymentDelayDays: view.summary.averagePaymentDelayDays,
    dunningStep: latestDunningStep(view),
    currency: view.currency,
  };
}

/** The owner is a courtesy: a deactivated user must not hide the rest of the context. */
async function ownerOrNull(
  crm: ReturnType<Backend["crm"]>,
  ownerId: string,
): Promise<CrmOwner | null> {
  try {
    return await crm.getOwner(ownerId);
  } catch (error) {
    if (error instanceof HubSpotError && error.code === "NOT_FOUND") return null;
    throw error;
  }
}

/** The last reminder done on any of the customer's open invoices. */
function latestDunningStep(view: CardView): DunningAction | null {
  let latest: { readonly action: DunningAction; readonly doneOn: string } | null = null;
  for (const invoice of view.invoices.items) {
    const step = invoice.dunning?.lastStep ?? null;
    if (step !== null && (latest === null || step.doneOn > latest.doneOn)) latest = step;
  }
  return latest?.action ?? null;
}
