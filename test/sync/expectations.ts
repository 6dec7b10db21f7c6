/**
 * What "in sync" means, checked against the provider's book as it is now: the read model
 * holds every invoice of the book and nothing else, with the same facts and payments, and
 * every linked HubSpot company shows the rollups of its customer's invoices.
 */
import { and, eq } from "drizzle-orm";
import { expect } from "vitest";
import type { Invoice } from "@encaisse/shared";
import { ENCAISSE_PROPERTIES } from "../../functions/src/hubspot/properties";
import { invoices as invoicesTable } from "../../functions/src/store/schema";
import {
  type PropertyValues,
  companyPropertiesOf,
  dealIdOf,
  dealPropertiesFor,
} from "../../functions/src/sync/rollup-properties";
import { PORTAL_ID, type SyncHarness, parisToday } from "./harness";

const factsOf = (invoice: Invoice) => ({
  id: invoice.id,
  customerId: invoice.customerId,
  number: invoice.number,
  issueDate: invoice.issueDate,
  dueDate: invoice.dueDate,
  grossCents: invoice.grossCents,
  paidCents: invoice.paidCents,
  remainingCents: invoice.remainingCents,
  status: invoice.status,
  isCreditNote: invoice.isCreditNote,
  isCancelled: invoice.isCancelled,
  externalReference: invoice.externalReference,
  payments: [...invoice.payments]
    .map((payment) => ({ id: payment.id, date: payment.date, amountCents: payment.amountCents }))
    .sort((a, b) => a.id.localeCompare(b.id)),
});

export async function expectReadModelMatches(h: SyncHarness, truth: readonly Invoice[]) {
  const stored = await h.backend.store.db
    .select({ id: invoicesTable.id })
    .from(invoicesTable)
    .where(and(eq(invoicesTable.tenantId, PORTAL_ID), eq(invoicesTable.provider, h.providerName)));
  expect(stored.map((row) => row.id).sort()).toEqual(truth.map((invoice) => invoice.id).sort());
  const today = parisToday();
  for (const invoice of truth) {
    const held = await h.backend.repos.readModel.getInvoice(
      PORTAL_ID,
      h.providerName,
      invoice.id,
      today,
    );
    expect(held && factsOf(held)).toEqual(factsOf(invoice));
  }
}

const propertyTypes = new Map(
  Object.values(ENCAISSE_PROPERTIES)
    .flat()
    .map((property) => [property.name, property.type]),
);

/** A value as HubSpot hands it back: dates as YYYY-MM-DD, numbers without trailing zeros. */
export function asHubSpotHoldsIt(property: string, value: string | null): string | null {
  if (value === null || value === "") return null;
  switch (propertyTypes.get(property)) {
    case "date":
      return /^\d+$/.test(value) ? new Date(Number(value)).toISOString().slice(0, 10) : value;
    case "number":
      return value.includes(".") ? value.replace(/\.?0+$/, "") : value;
    default:
      return value;
  }
}

export function expectRecord(
  h: SyncHarness,
  objectType: "companies" | "deals",
  id: string,
  expected: PropertyValues,
) {
  const held = Object.fromEntries(
    Object.keys(expected).map((property) => [
      property,
      asHubSpotHoldsIt(property, h.hubspotValue(objectType, id, property)),
    ]),
  );
  const wanted = Object.fromEntries(
    Object.entries(expected).map(([property, value]) => [
      property,
      asHubSpotHoldsIt(property, value),
    ]),
  );
  expect({ objectType, id, ...held }).toEqual({ objectType, id, ...wanted });
}

/** Every linked company shows its customer's rollups; every deal its invoice. */
export function expectHubSpotMatches(h: SyncHarness, truth: readonly Invoice[]) {
  const today = parisToday();
  const byCustomer = new Map<string, Invoice[]>();
  for (const invoice of truth) {
    byCustomer.set(invoice.customerId, [...(byCustomer.get(invoice.customerId) ?? []), invoice]);
  }
  let companies = 0;
  for (const customerId of h.customerIds.values()) {
    const expected = companyPropertiesOf(byCustomer.get(customerId) ?? [], today);
    expectRecord(h, "companies", h.companyOfCustomer(customerId), expected);
    companies += 1;
  }
  expect(companies).toBe(h.book.companies.length);
  for (const invoice of truth) {
    const dealId = dealIdOf(invoice.externalReference);
    if (dealId !== null) expectRecord(h, "deals", dealId, dealPropertiesFor(invoice));
  }
}
