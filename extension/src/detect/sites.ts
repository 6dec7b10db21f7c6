/**
 * The accounting web apps the extension works on: the one list behind the content-script
 * matches, the host permissions and the side panel's enabling. Plasmo needs the matches as
 * literals in `contents/accounting-page.ts` and the manifest in `package.json`; a unit test
 * holds both equal to this list.
 *
 * Origins:
 * - Pennylane: the web app and its deep links live on https://app.pennylane.com
 *   (`/companies/<id>/clients/customer_invoices?invoice_id=…`,
 *   `/companies/<id>/thirdparties/customers?id=…`), as used by public integrations and
 *   userscripts that link into Pennylane.
 * - Sage Active: the web app is served per region from `mainui.<region>.active.sage.com`
 *   (a captured UI bundle at mainui.es.active.sage.com; the APIs sit beside it on
 *   api.<region>.active.sage.com and bff.<region>.active.sage.com). Encaisse targets the
 *   French legislation, hence `fr`; another region is added at build time with
 *   PLASMO_PUBLIC_SAGE_ACTIVE_EXTRA_MATCH rather than by widening to every Sage host.
 */
import type { Provider } from "@encaisse/shared";

export const PENNYLANE_MATCH = "https://app.pennylane.com/*";
export const SAGE_ACTIVE_MATCH = "https://mainui.fr.active.sage.com/*";

/** Placeholders Plasmo replaces with the build's environment, or drops when unset. */
export const SAGE_ACTIVE_EXTRA_MATCH_PLACEHOLDER = "$PLASMO_PUBLIC_SAGE_ACTIVE_EXTRA_MATCH";
/** Set only by the test build (`.env.test`): pages served on localhost by the browser tests. */
export const TEST_PAGES_MATCH_PLACEHOLDER = "$PLASMO_PUBLIC_TEST_PAGES_MATCH";
export const BACKEND_MATCH_PLACEHOLDER = "$PLASMO_PUBLIC_BACKEND_MATCH";

/** The content-script matches, as written in the manifest before Plasmo fills placeholders. */
export const ACCOUNTING_PAGE_MATCHES = [
  PENNYLANE_MATCH,
  SAGE_ACTIVE_MATCH,
  SAGE_ACTIVE_EXTRA_MATCH_PLACEHOLDER,
  TEST_PAGES_MATCH_PLACEHOLDER,
] as const;

/** Host permissions: the accounting pages and the backend, nothing else. */
export const HOST_PERMISSIONS = [...ACCOUNTING_PAGE_MATCHES, BACKEND_MATCH_PLACEHOLDER] as const;

export interface SiteEnvironment {
  readonly sageActiveExtraMatch?: string | undefined;
  readonly testPagesMatch?: string | undefined;
}

/** The values Plasmo inlined into this build. */
export const BUILD_SITE_ENVIRONMENT: SiteEnvironment = {
  sageActiveExtraMatch: process.env.PLASMO_PUBLIC_SAGE_ACTIVE_EXTRA_MATCH,
  testPagesMatch: process.env.PLASMO_PUBLIC_TEST_PAGES_MATCH,
};

/** Which app a page belongs to; `test` pages stand in for either (see detect.ts). */
export type SiteKind = Provider | "test";

interface Site {
  readonly kind: SiteKind;
  readonly match: string;
}

export function sitesOf(environment: SiteEnvironment): Site[] {
  const sites: Site[] = [
    { kind: "pennylane", match: PENNYLANE_MATCH },
    { kind: "sage_active", match: SAGE_ACTIVE_MATCH },
  ];
  if (environment.sageActiveExtraMatch)
    sites.push({ kind: "sage_active", match: environment.sageActiveExtraMatch });
  if (environment.testPagesMatch) sites.push({ kind: "test", match: environment.testPagesMatch });
  return sites;
}

/**
 * Chrome match-pattern semantics for the patterns used here: a scheme, a host that may start
 * with `*.`, any port, and a path that may end with `*`.
 */
export function matchesPattern(pattern: string, url: URL): boolean {
  const parsed = /^(https?):\/\/([^/]+)(\/.*)$/.exec(pattern);
  if (!parsed) return false;
  const [, scheme, host, path] = parsed as unknown as [string, string, string, string];
  if (url.protocol !== `${scheme}:`) return false;
  const hostMatches = host.startsWith("*.")
    ? url.hostname === host.slice(2) || url.hostname.endsWith(host.slice(1))
    : url.hostname === host;
  if (!hostMatches) return false;
  return path.endsWith("*") ? url.pathname.startsWith(path.slice(0, -1)) : url.pathname === path;
}

/** The app an address belongs to, or null when the extension has nothing to do there. */
export function siteKindOf(
  address: string,
  environment: SiteEnvironment = BUILD_SITE_ENVIRONMENT,
): SiteKind | null {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return null;
  }
  return sitesOf(environment).find((site) => matchesPattern(site.match, url))?.kind ?? null;
}
