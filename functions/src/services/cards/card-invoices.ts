/**
 * `GET /v1/cards/invoices`: the invoices of the customer behind a HubSpot record (flow 1 of
 * ARCHITECTURE.md). Tenant from the signed caller, record -> company -> customer, freshness,
 * then the view from the read model.
 */
import { parisDateOf } from "@encaisse/shared";
import type { CardInvoicesResponse } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { HubSpotCaller } from "../../http/hubspot-auth";
import { amountsVisibleTo } from "./amounts";
import type { CardRequest } from "./card-request";
import { buildCardView } from "./card-view";
import type { CardContext } from "./context";
import { ensureFresh } from "./freshness";
import type { CardLocale } from "./match";
import { resolveCustomer } from "./resolve-customer";

export async function cardInvoices(
  backend: Backend,
  cards: CardContext,
  input: {
    readonly caller: HubSpotCaller;
    readonly request: CardRequest;
    readonly locale: CardLocale;
  },
): Promise<CardInvoicesResponse> {
  const { request } = input;
  const tenant = await backend.tenant(input.caller.portalId);
  const provider = await backend.provider(tenant);
  if (provider === null) return { state: "not_connected" };

  const resolution = await resolveCustomer(backend, cards, {
    tenant,
    provider,
    record: { objectType: request.objectType, objectId: request.objectId },
    locale: input.locale,
  });
  switch (resolution.kind) {
    case "no_company":
      return { state: "no_company", objectType: request.objectType };
    case "not_matched":
      return {
        state: "not_matched",
        provider: provider.provider,
        company: resolution.company,
        candidates: resolution.candidates,
      };
    case "linked":
      break;
  }

  const freshness = await ensureFresh(backend, cards, {
    tenant,
    provider,
    customerId: resolution.providerCustomerId,
    force: request.refresh === "1",
  });
  return buildCardView(backend.repos, {
    tenantId: tenant.tenantId,
    provider: provider.provider,
    company: resolution.company,
    customerId: resolution.providerCustomerId,
    query: request,
    ladder: tenant.settings.dunningLadder,
    freshness,
    amountsVisible: amountsVisibleTo(tenant.settings.amountsVisibleToTeamIds, request.teamIds),
    today: parisDateOf(new Date(backend.clock.now())),
  });
}
