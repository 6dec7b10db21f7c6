/**
 * The card's answer for a linked customer, read from the read model only: one page of its
 * invoices with their payments, dunning state and late-payment penalties, and the summary
 * over all of them. Rules come from `shared`; this file only gathers the facts they need.
 */
import {
  type CalendarDate,
  type Invoice,
  type Provider,
  computeLatePaymentPenalties,
  summarizeReceivables,
} from "@encaisse/shared";
import type {
  CardInvoice,
  CardInvoicesQuery,
  CardInvoicesResponse,
} from "@encaisse/shared/contracts";
import type { DunningHistoryEntry, DunningLadder, DunningPause } from "@encaisse/shared";
import type { Repositories, StoredCustomer } from "../../store";
import { withAmountsZeroed } from "./amounts";
import { cardDunningStateOf } from "./dunning-state";
import type { Freshness } from "./freshness";
import type { CardCompany } from "./resolve-customer";

export type CardView = Extract<CardInvoicesResponse, { state: "ok" }>;

/** Invoices are in euros unless the provider says otherwise. */
const DEFAULT_CURRENCY = "EUR";

export interface CardViewInput {
  readonly tenantId: string;
  readonly provider: Provider;
  readonly company: CardCompany;
  readonly customerId: string;
  readonly query: Pick<CardInvoicesQuery, "page" | "pageSize" | "sort" | "order" | "status">;
  readonly ladder: DunningLadder;
  readonly freshness: Freshness;
  readonly amountsVisible: boolean;
  readonly today: CalendarDate;
}

export async function buildCardView(repos: Repositories, input: CardViewInput): Promise<CardView> {
  const { tenantId, provider, customerId, today, query } = input;
  const [page, all, customer] = await Promise.all([
    repos.readModel.listCustomerInvoices(tenantId, {
      provider,
      customerId,
      page: query.page,
      pageSize: query.pageSize,
      sort: query.sort,
      order: query.order,
      status: query.status,
      today,
    }),
    repos.readModel.allCustomerInvoices(tenantId, provider, customerId, today),
    repos.readModel.getCustomer(tenantId, provider, customerId),
  ]);
  const pageIds = page.items.map((invoice) => invoice.id);
  const [history, pauses] = await Promise.all([
    repos.dunning.history(tenantId, provider, pageIds),
    repos.dunning.pauses(tenantId, provider, pageIds),
  ]);
  // One summary adds up one currency: that of the customer's invoices (latest first).
  const currency = all[0]?.currency ?? DEFAULT_CURRENCY;
  const isBusinessCustomer = customer?.kind !== "individual";

  const view: CardView = {
    state: "ok",
    provider,
    company: input.company,
    customer: {
      providerCustomerId: customerId,
      name: customer?.name ?? all[0]?.customerName ?? "",
      siren: sirenOf(customer),
    },
    currency,
    summary: summarizeReceivables(
      all.filter((invoice) => invoice.currency === currency),
      today,
    ),
    invoices: {
      items: page.items.map((invoice) =>
        toCardInvoice(invoice, {
          history: history.get(invoice.id) ?? [],
          pauses: pauses.get(invoice.id) ?? [],
          ladder: input.ladder,
          today,
          isBusinessCustomer,
        }),
      ),
      page: page.page,
      pageSize: page.pageSize,
      total: page.total,
    },
    freshness: input.freshness,
    amountsVisible: input.amountsVisible,
  };
  if (input.amountsVisible) return view;
  return {
    ...view,
    summary: withAmountsZeroed(view.summary),
    invoices: { ...view.invoices, items: withAmountsZeroed(view.invoices.items) },
  };
}

function sirenOf(customer: StoredCustomer | null): string | null {
  if (customer === null) return null;
  return customer.siren ?? customer.siret?.slice(0, 9) ?? null;
}

function toCardInvoice(
  invoice: Invoice,
  context: {
    readonly history: readonly DunningHistoryEntry[];
    readonly pauses: readonly DunningPause[];
    readonly ladder: DunningLadder;
    readonly today: CalendarDate;
    readonly isBusinessCustomer: boolean;
  },
): CardInvoice {
  const { lines: _lines, ...rest } = invoice;
  return {
    ...rest,
    dunning: cardDunningStateOf({ invoice, ...context }),
    penalties: invoice.status === "overdue" ? penaltiesOf(invoice, context) : null,
  };
}

function penaltiesOf(
  invoice: Invoice,
  context: { readonly today: CalendarDate; readonly isBusinessCustomer: boolean },
): CardInvoice["penalties"] {
  const penalties = computeLatePaymentPenalties({
    dueDate: invoice.dueDate,
    grossCents: invoice.grossCents,
    payments: invoice.payments,
    today: context.today,
    isBusinessCustomer: context.isBusinessCustomer,
  });
  return {
    interestCents: penalties.interestCents,
    indemnityCents: penalties.indemnityCents,
    totalCents: penalties.totalCents,
    provisional: penalties.provisional,
  };
}
