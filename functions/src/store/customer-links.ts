/**
 * Which accounting customer each HubSpot company is: found by the matcher or confirmed by a
 * rep, one customer per company and one company per customer.
 */
import { and, asc, eq } from "drizzle-orm";
import type { Provider } from "@encaisse/shared";
import { type Clock, systemClock } from "../net/clock";
import type { StoreDb } from "./open";
import { type MATCH_METHODS, customerLinks } from "./schema";

export type MatchMethod = (typeof MATCH_METHODS)[number];

export interface CustomerLink {
  readonly companyId: string;
  readonly provider: Provider;
  readonly providerCustomerId: string;
  readonly matchedBy: MatchMethod;
  readonly confidence: number;
  readonly linkedAt: Date;
  /** HubSpot user id; null when linked automatically. */
  readonly linkedBy: string | null;
}

export type NewCustomerLink = Omit<CustomerLink, "linkedAt">;

const linkColumns = {
  companyId: customerLinks.companyId,
  provider: customerLinks.provider,
  providerCustomerId: customerLinks.providerCustomerId,
  matchedBy: customerLinks.matchedBy,
  confidence: customerLinks.confidence,
  linkedAt: customerLinks.linkedAt,
  linkedBy: customerLinks.linkedBy,
};

export class CustomerLinkRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Links the company to the customer, replacing the company's previous link. A customer
   * already linked to another company moves to this one (the rep's latest decision wins).
   */
  async link(tenantId: string, link: NewCustomerLink): Promise<CustomerLink> {
    const linkedAt = new Date(this.clock.now());
    return this.db.transaction(async (tx) => {
      await tx
        .delete(customerLinks)
        .where(
          and(
            eq(customerLinks.tenantId, tenantId),
            eq(customerLinks.provider, link.provider),
            eq(customerLinks.providerCustomerId, link.providerCustomerId),
          ),
        );
      const [row] = await tx
        .insert(customerLinks)
        .values({ tenantId, ...link, linkedAt })
        .onConflictDoUpdate({
          target: [customerLinks.tenantId, customerLinks.companyId],
          set: {
            provider: link.provider,
            providerCustomerId: link.providerCustomerId,
            matchedBy: link.matchedBy,
            confidence: link.confidence,
            linkedAt,
            linkedBy: link.linkedBy,
          },
        })
        .returning(linkColumns);
      if (!row) throw new Error("Linking a customer returned no row.");
      return row;
    });
  }

  async byCompany(tenantId: string, companyId: string): Promise<CustomerLink | null> {
    const [row] = await this.db
      .select(linkColumns)
      .from(customerLinks)
      .where(and(eq(customerLinks.tenantId, tenantId), eq(customerLinks.companyId, companyId)));
    return row ?? null;
  }

  async byCustomer(
    tenantId: string,
    provider: Provider,
    providerCustomerId: string,
  ): Promise<CustomerLink | null> {
    const [row] = await this.db
      .select(linkColumns)
      .from(customerLinks)
      .where(
        and(
          eq(customerLinks.tenantId, tenantId),
          eq(customerLinks.provider, provider),
          eq(customerLinks.providerCustomerId, providerCustomerId),
        ),
      );
    return row ?? null;
  }

  async list(tenantId: string, provider: Provider): Promise<CustomerLink[]> {
    return this.db
      .select(linkColumns)
      .from(customerLinks)
      .where(and(eq(customerLinks.tenantId, tenantId), eq(customerLinks.provider, provider)))
      .orderBy(asc(customerLinks.companyId));
  }

  async unlink(tenantId: string, companyId: string): Promise<boolean> {
    const deleted = await this.db
      .delete(customerLinks)
      .where(and(eq(customerLinks.tenantId, tenantId), eq(customerLinks.companyId, companyId)))
      .returning({ companyId: customerLinks.companyId });
    return deleted.length > 0;
  }
}
