import { describe, expect, it } from "vitest";
import { detectPage } from "../src/detect/detect";
import { fixture } from "./helpers/pages";

const BASE = "https://app.pennylane.com/companies/21936866";

describe("Pennylane pages", () => {
  it("reads the customer open in the customers drawer from the address", () => {
    const detection = detectPage(
      `${BASE}/thirdparties/customers?id=184522`,
      fixture("pennylane-customer.html"),
    );
    expect(detection).toEqual({
      provider: "pennylane",
      target: { kind: "customer", customerId: "184522" },
      source: "url",
      searchHint: null,
      url: `${BASE}/thirdparties/customers?id=184522`,
    });
  });

  it("reads the invoice open over the customer invoices list from the address", () => {
    const detection = detectPage(
      `${BASE}/clients/customer_invoices?invoice_id=733410955&subtab=all`,
      fixture("pennylane-invoice.html"),
    );
    expect(detection?.target).toEqual({ kind: "invoice", invoiceId: "733410955" });
    expect(detection?.source).toBe("url");
  });

  it("accepts the id as the last path segment as well", () => {
    expect(detectPage(`${BASE}/customer_invoices/733410955`, null)?.target).toEqual({
      kind: "invoice",
      invoiceId: "733410955",
    });
    expect(detectPage(`${BASE}/thirdparties/customers/184522`, null)?.target).toEqual({
      kind: "customer",
      customerId: "184522",
    });
  });

  it("falls back to the invoice number shown in the drawer when the address has no id", () => {
    const detection = detectPage(
      `${BASE}/clients/customer_invoices?subtab=late`,
      fixture("pennylane-invoice.html"),
    );
    expect(detection?.target).toEqual({ kind: "invoice_number", invoiceNumber: "F-2026-0118" });
    expect(detection?.source).toBe("page");
    expect(detection?.searchHint).toBe("Transports Lemoine SARL");
  });

  it("falls back to the SIREN printed on the customer drawer when the address has no id", () => {
    const detection = detectPage(
      `${BASE}/thirdparties/customers`,
      fixture("pennylane-customer.html"),
    );
    expect(detection?.target).toEqual({ kind: "siren", siren: "732829320" });
    expect(detection?.source).toBe("page");
  });

  it("detects nothing on a list page, and does not mistake a phone number for a SIREN", () => {
    const detection = detectPage(
      `${BASE}/clients/customer_invoices`,
      fixture("pennylane-invoice-list.html"),
    );
    expect(detection).toMatchObject({ provider: "pennylane", target: null, searchHint: null });
  });

  it("offers the text a list is filtered on as the search", () => {
    const filter = encodeURIComponent(
      JSON.stringify([{ field: "thirdparty_id", operator: "search_all", value: "Lemoine" }]),
    );
    const detection = detectPage(
      `${BASE}/clients/customer_invoices?filter=${filter}&page=1`,
      fixture("pennylane-invoice-list.html"),
    );
    expect(detection).toMatchObject({ target: null, searchHint: "Lemoine" });
  });

  it("ignores ids that are not Pennylane ids", () => {
    expect(detectPage(`${BASE}/thirdparties/customers?id=abc`, null)?.target).toBeNull();
    expect(detectPage(`${BASE}/clients/customer_invoices?filter=not-json`, null)).toMatchObject({
      target: null,
      searchHint: null,
    });
  });
});
