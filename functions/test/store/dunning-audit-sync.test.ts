import { describe, expect, it } from "vitest";
import { REDACTED } from "../../src/store";
import { TEST_DRIVERS, useTestStore } from "../support/store";

const TENANT = "1001";

describe.each(TEST_DRIVERS)("dunning, audit, sync cursors and customer links (%s)", (driver) => {
  const ctx = useTestStore(driver);

  describe("dunning", () => {
    it("a step is recorded once per invoice, even when two runners race", async () => {
      await ctx.repos.tenants.install(TENANT);
      const action = {
        provider: "pennylane" as const,
        invoiceId: "inv-1",
        stepId: "call",
        doneOn: "2026-03-16",
      };
      const results = await Promise.all(
        Array.from({ length: 5 }, () => ctx.repos.dunning.recordAction(TENANT, action)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(
        await ctx.repos.dunning.recordAction(TENANT, { ...action, doneOn: "2026-03-17" }),
      ).toBe(false);
      await ctx.repos.dunning.recordAction(TENANT, {
        ...action,
        stepId: "courteous-email",
        doneOn: "2026-03-10",
      });
      await ctx.repos.dunning.attachTask(TENANT, "pennylane", "inv-1", "call", "task-9001");
      const history = await ctx.repos.dunning.history(TENANT, "pennylane", ["inv-1", "inv-2"]);
      expect(history.get("inv-1")).toEqual([
        { stepId: "courteous-email", doneOn: "2026-03-10", hubspotTaskId: null },
        { stepId: "call", doneOn: "2026-03-16", hubspotTaskId: "task-9001" },
      ]);
      expect(history.has("inv-2")).toBe(false);
    });

    it("pauses read in the dunning plan's shape; resolving ends the open ones", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { dunning } = ctx.repos;
      await dunning.addPause(TENANT, {
        provider: "pennylane",
        invoiceId: "inv-1",
        pause: { kind: "dispute", since: "2026-03-01" },
        note: "Livraison contestée",
        createdBy: "77",
      });
      await dunning.addPause(TENANT, {
        provider: "pennylane",
        invoiceId: "inv-2",
        pause: { kind: "promise_to_pay", since: "2026-03-02", until: "2026-03-31" },
      });
      expect(await dunning.resolvePauses(TENANT, "pennylane", "inv-1", "2026-03-10")).toBe(1);
      expect(await dunning.resolvePauses(TENANT, "pennylane", "inv-1", "2026-03-11")).toBe(0);
      // A promise to pay ended early ends on the day it was resolved.
      await dunning.resolvePauses(TENANT, "pennylane", "inv-2", "2026-03-12");
      const pauses = await dunning.pauses(TENANT, "pennylane", ["inv-1", "inv-2"]);
      expect(pauses.get("inv-1")).toEqual([
        { kind: "dispute", since: "2026-03-01", resolvedOn: "2026-03-10" },
      ]);
      expect(pauses.get("inv-2")).toEqual([
        { kind: "promise_to_pay", since: "2026-03-02", until: "2026-03-12" },
      ]);
    });
  });

  describe("audit log", () => {
    it("lists a tenant's entries newest first, page by page", async () => {
      await ctx.repos.tenants.install(TENANT);
      for (let index = 1; index <= 5; index += 1) {
        await ctx.repos.audit.append(TENANT, {
          actor: index % 2 === 0 ? "77" : null,
          action: "invoice.created",
          objectType: "invoice",
          objectId: `inv-${index}`,
          details: { dealId: String(900 + index) },
        });
        // Two entries in the same millisecond still page in a stable order.
        if (index !== 3) ctx.clock.advance(1000);
      }
      const first = await ctx.repos.audit.list(TENANT, { limit: 2 });
      const second = await ctx.repos.audit.list(TENANT, { limit: 2, before: first.nextCursor });
      const third = await ctx.repos.audit.list(TENANT, { limit: 2, before: second.nextCursor });
      expect([first, second, third].map((page) => page.entries.map((e) => e.objectId))).toEqual([
        ["inv-5", "inv-4"],
        ["inv-3", "inv-2"],
        ["inv-1"],
      ]);
      expect(third.nextCursor).toBeNull();
      expect(first.entries[1]).toMatchObject({ actor: "77", details: { dealId: "904" } });
    });

    it("details never keep an email address or a secret, at any depth", async () => {
      await ctx.repos.tenants.install(TENANT);
      const entry = await ctx.repos.audit.append(TENANT, {
        actor: "77",
        action: "connection.connected",
        objectType: "connection",
        objectId: "pennylane",
        details: {
          companyName: "Atelier Dupont",
          accessToken: "eyJhbGciOi",
          userEmail: "rep@atelier-dupont.example",
          note: "Connecté par rep@atelier-dupont.example",
          nested: [{ apiSecret: "s3cr3t", kept: 42 }],
        },
      });
      expect(entry.details).toEqual({
        companyName: "Atelier Dupont",
        accessToken: REDACTED,
        userEmail: REDACTED,
        note: `Connecté par ${REDACTED}`,
        nested: [{ apiSecret: REDACTED, kept: 42 }],
      });
      const stored = JSON.stringify(await ctx.repos.audit.list(TENANT));
      for (const forbidden of ["eyJhbGciOi", "atelier-dupont.example", "s3cr3t"]) {
        expect(stored).not.toContain(forbidden);
      }
    });
  });

  describe("sync cursors", () => {
    it("saves progress, records an error without losing the cursor, and clears it on the next success", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { cursors } = ctx.repos;
      const started = ctx.clock.now();
      expect(await cursors.get(TENANT, "pennylane", "invoices")).toBeNull();
      await cursors.save(TENANT, "pennylane", "invoices", {
        cursor: "page-1",
        backfillDone: 100,
        backfillTotal: 1200,
      });
      ctx.clock.advance(5000);
      await cursors.recordError(TENANT, "pennylane", "invoices", {
        code: "PROVIDER_RATE_LIMITED",
        message: "Pennylane asked us to slow down.",
      });
      expect(await cursors.get(TENANT, "pennylane", "invoices")).toMatchObject({
        cursor: "page-1",
        backfillDone: 100,
        backfillTotal: 1200,
        lastError: { code: "PROVIDER_RATE_LIMITED", message: "Pennylane asked us to slow down." },
      });
      ctx.clock.advance(5000);
      await cursors.save(TENANT, "pennylane", "invoices", { cursor: "page-2", backfillDone: 200 });
      const cursor = await cursors.get(TENANT, "pennylane", "invoices");
      expect(cursor).toMatchObject({
        cursor: "page-2",
        backfillDone: 200,
        backfillTotal: 1200,
        lastError: null,
      });
      expect(cursor?.startedAt.getTime()).toBe(started);
      expect(cursor?.updatedAt.getTime()).toBe(ctx.clock.now());

      await cursors.save(TENANT, "sage_active", "invoices", { cursor: null });
      expect((await cursors.list(TENANT)).map((c) => `${c.provider}/${c.stream}`)).toEqual([
        "pennylane/invoices",
        "sage_active/invoices",
      ]);
      await cursors.reset(TENANT, "pennylane");
      expect((await cursors.list(TENANT)).map((c) => c.provider)).toEqual(["sage_active"]);
    });
  });

  describe("customer links", () => {
    const link = {
      companyId: "501",
      provider: "pennylane" as const,
      providerCustomerId: "cus-1",
      matchedBy: "siren" as const,
      confidence: 95,
      linkedBy: null,
    };

    it("a company links to one customer, and a customer to one company", async () => {
      await ctx.repos.tenants.install(TENANT);
      const { customerLinks } = ctx.repos;
      const stored = await customerLinks.link(TENANT, link);
      expect(stored).toEqual({ ...link, linkedAt: new Date(ctx.clock.now()) });
      expect(await customerLinks.byCompany(TENANT, "501")).toEqual(stored);
      expect(await customerLinks.byCustomer(TENANT, "pennylane", "cus-1")).toEqual(stored);

      // A rep moves the customer to another company: the first company is unlinked.
      await customerLinks.link(TENANT, {
        ...link,
        companyId: "502",
        matchedBy: "manual",
        linkedBy: "77",
      });
      expect(await customerLinks.byCompany(TENANT, "501")).toBeNull();
      expect((await customerLinks.byCustomer(TENANT, "pennylane", "cus-1"))?.companyId).toBe("502");

      // Relinking a company replaces its customer.
      await customerLinks.link(TENANT, { ...link, companyId: "502", providerCustomerId: "cus-2" });
      expect(await customerLinks.byCustomer(TENANT, "pennylane", "cus-1")).toBeNull();
      expect(
        (await customerLinks.list(TENANT, "pennylane")).map((l) => l.providerCustomerId),
      ).toEqual(["cus-2"]);
      expect(await customerLinks.unlink(TENANT, "502")).toBe(true);
      expect(await customerLinks.list(TENANT, "pennylane")).toEqual([]);
    });

    it("a confidence outside 0–100 is refused by the database", async () => {
      await ctx.repos.tenants.install(TENANT);
      await expect(
        ctx.repos.customerLinks.link(TENANT, { ...link, confidence: 150 }),
      ).rejects.toThrow();
      expect(await ctx.repos.customerLinks.byCompany(TENANT, "501")).toBeNull();
    });
  });

  it("rows for a portal that never installed are refused (foreign key)", async () => {
    await expect(
      ctx.repos.audit.append("9999", {
        actor: null,
        action: "settings.updated",
        objectType: "settings",
        objectId: "9999",
      }),
    ).rejects.toThrow();
    expect((await ctx.repos.audit.list("9999")).entries).toEqual([]);
  });
});
