/**
 * Pennylane addresses. The web app opens a customer or an invoice as a drawer over a list,
 * with the id in the query string:
 *   /companies/<company>/thirdparties/customers?id=<customer id>
 *   /companies/<company>/clients/customer_invoices?invoice_id=<invoice id>&subtab=all
 * and filters a list with a JSON `filter` parameter (`{"operator":"search_all","value":…}`).
 * These ids are the public API v2 ids the backend stores. Path forms with the id as the last
 * segment are accepted too, so a route change on Pennylane's side degrades gracefully.
 */
import { NOTHING_IN_URL, type UrlReading } from "./detection";

const NUMERIC_ID = /^\d{1,20}$/;

function numericParameter(url: URL, ...names: string[]): string | null {
  for (const name of names) {
    const value = url.searchParams.get(name)?.trim();
    if (value && NUMERIC_ID.test(value)) return value;
  }
  return null;
}

function idAfter(segments: readonly string[], marker: string): string | null {
  const index = segments.lastIndexOf(marker);
  const next = index >= 0 ? segments[index + 1] : undefined;
  return next !== undefined && NUMERIC_ID.test(next) ? next : null;
}

/** The free-text search of a filtered list, e.g. an invoice number or a customer name. */
function searchedText(url: URL): string | null {
  const raw = url.searchParams.get("filter");
  if (!raw) return null;
  try {
    const filters: unknown = JSON.parse(raw);
    if (!Array.isArray(filters)) return null;
    for (const filter of filters) {
      if (
        typeof filter === "object" &&
        filter !== null &&
        (filter as { operator?: unknown }).operator === "search_all"
      ) {
        const value = (filter as { value?: unknown }).value;
        if (typeof value === "string" && value.trim().length >= 2) return value.trim();
      }
    }
  } catch {
    return null;
  }
  return null;
}

export function readPennylaneUrl(url: URL): UrlReading {
  const segments = url.pathname.split("/").filter(Boolean);
  const onCustomers = segments.includes("customers");
  const onInvoices = segments.includes("customer_invoices");

  if (onInvoices) {
    const invoiceId =
      numericParameter(url, "invoice_id", "id") ?? idAfter(segments, "customer_invoices");
    if (invoiceId) return { target: { kind: "invoice", invoiceId }, searchHint: null };
  }
  if (onCustomers) {
    const customerId = numericParameter(url, "id", "customer_id") ?? idAfter(segments, "customers");
    if (customerId) return { target: { kind: "customer", customerId }, searchHint: null };
  }
  const searchHint = searchedText(url);
  return searchHint ? { target: null, searchHint } : NOTHING_IN_URL;
}
