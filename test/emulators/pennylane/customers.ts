/**
 * The customers file: company customers created through the API (or from a seed book) and
 * individuals seeded by tests. `external_reference` is unique: a second customer with the
 * same one is a 409, as in Pennylane.
 */
import { conflict, notFound } from "./errors";
import type { ChangeOperation } from "./changelog";
import type { CustomerRecord, PostalAddress } from "./records";
import type { CompanyCustomerCreate, CompanyCustomerUpdate } from "./request-bodies";

/** Pennylane generates an external reference when none is given; ours are stable per id. */
export const generatedReference = (id: number) =>
  `00000000-0000-4000-8000-${String(id).padStart(12, "0")}`;

export interface NewIndividualCustomer {
  readonly firstName: string;
  readonly lastName: string;
  readonly emails?: readonly string[];
  readonly billingAddress: PostalAddress;
  readonly externalReference?: string;
}

export class CustomerDirectory {
  readonly records = new Map<number, CustomerRecord>();
  private nextId = 1_001;

  constructor(
    private readonly nowIso: () => string,
    private readonly changed: (
      customer: CustomerRecord,
      operation: ChangeOperation,
      at: string,
    ) => void,
  ) {}

  createCompany(input: CompanyCustomerCreate, at = this.nowIso()): CustomerRecord {
    this.assertReferenceFree(input.external_reference, null);
    const id = this.nextId++;
    return this.store({
      id,
      kind: "company",
      name: input.name,
      firstName: "",
      lastName: "",
      regNo: input.reg_no ?? "",
      vatNumber: input.vat_number ?? "",
      emails: [...(input.emails ?? [])],
      phone: input.phone ?? "",
      recipient: input.recipient ?? "",
      reference: input.reference ?? null,
      notes: input.notes ?? null,
      billingIban: input.billing_iban ?? null,
      billingAddress: { ...input.billing_address },
      deliveryAddress: { ...(input.delivery_address ?? input.billing_address) },
      paymentConditions: input.payment_conditions ?? "30_days",
      externalReference: input.external_reference ?? generatedReference(id),
      billingLanguage: input.billing_language ?? "fr_FR",
      ledgerAccountId: 411_000_000 + id,
      createdAt: at,
      updatedAt: at,
    });
  }

  addIndividual(input: NewIndividualCustomer): CustomerRecord {
    this.assertReferenceFree(input.externalReference, null);
    const id = this.nextId++;
    const at = this.nowIso();
    return this.store({
      id,
      kind: "individual",
      name: `${input.firstName} ${input.lastName}`,
      firstName: input.firstName,
      lastName: input.lastName,
      regNo: "",
      vatNumber: "",
      emails: [...(input.emails ?? [])],
      phone: "",
      recipient: "",
      reference: null,
      notes: null,
      billingIban: null,
      billingAddress: { ...input.billingAddress },
      deliveryAddress: { ...input.billingAddress },
      paymentConditions: "30_days",
      externalReference: input.externalReference ?? generatedReference(id),
      billingLanguage: "fr_FR",
      ledgerAccountId: 411_000_000 + id,
      createdAt: at,
      updatedAt: at,
    });
  }

  updateCompany(id: number, input: CompanyCustomerUpdate): CustomerRecord {
    const customer = this.company(id);
    this.assertReferenceFree(input.external_reference, id);
    const changes: Partial<CustomerRecord> = {
      name: input.name,
      vatNumber: input.vat_number,
      regNo: input.reg_no,
      phone: input.phone,
      billingAddress: input.billing_address,
      deliveryAddress: input.delivery_address,
      paymentConditions: input.payment_conditions,
      billingIban: input.billing_iban,
      recipient: input.recipient,
      reference: input.reference,
      notes: input.notes,
      emails: input.emails === undefined ? undefined : [...input.emails],
      externalReference: input.external_reference,
      billingLanguage: input.billing_language,
    };
    for (const [key, value] of Object.entries(changes)) {
      if (value !== undefined) Object.assign(customer, { [key]: value });
    }
    customer.updatedAt = this.nowIso();
    this.changed(customer, "update", customer.updatedAt);
    return customer;
  }

  get(id: number): CustomerRecord {
    const customer = this.records.get(id);
    if (customer === undefined) throw notFound("Customer not found");
    return customer;
  }

  company(id: number): CustomerRecord {
    const customer = this.records.get(id);
    if (customer?.kind !== "company") throw notFound("Company customer not found");
    return customer;
  }

  private store(customer: CustomerRecord): CustomerRecord {
    this.records.set(customer.id, customer);
    this.changed(customer, "insert", customer.createdAt);
    return customer;
  }

  private assertReferenceFree(reference: string | undefined, selfId: number | null): void {
    if (reference === undefined) return;
    for (const customer of this.records.values()) {
      if (customer.externalReference === reference && customer.id !== selfId) {
        throw conflict(
          `A customer with external_reference "${reference}" already exists (id ${customer.id}).`,
        );
      }
    }
  }
}
