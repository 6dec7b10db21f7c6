import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { detectPage } from "../src/detect/detect";
import type { PageDetection } from "../src/detect/detection";
import { watchPage } from "../src/detect/watch";

// The happy-dom window plays the accounting app: it changes its address with the History API
// and then renders the record, as Pennylane and Sage Active do.
const environment = { testPagesMatch: "http://localhost/*" };
const detect = (address: string, document: Document) => detectPage(address, document, environment);
/** happy-dom's own control of the address, for a load or a back/forward the app did not make. */
const setAddress = (address: string) =>
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(address);

describe("following in-app navigation", () => {
  let reports: (PageDetection | null)[];
  let stop: () => void;

  beforeEach(() => {
    vi.useFakeTimers();
    setAddress("http://localhost/companies/1/clients/customer_invoices");
    document.body.innerHTML = "<main><h1>Factures clients</h1></main>";
    reports = [];
    stop = watchPage({ window, detect, onChange: (d) => reports.push(d), settleMs: 100 }).stop;
  });

  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  it("reports the page it starts on", () => {
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatchObject({ provider: "pennylane", target: null });
  });

  it("reports the invoice opened by a pushState navigation once the page settles", async () => {
    history.pushState({}, "", "/companies/1/clients/customer_invoices?invoice_id=733410955");
    document.body.insertAdjacentHTML("beforeend", "<div role='dialog'><h2>Facture F-1</h2></div>");
    await vi.advanceTimersByTimeAsync(150);
    expect(reports).toHaveLength(2);
    expect(reports[1]?.target).toEqual({ kind: "invoice", invoiceId: "733410955" });
  });

  it("reports back navigation and fragment changes", async () => {
    history.pushState({}, "", "/companies/1/thirdparties/customers?id=5");
    document.body.append(document.createElement("div"));
    await vi.advanceTimersByTimeAsync(150);
    setAddress("http://localhost/companies/1/thirdparties/customers?id=6");
    window.dispatchEvent(new PopStateEvent("popstate"));
    await vi.advanceTimersByTimeAsync(150);
    expect(reports.map((r) => r?.target)).toEqual([
      null,
      { kind: "customer", customerId: "5" },
      { kind: "customer", customerId: "6" },
    ]);
  });

  it("stays quiet while the page re-renders the same record", async () => {
    for (let i = 0; i < 20; i += 1) {
      document.body.append(document.createElement("span"));
      await vi.advanceTimersByTimeAsync(20);
    }
    await vi.advanceTimersByTimeAsync(150);
    expect(reports).toHaveLength(1);
  });

  it("reads the record rendered after the address changed, from the page", async () => {
    history.pushState({}, "", "/companies/1/clients/customer_invoices?subtab=late");
    await vi.advanceTimersByTimeAsync(150);
    document.body.insertAdjacentHTML(
      "beforeend",
      "<div role='dialog'><h2>Facture n° F-2026-0118</h2></div>",
    );
    await vi.advanceTimersByTimeAsync(150);
    expect(reports.at(-1)?.target).toEqual({
      kind: "invoice_number",
      invoiceNumber: "F-2026-0118",
    });
  });

  it("stops listening when stopped", async () => {
    stop();
    history.pushState({}, "", "/companies/1/thirdparties/customers?id=9");
    document.body.append(document.createElement("div"));
    await vi.advanceTimersByTimeAsync(500);
    expect(reports).toHaveLength(1);
  });
});
