/**
 * The card API's state within one process, one per backend: the refreshes in flight (so two
 * views never refresh the same customer at once) and the short-lived cache of CRM lookups.
 * None of it is a record of anything: losing it costs a provider or HubSpot call, no data.
 */
import type { Backend } from "../../backend";
import { CrmLookups } from "./crm-lookups";
import type { CustomerRefreshReport } from "./refresh";
import { CustomerRefresher } from "./refresher";

export interface CardOptions {
  /** How long a card view waits for a provider refresh before serving what it has. */
  readonly refreshBudgetMs: number;
  /** After a failed refresh, how long views of that customer serve it instead of retrying. */
  readonly failureCooldownMs: number;
  /** How long a company's details, or the company of a contact or deal, are reused. */
  readonly crmCacheTtlMs: number;
}

export const DEFAULT_CARD_OPTIONS: CardOptions = {
  refreshBudgetMs: 2_000,
  failureCooldownMs: 15_000,
  crmCacheTtlMs: 60_000,
};

export class CardContext {
  private current: CardOptions;
  readonly refresher: CustomerRefresher<CustomerRefreshReport>;
  readonly crmLookups: CrmLookups;

  constructor(backend: Pick<Backend, "crm" | "clock" | "logger">, options: Partial<CardOptions>) {
    this.current = { ...DEFAULT_CARD_OPTIONS, ...options };
    this.refresher = new CustomerRefresher(backend.clock, backend.logger);
    this.crmLookups = new CrmLookups(
      (portalId) => backend.crm(portalId),
      backend.clock,
      () => this.current.crmCacheTtlMs,
    );
  }

  get options(): CardOptions {
    return this.current;
  }

  /** Changes the timings (tests and benchmarks shorten the budget, for instance). */
  configure(changes: Partial<CardOptions>): void {
    this.current = { ...this.current, ...changes };
  }
}

const contexts = new WeakMap<Backend, CardContext>();

/** The card context of this backend, created on first use. */
export function cardContextOf(backend: Backend, options: Partial<CardOptions> = {}): CardContext {
  let context = contexts.get(backend);
  if (context === undefined) {
    context = new CardContext(backend, options);
    contexts.set(backend, context);
  } else if (Object.keys(options).length > 0) {
    context.configure(options);
  }
  return context;
}
