/**
 * Customer and product rules (§3, §4.5): required fields, lengths, automatic codes,
 * duplicates of SIREN/SIRET and VAT number inside the organization.
 */
import { BUSINESS_ERRORS, fail, FailureList } from "./business-errors";
import { compareDecimals, normalizeDecimal } from "./decimals";
import type {
  AddressRecord,
  ContactRecord,
  CustomerRecord,
  IdGenerator,
  OrganizationData,
  PaymentTermLineRecord,
  ProductRecord,
} from "./records";
import { isEuropeanUnionCountry } from "./tax-codes";

export interface AddressInput {
  readonly name?: string | null;
  readonly firstLine?: string | null;
  readonly secondLine?: string | null;
  readonly city?: string | null;
  readonly zipCode?: string | null;
  readonly province?: string | null;
  readonly countryIsoCodeAlpha2?: string | null;
  readonly isDeliveryAddress?: boolean | null;
  readonly isDefaultDeliveryAddress?: boolean | null;
}

export interface ContactInput {
  readonly courtesy?: string | null;
  readonly name?: string | null;
  readonly surname?: string | null;
  readonly jobName?: string | null;
  readonly isDefaultCustomer?: boolean | null;
  readonly emails?:
    readonly { emailAddress: string; usage?: string | null; isDefault?: boolean | null }[] | null;
  readonly phones?:
    readonly { number: string; type?: string | null; isDefault?: boolean | null }[] | null;
}

export interface PaymentTermLineInput {
  readonly order: number;
  readonly type: PaymentTermLineRecord["type"];
  readonly value: string;
  readonly condition?: PaymentTermLineRecord["condition"] | null;
  readonly day?: number | null;
  readonly payDays?: readonly number[] | null;
  readonly paymentMeanId?: string | null;
}

export interface CustomerInput {
  readonly code?: string | null;
  readonly socialName: string;
  readonly tradeName?: string | null;
  readonly customerType?: CustomerRecord["customerType"] | null;
  readonly countryAcronym?: string | null;
  readonly documentId?: string | null;
  readonly vatNumber?: string | null;
  readonly nafApeCode?: string | null;
  readonly comments?: string | null;
  readonly documentLanguage?: string | null;
  readonly specialMention?: string | null;
  readonly eInvoicingAddressType?: string | null;
  readonly eInvoicingAddress?: string | null;
  readonly addresses?: readonly AddressInput[] | null;
  readonly contacts?: readonly ContactInput[] | null;
  readonly paymentTermLines?: readonly PaymentTermLineInput[] | null;
}

const same = (a: string | null | undefined, b: string | null | undefined) =>
  !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

const blankToNull = (value: string | null | undefined): string | null =>
  value === null || value === undefined || value.trim() === "" ? null : value.trim();

/** Checks payment term lines (§3.3): REMAINING_AMOUNT last with order 9999, 0-100 %. */
export function paymentTermLinesOf(
  ids: IdGenerator,
  failures: FailureList,
  input: readonly PaymentTermLineInput[] | null | undefined,
): PaymentTermLineRecord[] {
  const lines = [...(input ?? [])].sort((a, b) => a.order - b.order);
  for (const [index, line] of lines.entries()) {
    const isLast = index === lines.length - 1;
    if (line.type === "REMAINING_AMOUNT" && (!isLast || line.order !== 9999)) {
      failures.add(
        BUSINESS_ERRORS.invalidPaymentTerms,
        "REMAINING_AMOUNT must be the last line, with order 9999",
      );
    }
    if (
      line.type === "PERCENTAGE" &&
      (compareDecimals(line.value, "0") < 0 || compareDecimals(line.value, "100") > 0)
    ) {
      failures.add(BUSINESS_ERRORS.invalidPaymentTerms, "a percentage is between 0 and 100");
    }
    if ((line.day ?? 0) < 0)
      failures.add(BUSINESS_ERRORS.invalidPaymentTerms, "day cannot be negative");
  }
  return lines.map((line) => ({
    id: ids.next(),
    order: line.order,
    type: line.type,
    value: normalizeDecimal(line.value),
    condition: line.condition ?? "NONE",
    day: line.day ?? 0,
    payDays: line.payDays ?? [],
    paymentMeanId: line.paymentMeanId ?? null,
  }));
}

function checkAddress(failures: FailureList, address: AddressInput, index: number): void {
  const at = `addresses[${index}]`;
  failures.maxLength(`${at}.name`, address.name, 50);
  failures.maxLength(`${at}.firstLine`, address.firstLine, 35);
  failures.maxLength(`${at}.secondLine`, address.secondLine, 35);
  failures.maxLength(`${at}.city`, address.city, 35);
  failures.maxLength(`${at}.zipCode`, address.zipCode, 9);
  failures.maxLength(`${at}.province`, address.province, 25);
  failures.maxLength(`${at}.countryIsoCodeAlpha2`, address.countryIsoCodeAlpha2, 2);
}

function nextCustomerCode(org: OrganizationData): string {
  for (;;) {
    const code = `C${String(org.counters.customerCode).padStart(5, "0")}`;
    org.counters.customerCode += 1;
    if (![...org.customers.values()].some((customer) => same(customer.code, code))) return code;
  }
}

export function createCustomer(
  org: OrganizationData,
  ids: IdGenerator,
  now: string,
  input: CustomerInput,
  sourceType: CustomerRecord["sourceType"] = "PUBLIC_API",
): CustomerRecord {
  const failures = new FailureList();
  const existing = [...org.customers.values()];
  const documentId = blankToNull(input.documentId);
  const vatNumber = blankToNull(input.vatNumber)?.replace(/\s+/g, "") ?? null;
  const forcedCode = blankToNull(input.code);
  failures.maxLength("socialName", input.socialName, 70);
  failures.maxLength("tradeName", input.tradeName, 70);
  failures.maxLength("code", forcedCode, 17);
  failures.maxLength("documentId", documentId, 25);
  failures.maxLength("vatNumber", vatNumber, 25);
  failures.maxLength("nafApeCode", input.nafApeCode, 7);
  failures.maxLength("comments", input.comments, 2000);
  failures.maxLength("specialMention", input.specialMention, 250);
  if (input.socialName.trim() === "") failures.add(BUSINESS_ERRORS.requiredField, "socialName");
  if (forcedCode !== null && /\s/.test(input.code ?? ""))
    failures.add(BUSINESS_ERRORS.codeWithBlankSpaces, "code");
  if (forcedCode !== null && existing.some((customer) => same(customer.code, forcedCode))) {
    failures.add(BUSINESS_ERRORS.codeAlreadyExists, forcedCode);
  }
  const addresses = input.addresses ?? [];
  if (addresses.length === 0) failures.add(BUSINESS_ERRORS.addressRequired, "addresses");
  addresses.forEach((address, index) => checkAddress(failures, address, index));
  if (documentId !== null && existing.some((customer) => same(customer.documentId, documentId))) {
    failures.add(BUSINESS_ERRORS.documentIdAlreadyExists, documentId);
  }
  if (vatNumber !== null && existing.some((customer) => same(customer.vatNumber, vatNumber))) {
    failures.add(BUSINESS_ERRORS.vatNumberAlreadyExists, vatNumber);
  }
  const paymentTermLines = paymentTermLinesOf(ids, failures, input.paymentTermLines);
  failures.throwIfAny();

  const country = (
    blankToNull(input.countryAcronym) ??
    blankToNull(addresses[0]?.countryIsoCodeAlpha2) ??
    "FR"
  ).toUpperCase();
  const documentTypeId =
    country === "FR"
      ? org.documentTypes.siret
      : isEuropeanUnionCountry(country)
        ? org.documentTypes.vies
        : org.documentTypes.other;
  const addressRecords: AddressRecord[] = addresses.map((address, index) => ({
    id: ids.next(),
    creationDate: now,
    name: blankToNull(address.name),
    firstLine: blankToNull(address.firstLine),
    secondLine: blankToNull(address.secondLine),
    city: blankToNull(address.city),
    zipCode: blankToNull(address.zipCode),
    province: blankToNull(address.province),
    countryIsoCodeAlpha2: (blankToNull(address.countryIsoCodeAlpha2) ?? country).toUpperCase(),
    isMainAddress: index === 0,
    isDeliveryAddress: address.isDeliveryAddress ?? false,
    isDefaultDeliveryAddress: address.isDefaultDeliveryAddress ?? false,
  }));
  const contacts: ContactRecord[] = (input.contacts ?? []).map((contact, index) => ({
    id: ids.next(),
    creationDate: now,
    courtesy: contact.courtesy ?? null,
    name: blankToNull(contact.name),
    surname: blankToNull(contact.surname),
    jobName: blankToNull(contact.jobName),
    isDefaultCustomer: contact.isDefaultCustomer ?? index === 0,
    emails: (contact.emails ?? []).map((email, position) => ({
      id: ids.next(),
      emailAddress: email.emailAddress,
      usage: email.usage ?? "NOT_SET",
      isDefault: email.isDefault ?? position === 0,
    })),
    phones: (contact.phones ?? []).map((phone, position) => ({
      id: ids.next(),
      number: phone.number,
      type: phone.type ?? "NOT_SET",
      isDefault: phone.isDefault ?? position === 0,
    })),
  }));
  const customer: CustomerRecord = {
    id: ids.next(),
    creationDate: now,
    modificationDate: now,
    sourceType,
    code: forcedCode ?? nextCustomerCode(org),
    socialName: input.socialName.trim(),
    tradeName: blankToNull(input.tradeName),
    customerType: input.customerType ?? "BUSINESS",
    countryAcronym: country,
    documentTypeId,
    documentId,
    vatNumber,
    nafApeCode: blankToNull(input.nafApeCode),
    comments: blankToNull(input.comments),
    documentLanguage: input.documentLanguage ?? "FRENCH",
    specialMention: blankToNull(input.specialMention),
    eInvoicingAddressType: blankToNull(input.eInvoicingAddressType),
    eInvoicingAddress: blankToNull(input.eInvoicingAddress),
    disabled: false,
    addresses: addressRecords,
    contacts,
    paymentTermLines,
  };
  org.customers.set(customer.id, customer);
  return customer;
}

export interface ProductInput {
  readonly code: string;
  readonly name: string;
  readonly category?: ProductRecord["category"] | null;
  readonly salesUnitPrice?: string | null;
  readonly taxGroupId?: string | null;
}

export function createProduct(
  org: OrganizationData,
  ids: IdGenerator,
  now: string,
  input: ProductInput,
): ProductRecord {
  const failures = new FailureList();
  failures.maxLength("code", input.code, 15);
  failures.maxLength("name", input.name, 50);
  if (/\s/.test(input.code)) failures.add(BUSINESS_ERRORS.codeWithBlankSpaces, "code");
  if ([...org.products.values()].some((product) => same(product.code, input.code))) {
    failures.add(BUSINESS_ERRORS.codeAlreadyExists, input.code);
  }
  const defaultGroup =
    org.taxGroups.find((group) => group.definition.code === "TVA20") ?? org.taxGroups[0];
  const taxGroupId = input.taxGroupId ?? defaultGroup?.id;
  if (!taxGroupId || !org.taxGroups.some((group) => group.id === taxGroupId)) {
    failures.add(BUSINESS_ERRORS.taxGroupNotFound, input.taxGroupId ?? "taxGroupId");
  }
  failures.throwIfAny();
  const product: ProductRecord = {
    id: ids.next(),
    creationDate: now,
    code: input.code,
    name: input.name,
    category: input.category ?? "PRODUCT",
    salesUnitPrice: normalizeDecimal(input.salesUnitPrice ?? "0"),
    taxGroupId: taxGroupId ?? fail(BUSINESS_ERRORS.taxGroupNotFound),
  };
  org.products.set(product.id, product);
  return product;
}
