import { randomBytes } from "node:crypto";
import { and, eq, getTableName, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DEFAULT_DUNNING_LADDER, DomainError, type Invoice } from "@encaisse/shared";
import { settingsSchema } from "@encaisse/shared/contracts";
import { OAuthSession, type OAuthTokens } from "../../src/net/oauth-session";
import { CredentialCipher, CredentialRepository, DEFAULT_SETTINGS } from "../../src/store";
import * as schema from "../../src/store/schema";
import { TEST_DRIVERS, useTestStore } from "../support/store";

const TENANT = "1001";
const OTHER_TENANT = "2002";

const tokens: OAuthTokens = {
  accessToken: "access-7d3f9b21c0",
  refreshToken: "refresh-55ae0c9d13",
  expiresAt: Date.parse("2026-03-16T10:00:00Z"),
  scope: "invoices:all customers:all",
};

async function errorCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return error instanceof DomainError ? error.code : `not a DomainError: ${String(error)}`;
  }
  return undefined;
}

function invoice(id: string): Invoice {
  return {
    provider: "pennylane",
    id,
    number: `F-${id}`,
    customerId: "cus-1",
    customerName: "Boulangerie Martin",
    issueDate: "2026-01-10",
    dueDate: "2026-02-09",
    currency: "EUR",
    netCents: 100_000,
    vatCents: 20_000,
    grossCents: 120_000,
    paidCents: 0,
    remainingCents: 120_000,
    status: "overdue",
    daysLate: 0,
    isDraft: false,
    isCreditNote: false,
    isCancelled: false,
    providerStatus: "late",
    lines: [],
    payments: [],
    externalReference: `hubspot-deal-${id}`,
    webUrl: null,
    updatedAt: "2026-01-10T08:00:00.000Z",
  };
}

describe("default settings", () => {
  it("match the settings contract: draft invoices, FR_200, 30 days, the standard ladder, 5-minute freshness", () => {
    expect(settingsSchema.safeParse(DEFAULT_SETTINGS).success).toBe(true);
    expect(DEFAULT_SETTINGS).toMatchObject({
      invoiceMode: "draft",
      defaultVatCode: "FR_200",
      defaultPaymentTerms: "30_days",
      freshnessWindowSeconds: 300,
      dunningLadder: DEFAULT_DUNNING_LADDER,
    });
  });
});

describe.each(TEST_DRIVERS)("tenants and credentials (%s)", (driver) => {
  const ctx = useTestStore(driver);

  describe("tenants", () => {
    it("a new install starts with the default settings and no provider", async () => {
      const tenant = await ctx.repos.tenants.install(TENANT);
      expect(tenant).toMatchObject({
        tenantId: TENANT,
        activeProvider: null,
        uninstalledAt: null,
        settings: DEFAULT_SETTINGS,
      });
      expect(tenant.installedAt.getTime()).toBe(ctx.clock.now());
      expect(await ctx.repos.tenants.get(TENANT)).toEqual(tenant);
      expect(await ctx.repos.tenants.get(OTHER_TENANT)).toBeNull();
    });

    it("updating settings merges the change, validates it, and returns what is stored", async () => {
      await ctx.repos.tenants.install(TENANT);
      const updated = await ctx.repos.tenants.updateSettings(TENANT, {
        invoiceMode: "finalized",
        freshnessWindowSeconds: 900,
      });
      expect(updated).toEqual({
        ...DEFAULT_SETTINGS,
        invoiceMode: "finalized",
        freshnessWindowSeconds: 900,
      });
      expect((await ctx.repos.tenants.get(TENANT))?.settings).toEqual(updated);
    });

    it("invalid settings are refused with VALIDATION_FAILED and nothing changes", async () => {
      await ctx.repos.tenants.install(TENANT);
      expect(
        await errorCode(ctx.repos.tenants.updateSettings(TENANT, { freshnessWindowSeconds: 5 })),
      ).toBe("VALIDATION_FAILED");
      expect((await ctx.repos.tenants.get(TENANT))?.settings).toEqual(DEFAULT_SETTINGS);
    });

    it("updating the settings of a portal that never installed is TENANT_NOT_INSTALLED", async () => {
      expect(await errorCode(ctx.repos.tenants.updateSettings(TENANT, {}))).toBe(
        "TENANT_NOT_INSTALLED",
      );
      expect(await errorCode(ctx.repos.tenants.setActiveProvider(TENANT, "pennylane"))).toBe(
        "TENANT_NOT_INSTALLED",
      );
    });

    it("a stored setting that no longer validates reads as its default, the others are kept", async () => {
      await ctx.repos.tenants.install(TENANT);
      await ctx.store.db
        .update(schema.tenants)
        .set({
          settings: { ...DEFAULT_SETTINGS, invoiceMode: "finalized", defaultVatCode: "XX_999" },
        })
        .where(eq(schema.tenants.tenantId, TENANT));
      const settings = (await ctx.repos.tenants.get(TENANT))?.settings;
      expect(settings?.invoiceMode).toBe("finalized");
      expect(settings?.defaultVatCode).toBe(DEFAULT_SETTINGS.defaultVatCode);
    });

    it("lists installed tenants only, and a reinstall keeps the settings", async () => {
      await ctx.repos.tenants.install(TENANT);
      ctx.clock.advance(1000);
      await ctx.repos.tenants.install(OTHER_TENANT);
      await ctx.repos.tenants.updateSettings(TENANT, { digestEnabled: true });
      await ctx.repos.tenants.uninstall(OTHER_TENANT);
      expect((await ctx.repos.tenants.listInstalled()).map((t) => t.tenantId)).toEqual([TENANT]);

      await ctx.repos.tenants.uninstall(TENANT);
      ctx.clock.advance(1000);
      const again = await ctx.repos.tenants.install(TENANT);
      expect(again.uninstalledAt).toBeNull();
      expect(again.settings.digestEnabled).toBe(true);
    });

    it("remembers the active provider", async () => {
      await ctx.repos.tenants.install(TENANT);
      await ctx.repos.tenants.setActiveProvider(TENANT, "sage_active");
      expect((await ctx.repos.tenants.get(TENANT))?.activeProvider).toBe("sage_active");
    });
  });

  describe("credentials", () => {
    it("an OAuth pair and an API token round-trip", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { credentials } = ctx.repos;
      await credentials.save(TENANT, "hubspot", { method: "oauth", tokens });
      await credentials.save(TENANT, "pennylane", { method: "api_token", token: "pl-9a8b7c6d5e" });
      expect(await credentials.load(TENANT, "hubspot")).toEqual({ method: "oauth", tokens });
      expect(await credentials.load(TENANT, "pennylane")).toEqual({
        method: "api_token",
        token: "pl-9a8b7c6d5e",
      });
      expect(await credentials.load(TENANT, "sage_active")).toBeNull();
      expect(await credentials.list(TENANT)).toEqual([
        {
          kind: "hubspot",
          method: "oauth",
          accessExpiresAt: new Date(tokens.expiresAt),
          updatedAt: new Date(ctx.clock.now()),
        },
        {
          kind: "pennylane",
          method: "api_token",
          accessExpiresAt: null,
          updatedAt: new Date(ctx.clock.now()),
        },
      ]);
    });

    it("the database never holds a secret in clear", async () => {
      await ctx.repos.tenants.install(TENANT);
      await ctx.repos.credentials.save(TENANT, "hubspot", { method: "oauth", tokens });
      await ctx.repos.credentials.save(TENANT, "pennylane", {
        method: "api_token",
        token: "pl-9a8b7c6d5e",
      });
      const rows = await ctx.store.db.execute<Record<string, unknown>>(
        sql`select * from credentials`,
      );
      const everything = JSON.stringify(rows);
      expect(everything).toContain("v1:");
      for (const secretText of [tokens.accessToken, tokens.refreshToken, "pl-9a8b7c6d5e"]) {
        expect(everything).not.toContain(secretText);
      }
    });

    it("a ciphertext copied into another tenant's row is refused with CREDENTIALS_UNREADABLE", async () => {
      await ctx.repos.tenants.install(TENANT);
      await ctx.repos.tenants.install(OTHER_TENANT);
      await ctx.repos.credentials.save(TENANT, "pennylane", {
        method: "api_token",
        token: "pl-tenant-a",
      });
      await ctx.repos.credentials.save(OTHER_TENANT, "pennylane", {
        method: "api_token",
        token: "pl-tenant-b",
      });
      const [stolen] = await ctx.store.db
        .select({ ciphertext: schema.credentials.ciphertext })
        .from(schema.credentials)
        .where(eq(schema.credentials.tenantId, TENANT));
      await ctx.store.db
        .update(schema.credentials)
        .set({ ciphertext: stolen?.ciphertext ?? "" })
        .where(
          and(
            eq(schema.credentials.tenantId, OTHER_TENANT),
            eq(schema.credentials.kind, "pennylane"),
          ),
        );
      expect(await errorCode(ctx.repos.credentials.load(OTHER_TENANT, "pennylane"))).toBe(
        "CREDENTIALS_UNREADABLE",
      );
    });

    it("after a key rotation, a secret sealed with the old key is read and resealed with the new one", async () => {
      await ctx.repos.tenants.install(TENANT);
      const oldKey = { version: 1, key: randomBytes(32) };
      const newKey = { version: 2, key: randomBytes(32) };
      const before = new CredentialRepository(
        ctx.store.db,
        new CredentialCipher(oldKey),
        ctx.clock,
      );
      await before.save(TENANT, "pennylane", { method: "oauth", tokens });
      const after = new CredentialRepository(
        ctx.store.db,
        new CredentialCipher(newKey, [oldKey]),
        ctx.clock,
      );
      expect(await after.load(TENANT, "pennylane")).toEqual({ method: "oauth", tokens });
      const [row] = await ctx.store.db
        .select({ ciphertext: schema.credentials.ciphertext })
        .from(schema.credentials)
        .where(eq(schema.credentials.tenantId, TENANT));
      expect(row?.ciphertext.startsWith("v2:")).toBe(true);
      const newKeyOnly = new CredentialRepository(
        ctx.store.db,
        new CredentialCipher(newKey),
        ctx.clock,
      );
      expect(await newKeyOnly.load(TENANT, "pennylane")).toEqual({ method: "oauth", tokens });
    });

    it("saving again replaces the secret; deleting disconnects", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { credentials } = ctx.repos;
      await credentials.save(TENANT, "pennylane", { method: "api_token", token: "first-token" });
      await credentials.save(TENANT, "pennylane", { method: "oauth", tokens });
      expect(await credentials.load(TENANT, "pennylane")).toEqual({ method: "oauth", tokens });
      expect(await credentials.delete(TENANT, "pennylane")).toBe(true);
      expect(await credentials.delete(TENANT, "pennylane")).toBe(false);
      expect(await credentials.load(TENANT, "pennylane")).toBeNull();
    });

    it("two workers refreshing one connection spend its rotating refresh token once", async () => {
      await ctx.repos.tenants.install(TENANT);
      await ctx.repos.credentials.save(TENANT, "pennylane", {
        method: "oauth",
        tokens: { ...tokens, expiresAt: ctx.clock.now() - 1 },
      });
      const spent = new Set<string>();
      let refreshes = 0;
      const refresh = async (refreshToken: string): Promise<OAuthTokens> => {
        if (spent.has(refreshToken)) throw new Error(`invalid_grant: ${refreshToken} reused`);
        spent.add(refreshToken);
        refreshes += 1;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return {
          accessToken: `access-${refreshes}`,
          refreshToken: `refresh-${refreshes}`,
          expiresAt: ctx.clock.now() + 3_600_000,
          scope: null,
        };
      };
      // Two sessions, as two processes would have, sharing only the database.
      const sessions = [1, 2].map(
        () =>
          new OAuthSession(ctx.repos.tokenStore(TENANT, "pennylane"), refresh, {
            clock: ctx.clock,
          }),
      );
      const accessTokens = await Promise.all(sessions.map((session) => session.accessToken()));
      expect(refreshes).toBe(1);
      expect(accessTokens).toEqual(["access-1", "access-1"]);
      expect(await ctx.repos.credentials.load(TENANT, "pennylane")).toMatchObject({
        method: "oauth",
        tokens: { refreshToken: "refresh-1" },
      });
    });

    it("an API-token connection has no OAuth tokens to refresh", async () => {
      await ctx.repos.tenants.install(TENANT);
      await ctx.repos.credentials.save(TENANT, "pennylane", { method: "api_token", token: "x" });
      expect(await ctx.repos.tokenStore(TENANT, "pennylane").load()).toBeNull();
    });
  });

  describe("uninstall", () => {
    it("deletes credentials and personal data, keeps only pseudonymous history", async () => {
      const { repos } = ctx;
      for (const tenantId of [TENANT, OTHER_TENANT]) {
        await repos.tenants.install(tenantId);
        await repos.tenants.setActiveProvider(tenantId, "pennylane");
        await repos.credentials.save(tenantId, "hubspot", { method: "oauth", tokens });
        await repos.credentials.save(tenantId, "pennylane", { method: "api_token", token: "t" });
        await repos.readModel.upsertCustomers(tenantId, [
          {
            provider: "pennylane",
            providerId: "cus-1",
            kind: "individual",
            name: "Jeanne Martin",
            siren: null,
            siret: null,
            vatNumber: null,
            emails: ["jeanne.martin@example.fr"],
            billingAddress: {
              line1: "3 rue des Lilas",
              line2: null,
              postalCode: "69003",
              city: "Lyon",
              countryCode: "FR",
            },
            paymentTerms: "30_days",
            externalReference: null,
          },
        ]);
        await repos.readModel.upsertInvoices(tenantId, [invoice("inv-1")]);
        await repos.readModel.upsertPayments(tenantId, "pennylane", [
          {
            invoiceId: "inv-1",
            id: "pay-1",
            date: "2026-02-01",
            amountCents: 1000,
            method: "transfer",
            label: "VIR JEANNE MARTIN",
          },
        ]);
        await repos.readModel.markFresh(tenantId, "pennylane", "cus-1");
        await repos.customerLinks.link(tenantId, {
          companyId: "501",
          provider: "pennylane",
          providerCustomerId: "cus-1",
          matchedBy: "manual",
          confidence: 100,
          linkedBy: "user-77",
        });
        await repos.audit.append(tenantId, {
          actor: "user-77",
          action: "invoice.created",
          objectType: "invoice",
          objectId: "inv-1",
          details: { dealId: "901" },
        });
        await repos.extensionTokens.create({
          tenantId,
          hubspotUserId: "user-77",
          userEmail: "rep@example.fr",
        });
        await repos.extensionTokens.createPairingCode({
          tenantId,
          hubspotUserId: "user-78",
          userEmail: "other@example.fr",
        });
        await repos.idempotency.claim(tenantId, "deal-901", "fp", 30_000);
        await repos.cursors.save(tenantId, "pennylane", "invoices", { cursor: "c-1" });
        await repos.dunning.recordAction(tenantId, {
          provider: "pennylane",
          invoiceId: "inv-1",
          stepId: "courteous-email",
          doneOn: "2026-02-10",
        });
        await repos.dunning.addPause(tenantId, {
          provider: "pennylane",
          invoiceId: "inv-1",
          pause: { kind: "dispute", since: "2026-02-12" },
          note: "Mme Martin conteste la livraison",
          createdBy: "user-77",
        });
        await repos.webhookEvents.recordOnce(tenantId, "evt-1");
        await repos.propertyValues.remember(tenantId, "companies", [
          { objectId: "501", property: "encaisse_outstanding", value: "1200.00" },
        ]);
      }

      ctx.clock.advance(60_000);
      await repos.tenants.uninstall(TENANT);

      const tenant = await repos.tenants.get(TENANT);
      expect(tenant?.uninstalledAt?.getTime()).toBe(ctx.clock.now());
      expect(tenant?.activeProvider).toBeNull();

      const db = ctx.store.db;
      for (const table of [
        schema.credentials,
        schema.customers,
        schema.invoices,
        schema.payments,
        schema.customerFreshness,
        schema.extensionTokens,
        schema.pairingCodes,
        schema.idempotencyKeys,
        schema.syncCursors,
        schema.webhookEvents,
        schema.hubspotPropertyValues,
      ]) {
        expect(await db.$count(table, eq(table.tenantId, TENANT)), getTableName(table)).toBe(0);
        expect(await db.$count(table, eq(table.tenantId, OTHER_TENANT))).toBeGreaterThan(0);
      }

      // What remains for the tenant mentions no person: no email, no user id, no note.
      const remaining = JSON.stringify([
        await db.select().from(schema.auditLog).where(eq(schema.auditLog.tenantId, TENANT)),
        await db
          .select()
          .from(schema.customerLinks)
          .where(eq(schema.customerLinks.tenantId, TENANT)),
        await db
          .select()
          .from(schema.dunningPauses)
          .where(eq(schema.dunningPauses.tenantId, TENANT)),
        await db
          .select()
          .from(schema.dunningActions)
          .where(eq(schema.dunningActions.tenantId, TENANT)),
        await db.select().from(schema.tenants).where(eq(schema.tenants.tenantId, TENANT)),
      ]);
      for (const personal of ["@example.fr", "user-77", "user-78", "Martin", "Lilas"]) {
        expect(remaining).not.toContain(personal);
      }
      // The steps already taken survive, so a reinstall never repeats a reminder.
      expect((await repos.dunning.history(TENANT, "pennylane", ["inv-1"])).get("inv-1")).toEqual([
        { stepId: "courteous-email", doneOn: "2026-02-10", hubspotTaskId: null },
      ]);

      // The other tenant is untouched.
      expect(await repos.credentials.load(OTHER_TENANT, "pennylane")).toEqual({
        method: "api_token",
        token: "t",
      });
      expect(await repos.readModel.getCustomer(OTHER_TENANT, "pennylane", "cus-1")).toMatchObject({
        emails: ["jeanne.martin@example.fr"],
      });
      expect((await repos.audit.list(OTHER_TENANT)).entries[0]?.actor).toBe("user-77");
    });
  });
});
