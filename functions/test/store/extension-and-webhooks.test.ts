import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { pairingCodeResponseSchema, pairResponseSchema } from "@encaisse/shared/contracts";
import { SIGNATURE_MEMORY_MS } from "../../src/store";
import { TEST_DRIVERS, useTestStore } from "../support/store";

const TENANT = "1001";
const OTHER_TENANT = "2002";
const rep = { tenantId: TENANT, hubspotUserId: "77", userEmail: "rep@atelier-dupont.example" };

describe.each(TEST_DRIVERS)("extension pairing, webhooks and CRM values (%s)", (driver) => {
  const ctx = useTestStore(driver);

  describe("extension tokens and pairing codes", () => {
    it("a pairing code is 8 readable characters that pair the extension once", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { code, expiresAt } = await ctx.repos.extensionTokens.createPairingCode(rep);
      expect(
        pairingCodeResponseSchema.safeParse({ code, expiresAt: expiresAt.toISOString() }).success,
      ).toBe(true);
      expect(code).not.toMatch(/[01IO]/);
      const paired = await ctx.repos.extensionTokens.pair(code.toLowerCase());
      expect(paired?.user).toEqual(rep);
      expect(
        pairResponseSchema.safeParse({
          token: paired?.token,
          portalId: TENANT,
          userEmail: rep.userEmail,
        }).success,
      ).toBe(true);
      expect(await ctx.repos.extensionTokens.pair(code)).toBeNull();
    });

    it("ten extensions racing with the same code: exactly one is paired", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { code } = await ctx.repos.extensionTokens.createPairingCode(rep);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => ctx.repos.extensionTokens.consumePairingCode(code)),
      );
      expect(results.filter((result) => result !== null)).toHaveLength(1);
    });

    it("a code expires after its time to live", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { code } = await ctx.repos.extensionTokens.createPairingCode(rep, 60_000);
      ctx.clock.advance(60_000);
      expect(await ctx.repos.extensionTokens.consumePairingCode(code)).toBeNull();
    });

    it("asking for a new code cancels the user's previous one", async () => {
      await ctx.repos.tenants.install(TENANT);
      const first = await ctx.repos.extensionTokens.createPairingCode(rep);
      const second = await ctx.repos.extensionTokens.createPairingCode(rep);
      expect(await ctx.repos.extensionTokens.consumePairingCode(first.code)).toBeNull();
      expect(await ctx.repos.extensionTokens.consumePairingCode(second.code)).toEqual(rep);
    });

    it("only hashes are stored: neither the code nor the token appears in the database", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { code } = await ctx.repos.extensionTokens.createPairingCode(rep);
      const paired = await ctx.repos.extensionTokens.pair(code);
      const rows = JSON.stringify([
        await ctx.store.db.execute(sql`select * from pairing_codes`),
        await ctx.store.db.execute(sql`select * from extension_tokens`),
      ]);
      expect(rows).not.toContain(code);
      expect(paired?.token.length).toBeGreaterThanOrEqual(32);
      expect(rows).not.toContain(paired?.token ?? "missing token");
    });

    it("a token identifies its user until revoked", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { id, token } = await ctx.repos.extensionTokens.create(rep);
      expect(await ctx.repos.extensionTokens.verify(token)).toEqual({ tokenId: id, ...rep });
      expect(await ctx.repos.extensionTokens.verify(`${token}x`)).toBeNull();
      expect(await ctx.repos.extensionTokens.revoke(OTHER_TENANT, id)).toBe(false);
      expect(await ctx.repos.extensionTokens.revoke(TENANT, id)).toBe(true);
      expect(await ctx.repos.extensionTokens.verify(token)).toBeNull();
      expect(await ctx.repos.extensionTokens.list(TENANT)).toEqual([]);
    });

    it("last use is recorded at most once a minute", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { id } = await ctx.repos.extensionTokens.create(rep);
      const lastUsed = async () =>
        (await ctx.repos.extensionTokens.list(TENANT))[0]?.lastUsedAt?.getTime();
      expect(await lastUsed()).toBeUndefined();
      await ctx.repos.extensionTokens.touch(TENANT, id);
      const first = ctx.clock.now();
      ctx.clock.advance(30_000);
      await ctx.repos.extensionTokens.touch(TENANT, id);
      expect(await lastUsed()).toBe(first);
      ctx.clock.advance(31_000);
      await ctx.repos.extensionTokens.touch(TENANT, id);
      expect(await lastUsed()).toBe(ctx.clock.now());
    });
  });

  describe("webhook events and request signatures", () => {
    it("a redelivered webhook event is recognised, per tenant", async () => {
      const { webhookEvents } = ctx.repos;
      expect(await webhookEvents.recordOnce(TENANT, "4001")).toBe(true);
      expect(await webhookEvents.recordOnce(TENANT, "4001")).toBe(false);
      expect(await webhookEvents.recordOnce(OTHER_TENANT, "4001")).toBe(true);
      const concurrent = await Promise.all(
        Array.from({ length: 10 }, () => webhookEvents.recordOnce(TENANT, "4002")),
      );
      expect(concurrent.filter(Boolean)).toHaveLength(1);
    });

    it("old events are pruned so the table does not grow forever", async () => {
      const { webhookEvents } = ctx.repos;
      await webhookEvents.recordOnce(TENANT, "old");
      await webhookEvents.markProcessed(TENANT, "old");
      ctx.clock.advance(4 * 86_400_000);
      await webhookEvents.recordOnce(TENANT, "recent");
      expect(await webhookEvents.prune(new Date(ctx.clock.now() - 3 * 86_400_000))).toBe(1);
      expect(await webhookEvents.recordOnce(TENANT, "recent")).toBe(false);
      expect(await webhookEvents.recordOnce(TENANT, "old")).toBe(true);
    });

    it("a replayed signature is refused within the window, and forgotten after it", async () => {
      const { seenSignatures } = ctx.repos;
      const signature = "sha256=Zm9vYmFy";
      expect(await seenSignatures.recordOnce(signature)).toBe(true);
      expect(await seenSignatures.recordOnce(signature)).toBe(false);
      ctx.clock.advance(SIGNATURE_MEMORY_MS + 1);
      expect(await seenSignatures.recordOnce("sha256=another")).toBe(true);
      const remembered = await ctx.store.db.execute(
        sql`select signature_hash from seen_signatures`,
      );
      expect(JSON.stringify(remembered)).not.toContain("Zm9vYmFy");
      expect(await seenSignatures.recordOnce(signature)).toBe(true);
    });
  });

  describe("HubSpot property values", () => {
    it("only values that differ from the last written ones are sent again", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { propertyValues } = ctx.repos;
      const first = [
        { objectId: "501", property: "encaisse_outstanding", value: "1200.00" },
        { objectId: "501", property: "encaisse_overdue", value: "0.00" },
        { objectId: "502", property: "encaisse_outstanding", value: null },
      ];
      expect(await propertyValues.changedValues(TENANT, "companies", first)).toEqual(first);
      await propertyValues.remember(TENANT, "companies", first);

      const next = [
        { objectId: "501", property: "encaisse_outstanding", value: "1200.00" },
        { objectId: "501", property: "encaisse_overdue", value: "300.00" },
        { objectId: "502", property: "encaisse_outstanding", value: null },
        { objectId: "502", property: "encaisse_overdue", value: null },
        { objectId: "503", property: "encaisse_outstanding", value: "10.00" },
      ];
      expect(await propertyValues.changedValues(TENANT, "companies", next)).toEqual([
        { objectId: "501", property: "encaisse_overdue", value: "300.00" },
        { objectId: "502", property: "encaisse_overdue", value: null },
        { objectId: "503", property: "encaisse_outstanding", value: "10.00" },
      ]);
      // Same ids on another object type, or another tenant, are other values.
      expect(await propertyValues.changedValues(TENANT, "deals", first)).toEqual(first);
      await ctx.repos.tenants.install(OTHER_TENANT);
      expect(await propertyValues.changedValues(OTHER_TENANT, "companies", first)).toEqual(first);
    });

    it("a value cleared to null after being set counts as a change, and forget starts over", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { propertyValues } = ctx.repos;
      const set = [{ objectId: "501", property: "encaisse_dunning_step", value: "call" }];
      await propertyValues.remember(TENANT, "companies", set);
      const cleared = [{ objectId: "501", property: "encaisse_dunning_step", value: null }];
      expect(await propertyValues.changedValues(TENANT, "companies", cleared)).toEqual(cleared);
      await propertyValues.forget(TENANT, "companies", "501");
      expect(await propertyValues.changedValues(TENANT, "companies", set)).toEqual(set);
    });

    it("works on thousands of objects at once", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { propertyValues } = ctx.repos;
      const rows = Array.from({ length: 3000 }, (_, index) => ({
        objectId: String(10_000 + index),
        property: "encaisse_outstanding",
        value: `${index}.00`,
      }));
      await propertyValues.remember(TENANT, "companies", rows);
      const changed = rows.map((row, index) =>
        index % 1000 === 0 ? { ...row, value: "changed" } : row,
      );
      expect(
        (await propertyValues.changedValues(TENANT, "companies", changed)).map(
          (row) => row.objectId,
        ),
      ).toEqual(["10000", "11000", "12000"]);
    });
  });
});
