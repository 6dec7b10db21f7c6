/**
 * What the invoice-from-a-deal tests and benchmark share: calling the deal endpoints as the
 * HubSpot card does (each call signed with its own timestamp, as HubSpot signs them), won
 * deals made for a test in the HubSpot emulator, and what the emulators hold afterwards.
 */
import { completeLuhn, externalReferenceForDeal } from "@encaisse/shared";
import { signAsHubSpot } from "../../functions/src/hubspot/signature";
import {
  SAGE_INVOICE_REFERENCE_MAX_LENGTH,
  toSageReference,
} from "../../functions/src/providers/sage-active/references";
import { ASSOCIATION_TYPE_IDS, SANDBOX_HUBSPOT_APP } from "../emulators/hubspot";
import type { Portal } from "../emulators/hubspot";
import { type BackendHarness, BACKEND_URL, PORTAL_ID, USER_EMAIL, USER_ID } from "./harness";

let lastTimestamp = 0;

/** A signed call as `hubspot.fetch` makes it; `rawBody` is sent as is (it may be bad JSON). */
export async function callAsHubSpot(
  harness: BackendHarness,
  method: string,
  path: string,
  rawBody?: string,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(path, BACKEND_URL);
  url.searchParams.set("portalId", PORTAL_ID);
  url.searchParams.set("userId", USER_ID);
  url.searchParams.set("userEmail", USER_EMAIL);
  url.searchParams.set("appId", String(SANDBOX_HUBSPOT_APP.appId));
  // Distinct calls carry distinct timestamps, so their signatures never look replayed.
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  const headers = signAsHubSpot({
    method,
    url: url.toString(),
    body: rawBody ?? "",
    clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
    timestamp: lastTimestamp,
  });
  const response = await harness.app.request(url.toString(), {
    method,
    headers: {
      ...headers,
      ...(rawBody === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(rawBody === undefined ? {} : { body: rawBody }),
  });
  return { status: response.status, body: await response.json() };
}

export function createInvoice(
  harness: BackendHarness,
  dealId: string,
  request: Record<string, unknown> = {},
): Promise<{ status: number; body: unknown }> {
  return callAsHubSpot(harness, "POST", `/v1/deals/${dealId}/invoices`, JSON.stringify(request));
}

export function previewInvoice(
  harness: BackendHarness,
  dealId: string,
): Promise<{ status: number; body: unknown }> {
  return callAsHubSpot(harness, "GET", `/v1/deals/${dealId}/invoice-preview`);
}

export function portalOf(harness: BackendHarness): Portal {
  return harness.hubspot.portal(Number(PORTAL_ID));
}

// ---------------------------------------------------------------- deals made for a test

export interface LineSpec {
  readonly name: string;
  readonly quantity: string;
  readonly price: string;
  readonly vatCode: string | null;
  readonly discountPercent?: string;
}

export interface CompanySpec {
  readonly name: string;
  readonly siren: string | null;
  readonly address: string | null;
  readonly zip: string | null;
  readonly city: string | null;
  readonly country: string | null;
}

let sirenSerial = 0;

/** A valid SIREN that no company of the book has. */
export function freshSiren(harness: BackendHarness): string {
  const taken = new Set(harness.book.companies.map((company) => company.siren));
  for (;;) {
    sirenSerial += 1;
    const siren = completeLuhn(`99${String(sirenSerial).padStart(6, "0")}`);
    if (!taken.has(siren)) return siren;
  }
}

export function newCompany(harness: BackendHarness, spec: Partial<CompanySpec> = {}): string {
  const company = portalOf(harness).objects.create("companies", {
    name: spec.name ?? `Atelier Nouveau ${sirenSerial + 1} SAS`,
    siren: spec.siren === undefined ? freshSiren(harness) : spec.siren,
    address: spec.address === undefined ? "12 rue des Lilas" : spec.address,
    zip: spec.zip === undefined ? "69003" : spec.zip,
    city: spec.city === undefined ? "Lyon" : spec.city,
    country: spec.country === undefined ? "France" : spec.country,
  });
  return company.id;
}

export const STANDARD_LINES: readonly LineSpec[] = [
  { name: "Audit de sécurité", quantity: "1", price: "4500.00", vatCode: "FR_200" },
  {
    name: "Formation des équipes (jours)",
    quantity: "2.5",
    price: "1180.40",
    vatCode: "FR_100",
    discountPercent: "10",
  },
  { name: "Guides imprimés", quantity: "12", price: "19.99", vatCode: "FR_55" },
];

/** A won deal of `companyId` (none when null) with these line items; returns the deal id. */
export function newWonDeal(
  harness: BackendHarness,
  companyId: string | null,
  lines: readonly LineSpec[] = STANDARD_LINES,
): string {
  const portal = portalOf(harness);
  const deal = portal.objects.create("deals", {
    dealname: "Mission de conseil",
    dealstage: "closedwon",
    deal_currency_code: "EUR",
  });
  if (companyId !== null) {
    portal.associate(
      { type: "deals", id: deal.id },
      { type: "companies", id: companyId },
      ASSOCIATION_TYPE_IDS.dealToCompanyPrimary,
    );
  }
  const items = portal.objects.createMany(
    "line_items",
    lines.map((line, position) => ({
      name: line.name,
      quantity: line.quantity,
      price: line.price,
      encaisse_vat_code: line.vatCode,
      hs_discount_percentage: line.discountPercent ?? null,
      hs_position_on_quote: position,
    })),
  );
  for (const item of items) {
    portal.associate(
      { type: "line_items", id: item.id },
      { type: "deals", id: deal.id },
      ASSOCIATION_TYPE_IDS.lineItemToDeal,
    );
  }
  return deal.id;
}

/** A won deal of the seed whose company is French with its SIREN, not used by a test yet. */
export function seededWonDeal(
  harness: BackendHarness,
  taken: Set<string>,
): { dealId: string; companyId: string; companyKey: string } {
  const portal = portalOf(harness);
  for (const deal of portal.objects.all("deals")) {
    if (deal.values.get("dealstage") !== "closedwon") continue;
    const [company] = portal.associations.list("deals", deal.id, "companies");
    const seed = harness.book.companies.find((c) => harness.companyIds[c.key] === company?.toId);
    if (company === undefined || seed === undefined || taken.has(company.toId)) continue;
    if (seed.address.countryCode !== "FR") continue;
    if (!portal.objects.get("companies", company.toId)?.values.get("siren")) continue;
    taken.add(company.toId);
    return { dealId: deal.id, companyId: company.toId, companyKey: seed.key };
  }
  throw new Error("The seed has no won deal of a French company with a SIREN left.");
}

/** The line items of a deal as HubSpot holds them, in the order the rep arranged them. */
export function lineItemsOfDeal(harness: BackendHarness, dealId: string) {
  const portal = portalOf(harness);
  return portal.associations
    .list("deals", dealId, "line_items")
    .map(({ toId }) => portal.objects.get("line_items", toId)?.values ?? new Map<string, string>())
    .sort(
      (a, b) =>
        Number(a.get("hs_position_on_quote") ?? 0) - Number(b.get("hs_position_on_quote") ?? 0),
    );
}

/** A seeded company of the book (French, with its SIREN in HubSpot) not used by a test yet. */
export function seededFrenchCompany(harness: BackendHarness, taken: Set<string>): string {
  const portal = portalOf(harness);
  for (const seed of harness.book.companies) {
    const id = harness.companyIds[seed.key];
    if (id === undefined || taken.has(id) || seed.address.countryCode !== "FR") continue;
    if (!portal.objects.get("companies", id)?.values.get("siren")) continue;
    taken.add(id);
    return id;
  }
  throw new Error("The book has no French company with a SIREN left for this test.");
}

// ---------------------------------------------------------------- what the emulators hold

export function pennylaneInvoicesOfDeal(harness: BackendHarness, dealId: string) {
  const reference = externalReferenceForDeal(dealId);
  return [...harness.pennylane.ledger.invoices.values()].filter(
    (invoice) => invoice.externalReference === reference,
  );
}

export function sageInvoicesOfDeal(harness: BackendHarness, dealId: string) {
  const reference = toSageReference(
    externalReferenceForDeal(dealId),
    SAGE_INVOICE_REFERENCE_MAX_LENGTH,
  );
  return [...harness.sage.organization().invoices.values()].filter(
    (invoice) => invoice.externalReference === reference,
  );
}

/** Writes the emulators saw: POSTs to Pennylane, mutations to Sage, batch updates to HubSpot. */
export function writesSeen(harness: BackendHarness): {
  pennylane: number;
  sage: number;
  hubspotDealUpdates: number;
} {
  const pennylane = Object.entries(harness.pennylane.stats.byEndpoint)
    .filter(([endpoint]) => !endpoint.startsWith("GET "))
    .reduce((sum, [, count]) => sum + count, 0);
  const sage = Object.entries(harness.sage.stats.byOperation)
    .filter(([operation]) => /^(create|update|close|post|delete)/.test(operation))
    .reduce((sum, [, count]) => sum + count, 0);
  const hubspotDealUpdates =
    harness.hubspot.stats.byEndpoint["POST /crm/v3/objects/deals/batch/update"] ?? 0;
  return { pennylane, sage, hubspotDealUpdates };
}

export function dealProperty(harness: BackendHarness, dealId: string, name: string) {
  return portalOf(harness).objects.get("deals", dealId)?.values.get(name) ?? null;
}
