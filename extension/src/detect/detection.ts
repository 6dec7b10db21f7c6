/** What a page tells the side panel: which customer or invoice is open, or what to search. */
import type { Provider } from "@encaisse/shared";

export type PageTarget =
  | { readonly kind: "customer"; readonly customerId: string }
  | { readonly kind: "invoice"; readonly invoiceId: string }
  | { readonly kind: "invoice_number"; readonly invoiceNumber: string }
  | { readonly kind: "siren"; readonly siren: string };

export interface PageDetection {
  readonly provider: Provider;
  /** Null on list pages, dashboards and anything else that is not one customer or invoice. */
  readonly target: PageTarget | null;
  /** Where the target came from: the address first, the page's content as a fallback. */
  readonly source: "url" | "page" | null;
  /** A customer name (or SIREN) read from the page, offered as a search when nothing matches. */
  readonly searchHint: string | null;
  readonly url: string;
}

/** What the address alone says; `searchHint` covers list pages filtered on a search. */
export interface UrlReading {
  readonly target: PageTarget | null;
  readonly searchHint: string | null;
}

export const NOTHING_IN_URL: UrlReading = { target: null, searchHint: null };

/** Two detections that would show the same panel. */
export function sameDetection(a: PageDetection | null, b: PageDetection | null): boolean {
  if (a === null || b === null) return a === b;
  return (
    a.provider === b.provider &&
    a.source === b.source &&
    a.searchHint === b.searchHint &&
    JSON.stringify(a.target) === JSON.stringify(b.target)
  );
}
