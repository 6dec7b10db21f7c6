/**
 * What the card API tests share: calling the card endpoints as the HubSpot card does, with
 * every answer checked against its contract, and finding things in the seeded book and in
 * the emulators (a company's Pennylane customer, one without SIREN, one renamed…).
 */
import { expect } from "vitest";
import { type Invoice, parisDateOf } from "@encaisse/shared";
import {
  type CardInvoicesResponse,
  cardInvoicesResponseSchema,
  errorBodySchema,
} from "@encaisse/shared/contracts";
import { cardContextOf } from "../../functions/src/services/cards/context";
import type { CardContext } from "../../functions/src/services/cards/context";
import { PORTAL_ID, type BackendHarness } from "./harness";
import type { SeedCompany } from "../fixtures/book";
import type { CustomerRecord } from "../emulators/pennylane/records";

export type CardView = Extract<CardInvoicesResponse, { state: "ok" }>;

let requestNumber = 0;

/**
 * HubSpot signs each call with its own millisecond timestamp and the backend refuses a
 * signature seen twice; calls made within one millisecond here would share one, so each
 * carries a distinct (ignored) parameter, as distinct calls carry distinct timestamps.
 */
export function distinct(path: string): string {
  requestNumber += 1;
  return `${path}${path.includes("?") ? "&" : "?"}call=${requestNumber}`;
}

export function cardsOf(harness: BackendHarness): CardContext {
  return cardContextOf(harness.backend);
}

export async function getCard(
  harness: BackendHarness,
  query: Readonly<Record<string, string>>,
  options: { portalId?: string } = {},
): Promise<CardInvoicesResponse> {
  const response = await harness.signedFetch(
    "GET",
    distinct(`/v1/cards/invoices?${new URLSearchParams(query).toString()}`),
    undefined,
    options,
  );
  const body: unknown = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return cardInvoicesResponseSchema.parse(body);
}

export async function getCardView(
  harness: BackendHarness,
  query: Readonly<Record<string, string>>,
): Promise<CardView> {
  const answer = await getCard(harness, query);
  if (answer.state !== "ok") throw new Error(`Expected card data, got ${JSON.stringify(answer)}`);
  return answer;
}

/** A refused call: its status and error code, the body checked against the error contract. */
export async function refusal(response: Response): Promise<{ status: number; code: string }> {
  const body = errorBodySchema.parse(await response.json());
  return { status: response.status, code: body.error.code };
}

export function today(): string {
  return parisDateOf(new Date());
}

// ---------------------------------------------------------------- the seeded world

export function hubspotCompany(harness: BackendHarness, key: string) {
  const id = harness.companyIds[key];
  if (id === undefined) throw new Error(`No HubSpot company for ${key}`);
  const record = harness.hubspot.portal(Number(PORTAL_ID)).objects.get("companies", id);
  if (record === undefined) throw new Error(`HubSpot company ${id} is missing`);
  return { id, name: record.values.get("name") ?? null, siren: record.values.get("siren") ?? null };
}

export function seedCompany(harness: BackendHarness, key: string): SeedCompany {
  const company = harness.book.companies.find((candidate) => candidate.key === key);
  if (company === undefined) throw new Error(`No book company ${key}`);
  return company;
}

/** Book companies with at least `minInvoices` documents whose HubSpot record has a SIREN. */
export function companiesWithSiren(harness: BackendHarness, minInvoices = 5): string[] {
  return harness.book.companies
    .filter((company) => hubspotCompany(harness, company.key).siren)
    .filter((company) => invoicesOf(harness, company.key).length >= minInvoices)
    .map((company) => company.key);
}

export function invoicesOf(harness: BackendHarness, key: string) {
  return harness.book.invoices.filter((invoice) => invoice.customerKey === key);
}

export function pennylaneCustomer(harness: BackendHarness, key: string): CustomerRecord {
  const customer = [...harness.pennylane.ledger.customers.values()].find(
    (candidate) => candidate.externalReference === `book-${key}`,
  );
  if (customer === undefined) throw new Error(`No Pennylane customer for ${key}`);
  return customer;
}

/** The Pennylane id of a book invoice (the emulator keeps `book-<key>` as its reference). */
export function pennylaneInvoiceId(harness: BackendHarness, invoiceKey: string): string {
  const found = [...harness.pennylane.ledger.invoices.values()].find(
    (candidate) => candidate.externalReference === `book-${invoiceKey}`,
  );
  if (found === undefined) throw new Error(`No Pennylane invoice for ${invoiceKey}`);
  return String(found.id);
}

export function providerCalls(harness: BackendHarness): number {
  return harness.pennylane.stats.totalRequests;
}

export function callsTo(harness: BackendHarness, endpoint: string): number {
  return harness.pennylane.stats.byEndpoint[endpoint] ?? 0;
}

/** Makes the customer's data look synced `secondsAgo` ago. */
export async function ageCustomerData(
  harness: BackendHarness,
  customerId: string,
  secondsAgo: number,
): Promise<void> {
  await harness.backend.repos.readModel.markFresh(
    PORTAL_ID,
    "pennylane",
    customerId,
    new Date(Date.now() - secondsAgo * 1000),
  );
}

export async function storedInvoice(
  harness: BackendHarness,
  invoiceId: string,
): Promise<Invoice | null> {
  return harness.backend.repos.readModel.getInvoice(PORTAL_ID, "pennylane", invoiceId);
}

/**
 * Another HubSpot account installing Encaisse: its own (empty) CRM and, when asked, its own
 * Pennylane connection (another token on the same emulated company).
 */
export async function installAnotherPortal(
  harness: BackendHarness,
  portalId: string,
  options: { pennylaneToken?: string } = {},
): Promise<void> {
  const { repos } = harness.backend;
  await repos.tenants.install(portalId);
  const installed = harness.hubspot.installApp(Number(portalId));
  await repos.credentials.save(portalId, "hubspot", {
    method: "oauth",
    tokens: {
      accessToken: installed.accessToken,
      refreshToken: installed.refreshToken,
      expiresAt: installed.expiresAt.getTime(),
      scope: installed.scopes.join(" "),
    },
  });
  if (options.pennylaneToken) {
    harness.pennylane.addApiToken(options.pennylaneToken);
    await repos.credentials.save(portalId, "pennylane", {
      method: "api_token",
      token: options.pennylaneToken,
    });
    await repos.tenants.setActiveProvider(portalId, "pennylane", null);
  }
}
