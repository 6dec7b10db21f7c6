/**
 * Tenants: one per HubSpot portal that installed the app.
 *
 * Uninstalling deletes the tenant's credentials and everything personal or copied from the
 * accounting software (read model, extension tokens, pairing codes, cached CRM values…).
 * What remains is pseudonymous business history: the tenant row and its settings, the
 * audit trail and the dunning steps already taken (so a reinstall never repeats a
 * reminder), with every user id and free-text note cleared.
 */
import { asc, eq, isNull } from "drizzle-orm";
import { DomainError, type Provider } from "@encaisse/shared";
import { type Settings, settingsSchema } from "@encaisse/shared/contracts";
import { type Clock, systemClock } from "../net/clock";
import type { StoreDb } from "./open";
import {
  auditLog,
  credentials,
  customerFreshness,
  customerLinks,
  customers,
  dunningPauses,
  extensionTokens,
  hubspotPropertyValues,
  idempotencyKeys,
  invoices,
  pairingCodes,
  payments,
  syncCursors,
  tenants,
  webhookEvents,
} from "./schema";
import { DEFAULT_SETTINGS, readSettings } from "./settings";

export interface Tenant {
  /** The HubSpot portal id. */
  readonly tenantId: string;
  readonly installedAt: Date;
  readonly uninstalledAt: Date | null;
  readonly activeProvider: Provider | null;
  /** The Pennylane company or Sage Active organization the active connection works on. */
  readonly providerAccountId: string | null;
  readonly settings: Settings;
}

type TenantRow = typeof tenants.$inferSelect;

function toTenant(row: TenantRow): Tenant {
  return {
    tenantId: row.tenantId,
    installedAt: row.installedAt,
    uninstalledAt: row.uninstalledAt,
    activeProvider: row.activeProvider,
    providerAccountId: row.providerAccountId,
    settings: readSettings(row.settings),
  };
}

export class TenantRepository {
  constructor(
    private readonly db: StoreDb,
    private readonly clock: Clock = systemClock,
  ) {}

  /** First install creates the tenant with default settings; a reinstall keeps its settings. */
  async install(tenantId: string): Promise<Tenant> {
    const now = new Date(this.clock.now());
    const [row] = await this.db
      .insert(tenants)
      .values({
        tenantId,
        installedAt: now,
        settings: DEFAULT_SETTINGS,
        updatedAt: now,
      })
      .onConflictDoUpdate({
        target: tenants.tenantId,
        set: { installedAt: now, uninstalledAt: null, updatedAt: now },
      })
      .returning();
    if (!row) throw new Error(`Installing tenant ${tenantId} returned no row.`);
    return toTenant(row);
  }

  async get(tenantId: string): Promise<Tenant | null> {
    const [row] = await this.db.select().from(tenants).where(eq(tenants.tenantId, tenantId));
    return row ? toTenant(row) : null;
  }

  /** Installed tenants (uninstalled ones are kept but not listed), oldest first. */
  async listInstalled(): Promise<Tenant[]> {
    const rows = await this.db
      .select()
      .from(tenants)
      .where(isNull(tenants.uninstalledAt))
      .orderBy(asc(tenants.installedAt), asc(tenants.tenantId));
    return rows.map(toTenant);
  }

  /** Merges `changes` into the settings and returns the result; concurrent updates both land. */
  async updateSettings(tenantId: string, changes: Partial<Settings>): Promise<Settings> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx
        .select({ settings: tenants.settings })
        .from(tenants)
        .where(eq(tenants.tenantId, tenantId))
        .for("update");
      if (!row) throw notInstalled(tenantId);
      const given = Object.entries(changes).filter(([, value]) => value !== undefined);
      const merged = { ...readSettings(row.settings), ...Object.fromEntries(given) };
      const parsed = settingsSchema.safeParse(merged);
      if (!parsed.success) {
        throw new DomainError("VALIDATION_FAILED", "These settings are not valid.", {
          issues: parsed.error.issues.map((issue) => ({
            field: issue.path.join("."),
            message: issue.message,
          })),
        });
      }
      await tx
        .update(tenants)
        .set({ settings: parsed.data, updatedAt: new Date(this.clock.now()) })
        .where(eq(tenants.tenantId, tenantId));
      return parsed.data;
    });
  }

  async setActiveProvider(
    tenantId: string,
    provider: Provider | null,
    providerAccountId: string | null = null,
  ): Promise<void> {
    const updated = await this.db
      .update(tenants)
      .set({
        activeProvider: provider,
        providerAccountId: provider === null ? null : providerAccountId,
        updatedAt: new Date(this.clock.now()),
      })
      .where(eq(tenants.tenantId, tenantId))
      .returning({ tenantId: tenants.tenantId });
    if (updated.length === 0) throw notInstalled(tenantId);
  }

  /** Deletes credentials and personal data; keeps pseudonymous history (see the file comment). */
  async uninstall(tenantId: string): Promise<void> {
    const now = new Date(this.clock.now());
    await this.db.transaction(async (tx) => {
      for (const table of [
        credentials,
        payments,
        invoices,
        customers,
        customerFreshness,
        extensionTokens,
        pairingCodes,
        idempotencyKeys,
        syncCursors,
        hubspotPropertyValues,
        webhookEvents,
      ]) {
        await tx.delete(table).where(eq(table.tenantId, tenantId));
      }
      await tx.update(auditLog).set({ actor: null }).where(eq(auditLog.tenantId, tenantId));
      await tx
        .update(customerLinks)
        .set({ linkedBy: null })
        .where(eq(customerLinks.tenantId, tenantId));
      await tx
        .update(dunningPauses)
        .set({ note: null, createdBy: null })
        .where(eq(dunningPauses.tenantId, tenantId));
      await tx
        .update(tenants)
        .set({ uninstalledAt: now, activeProvider: null, providerAccountId: null, updatedAt: now })
        .where(eq(tenants.tenantId, tenantId));
    });
  }
}

function notInstalled(tenantId: string): DomainError {
  return new DomainError(
    "TENANT_NOT_INSTALLED",
    "This HubSpot account has not installed Encaisse.",
    {
      tenantId,
    },
  );
}
