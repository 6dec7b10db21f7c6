/**
 * Invoice from a deal (flow 2), end to end: the real app called as the HubSpot card calls it,
 * HubSpot and the accounting software emulated at the network boundary.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  chargedRateOf,
  computeInvoiceAmounts,
  computeLineAmounts,
  dueDateFor,
  externalReferenceForDeal,
  isVatCode,
  parisDateOf,
} from "@encaisse/shared";
import {
  type CreateInvoiceResponse,
  type InvoicePreviewResponse,
  createInvoiceResponseSchema,
  errorBodySchema,
  invoicePreviewResponseSchema,
} from "@encaisse/shared/contracts";
import { createInvoiceForDeal } from "../../functions/src/services/invoicing";
import { DEFAULT_SETTINGS } from "../../functions/src/store";
import { TEST_DRIVERS } from "../../functions/test/support/store";
import { type BackendHarness, PORTAL_ID, USER_ID, startBackendHarness } from "./harness";
import {
  STANDARD_LINES,
  callAsHubSpot,
  createInvoice,
  dealProperty,
  freshSiren,
  lineItemsOfDeal,
  newCompany,
  newWonDeal,
  pennylaneInvoicesOfDeal,
  portalOf,
  previewInvoice,
  sageInvoicesOfDeal,
  seededFrenchCompany,
  seededWonDeal,
  writesSeen,
} from "./invoice-support";

const today = () => parisDateOf(new Date());

function created(answer: { status: number; body: unknown }): CreateInvoiceResponse {
  expect([200, 201], JSON.stringify(answer.body)).toContain(answer.status);
  return createInvoiceResponseSchema.parse(answer.body);
}

function previewed(answer: { status: number; body: unknown }): InvoicePreviewResponse {
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return invoicePreviewResponseSchema.parse(answer.body);
}

function refused(answer: { status: number; body: unknown }) {
  return { status: answer.status, error: errorBodySchema.parse(answer.body).error };
}

async function auditOfDeal(harness: BackendHarness, dealId: string) {
  const { entries } = await harness.backend.repos.audit.list(PORTAL_ID, { limit: 200 });
  return entries.filter((entry) => entry.objectType === "deal" && entry.objectId === dealId);
}

async function tenantOf(harness: BackendHarness) {
  return harness.backend.tenant(PORTAL_ID);
}

describe.each(TEST_DRIVERS)("invoice from a deal with Pennylane (%s store)", (driver) => {
  let harness: BackendHarness;
  const taken = new Set<string>();

  beforeAll(async () => {
    harness = await startBackendHarness({ driver });
    // What the install does: the deal properties the invoice is written to.
    await harness.backend.crm(PORTAL_ID).ensureEncaisseProperties();
  }, 60_000);
  afterAll(async () => {
    await harness.close();
  });

  it("previews a won deal of the seed: its lines with their VAT, totals as computeInvoiceAmounts gives them, due from the customer's terms", async () => {
    const { dealId, companyKey } = seededWonDeal(harness, taken);
    const preview = previewed(await previewInvoice(harness, dealId));
    if (preview.state !== "ready") throw new Error(`Expected a ready preview: ${preview.state}`);

    const inputs = lineItemsOfDeal(harness, dealId).map((item) => {
      const vatCode = item.get("encaisse_vat_code") ?? "";
      if (!isVatCode(vatCode)) throw new Error(`Unexpected VAT code ${vatCode}`);
      return {
        label: item.get("name"),
        vatCode,
        quantity: item.get("quantity") ?? "",
        unitPriceExclTax: item.get("price") ?? "",
        vatRateBasisPoints: chargedRateOf(vatCode),
        discountPercent: item.get("hs_discount_percentage") ?? undefined,
      };
    });
    expect(inputs.length).toBeGreaterThan(0);
    expect(preview.lines).toEqual(
      inputs.map((input) => ({
        label: input.label,
        quantity: input.quantity,
        unitPriceExclTax: input.unitPriceExclTax,
        vatCode: input.vatCode,
        discountPercent: input.discountPercent ?? null,
        ...computeLineAmounts(input),
      })),
    );
    const totals = computeInvoiceAmounts(inputs);
    expect([preview.netCents, preview.vatCents, preview.grossCents]).toEqual([
      totals.netCents,
      totals.vatCents,
      totals.grossCents,
    ]);
    const seed = harness.book.companies.find((company) => company.key === companyKey);
    expect(preview.customer).toMatchObject({ siren: seed?.siren, willBeCreated: false });
    expect(preview.paymentTerms).toBe(seed?.paymentTerms);
    expect(preview.issueDate).toBe(today());
    expect(preview.dueDate).toBe(
      dueDateFor(today(), preview.paymentTerms, DEFAULT_SETTINGS.endOfMonthConvention),
    );
    expect(preview.mode).toBe("draft");
    expect(preview.operationNature).toBe("services");
  });

  it("previews the deal of a company without SIREN nor address as invalid, naming the fields to fix", async () => {
    const companyId = newCompany(harness, { siren: null, address: null, zip: null, city: null });
    const dealId = newWonDeal(harness, companyId);
    const preview = previewed(await previewInvoice(harness, dealId));
    if (preview.state !== "invalid") throw new Error(`Expected invalid: ${preview.state}`);
    expect(preview.fieldErrors.map((error) => [error.field, error.code])).toEqual([
      ["customer.billingAddress", "CUSTOMER_ADDRESS_MISSING"],
      ["customer.siren", "CUSTOMER_SIREN_MISSING"],
    ]);
  });

  it("refuses to invoice a company without SIREN nor address with 422 and the fields, sending nothing to Pennylane", async () => {
    const companyId = newCompany(harness, { siren: null, address: null, zip: null, city: null });
    const dealId = newWonDeal(harness, companyId);
    const before = writesSeen(harness);
    const answer = refused(await createInvoice(harness, dealId));
    expect(answer.status).toBe(422);
    expect(answer.error.code).toBe("INVOICE_MANDATORY_MENTIONS_MISSING");
    const fieldErrors = answer.error.details?.fieldErrors as { code: string }[];
    expect(fieldErrors.map((error) => error.code).sort()).toEqual([
      "CUSTOMER_ADDRESS_MISSING",
      "CUSTOMER_SIREN_MISSING",
    ]);
    expect(writesSeen(harness)).toEqual(before);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);
    expect(await auditOfDeal(harness, dealId)).toEqual([]);
  });

  it("creates a draft invoice by default, unnumbered, in Pennylane under the deal's reference", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const answer = await createInvoice(harness, dealId);
    expect(answer.status).toBe(201);
    const { invoice, created: isNew } = created(answer);
    expect(isNew).toBe(true);
    expect(invoice).toMatchObject({ provider: "pennylane", number: null, status: "draft" });

    const stored = pennylaneInvoicesOfDeal(harness, dealId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: Number(invoice.id), draft: true, number: null });
    const expected = computeInvoiceAmounts(
      STANDARD_LINES.map((line) => ({
        quantity: line.quantity,
        unitPriceExclTax: line.price,
        vatRateBasisPoints: chargedRateOf(line.vatCode as "FR_200"),
        discountPercent: line.discountPercent,
      })),
    );
    expect(invoice.grossCents).toBe(expected.grossCents);
    expect(stored[0]?.grossCents).toBe(expected.grossCents);
    const recorded = await harness.backend.repos.readModel.findInvoiceByExternalReference(
      PORTAL_ID,
      "pennylane",
      externalReferenceForDeal(dealId),
    );
    expect(recorded?.id).toBe(invoice.id);
  });

  it("creates a finalized, numbered invoice when asked, and writes its number, status and amount remaining to the deal", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const { invoice } = created(await createInvoice(harness, dealId, { mode: "finalized" }));
    expect(invoice.number).toMatch(/^F-\d{4}-\d{5}$/);
    expect(invoice.status).toBe("open");
    expect(pennylaneInvoicesOfDeal(harness, dealId)[0]).toMatchObject({
      draft: false,
      number: invoice.number,
    });

    expect(dealProperty(harness, dealId, "encaisse_invoice_number")).toBe(invoice.number);
    expect(dealProperty(harness, dealId, "encaisse_invoice_status")).toBe("open");
    expect(dealProperty(harness, dealId, "encaisse_amount_remaining")).toBe(
      (invoice.remainingCents / 100).toFixed(2),
    );
  });

  it("twenty concurrent clicks create one invoice and get twenty identical answers", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const postsBefore = harness.pennylane.stats.byEndpoint["POST /customer_invoices"] ?? 0;
    const dealUpdatesBefore = writesSeen(harness).hubspotDealUpdates;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => createInvoice(harness, dealId)),
    );
    expect(new Set(answers.map((answer) => answer.status))).toEqual(new Set([201]));
    const first = created(answers[0] ?? { status: 0, body: null });
    for (const answer of answers) expect(created(answer)).toEqual(first);
    expect(first.created).toBe(true);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
    expect(harness.pennylane.stats.byEndpoint["POST /customer_invoices"]).toBe(postsBefore + 1);
    expect(writesSeen(harness).hubspotDealUpdates).toBe(dealUpdatesBefore + 1);
    expect(await auditOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("a second click returns the same invoice with created: false and costs no call, and the preview shows it as already invoiced", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const first = created(await createInvoice(harness, dealId));
    const calls = {
      pennylane: harness.pennylane.stats.totalRequests,
      hubspot: harness.hubspot.stats.totalRequests,
    };
    const again = await createInvoice(harness, dealId);
    expect(again.status).toBe(200);
    expect(created(again)).toEqual({ invoice: first.invoice, created: false });
    expect(harness.pennylane.stats.totalRequests).toBe(calls.pennylane);
    expect(harness.hubspot.stats.totalRequests).toBe(calls.hubspot);

    const preview = previewed(await previewInvoice(harness, dealId));
    expect(preview).toEqual({ state: "already_invoiced", invoice: first.invoice });
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("audit-logs the creation on the deal, with the HubSpot user who asked", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const { invoice } = created(await createInvoice(harness, dealId));
    const entries = await auditOfDeal(harness, dealId);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: USER_ID,
      action: "invoice.created",
      objectType: "deal",
      objectId: dealId,
      details: {
        provider: "pennylane",
        invoiceId: invoice.id,
        externalReference: `hubspot-deal-${dealId}`,
        grossCents: invoice.grossCents,
        finishedEarlierRun: false,
      },
    });
  });

  it("creates the customer in Pennylane when none matches, under the company's reference, and links it", async () => {
    const siren = freshSiren(harness);
    const companyId = newCompany(harness, { name: "Brasserie des Canuts SARL", siren });
    const dealId = newWonDeal(harness, companyId);
    const preview = previewed(await previewInvoice(harness, dealId));
    expect(preview).toMatchObject({
      state: "ready",
      customer: { providerCustomerId: null, siren, willBeCreated: true },
    });

    const { invoice } = created(await createInvoice(harness, dealId));
    const customers = [...harness.pennylane.ledger.customers.values()].filter(
      (customer) => customer.regNo === siren,
    );
    expect(customers).toHaveLength(1);
    expect(customers[0]).toMatchObject({
      name: "Brasserie des Canuts SARL",
      externalReference: `hubspot-company-${companyId}`,
    });
    expect(pennylaneInvoicesOfDeal(harness, dealId)[0]?.customerId).toBe(customers[0]?.id);
    const link = await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId);
    expect(link).toMatchObject({
      provider: "pennylane",
      providerCustomerId: String(customers[0]?.id),
      matchedBy: "external_reference",
    });
    expect(invoice.provider).toBe("pennylane");
  });

  it("refuses with CUSTOMER_NOT_MATCHED, creating nothing, when several Pennylane customers share the company's SIREN", async () => {
    const siren = freshSiren(harness);
    const provider = await harness.backend.provider(await tenantOf(harness));
    for (const reference of ["erp-import-1", "erp-import-2"]) {
      await provider?.createCustomer({
        name: "Menuiserie Vidal",
        siren,
        siret: null,
        vatNumber: null,
        emails: [],
        billingAddress: {
          line1: "3 quai Perrache",
          line2: null,
          postalCode: "69002",
          city: "Lyon",
          countryCode: "FR",
        },
        paymentTerms: null,
        externalReference: reference,
      });
    }
    const dealId = newWonDeal(harness, newCompany(harness, { siren }));
    const before = writesSeen(harness);
    const answer = refused(await createInvoice(harness, dealId));
    expect(answer.status).toBe(409);
    expect(answer.error.code).toBe("CUSTOMER_NOT_MATCHED");
    expect(answer.error.details?.candidates).toHaveLength(2);
    expect(writesSeen(harness)).toEqual(before);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);
  });

  it("after a crash between Pennylane's create and our records, the retry finds the invoice by its reference instead of creating a second, and finishes the job", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const tenant = await tenantOf(harness);
    const crash = new Error("process killed");
    await expect(
      createInvoiceForDeal(
        harness.backend,
        { tenant, dealId, actorUserId: USER_ID },
        {
          afterStep: async (step) => {
            if (step === "invoice_in_provider") throw crash;
          },
        },
      ),
    ).rejects.toBe(crash);
    const made = pennylaneInvoicesOfDeal(harness, dealId);
    expect(made).toHaveLength(1);
    expect(dealProperty(harness, dealId, "encaisse_invoice_status")).toBeNull();
    expect(await auditOfDeal(harness, dealId)).toEqual([]);
    const postsBefore = harness.pennylane.stats.byEndpoint["POST /customer_invoices"];

    // The interrupted run never answered: the retry's answer is the creation's.
    const retry = await createInvoice(harness, dealId);
    expect(retry.status).toBe(201);
    const { invoice } = created(retry);
    expect(invoice.id).toBe(String(made[0]?.id));
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
    expect(harness.pennylane.stats.byEndpoint["POST /customer_invoices"]).toBe(postsBefore);
    expect(dealProperty(harness, dealId, "encaisse_invoice_status")).toBe("draft");
    const entries = await auditOfDeal(harness, dealId);
    expect(entries.map((entry) => [entry.action, entry.details.invoiceId])).toEqual([
      ["invoice.created", invoice.id],
    ]);
  });

  it("a run that dies holds the deal until its lock expires, others are told it is in progress, then the next request takes over", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const tenant = await tenantOf(harness);
    const request = { tenant, dealId, actorUserId: USER_ID };
    const lockMs = 1_500;
    const startedAt = Date.now();
    // The run stops for good right after Pennylane created the invoice, as a killed process would.
    void createInvoiceForDeal(harness.backend, request, {
      timing: { lockMs },
      afterStep: (step) =>
        step === "invoice_in_provider" ? new Promise<void>(() => undefined) : Promise.resolve(),
    });
    await vi.waitFor(() => expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1));

    await expect(
      createInvoiceForDeal(harness.backend, request, { timing: { waitMs: 100 } }),
    ).rejects.toMatchObject({ code: "INVOICE_CREATION_IN_PROGRESS" });

    await new Promise((resolve) => setTimeout(resolve, startedAt + lockMs + 50 - Date.now()));
    const postsBefore = harness.pennylane.stats.byEndpoint["POST /customer_invoices"];
    const { invoice } = created(await createInvoice(harness, dealId));
    expect(harness.pennylane.stats.byEndpoint["POST /customer_invoices"]).toBe(postsBefore);
    expect(invoice.id).toBe(String(pennylaneInvoicesOfDeal(harness, dealId)[0]?.id));
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
    expect(dealProperty(harness, dealId, "encaisse_invoice_status")).toBe("draft");
  });

  it("when HubSpot fails while the deal is being updated, the retry writes the deal without asking Pennylane anything", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const tenant = await tenantOf(harness);
    await expect(
      createInvoiceForDeal(
        harness.backend,
        { tenant, dealId, actorUserId: USER_ID },
        {
          afterStep: async (step) => {
            if (step === "read_model_updated")
              harness.hubspot.faults.serverErrors({ requests: 10 });
          },
        },
      ),
    ).rejects.toMatchObject({ code: "HUBSPOT_UNAVAILABLE" });
    harness.hubspot.faults.reset();
    expect(dealProperty(harness, dealId, "encaisse_invoice_status")).toBeNull();

    const pennylaneCalls = harness.pennylane.stats.totalRequests;
    const retry = await createInvoice(harness, dealId);
    expect(retry.status).toBe(200);
    const { invoice, created: isNew } = created(retry);
    expect(isNew).toBe(false);
    expect(harness.pennylane.stats.totalRequests).toBe(pennylaneCalls);
    const entries = await auditOfDeal(harness, dealId);
    expect(entries.map((entry) => entry.details.finishedEarlierRun)).toEqual([true]);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
    expect(dealProperty(harness, dealId, "encaisse_invoice_status")).toBe(invoice.status);
  });

  it("puts back a deal property an admin deleted, then writes the invoice to the deal", async () => {
    portalOf(harness).properties.archive("deals", "encaisse_invoice_status");
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const { invoice } = created(await createInvoice(harness, dealId));
    expect(portalOf(harness).properties.get("deals", "encaisse_invoice_status")).toBeDefined();
    expect(dealProperty(harness, dealId, "encaisse_invoice_status")).toBe(invoice.status);
  });

  const badInputs: ReadonlyArray<{
    readonly what: string;
    readonly path: (harness: BackendHarness) => string;
    readonly body: string;
    readonly status: number;
    readonly code: string;
  }> = [
    {
      what: "a deal id that is not a number",
      path: () => "/v1/deals/abc/invoices",
      body: "{}",
      status: 400,
      code: "VALIDATION_FAILED",
    },
    {
      what: "a deal HubSpot does not have",
      path: () => "/v1/deals/987654321/invoices",
      body: "{}",
      status: 404,
      code: "NOT_FOUND",
    },
    {
      what: "a deal without line items",
      path: (h) => `/v1/deals/${newWonDeal(h, seededFrenchCompany(h, taken), [])}/invoices`,
      body: "{}",
      status: 422,
      code: "DEAL_HAS_NO_LINE_ITEMS",
    },
    {
      what: "a deal without a company",
      path: (h) => `/v1/deals/${newWonDeal(h, null)}/invoices`,
      body: "{}",
      status: 422,
      code: "DEAL_HAS_NO_COMPANY",
    },
    {
      what: "a body that is not JSON",
      path: (h) => `/v1/deals/${newWonDeal(h, seededFrenchCompany(h, taken))}/invoices`,
      body: '{"mode": "draft"',
      status: 400,
      code: "VALIDATION_FAILED",
    },
    {
      what: "an unknown mode",
      path: (h) => `/v1/deals/${newWonDeal(h, seededFrenchCompany(h, taken))}/invoices`,
      body: '{"mode": "proforma"}',
      status: 400,
      code: "VALIDATION_FAILED",
    },
    {
      what: "an unknown nature of operation",
      path: (h) => `/v1/deals/${newWonDeal(h, seededFrenchCompany(h, taken))}/invoices`,
      body: '{"operationNature": "rental"}',
      status: 400,
      code: "VALIDATION_FAILED",
    },
  ];

  it.each(badInputs)("$what is refused with $status $code and writes nothing", async (bad) => {
    const path = bad.path(harness);
    const before = writesSeen(harness);
    const auditBefore = (await harness.backend.repos.audit.list(PORTAL_ID, { limit: 200 })).entries
      .length;
    const answer = refused(await callAsHubSpot(harness, "POST", path, bad.body));
    expect([answer.status, answer.error.code]).toEqual([bad.status, bad.code]);
    expect(answer.error.message.length).toBeGreaterThan(10);
    expect(writesSeen(harness)).toEqual(before);
    const auditAfter = (await harness.backend.repos.audit.list(PORTAL_ID, { limit: 200 })).entries
      .length;
    expect(auditAfter).toBe(auditBefore);
  });
});

describe.each(TEST_DRIVERS)("invoice from a deal with Sage Active (%s store)", (driver) => {
  let harness: BackendHarness;
  const taken = new Set<string>();

  beforeAll(async () => {
    harness = await startBackendHarness({ driver, provider: "sage_active" });
    await harness.backend.crm(PORTAL_ID).ensureEncaisseProperties();
  }, 60_000);
  afterAll(async () => {
    await harness.close();
  });

  it("creates a finalized, numbered invoice in Sage Active and writes it to the deal", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const answer = await createInvoice(harness, dealId, { mode: "finalized" });
    expect(answer.status).toBe(201);
    const { invoice } = created(answer);
    expect(invoice).toMatchObject({ provider: "sage_active", status: "open" });
    expect(invoice.number).not.toBeNull();
    const stored = sageInvoicesOfDeal(harness, dealId);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ id: invoice.id, operationalNumber: invoice.number });
    expect(dealProperty(harness, dealId, "encaisse_invoice_number")).toBe(invoice.number);
  });

  it("creates a draft in Sage Active by default", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const { invoice } = created(await createInvoice(harness, dealId));
    expect(invoice).toMatchObject({ provider: "sage_active", status: "draft", number: null });
    expect(sageInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("twenty concurrent clicks create one invoice in Sage Active and get twenty identical answers", async () => {
    const dealId = newWonDeal(harness, seededFrenchCompany(harness, taken));
    const createsBefore = harness.sage.stats.byOperation.createSalesInvoice ?? 0;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => createInvoice(harness, dealId, { mode: "finalized" })),
    );
    const first = created(answers[0] ?? { status: 0, body: null });
    for (const answer of answers) {
      expect(answer.status).toBe(201);
      expect(created(answer)).toEqual(first);
    }
    expect(sageInvoicesOfDeal(harness, dealId)).toHaveLength(1);
    expect(harness.sage.stats.byOperation.createSalesInvoice).toBe(createsBefore + 1);
  });

  it("creates the customer in Sage Active when none matches, then links it", async () => {
    const siren = freshSiren(harness);
    const companyId = newCompany(harness, { name: "Fromagerie Vidal SAS", siren });
    const dealId = newWonDeal(harness, companyId);
    const { invoice } = created(await createInvoice(harness, dealId));
    const link = await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId);
    expect(link).toMatchObject({ provider: "sage_active", matchedBy: "external_reference" });
    const customer = harness.sage.organization().customers.get(link?.providerCustomerId ?? "");
    expect(customer).toMatchObject({ socialName: "Fromagerie Vidal SAS", documentId: siren });
    expect(sageInvoicesOfDeal(harness, dealId)[0]?.customerId).toBe(customer?.id);
    expect(invoice.provider).toBe("sage_active");
  });
});
