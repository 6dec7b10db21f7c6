import { describe, expect, it } from "vitest";
import { detectPage } from "../src/detect/detect";
import { fixture } from "./helpers/pages";

const ORIGIN = "https://mainui.fr.active.sage.com";
const CUSTOMER = "3fa85f64-5717-4562-b3fc-2c963f66afa6";
const INVOICE = "9b2e7c1a-0d4f-4e8b-a6c2-5f1d3e7a9b40";

describe("Sage Active pages", () => {
  it("reads a customer GUID that follows the customers route", () => {
    const detection = detectPage(
      `${ORIGIN}/thirdparties/customers/${CUSTOMER}`,
      fixture("sage-active-customer.html"),
    );
    expect(detection).toMatchObject({
      provider: "sage_active",
      target: { kind: "customer", customerId: CUSTOMER },
      source: "url",
    });
  });

  it("reads a sales invoice GUID, in the path or in a fragment route", () => {
    for (const address of [
      `${ORIGIN}/sales/salesinvoices/${INVOICE.toUpperCase()}`,
      `${ORIGIN}/#/sales/salesinvoices/${INVOICE}/edit`,
      `${ORIGIN}/sales/salesinvoices?id=${INVOICE}`,
    ]) {
      expect(detectPage(address, null)?.target, address).toEqual({
        kind: "invoice",
        invoiceId: INVOICE,
      });
    }
  });

  it("falls back to the invoice number in the page heading", () => {
    const detection = detectPage(
      `${ORIGIN}/sales/salesinvoices/edit`,
      fixture("sage-active-invoice.html"),
    );
    expect(detection).toMatchObject({
      target: { kind: "invoice_number", invoiceNumber: "FA00231" },
      source: "page",
      searchHint: "Boulangerie Martin",
    });
  });

  it("falls back to the SIREN within the SIRET of the customer form", () => {
    const detection = detectPage(
      `${ORIGIN}/thirdparties/customers/edit`,
      fixture("sage-active-customer.html"),
    );
    expect(detection).toMatchObject({
      target: { kind: "siren", siren: "732829320" },
      searchHint: "Transports Lemoine SARL",
    });
  });

  it("detects nothing on the sales invoices list", () => {
    expect(
      detectPage(`${ORIGIN}/sales/salesinvoices`, fixture("sage-active-list.html")),
    ).toMatchObject({
      provider: "sage_active",
      target: null,
      source: null,
      searchHint: null,
    });
  });

  it("is not active on other Sage hosts", () => {
    expect(detectPage(`https://api.fr.active.sage.com/graphql`, null)).toBeNull();
  });
});
