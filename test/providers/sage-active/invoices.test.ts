import { describe, expect, it } from "vitest";
import { invoiceSchema } from "@encaisse/shared";
import {
  draftFor,
  interceptOperation,
  seedCustomer,
  seedInvoice,
  serverError,
  storeThenHang,
  useSageTestbed,
} from "./harness";

const bed = useSageTestbed();

function customer() {
  return seedCustomer(bed(), { socialName: "DUPONT SA", documentId: "552100554" });
}

function invoicesWithReference(reference: string) {
  return [...bed().org.invoices.values()].filter(
    (invoice) => invoice.externalReference === reference,
  );
}

describe("creating an invoice from a deal", () => {
  it("a draft is created Pending, without a number, with exact amounts and the drafted due date", async () => {
    const { id: customerId } = customer();
    const invoice = await bed().provider.createInvoice(draftFor(customerId));
    expect(invoiceSchema.parse(invoice)).toMatchObject({
      number: null,
      status: "draft",
      isDraft: true,
      providerStatus: "Pending",
      customerId,
      customerName: "DUPONT SA",
      issueDate: "2026-03-10",
      dueDate: "2026-04-09",
      currency: "EUR",
      netCents: 304_100,
      vatCents: 55_420,
      grossCents: 359_520,
      paidCents: 0,
      remainingCents: 359_520,
      externalReference: "hubspot-deal-123456789012",
    });
    expect(invoice.lines).toEqual([
      {
        label: "Audit de sécurité",
        quantity: "2",
        unitPriceExclTax: "1250.5",
        vatCode: "FR_200",
        discountPercent: null,
        netCents: 250_100,
        vatCents: 50_020,
        grossCents: 300_120,
      },
      {
        label: "Formation",
        quantity: "1.5",
        unitPriceExclTax: "400",
        vatCode: "FR_100",
        discountPercent: "10",
        netCents: 54_000,
        vatCents: 5_400,
        grossCents: 59_400,
      },
    ]);
    const stored = bed().org.invoices.get(invoice.id);
    expect(stored).toMatchObject({
      externalReference: "HSD123456789012",
      specialMention: "Pénalités de retard : trois fois le taux d'intérêt légal.",
      comments: "Mission de mars",
      remarks: "Encaisse hubspot-deal-123456789012",
    });
  });

  it("a finalized invoice is created, closed (numbered) then posted (receivable opened)", async () => {
    const { id: customerId } = customer();
    const invoice = await bed().provider.createInvoice(draftFor(customerId, { finalize: true }));
    expect(invoice).toMatchObject({
      number: "0001",
      status: "open",
      isDraft: false,
      providerStatus: "Posted",
      remainingCents: 359_520,
    });
    const mutations = new Set([
      "SageCreateProduct",
      "SageCreateSalesInvoice",
      "SageCloseSalesInvoice",
      "SagePostSalesInvoice",
    ]);
    // Two generic products (20 % and 10 %) are created on first use, then the invoice's steps.
    expect(
      bed()
        .sent.map((operation) => operation.operationName)
        .filter((name) => mutations.has(name)),
    ).toEqual([
      "SageCreateProduct",
      "SageCreateProduct",
      "SageCreateSalesInvoice",
      "SageCloseSalesInvoice",
      "SagePostSalesInvoice",
    ]);
    expect(bed().org.invoices.get(invoice.id)?.openItemIds).toHaveLength(1);
  });

  it("finalizing a draft later numbers and posts it", async () => {
    const { id: customerId } = customer();
    const draft = await bed().provider.createInvoice(draftFor(customerId));
    const finalized = await bed().provider.finalizeInvoice(draft.id);
    expect(finalized).toMatchObject({ id: draft.id, number: "0001", providerStatus: "Posted" });
  });

  it("a second create for the same deal returns the first invoice and finishes its lifecycle", async () => {
    const { id: customerId } = customer();
    const draft = await bed().provider.createInvoice(draftFor(customerId));
    const again = await bed().provider.createInvoice(draftFor(customerId, { finalize: true }));
    expect(again).toMatchObject({ id: draft.id, number: "0001", providerStatus: "Posted" });
    expect(bed().sentCount("SageCreateSalesInvoice")).toBe(1);
  });

  it("a reference already typed on another customer's invoice in Sage is refused (SAGE_REFERENCE_TAKEN)", async () => {
    const { id: customerId } = customer();
    const other = seedCustomer(bed(), { socialName: "Autre client" });
    seedInvoice(bed(), other.id, { stage: "Pending", externalReference: "HSD123456789012" });
    await expect(bed().provider.createInvoice(draftFor(customerId))).rejects.toMatchObject({
      code: "SAGE_REFERENCE_TAKEN",
    });
    expect(bed().sentCount("SageCreateSalesInvoice")).toBe(0);
  });

  it("twenty simultaneous creates for the same deal make one invoice", async () => {
    const { id: customerId } = customer();
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        bed().provider.createInvoice(draftFor(customerId, { finalize: true })),
      ),
    );
    expect(new Set(results.map((invoice) => invoice.id)).size).toBe(1);
    expect(invoicesWithReference("HSD123456789012")).toHaveLength(1);
    expect(bed().emulator.stats.byOperation["createSalesInvoice"]).toBe(1);
    expect(results[0]?.number).toBe("0001");
  });

  it("a create whose answer is lost after Sage stored it is found by reference and completed, not duplicated", async () => {
    const { id: customerId } = customer();
    interceptOperation("SageCreateSalesInvoice", storeThenHang(400), bed());
    const provider = bed().makeProvider({ timeoutMs: 150 });
    const invoice = await provider.createInvoice(draftFor(customerId, { finalize: true }));
    expect(invoice).toMatchObject({ number: "0001", providerStatus: "Posted" });
    expect(invoicesWithReference("HSD123456789012")).toHaveLength(1);
    expect(bed().emulator.stats.byOperation["createSalesInvoice"]).toBe(1);
  });

  it("a close whose answer is lost is recognised from the invoice's state, and posting follows", async () => {
    const { id: customerId } = customer();
    interceptOperation("SageCloseSalesInvoice", storeThenHang(400), bed());
    const provider = bed().makeProvider({ timeoutMs: 150 });
    const invoice = await provider.createInvoice(draftFor(customerId, { finalize: true }));
    expect(invoice).toMatchObject({ number: "0001", providerStatus: "Posted" });
    // The number series moved once: the close was not sent twice.
    expect(bed().org.invoiceSeries.nextNumber).toBe(2);
    expect(bed().sentCount("SageCloseSalesInvoice")).toBe(1);
  });

  it("a 5xx on a create is not retried blindly: nothing was stored, so the error comes back", async () => {
    const { id: customerId } = customer();
    interceptOperation("SageCreateSalesInvoice", () => serverError(503), bed());
    await expect(bed().provider.createInvoice(draftFor(customerId))).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      retryable: true,
    });
    expect(bed().sentCount("SageCreateSalesInvoice")).toBe(1);
    expect(invoicesWithReference("HSD123456789012")).toHaveLength(0);
    // The next attempt starts with the look-up and creates it once.
    const invoice = await bed().provider.createInvoice(draftFor(customerId));
    expect(invoicesWithReference("HSD123456789012").map((stored) => stored.id)).toEqual([
      invoice.id,
    ]);
  });

  it("an external reference longer than Sage's 20 characters is refused before anything is sent", async () => {
    const { id: customerId } = customer();
    await expect(
      bed().provider.createInvoice(
        draftFor(customerId, { externalReference: "hubspot-deal-123456789012345678" }),
      ),
    ).rejects.toMatchObject({ code: "SAGE_REFERENCE_TOO_LONG" });
    expect(bed().sent).toEqual([]);
  });

  it("when Sage charges another VAT than the deal says, the invoice stays a draft (SAGE_VAT_MISMATCH)", async () => {
    const { id: customerId } = customer();
    const draft = draftFor(customerId, { finalize: true });
    const intraEu = {
      ...draft,
      lines: draft.lines.slice(0, 1).map((line) => ({ ...line, vatCode: "intracom_100" as const })),
    };
    await expect(bed().provider.createInvoice(intraEu)).rejects.toMatchObject({
      code: "SAGE_VAT_MISMATCH",
    });
    const [stored] = invoicesWithReference("HSD123456789012");
    expect(stored?.status).toBe("Pending");
    expect(bed().sentCount("SageCloseSalesInvoice")).toBe(0);
  });

  it("an intra-EU customer is invoiced without VAT and reads back as intracom", async () => {
    const german = seedCustomer(bed(), {
      socialName: "Müller GmbH",
      vatNumber: "DE123456789",
      countryAcronym: "DE",
      addresses: [
        { firstLine: "Hauptstr. 1", city: "BERLIN", zipCode: "10115", countryIsoCodeAlpha2: "DE" },
      ],
    });
    const draft = draftFor(german.id, { finalize: true });
    const invoice = await bed().provider.createInvoice({
      ...draft,
      lines: draft.lines.slice(1).map((line) => ({ ...line, vatCode: "intracom_100" as const })),
    });
    expect(invoice).toMatchObject({ vatCents: 0, netCents: 54_000, grossCents: 54_000 });
    expect(invoice.lines.map((line) => line.vatCode)).toEqual(["intracom_100"]);
  });

  it("at most 10 mutations are in flight at once", async () => {
    const { id: customerId } = customer();
    await bed().provider.createInvoice(draftFor(customerId, { externalReference: "warm-up" }));
    bed().emulator.faults.latencyMs = 15;
    await Promise.all(
      Array.from({ length: 15 }, (_, index) =>
        bed().provider.createInvoice(
          draftFor(customerId, { externalReference: `hubspot-deal-${index}` }),
        ),
      ),
    );
    expect(bed().emulator.stats.maxConcurrentMutations).toBe(10);
    expect(bed().emulator.stats.rateLimited).toBe(0);
    expect(bed().org.invoices.size).toBe(16);
  });
});

describe("reading invoices", () => {
  it("a customer's invoices come newest first, page by page with first/after", async () => {
    const { id: customerId } = customer();
    const dates = ["2026-01-05", "2026-02-05", "2026-03-05", "2026-01-20", "2026-02-20"];
    for (const documentDate of dates) seedInvoice(bed(), customerId, { documentDate });
    seedInvoice(bed(), seedCustomer(bed(), { socialName: "Autre" }).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await bed().provider.listCustomerInvoices(customerId, { cursor, limit: 2 });
      expect(page.paymentsIncluded).toBe(true);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((invoice) => invoice.issueDate));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...dates].sort().reverse());
    expect(
      bed()
        .sent.filter((operation) => operation.operationName === "SageSalesInvoicesOfCustomer")
        .map((operation) => operation.variables["first"]),
    ).toEqual([2, 2, 2]);
  });

  it("the backfill walks every invoice of the book oldest first", async () => {
    const { id: customerId } = customer();
    const created = [1, 2, 3, 4, 5, 6, 7].map(() => {
      bed().clock.advance(60_000);
      return seedInvoice(bed(), customerId).id;
    });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await bed().provider.listInvoices({ cursor, limit: 3 });
      seen.push(...page.items.map((invoice) => invoice.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(created);
  });

  it("a page size over 500 is capped at Sage's maximum", async () => {
    customer();
    await bed().provider.listInvoices({ limit: 10_000 });
    const listed = bed().sent.filter(
      (operation) => operation.operationName === "SageSalesInvoices",
    );
    expect(listed.map((operation) => operation.variables["first"])).toEqual([500]);
  });

  it("finds an invoice by our external reference, and nothing for an unknown one", async () => {
    const { id: customerId } = customer();
    const created = await bed().provider.createInvoice(draftFor(customerId));
    expect(
      (await bed().provider.findInvoiceByExternalReference("hubspot-deal-123456789012"))?.id,
    ).toBe(created.id);
    expect(await bed().provider.findInvoiceByExternalReference("hubspot-deal-1")).toBeNull();
  });

  it("an unknown invoice id is PROVIDER_NOT_FOUND", async () => {
    await expect(
      bed().provider.getInvoice("6b0f6a2e-8f1d-4f57-9a43-0d5b6f8a1c01"),
    ).rejects.toMatchObject({
      code: "PROVIDER_NOT_FOUND",
    });
  });

  it("the PDF comes as a data: link carrying Sage's rendering", async () => {
    const { id: customerId } = customer();
    const invoice = await bed().provider.createInvoice(draftFor(customerId, { finalize: true }));
    const link = await bed().provider.getPdfLink(invoice.id);
    expect(link.url.startsWith("data:application/pdf;base64,")).toBe(true);
    const bytes = Buffer.from(link.url.slice("data:application/pdf;base64,".length), "base64");
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(bed().clock.now());
  });
});

describe("payments flow back with the invoices", () => {
  it("a partial then a full payment move remaining, status and the payment list", async () => {
    const { id: customerId } = customer();
    const invoice = await bed().provider.createInvoice(draftFor(customerId, { finalize: true }));

    bed().emulator.recordPayment(invoice.id, {
      date: "2026-03-20",
      amountCents: 100_000,
      documentNumber: "VIR-001",
      description: "Virement DUPONT",
    });
    const partial = await bed().provider.getInvoice(invoice.id);
    expect(partial).toMatchObject({
      status: "partially_paid",
      providerStatus: "PartiallyCollected",
      paidCents: 100_000,
      remainingCents: 259_520,
    });
    expect(partial.payments).toEqual([
      {
        id: expect.any(String),
        date: "2026-03-20",
        amountCents: 100_000,
        method: "transfer",
        label: "Virement DUPONT",
      },
    ]);

    bed().emulator.recordPayment(invoice.id, {
      date: "2026-03-25",
      amountCents: 259_520,
      method: "CASH",
    });
    const paid = await bed().provider.getInvoice(invoice.id);
    expect(paid).toMatchObject({
      status: "paid",
      providerStatus: "Collected",
      paidCents: 359_520,
      remainingCents: 0,
    });
    expect(
      paid.payments.map((payment) => [payment.date, payment.amountCents, payment.method]),
    ).toEqual([
      ["2026-03-20", 100_000, "transfer"],
      ["2026-03-25", 259_520, "cash"],
    ]);
    expect(await bed().provider.listInvoicePayments(invoice.id)).toEqual(paid.payments);

    const page = await bed().provider.listCustomerInvoices(customerId);
    expect(page.items.find((item) => item.id === invoice.id)?.payments).toEqual(paid.payments);
  });

  it("an unpaid invoice past its due date reads overdue with its days late", async () => {
    const { id: customerId } = customer();
    const invoice = await bed().provider.createInvoice(draftFor(customerId, { finalize: true }));
    bed().emulator.recordPayment(invoice.id, { date: "2026-03-20", amountCents: 59_520 });
    bed().clock.advance(40 * 86_400_000);
    await bed().tokens.save(bed().tokensFrom());
    expect(await bed().provider.getInvoice(invoice.id)).toMatchObject({
      status: "overdue",
      daysLate: 10,
      remainingCents: 300_000,
    });
  });
});
