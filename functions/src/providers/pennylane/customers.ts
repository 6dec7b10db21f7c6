/**
 * Finding and reading customers.
 *
 * `GET /customers` filters on `reg_no` (the SIREN) and `external_reference`, so those are
 * asked of Pennylane directly; a French VAT number contains the SIREN and is looked up
 * through it. `vat_number` itself is not filterable: only when nothing else matched do we
 * walk the company customers (100 per request) and compare VAT numbers here.
 */
import type { z } from "zod";
import {
  type Customer,
  formatSiren,
  normalizeIdentifier,
  validateSiren,
  validateVatNumber,
} from "@encaisse/shared";
import type { CustomerLookup, Page, PageRequest } from "../provider";
import { type FilterCondition, MAX_PAGE_SIZE, type PennylaneApi, listParams } from "./api";
import { toCustomer } from "./mapping";
import { type PennylaneCustomer, customerPageSchema, customerSchema } from "./schemas";

const CUSTOMERS = "customers";

/** GET /customers — https://pennylane.readme.io/reference/getcustomers */
function listAllCustomers(
  api: PennylaneApi,
  filter: readonly FilterCondition[],
): Promise<PennylaneCustomer[]> {
  return api.all(CUSTOMERS, customerSchema, { filter, sort: "id" });
}

/** GET /customers/{id} — https://pennylane.readme.io/reference/getcustomer */
export async function getCustomer(api: PennylaneApi, id: string): Promise<Customer> {
  return toCustomer(await api.get(`${CUSTOMERS}/${encodeURIComponent(id)}`, customerSchema));
}

export async function findCustomerByExternalReference(
  api: PennylaneApi,
  externalReference: string,
): Promise<PennylaneCustomer | null> {
  const [customer] = await listAllCustomers(api, [
    { field: "external_reference", operator: "eq", value: externalReference },
  ]);
  return customer ?? null;
}

function sirensOf(lookup: CustomerLookup): string[] {
  const sirens = new Set<string>();
  if (lookup.siren) {
    const siren = validateSiren(lookup.siren);
    if (siren.ok) sirens.add(siren.value);
  }
  if (lookup.vatNumber) {
    const vat = validateVatNumber(lookup.vatNumber);
    if (vat.ok && vat.value.siren !== null) sirens.add(vat.value.siren);
  }
  return [...sirens];
}

/** Candidates for `matchCustomer`: anyone sharing a SIREN, the VAT number or our reference. */
export async function findCustomers(
  api: PennylaneApi,
  lookup: CustomerLookup,
): Promise<Customer[]> {
  const found = new Map<number, PennylaneCustomer>();
  const keep = (customers: readonly PennylaneCustomer[]) => {
    for (const customer of customers) found.set(customer.id, customer);
  };
  const sirens = sirensOf(lookup);
  if (sirens.length > 0) {
    // Books hold SIRENs as typed, compact or spaced the way the register prints them.
    const spellings = sirens.flatMap((siren) => [siren, formatSiren(siren)]);
    keep(await listAllCustomers(api, [{ field: "reg_no", operator: "in", value: spellings }]));
  }
  const externalReference = lookup.externalReference?.trim();
  if (externalReference) {
    keep(
      await listAllCustomers(api, [
        { field: "external_reference", operator: "eq", value: externalReference },
      ]),
    );
  }
  const vat = lookup.vatNumber ? validateVatNumber(lookup.vatNumber) : null;
  if (vat?.ok && found.size === 0) {
    const companies = await listAllCustomers(api, [
      { field: "customer_type", operator: "eq", value: "company" },
    ]);
    keep(
      companies.filter(
        (customer) => normalizeIdentifier(customer.vat_number ?? "") === vat.value.vatNumber,
      ),
    );
  }
  return [...found.values()].sort((a, b) => a.id - b.id).map(toCustomer);
}

/**
 * GET /customers, one page in id order (100 at most), for a backfill. The names are
 * remembered, so the invoices read next need no lookup.
 */
export async function listCustomers(
  api: PennylaneApi,
  names: CustomerNames,
  page: PageRequest = {},
): Promise<Page<Customer>> {
  const answer = await api.get(
    CUSTOMERS,
    customerPageSchema,
    listParams({ sort: "id", cursor: page.cursor ?? null, limit: page.limit ?? MAX_PAGE_SIZE }),
  );
  for (const customer of answer.items) names.remember(customer);
  return {
    items: answer.items.map(toCustomer),
    nextCursor: answer.has_more ? answer.next_cursor : null,
  };
}

/**
 * How far a backfill reads the customer directory before falling back to lookups by id.
 * Looking names up page by page costs one request per invoice page until every customer
 * has been seen (85 requests for 10,000 invoices over 1,000 customers); the directory costs
 * one request per 100 customers, once (10). The cap bounds what a book with a huge
 * directory and few invoices can lose: 20 requests, 4 s of Pennylane's budget.
 */
const DIRECTORY_PAGES_AT_MOST = 20;

/**
 * Customer names for invoices, which only carry the customer's id: one request per 100
 * unknown ids, remembered for the life of the client.
 */
export class CustomerNames {
  private readonly names = new Map<number, string>();

  remember(customer: PennylaneCustomer): void {
    this.names.set(customer.id, toCustomer(customer).name);
  }

  nameOf(id: number): string {
    return this.names.get(id) ?? "";
  }

  knowsAll(ids: Iterable<number>): boolean {
    for (const id of ids) if (!this.names.has(id)) return false;
    return true;
  }

  /** Reads the directory, 100 customers per request, up to `maxPages` requests. */
  async loadDirectory(api: PennylaneApi, maxPages = DIRECTORY_PAGES_AT_MOST): Promise<void> {
    let cursor: string | null = null;
    for (let page = 0; page < maxPages; page += 1) {
      const answer: z.infer<typeof customerPageSchema> = await api.get(
        CUSTOMERS,
        customerPageSchema,
        listParams({ sort: "id", cursor, limit: MAX_PAGE_SIZE }),
      );
      for (const customer of answer.items) this.remember(customer);
      if (!answer.has_more || answer.next_cursor === null) return;
      cursor = answer.next_cursor;
    }
  }

  async load(api: PennylaneApi, ids: Iterable<number>): Promise<void> {
    const missing = [...new Set(ids)].filter((id) => !this.names.has(id));
    for (let start = 0; start < missing.length; start += 100) {
      const batch = missing.slice(start, start + 100).map(String);
      const customers = await listAllCustomers(api, [
        { field: "id", operator: "in", value: batch },
      ]);
      for (const customer of customers) this.remember(customer);
    }
  }
}
