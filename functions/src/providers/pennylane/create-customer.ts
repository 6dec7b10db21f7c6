/**
 * Creates a company customer, exactly once per external reference (see exactly-once.ts).
 */
import { type Customer, normalizeIdentifier, sirenOfSiret } from "@encaisse/shared";
import type { NewCustomer } from "../provider";
import type { PennylaneApi } from "./api";
import { findCustomerByExternalReference } from "./customers";
import { createExactlyOnce } from "./exactly-once";
import { toCustomer } from "./mapping";
import { customerSchema } from "./schemas";

/** `payment_conditions` values the spec accepts; other terms go on each invoice's deadline. */
const PAYMENT_CONDITIONS: ReadonlySet<string> = new Set([
  "upon_receipt",
  "7_days",
  "15_days",
  "30_days",
  "30_days_end_of_month",
  "45_days",
  "45_days_end_of_month",
  "60_days",
]);

export function companyCustomerBody(input: NewCustomer): Record<string, unknown> {
  const { line1, line2, postalCode, city, countryCode } = input.billingAddress;
  const siren = input.siren ?? (input.siret ? sirenOfSiret(input.siret) : null);
  const emails = input.emails.map((email) => email.trim()).filter((email) => email !== "");
  return {
    name: input.name,
    billing_address: {
      address: line2 ? `${line1}\n${line2}` : line1,
      postal_code: postalCode,
      city,
      country_alpha2: countryCode,
    },
    external_reference: input.externalReference,
    ...(siren ? { reg_no: normalizeIdentifier(siren) } : {}),
    ...(input.vatNumber ? { vat_number: normalizeIdentifier(input.vatNumber) } : {}),
    ...(emails.length > 0 ? { emails } : {}),
    ...(input.paymentTerms && PAYMENT_CONDITIONS.has(input.paymentTerms)
      ? { payment_conditions: input.paymentTerms }
      : {}),
  };
}

/** POST /company_customers — https://pennylane.readme.io/reference/postcompanycustomer */
export function createCustomer(
  api: PennylaneApi,
  input: NewCustomer,
  connectionKey: string,
): Promise<Customer> {
  return createExactlyOnce({
    key: `${connectionKey}:customer:${input.externalReference}`,
    lookup: async () => {
      const customer = await findCustomerByExternalReference(api, input.externalReference);
      return customer === null ? null : toCustomer(customer);
    },
    create: async () =>
      toCustomer(
        await api.write("POST", "company_customers", customerSchema, companyCustomerBody(input)),
      ),
  });
}
