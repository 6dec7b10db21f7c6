/**
 * The HubSpot reads a card view needs (a company's name and identifiers, the company of a
 * contact or a deal), kept for a short while per portal. A rep opening records one after
 * another would otherwise spend HubSpot's 110 requests / 10 s on the same few lookups, and
 * a fresh card view would wait on HubSpot for data that almost never changes.
 *
 * Concurrent lookups of the same thing share one request; a failed lookup is not kept.
 */
import type { Clock } from "../../net/clock";
import type { HubSpotCrm } from "../../hubspot/crm";
import type { CrmCompany } from "../../hubspot/mapping";

interface Entry {
  readonly value: Promise<unknown>;
  readonly expiresAt: number;
}

/** Enough for every record a busy team opens within the lifetime of an entry. */
const MAX_ENTRIES = 10_000;

export class CrmLookups {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly crmOf: (portalId: string) => HubSpotCrm,
    private readonly clock: Clock,
    private readonly ttlMs: () => number,
  ) {}

  company(portalId: string, companyId: string): Promise<CrmCompany> {
    return this.remembered(`${portalId}:company:${companyId}`, () =>
      this.crmOf(portalId).getCompany(companyId),
    );
  }

  /** The company of a contact or a deal (its primary one), null when it has none. */
  companyOf(
    portalId: string,
    objectType: "contacts" | "deals",
    objectId: string,
  ): Promise<string | null> {
    return this.remembered(`${portalId}:${objectType}:${objectId}`, () =>
      this.crmOf(portalId).companyOf(objectType, objectId),
    );
  }

  /** Forgets everything about one portal (its CRM changed under us, or it was uninstalled). */
  forgetPortal(portalId: string): void {
    for (const key of this.entries.keys()) {
      if (key.startsWith(`${portalId}:`)) this.entries.delete(key);
    }
  }

  private remembered<T>(key: string, lookup: () => Promise<T>): Promise<T> {
    const now = this.clock.now();
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.value as Promise<T>;
    const value = lookup();
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: now + this.ttlMs() });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    if (this.entries.size > MAX_ENTRIES) {
      // Map keeps insertion order: the first key is the oldest lookup.
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return value;
  }
}
