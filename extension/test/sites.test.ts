import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectPage } from "../src/detect/detect";
import {
  ACCOUNTING_PAGE_MATCHES,
  HOST_PERMISSIONS,
  matchesPattern,
  siteKindOf,
} from "../src/detect/sites";

const root = join(import.meta.dirname, "..");

describe("the list of accounting sites", () => {
  it("is the one the content script is declared with", () => {
    const source = readFileSync(join(root, "src/contents/accounting-page.ts"), "utf8");
    const literal = /matches:\s*(\[[^\]]*\])/.exec(source)?.[1] ?? "[]";
    const matches: unknown = JSON.parse(literal.replace(/,\s*\]/, "]"));
    expect(matches).toEqual([...ACCOUNTING_PAGE_MATCHES]);
  });

  it("is, with the backend, every host permission the manifest asks for", () => {
    const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).manifest;
    expect(manifest.host_permissions).toEqual([...HOST_PERMISSIONS]);
    expect(manifest.permissions ?? []).not.toContain("tabs");
    expect(JSON.stringify(manifest)).not.toContain("<all_urls>");
  });

  it("matches Pennylane and French Sage Active only, on HTTPS", () => {
    expect(siteKindOf("https://app.pennylane.com/companies/1/thirdparties/customers")).toBe(
      "pennylane",
    );
    expect(siteKindOf("https://mainui.fr.active.sage.com/sales")).toBe("sage_active");
    expect(siteKindOf("http://app.pennylane.com/")).toBeNull();
    expect(siteKindOf("https://pennylane.com/")).toBeNull();
    expect(siteKindOf("https://app.pennylane.com.evil.example/")).toBeNull();
    expect(siteKindOf("https://mainui.es.active.sage.com/sales")).toBeNull();
    expect(siteKindOf("not a url")).toBeNull();
  });

  it("adds another Sage Active region and the test pages only when the build says so", () => {
    const environment = {
      sageActiveExtraMatch: "https://mainui.es.active.sage.com/*",
      testPagesMatch: "http://localhost/*",
    };
    expect(siteKindOf("https://mainui.es.active.sage.com/sales", environment)).toBe("sage_active");
    expect(siteKindOf("http://localhost:4173/anything", environment)).toBe("test");
    expect(siteKindOf("http://localhost:4173/anything")).toBeNull();
  });

  it("reads match patterns the way Chrome does: any port, wildcard subdomains", () => {
    expect(matchesPattern("http://localhost/*", new URL("http://localhost:9999/x"))).toBe(true);
    expect(matchesPattern("http://localhost/*", new URL("http://127.0.0.1/x"))).toBe(false);
    expect(matchesPattern("https://*.sage.com/*", new URL("https://a.b.sage.com/"))).toBe(true);
    expect(matchesPattern("https://*.sage.com/*", new URL("https://sage.com/"))).toBe(true);
    expect(matchesPattern("https://*.sage.com/*", new URL("https://notsage.com/"))).toBe(false);
  });
});

describe("test pages (test build)", () => {
  const environment = { testPagesMatch: "http://localhost/*" };

  it("stand in for Pennylane or Sage Active by their address shape or prefix", () => {
    expect(
      detectPage(
        "http://localhost:5000/companies/1/thirdparties/customers?id=42",
        null,
        environment,
      ),
    ).toMatchObject({ provider: "pennylane", target: { kind: "customer", customerId: "42" } });
    expect(
      detectPage(
        "http://localhost:5000/sage-active/sales/salesinvoices/9b2e7c1a-0d4f-4e8b-a6c2-5f1d3e7a9b40",
        null,
        environment,
      ),
    ).toMatchObject({ provider: "sage_active", target: { kind: "invoice" } });
    expect(
      detectPage(
        "http://localhost:5000/pennylane/clients/customer_invoices?invoice_id=7",
        null,
        environment,
      ),
    ).toMatchObject({ provider: "pennylane", target: { kind: "invoice", invoiceId: "7" } });
  });
});
