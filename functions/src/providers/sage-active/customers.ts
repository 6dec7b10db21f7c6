/**
 * Customers (reference §3). Sage has no external-reference field on customers, so ours is
 * stored as the customer's forced `code` (compacted, references.ts): `hubspot-company-42`
 * is code `HSC42`. Matching follows the product rule: SIREN/SIRET (`documentId`), then VAT
 * number, then our reference (code), never a bare name.
 * https://developer.sage.com/sageactive/ (customers, createCustomer)
 */
import { type Customer, type PaymentTerms, normalizeIdentifier } from "@encaisse/shared";
import type { Clock } from "../../net/clock";
import { ProviderError } from "../errors";
import type { CustomerLookup, NewCustomer, Page, PageRequest } from "../provider";
import type { SageGraphql } from "./graphql";
import { sageErrorKeys } from "./graphql-errors";
import { toCustomer } from "./mapping";
import {
  CREATE_CUSTOMER,
  CUSTOMERS,
  CUSTOMERS_BY_CODE,
  CUSTOMERS_BY_DOCUMENT_ID,
  CUSTOMERS_BY_VAT_NUMBER,
  CUSTOMER_BY_ID,
} from "./queries";
import { findEffect, outcomeUnknown, SingleFlight } from "./recovery";
import { SAGE_CUSTOMER_CODE_MAX_LENGTH, toSageReference } from "./references";
import { nextCursorOf, pageSize } from "./pagination";
import {
  createCustomerDataSchema,
  customerPageDataSchema,
  customersDataSchema,
  type SageCustomer,
} from "./schemas";

/** Field lengths of CustomerCreateGLDtoInput (reference §3.1). */
const MAX = { socialName: 70, line: 35, city: 35, zipCode: 9, email: 70 } as const;

const clip = (text: string, length: number) => text.trim().slice(0, length);

/** One instalment, the whole amount, `day` days after the invoice (END_OF_MONTH: then month end). */
export function sagePaymentTermLine(terms: PaymentTerms): Record<string, unknown> {
  const endOfMonth = /^(\d+)_days_end_of_month$/.exec(terms);
  const days = terms === "upon_receipt" ? 0 : Number((endOfMonth?.[1] ?? terms).split("_")[0]);
  return {
    order: 9999,
    type: "REMAINING_AMOUNT",
    value: 0,
    condition: endOfMonth ? "END_OF_MONTH" : "NONE",
    day: days,
  };
}

export function sageCustomerInput(
  input: NewCustomer,
  code: string | null,
): Record<string, unknown> {
  const address = input.billingAddress;
  const documentId = input.siret ?? input.siren;
  const emails = [...new Set(input.emails.map((email) => email.trim()).filter(Boolean))];
  return {
    ...(code === null ? {} : { code }),
    socialName: clip(input.name, MAX.socialName),
    customerType: "BUSINESS",
    countryAcronym: address.countryCode,
    ...(documentId ? { documentId } : {}),
    ...(input.vatNumber ? { vatNumber: normalizeIdentifier(input.vatNumber) } : {}),
    addresses: [
      {
        firstLine: clip(address.line1, MAX.line),
        ...(address.line2 ? { secondLine: clip(address.line2, MAX.line) } : {}),
        city: clip(address.city, MAX.city),
        zipCode: clip(address.postalCode, MAX.zipCode),
        countryIsoCodeAlpha2: address.countryCode,
      },
    ],
    ...(emails.length > 0
      ? {
          contacts: [
            {
              isDefaultCustomer: true,
              emails: emails.map((email, index) => ({
                emailAddress: clip(email, MAX.email),
                usage: "INVOICES",
                isDefault: index === 0,
              })),
            },
          ],
        }
      : {}),
    ...(input.paymentTerms ? { paymentTermLines: [sagePaymentTermLine(input.paymentTerms)] } : {}),
  };
}

function digitsOf(value: string | null | undefined): string {
  return (value ?? "").replace(/[\s.-]/g, "");
}

export class SageCustomers {
  private readonly creates = new SingleFlight<Customer>();

  constructor(
    private readonly graphql: SageGraphql,
    private readonly clock: Clock,
  ) {}

  async get(id: string): Promise<Customer> {
    const data = await this.graphql.run(CUSTOMER_BY_ID, { id }, customersDataSchema);
    const customer = data.customers.nodes[0];
    if (!customer) {
      throw new ProviderError(
        "PROVIDER_NOT_FOUND",
        "This customer no longer exists in Sage Active.",
        {
          provider: "sage_active",
          details: { customerId: id },
        },
      );
    }
    return toCustomer(customer);
  }

  /** One page of every customer, oldest first (up to 500 a page). */
  async list(page: PageRequest = {}): Promise<Page<Customer>> {
    const after = page.cursor ?? null;
    const data = await this.graphql.run(
      CUSTOMERS,
      { first: pageSize(page.limit), after },
      customerPageDataSchema,
    );
    return {
      items: data.customers.nodes.map(toCustomer),
      nextCursor: nextCursorOf(data.customers.pageInfo, after),
    };
  }

  /** The customers matching the first identifier that finds any: SIREN, VAT number, reference. */
  async find(lookup: CustomerLookup): Promise<readonly Customer[]> {
    const siren = digitsOf(lookup.siren);
    if (/^\d{9}(\d{5})?$/.test(siren)) {
      const found = await this.byDocumentId(siren);
      if (found.length > 0) return found.map(toCustomer);
    }
    if (lookup.vatNumber) {
      const found = await this.byVatNumber(lookup.vatNumber);
      if (found.length > 0) return found.map(toCustomer);
    }
    if (lookup.externalReference) {
      let code: string;
      try {
        code = toSageReference(lookup.externalReference, SAGE_CUSTOMER_CODE_MAX_LENGTH);
      } catch {
        return []; // A reference that cannot be a code was never stored as one.
      }
      return (await this.byCode(code)).map(toCustomer);
    }
    return [];
  }

  /** Returns the customer already carrying our reference or identifiers, else creates it. */
  async create(input: NewCustomer): Promise<Customer> {
    // Refused before anything is sent when it cannot fit (SAGE_REFERENCE_TOO_LONG).
    const code = toSageReference(input.externalReference, SAGE_CUSTOMER_CODE_MAX_LENGTH);
    return this.creates.run(code, async () => {
      const existing = await this.existing(input, code);
      if (existing) return toCustomer(existing);
      const id = await this.createOnce(input, code);
      return this.get(id);
    });
  }

  private async createOnce(input: NewCustomer, code: string): Promise<string> {
    try {
      return await this.send(input, code);
    } catch (error) {
      if (outcomeUnknown(error)) {
        const created = await findEffect(() => this.existing(input, code), this.clock);
        if (created) return created.id;
        throw error;
      }
      const keys = sageErrorKeys(error);
      if (keys.length === 0) throw error;
      // Duplicate SIREN, VAT number or code: someone filed this company meanwhile (a
      // colleague in Sage, another worker).
      const existing = await this.existing(input, code);
      if (existing) return existing.id;
      if (keys.some((key) => /code/i.test(key) && !/alreadyExist/i.test(key))) {
        // The organization refuses forced codes: file it under its own numbering. Retries
        // then find it by SIREN or VAT number instead.
        return this.send(input, null);
      }
      throw error;
    }
  }

  private async send(input: NewCustomer, code: string | null): Promise<string> {
    const data = await this.graphql.run(
      CREATE_CUSTOMER,
      { input: sageCustomerInput(input, code) },
      createCustomerDataSchema,
    );
    return data.createCustomer.id;
  }

  private async existing(input: NewCustomer, code: string): Promise<SageCustomer | null> {
    const byCode = await this.byCode(code);
    if (byCode[0]) return byCode[0];
    const documentId = digitsOf(input.siret ?? input.siren);
    if (documentId) {
      // The same SIRET, else the company filed under its bare SIREN; another establishment
      // (another SIRET) is another customer.
      const siren = documentId.slice(0, 9);
      const candidates = await this.byDocumentId(siren);
      const match =
        candidates.find((customer) => digitsOf(customer.documentId) === documentId) ??
        candidates.find((customer) => digitsOf(customer.documentId) === siren) ??
        (documentId === siren ? candidates[0] : undefined);
      if (match) return match;
    }
    if (input.vatNumber) {
      const byVat = await this.byVatNumber(input.vatNumber);
      if (byVat[0]) return byVat[0];
    }
    return null;
  }

  private async byDocumentId(documentId: string): Promise<SageCustomer[]> {
    const data = await this.graphql.run(
      CUSTOMERS_BY_DOCUMENT_ID,
      { documentId },
      customersDataSchema,
    );
    return data.customers.nodes.filter((customer) =>
      digitsOf(customer.documentId).startsWith(documentId),
    );
  }

  private async byVatNumber(vatNumber: string): Promise<SageCustomer[]> {
    const normalized = normalizeIdentifier(vatNumber);
    const data = await this.graphql.run(
      CUSTOMERS_BY_VAT_NUMBER,
      { vatNumber: normalized },
      customersDataSchema,
    );
    return data.customers.nodes;
  }

  private async byCode(code: string): Promise<SageCustomer[]> {
    const data = await this.graphql.run(CUSTOMERS_BY_CODE, { code }, customersDataSchema);
    return data.customers.nodes.filter(
      (customer) => customer.code?.toUpperCase() === code.toUpperCase(),
    );
  }
}
