/**
 * How fresh a customer's data is, and refreshing it when it is older than the tenant's
 * freshness window (or when the rep asks): within the time budget, or else serve what the
 * read model has with its age and why it could not be refreshed.
 *
 * A fresh customer costs one query and no provider call.
 */
import type { z } from "zod";
import type { freshnessSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import { PROVIDER_NAMES } from "../../providers/errors";
import type { AccountingProvider } from "../../providers/provider";
import type { Tenant } from "../../store";
import type { CardContext } from "./context";
import { refreshCustomer } from "./refresh";
import type { RefreshFailure } from "./refresher";

export type Freshness = z.infer<typeof freshnessSchema>;

/** The in-process key of one customer's refresh. */
export function refreshKey(tenantId: string, provider: string, customerId: string): string {
  return `${tenantId}:${provider}:${customerId}`;
}

export async function ensureFresh(
  backend: Pick<Backend, "repos" | "clock">,
  cards: CardContext,
  input: {
    readonly tenant: Tenant;
    readonly provider: AccountingProvider;
    readonly customerId: string;
    /** The rep asked for a refresh now, whatever the window says. */
    readonly force: boolean;
  },
): Promise<Freshness> {
  const { tenant, provider, customerId } = input;
  const tenantId = tenant.tenantId;
  const syncedAt = await backend.repos.readModel.freshness(tenantId, provider.provider, customerId);
  const windowMs = tenant.settings.freshnessWindowSeconds * 1000;
  const withinWindow = syncedAt !== null && backend.clock.now() - syncedAt.getTime() < windowMs;
  if (withinWindow && !input.force) return describe(backend.clock.now(), syncedAt, null);

  const { refreshBudgetMs, failureCooldownMs } = cards.options;
  const outcome = await cards.refresher.refresh(
    refreshKey(tenantId, provider.provider, customerId),
    () =>
      refreshCustomer({
        repos: backend.repos,
        provider,
        tenantId,
        customerId,
        clock: backend.clock,
      }),
    { budgetMs: refreshBudgetMs, failureCooldownMs, force: input.force },
  );
  const now = backend.clock.now();
  switch (outcome.kind) {
    case "refreshed":
      return describe(now, outcome.result.syncedAt, null);
    case "failed":
      return describe(now, syncedAt, outcome.failure);
    case "out_of_time":
      return describe(now, syncedAt, {
        code: "PROVIDER_TIMEOUT",
        message: `${PROVIDER_NAMES[provider.provider]} did not answer within ${formatSeconds(refreshBudgetMs)}; this is the last known data, the refresh goes on in the background.`,
      });
  }
}

function describe(
  nowMs: number,
  syncedAt: Date | null,
  refreshError: RefreshFailure | null,
): Freshness {
  return {
    syncedAt: syncedAt?.toISOString() ?? null,
    ageSeconds:
      syncedAt === null ? null : Math.max(0, Math.floor((nowMs - syncedAt.getTime()) / 1000)),
    stale: syncedAt === null || refreshError !== null,
    refreshError,
  };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
