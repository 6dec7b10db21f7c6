import { describe, expect, it } from "vitest";
import type { Invoice } from "@encaisse/shared";
import type { Repositories } from "../../src/store";
import { TEST_DRIVERS, useTestStore } from "../support/store";

const A = "1001";
const B = "2002";

/** Everything a tenant can own, with the same ids in both tenants and the tenant's mark in the content. */
async function seed(repos: Repositories, tenantId: string) {
  const mark = `tenant-${tenantId}`;
  await repos.tenants.install(tenantId);
  await repos.tenants.updateSettings(tenantId, { wonStageIds: [mark] });
  await repos.credentials.save(tenantId, "pennylane", { method: "api_token", token: mark });
  await repos.customerLinks.link(tenantId, {
    companyId: "501",
    provider: "pennylane",
    providerCustomerId: "cus-1",
    matchedBy: "manual",
    confidence: 100,
    linkedBy: mark,
  });
  await repos.readModel.upsertCustomers(tenantId, [
    {
      provider: "pennylane",
      providerId: "cus-1",
      kind: "company",
      name: mark,
      siren: "732829320",
      siret: null,
      vatNumber: null,
      emails: [],
      billingAddress: null,
      paymentTerms: null,
      externalReference: "hubspot-company-501",
    },
  ]);
  const invoice: Invoice = {
    provider: "pennylane",
    id: "inv-1",
    number: "F-1",
    customerId: "cus-1",
    customerName: mark,
    issueDate: "2026-01-01",
    dueDate: "2026-01-31",
    currency: "EUR",
    netCents: 100,
    vatCents: 20,
    grossCents: 120,
    paidCents: 0,
    remainingCents: 120,
    status: "open",
    daysLate: 0,
    isDraft: false,
    isCreditNote: false,
    isCancelled: false,
    providerStatus: mark,
    lines: [],
    payments: [],
    externalReference: "hubspot-deal-901",
    webUrl: null,
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
  await repos.readModel.upsertInvoices(tenantId, [invoice]);
  await repos.readModel.upsertPayments(tenantId, "pennylane", [
    {
      invoiceId: "inv-1",
      id: "pay-1",
      date: "2026-01-15",
      amountCents: 10,
      method: "other",
      label: mark,
    },
  ]);
  await repos.readModel.markFresh(tenantId, "pennylane", "cus-1");
  await repos.idempotency.claim(tenantId, "deal-901", mark, 60_000);
  await repos.idempotency.complete(tenantId, "deal-901", { mark });
  await repos.audit.append(tenantId, {
    actor: mark,
    action: "invoice.created",
    objectType: "invoice",
    objectId: "inv-1",
    details: { mark },
  });
  await repos.cursors.save(tenantId, "pennylane", "invoices", { cursor: mark });
  await repos.dunning.recordAction(tenantId, {
    provider: "pennylane",
    invoiceId: "inv-1",
    stepId: "call",
    doneOn: "2026-02-07",
    hubspotTaskId: mark,
  });
  await repos.dunning.addPause(tenantId, {
    provider: "pennylane",
    invoiceId: "inv-1",
    pause: { kind: "dispute", since: tenantId === A ? "2026-02-01" : "2026-02-02" },
  });
  await repos.extensionTokens.create({ tenantId, hubspotUserId: mark, userEmail: null });
  await repos.propertyValues.remember(tenantId, "companies", [
    { objectId: "501", property: "encaisse_outstanding", value: mark },
  ]);
}

describe.each(TEST_DRIVERS)("tenant isolation (%s)", (driver) => {
  const ctx = useTestStore(driver);

  /** Each read, made as tenant A; none may return B's data. */
  const readsAsA: [string, (repos: Repositories) => Promise<unknown>][] = [
    ["tenant settings", (r) => r.tenants.get(A)],
    ["credentials", (r) => r.credentials.load(A, "pennylane")],
    ["customer link by company", (r) => r.customerLinks.byCompany(A, "501")],
    ["customer link by customer", (r) => r.customerLinks.byCustomer(A, "pennylane", "cus-1")],
    ["customer links", (r) => r.customerLinks.list(A, "pennylane")],
    ["customer", (r) => r.readModel.getCustomer(A, "pennylane", "cus-1")],
    [
      "customers by identifiers",
      (r) => r.readModel.findCustomers(A, "pennylane", { siren: "732829320" }),
    ],
    ["invoice", (r) => r.readModel.getInvoice(A, "pennylane", "inv-1")],
    ["invoice by number", (r) => r.readModel.findInvoiceByNumber(A, "pennylane", "F-1")],
    [
      "invoice by external reference",
      (r) => r.readModel.findInvoiceByExternalReference(A, "pennylane", "hubspot-deal-901"),
    ],
    [
      "customer invoices",
      (r) => r.readModel.listCustomerInvoices(A, { provider: "pennylane", customerId: "cus-1" }),
    ],
    ["all customer invoices", (r) => r.readModel.allCustomerInvoices(A, "pennylane", "cus-1")],
    ["idempotent response", (r) => r.idempotency.claim(A, "deal-901", `tenant-${A}`, 60_000)],
    ["audit log", (r) => r.audit.list(A)],
    ["sync cursor", (r) => r.cursors.get(A, "pennylane", "invoices")],
    ["sync cursors", (r) => r.cursors.list(A)],
    ["dunning history", async (r) => [...(await r.dunning.history(A, "pennylane", ["inv-1"]))]],
    ["extension tokens", (r) => r.extensionTokens.list(A)],
  ];

  it.each(readsAsA)("%s: tenant A reads only its own rows", async (_what, read) => {
    await seed(ctx.repos, A);
    await seed(ctx.repos, B);
    const seen = JSON.stringify(await read(ctx.repos));
    expect(seen).toContain(`tenant-${A}`);
    expect(seen).not.toContain(`tenant-${B}`);
  });

  it("dunning pauses and property values: tenant A sees only its own", async () => {
    await seed(ctx.repos, A);
    await seed(ctx.repos, B);
    const pauses = await ctx.repos.dunning.pauses(A, "pennylane", ["inv-1"]);
    expect(pauses.get("inv-1")).toEqual([
      { kind: "dispute", since: "2026-02-01", resolvedOn: null },
    ]);
    const unchanged = [{ objectId: "501", property: "encaisse_outstanding", value: `tenant-${A}` }];
    expect(await ctx.repos.propertyValues.changedValues(A, "companies", unchanged)).toEqual([]);
    const othersValue = [
      { objectId: "501", property: "encaisse_outstanding", value: `tenant-${B}` },
    ];
    expect(await ctx.repos.propertyValues.changedValues(A, "companies", othersValue)).toEqual(
      othersValue,
    );
  });

  it("changes made as tenant A never touch tenant B's rows", async () => {
    await seed(ctx.repos, A);
    await seed(ctx.repos, B);
    const { repos } = ctx;
    await repos.credentials.delete(A, "pennylane");
    await repos.customerLinks.unlink(A, "501");
    await repos.readModel.deleteInvoice(A, "pennylane", "inv-1");
    await repos.readModel.deleteCustomer(A, "pennylane", "cus-1");
    await repos.readModel.replacePayments(A, "pennylane", ["inv-1"], []);
    await repos.cursors.reset(A, "pennylane");
    await repos.dunning.resolvePauses(A, "pennylane", "inv-1", "2026-03-01");
    await repos.dunning.attachTask(A, "pennylane", "inv-1", "call", "changed");
    await repos.propertyValues.forget(A, "companies", "501");
    await repos.tenants.updateSettings(A, { digestEnabled: true });
    const [tokenOfB] = await repos.extensionTokens.list(B);
    expect(await repos.extensionTokens.revoke(A, tokenOfB?.id ?? "")).toBe(false);

    const readsOfB = [
      await repos.credentials.load(B, "pennylane"),
      await repos.customerLinks.byCompany(B, "501"),
      await repos.readModel.getInvoice(B, "pennylane", "inv-1"),
      await repos.readModel.getCustomer(B, "pennylane", "cus-1"),
      await repos.cursors.get(B, "pennylane", "invoices"),
      [...(await repos.dunning.history(B, "pennylane", ["inv-1"]))],
      await repos.extensionTokens.list(B),
    ];
    for (const read of readsOfB) {
      expect(JSON.stringify(read)).toContain(`tenant-${B}`);
    }
    expect(JSON.stringify(readsOfB)).not.toContain("changed");
    expect((await repos.tenants.get(B))?.settings.digestEnabled).toBe(false);
    expect((await repos.dunning.pauses(B, "pennylane", ["inv-1"])).get("inv-1")?.[0]).toMatchObject(
      {
        resolvedOn: null,
      },
    );
    const kept = [{ objectId: "501", property: "encaisse_outstanding", value: `tenant-${B}` }];
    expect(await repos.propertyValues.changedValues(B, "companies", kept)).toEqual([]);
  });
});
