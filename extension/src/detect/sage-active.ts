/**
 * Sage Active addresses. Sage does not document its web routes. What is known: the app is a
 * single-page app whose route vocabulary (from its UI bundle's keys) includes `customers`,
 * `thirdparty` and `salesinvoices`, and every record id is a GUID (API reference §2). So a
 * GUID that follows one of those words, in the path or in a `#/…` route, or in an
 * `id`-like query parameter on such a screen, names the record; anything else falls back to
 * reading the page (dom.ts).
 */
import { NOTHING_IN_URL, type UrlReading } from "./detection";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CUSTOMER_WORDS = new Set(["customers", "customer", "thirdparty", "thirdparties", "clients"]);
const INVOICE_WORDS = new Set(["salesinvoices", "salesinvoice", "sales-invoices", "invoices"]);

/** The route, whether the app keeps it in the path or in the fragment. */
function routeOf(url: URL): URL {
  const fragment = url.hash.startsWith("#/") ? url.hash.slice(1) : null;
  return fragment ? new URL(fragment, url.origin) : url;
}

function guidAfterWord(segments: readonly string[], words: ReadonlySet<string>): string | null {
  for (let index = segments.length - 2; index >= 0; index -= 1) {
    const word = segments[index]?.toLowerCase();
    const next = segments[index + 1];
    if (word !== undefined && words.has(word) && next !== undefined && GUID.test(next))
      return next.toLowerCase();
  }
  return null;
}

function guidParameter(route: URL, names: readonly string[]): string | null {
  for (const name of names) {
    const value = route.searchParams.get(name);
    if (value && GUID.test(value)) return value.toLowerCase();
  }
  return null;
}

export function readSageActiveUrl(url: URL): UrlReading {
  const route = routeOf(url);
  const segments = route.pathname.split("/").filter(Boolean);
  const words = segments.map((segment) => segment.toLowerCase());
  const onInvoices = words.some((word) => INVOICE_WORDS.has(word));
  const onCustomers = words.some((word) => CUSTOMER_WORDS.has(word));

  const invoiceId =
    guidAfterWord(segments, INVOICE_WORDS) ??
    (onInvoices ? guidParameter(route, ["salesInvoiceId", "invoiceId", "id"]) : null);
  if (invoiceId) return { target: { kind: "invoice", invoiceId }, searchHint: null };

  const customerId =
    guidAfterWord(segments, CUSTOMER_WORDS) ??
    (onCustomers ? guidParameter(route, ["customerId", "thirdPartyId", "id"]) : null);
  if (customerId) return { target: { kind: "customer", customerId }, searchHint: null };

  return NOTHING_IN_URL;
}
