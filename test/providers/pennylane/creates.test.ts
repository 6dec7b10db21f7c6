import { HttpResponse } from "msw";
import { describe, expect, it } from "vitest";
import {
  customerInput,
  interceptOnce,
  invoiceDraft,
  newCustomer,
  untilAborted,
  useHarness,
} from "./harness";

const h = useHarness();

const invoicesWithReference = (reference: string) => h.backOffice.invoicesWithReference(reference);
const customersWithReference = (reference: string) =>
  h.backOffice.customersWithReference(reference);
const seedCustomer = async () => String(await h.backOffice.createCompany(customerInput()));

describe("Pennylane: creating customers", () => {
  it("creates a company customer with its SIREN, VAT number, address and our reference", async () => {
    const customer = await h
      .provider()
      .createCustomer(newCustomer({ vatNumber: "FR 40 552100554" }));
    const [post] = h.sentTo("POST", "/company_customers");
    expect(JSON.parse((await post?.body) ?? "null")).toEqual({
      name: "Menuiserie Dubois",
      billing_address: {
        address: "3 avenue Jean Jaurès\nBâtiment B",
        postal_code: "33000",
        city: "Bordeaux",
        country_alpha2: "FR",
      },
      external_reference: "hubspot-company-77",
      reg_no: "552100554",
      vat_number: "FR40552100554",
      emails: ["factures@menuiserie-dubois.fr"],
      payment_conditions: "30_days",
    });
    expect(customer).toMatchObject({
      name: "Menuiserie Dubois",
      siren: "552100554",
      vatNumber: "FR40552100554",
      externalReference: "hubspot-company-77",
      billingAddress: { line1: "3 avenue Jean Jaurès", line2: "Bâtiment B", city: "Bordeaux" },
    });
  });

  it("a second create with the same reference returns the first customer, without a second POST", async () => {
    const provider = h.provider();
    const first = await provider.createCustomer(newCustomer());
    const again = await provider.createCustomer(newCustomer());
    expect(again.providerId).toBe(first.providerId);
    expect(h.sentTo("POST", "/company_customers")).toHaveLength(1);
    expect(await customersWithReference("hubspot-company-77")).toHaveLength(1);
  });

  it("ten simultaneous creates of one customer store it once", async () => {
    const provider = h.provider();
    const created = await Promise.all(
      Array.from({ length: 10 }, () => provider.createCustomer(newCustomer())),
    );
    expect(new Set(created.map((customer) => customer.providerId)).size).toBe(1);
    expect(await customersWithReference("hubspot-company-77")).toHaveLength(1);
  });

  it("a POST answered 500 after Pennylane stored the customer returns that customer", async () => {
    interceptOnce("post", "/company_customers", async (request) => {
      await h.emulator.handle(request);
      return HttpResponse.json({ error: "Internal Server Error", status: 500 }, { status: 500 });
    });
    const customer = await h.provider().createCustomer(newCustomer());
    expect((await customersWithReference("hubspot-company-77")).map(String)).toEqual([
      customer.providerId,
    ]);
    expect(h.sentTo("POST", "/company_customers")).toHaveLength(1);
  });

  it("a customer someone else created between our lookup and our POST (409) is returned", async () => {
    interceptOnce("post", "/company_customers", async (request) => {
      await h.backOffice.createCompany(
        customerInput({ name: "Menuiserie Dubois", external_reference: "hubspot-company-77" }),
      );
      return h.emulator.handle(request);
    });
    const customer = await h.provider().createCustomer(newCustomer());
    expect(customer.externalReference).toBe("hubspot-company-77");
    expect(await customersWithReference("hubspot-company-77")).toHaveLength(1);
  });
});

describe("Pennylane: creating invoices", () => {
  it("creates a draft dated today in Paris, with exact prices and numeric quantities", async () => {
    const customerId = await seedCustomer();
    const invoice = await h
      .provider()
      .createInvoice(invoiceDraft(customerId, { issueDate: "2026-03-09" }));
    const [post] = h.sentTo("POST", "/customer_invoices");
    const body = JSON.parse((await post?.body) ?? "null") as Record<string, unknown>;
    expect(body).toEqual({
      date: "2026-03-10",
      deadline: "2026-04-09",
      customer_id: Number(customerId),
      currency: "EUR",
      external_reference: "hubspot-deal-1001",
      draft: true,
      invoice_lines: [
        {
          label: "Audit comptable",
          quantity: 3,
          raw_currency_unit_price: "1234.567800",
          unit: "piece",
          vat_rate: "FR_200",
        },
        {
          label: "Formation (heures)",
          quantity: 1.5,
          raw_currency_unit_price: "80",
          unit: "piece",
          vat_rate: "FR_100",
          discount: { type: "relative", value: "10" },
        },
      ],
      special_mention: "Pénalités de retard : 3 fois le taux d'intérêt légal.",
      pdf_invoice_subject: "Mission de mars",
    });
    // 3 x 1234.5678 = 3703.7034 -> 3703.70 + 20 %; 1.5 x 80 - 10 % = 108.00 + 10 %.
    expect(invoice).toMatchObject({
      isDraft: true,
      status: "draft",
      number: null,
      issueDate: "2026-03-10",
      dueDate: "2026-04-09",
      netCents: 370_370 + 10_800,
      vatCents: 74_074 + 1_080,
      grossCents: 444_444 + 11_880,
      paidCents: 0,
      externalReference: "hubspot-deal-1001",
      customerName: "Boulangerie Martin SARL",
    });
  });

  it("creates a finalized invoice that gets its number at once", async () => {
    const customerId = await seedCustomer();
    const invoice = await h.provider().createInvoice(invoiceDraft(customerId, { finalize: true }));
    expect(invoice).toMatchObject({
      isDraft: false,
      status: "open",
      remainingCents: invoice.grossCents,
    });
    expect(invoice.number).toMatch(/\S/);
    expect(
      JSON.parse((await h.sentTo("POST", "/customer_invoices")[0]?.body) ?? "{}"),
    ).toMatchObject({
      draft: false,
    });
  });

  it("finalizes a draft, and a second finalize returns the same final invoice", async () => {
    const provider = h.provider();
    const draft = await provider.createInvoice(invoiceDraft(await seedCustomer()));
    const finalized = await provider.finalizeInvoice(draft.id);
    expect(finalized).toMatchObject({ id: draft.id, isDraft: false, status: "open" });
    expect(finalized.number).toMatch(/\S/);
    const again = await provider.finalizeInvoice(draft.id);
    expect(again).toMatchObject({ id: draft.id, number: finalized.number, isDraft: false });
  });

  it("a second click on Create invoice returns the same invoice", async () => {
    const provider = h.provider();
    const customerId = await seedCustomer();
    const first = await provider.createInvoice(invoiceDraft(customerId));
    const second = await provider.createInvoice(invoiceDraft(customerId));
    expect(second.id).toBe(first.id);
    expect(h.sentTo("POST", "/customer_invoices")).toHaveLength(1);
  });

  it("20 simultaneous creates for one deal, from two clients of the connection, make one invoice", async () => {
    const customerId = await seedCustomer();
    const first = h.provider({ connectionId: "tenant-7" });
    const second = h.provider({ connectionId: "tenant-7" });
    const invoices = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        (index % 2 === 0 ? first : second).createInvoice(
          invoiceDraft(customerId, { finalize: true }),
        ),
      ),
    );
    expect(new Set(invoices.map((invoice) => invoice.id)).size).toBe(1);
    expect(await invoicesWithReference("hubspot-deal-1001")).toHaveLength(1);
    expect(h.sentTo("POST", "/customer_invoices")).toHaveLength(1);
  });

  it("a create whose answer is lost after Pennylane stored it returns the stored invoice", async () => {
    const customerId = await seedCustomer();
    interceptOnce("post", "/customer_invoices", async (request) => {
      await h.emulator.handle(request.clone());
      return untilAborted(request);
    });
    const invoice = await h.provider({ timeoutMs: 100 }).createInvoice(invoiceDraft(customerId));
    expect((await invoicesWithReference("hubspot-deal-1001")).map(String)).toEqual([invoice.id]);
    expect(h.sentTo("POST", "/customer_invoices")).toHaveLength(1);
  });

  it("a POST answered 503 is not sent again: the error stands when nothing was stored", async () => {
    const customerId = await seedCustomer();
    interceptOnce("post", "/customer_invoices", () =>
      HttpResponse.json({ error: "Service Unavailable", status: 503 }, { status: 503 }),
    );
    const provider = h.provider();
    await expect(provider.createInvoice(invoiceDraft(customerId))).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      httpStatus: 503,
    });
    expect(h.sentTo("POST", "/customer_invoices")).toHaveLength(1);
    expect(await invoicesWithReference("hubspot-deal-1001")).toHaveLength(0);
    // The caller's later retry creates it, once.
    await provider.createInvoice(invoiceDraft(customerId));
    expect(await invoicesWithReference("hubspot-deal-1001")).toHaveLength(1);
  });

  it("a POST that times out before Pennylane processed it is not repeated", async () => {
    const customerId = await seedCustomer();
    interceptOnce("post", "/customer_invoices", untilAborted);
    await expect(
      h.provider({ timeoutMs: 100 }).createInvoice(invoiceDraft(customerId)),
    ).rejects.toMatchObject({ code: "PROVIDER_TIMEOUT" });
    expect(h.sentTo("POST", "/customer_invoices")).toHaveLength(1);
    expect(await invoicesWithReference("hubspot-deal-1001")).toHaveLength(0);
  });

  it("a draft Pennylane refuses (deadline before the date) is PROVIDER_REJECTED with its reason", async () => {
    const failure = await h
      .provider()
      .createInvoice(invoiceDraft(await seedCustomer(), { dueDate: "2026-03-01" }))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: "PROVIDER_REJECTED",
      httpStatus: 422,
      details: { providerMessage: expect.stringContaining("deadline") },
    });
  });
});
