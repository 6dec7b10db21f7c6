/**
 * Which customer or invoice a page shows: the address first (exact ids), the page's content as
 * a fallback (an invoice number or a SIREN to look up, a name to search for).
 */
import type { Provider } from "@encaisse/shared";
import { NOTHING_IN_URL, type PageDetection, type PageTarget, type UrlReading } from "./detection";
import { readPage } from "./dom";
import { readPennylaneUrl } from "./pennylane";
import { readSageActiveUrl } from "./sage-active";
import { BUILD_SITE_ENVIRONMENT, type SiteEnvironment, siteKindOf } from "./sites";

const READERS: Record<Provider, (url: URL) => UrlReading> = {
  pennylane: readPennylaneUrl,
  sage_active: readSageActiveUrl,
};

/**
 * Test pages (test build only) stand in for either app: a `/pennylane/` or `/sage-active/`
 * path prefix says which; without one, whichever app's address shapes match.
 */
function readTestPageUrl(url: URL): { provider: Provider; reading: UrlReading } {
  const prefix = /^\/(pennylane|sage-active)(\/.*)?$/.exec(url.pathname);
  if (prefix) {
    const provider: Provider = prefix[1] === "pennylane" ? "pennylane" : "sage_active";
    const inner = new URL(url.href);
    inner.pathname = prefix[2] ?? "/";
    return { provider, reading: READERS[provider](inner) };
  }
  const pennylane = readPennylaneUrl(url);
  if (pennylane.target) return { provider: "pennylane", reading: pennylane };
  const sage = readSageActiveUrl(url);
  if (sage.target) return { provider: "sage_active", reading: sage };
  return { provider: "pennylane", reading: pennylane };
}

export function detectPage(
  address: string,
  document: Document | null,
  environment: SiteEnvironment = BUILD_SITE_ENVIRONMENT,
): PageDetection | null {
  const kind = siteKindOf(address, environment);
  if (kind === null) return null;
  const url = new URL(address);
  const { provider, reading } =
    kind === "test"
      ? readTestPageUrl(url)
      : { provider: kind, reading: READERS[kind](url) ?? NOTHING_IN_URL };

  if (reading.target) {
    return { provider, target: reading.target, source: "url", searchHint: null, url: address };
  }
  const page = document ? readPage(document) : null;
  const searchHint = reading.searchHint ?? page?.customerName ?? page?.siren ?? null;
  const target: PageTarget | null = page?.invoiceNumber
    ? { kind: "invoice_number", invoiceNumber: page.invoiceNumber }
    : page?.siren
      ? { kind: "siren", siren: page.siren }
      : null;
  return { provider, target, source: target ? "page" : null, searchHint, url: address };
}
