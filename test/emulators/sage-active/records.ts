/**
 * What the emulator stores per organization, and the reference data a new organization
 * starts with (tax groups, generic products, journals, bank and cash, numbering series).
 * Amounts are integer cents; quantities, prices and percentages exact decimal strings;
 * calendar dates "YYYY-MM-DD"; instants ISO strings.
 */
import type { CalendarDate, Cents, VatCode } from "@encaisse/shared";
import { DEFAULT_TAX_GROUP_CODE, SAGE_TAX_GROUPS, type SageTaxGroupDefinition } from "./tax-codes";

export const EMPTY_GUID = "00000000-0000-0000-0000-000000000000";

/** Deterministic version-4-shaped UUIDs, so a seeded sandbox keeps its ids across restarts. */
export class IdGenerator {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  private nextWord(): number {
    // mulberry32
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  next(): string {
    const hex = [0, 1, 2, 3].map(() => this.nextWord().toString(16).padStart(8, "0")).join("");
    const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}

export type OrganizationStatus =
  | "UNDEFINED"
  | "BLOCKED"
  | "CANCELLED"
  | "EXPIRED"
  | "NO_LICENSE"
  | "PENDING"
  | "READY"
  | "RESET"
  | "TRANSFERRING";

export interface AddressRecord {
  readonly id: string;
  readonly creationDate: string;
  readonly name: string | null;
  readonly firstLine: string | null;
  readonly secondLine: string | null;
  readonly city: string | null;
  readonly zipCode: string | null;
  readonly province: string | null;
  readonly countryIsoCodeAlpha2: string | null;
  readonly isMainAddress: boolean;
  readonly isDeliveryAddress: boolean;
  readonly isDefaultDeliveryAddress: boolean;
}

export interface ContactRecord {
  readonly id: string;
  readonly creationDate: string;
  readonly courtesy: string | null;
  readonly name: string | null;
  readonly surname: string | null;
  readonly jobName: string | null;
  readonly isDefaultCustomer: boolean;
  readonly emails: readonly {
    id: string;
    emailAddress: string;
    usage: string;
    isDefault: boolean;
  }[];
  readonly phones: readonly { id: string; number: string; type: string; isDefault: boolean }[];
}

export type PaymentTermLineType = "NONE" | "FIXED_AMOUNT" | "PERCENTAGE" | "REMAINING_AMOUNT";
export type PaymentTermCondition = "NONE" | "DAY_OF_PAYMENT" | "END_OF_MONTH";

export interface PaymentTermLineRecord {
  readonly id: string;
  readonly order: number;
  readonly type: PaymentTermLineType;
  /** Percentage or amount as an exact decimal string. */
  readonly value: string;
  readonly condition: PaymentTermCondition;
  readonly day: number;
  readonly payDays: readonly number[];
  readonly paymentMeanId: string | null;
}

export interface CustomerRecord {
  readonly id: string;
  readonly creationDate: string;
  modificationDate: string;
  readonly sourceType: "GLOBAL" | "IMPORT_FILES" | "PUBLIC_API";
  readonly code: string;
  readonly socialName: string;
  readonly tradeName: string | null;
  readonly customerType: "BUSINESS" | "INDIVIDUAL";
  readonly countryAcronym: string;
  readonly documentTypeId: string;
  readonly documentId: string | null;
  readonly vatNumber: string | null;
  readonly nafApeCode: string | null;
  readonly comments: string | null;
  readonly documentLanguage: string;
  readonly specialMention: string | null;
  readonly eInvoicingAddressType: string | null;
  readonly eInvoicingAddress: string | null;
  readonly disabled: boolean;
  readonly addresses: readonly AddressRecord[];
  readonly contacts: readonly ContactRecord[];
  readonly paymentTermLines: readonly PaymentTermLineRecord[];
}

export interface SalesAddress {
  readonly name: string | null;
  readonly firstLine: string | null;
  readonly secondLine: string | null;
  readonly city: string | null;
  readonly zipCode: string | null;
  readonly province: string | null;
  readonly countryIsoCodeAlpha2: string | null;
}

export interface InvoiceLineRecord {
  readonly id: string;
  readonly creationDate: string;
  readonly order: number;
  readonly productId: string;
  readonly productCode: string;
  readonly productName: string;
  /** Negative on credit notes. */
  readonly quantity: string;
  readonly unitPrice: string;
  readonly discountPercent: string;
  readonly vatCode: VatCode;
  readonly taxId: string;
  /** quantity x unit price, before discount. */
  readonly grossBeforeDiscountCents: Cents;
  readonly netCents: Cents;
  readonly vatCents: Cents;
  /** Quantity already credited by credit notes (positive). */
  creditedQuantity: string;
  /** On a credit note: the credited line of the source invoice. */
  readonly sourceLineId: string | null;
}

export type SalesInvoiceStatus =
  "Pending" | "Closed" | "Posted" | "PartiallyCollected" | "Collected";

export interface InvoiceRecord {
  readonly id: string;
  readonly creationDate: string;
  modificationDate: string;
  readonly sourceType: "SALES" | "PUBLIC_API";
  readonly type: "NORMAL" | "CREDIT_NOTE";
  readonly customerId: string;
  operationalNumber: string | null;
  readonly seriesId: string;
  readonly documentDate: CalendarDate;
  readonly operationDate: CalendarDate | null;
  readonly firstDueDate: CalendarDate;
  status: SalesInvoiceStatus;
  readonly socialName: string;
  readonly documentId: string | null;
  readonly documentTypeId: string;
  readonly vatNumber: string | null;
  readonly countryAcronym: string;
  readonly mainAddress: SalesAddress | null;
  readonly deliveryAddress: SalesAddress | null;
  readonly documentLanguage: string;
  readonly comments: string | null;
  readonly remarks: string | null;
  readonly externalReference: string | null;
  readonly salesOrderNumber: string | null;
  readonly specialMention: string | null;
  readonly canGeneratePaymentLink: boolean;
  readonly invoiceEmail: string | null;
  readonly shouldSendViaElectronicInvoicing: boolean;
  readonly eInvoicingAddressTypeCustomer: string | null;
  readonly eInvoicingAddressCustomer: string | null;
  readonly regulatoryBillingFramework: string | null;
  readonly paymentTermLines: readonly PaymentTermLineRecord[];
  readonly lines: readonly InvoiceLineRecord[];
  readonly totals: {
    readonly grossBeforeDiscountCents: Cents;
    readonly netCents: Cents;
    readonly vatCents: Cents;
  };
  /** The instalments posting will create; the first one's date is firstDueDate. */
  readonly plan: readonly Instalment[];
  openItemIds: string[];
  hasCreditNote: boolean;
  readonly sourceSalesInvoiceId: string | null;
  postingEntryId: string | null;
  /** Matching of the invoice's customer line with its settlements. */
  match: { readonly matchId: string; readonly letterIndex: number } | null;
  /** The entry lines moving this invoice's customer account: posting, then settlements. */
  readonly customerLines: { readonly entryId: string; readonly lineId: string }[];
}

export interface Instalment {
  readonly dueDate: CalendarDate;
  readonly amountCents: Cents;
  readonly paymentMeanId: string | null;
}

export interface OpenItemRecord {
  readonly id: string;
  readonly creationDate: string;
  /** Null until first updated (§5.1). */
  modificationDate: string | null;
  readonly invoiceId: string;
  readonly amountCents: Cents;
  paidCents: Cents;
  readonly dueDate: CalendarDate;
  readonly paymentMeanId: string | null;
}

export interface EntryPaymentRecord {
  readonly id: string;
  readonly creationDate: string;
  modificationDate: string;
  matchId: string;
  matchingLetter: string;
  matching: "FULL_MATCH" | "PARTIAL_MATCH";
}

export interface EntryLineRecord {
  readonly id: string;
  readonly creationDate: string;
  readonly order: number;
  readonly documentNumber: string | null;
  readonly description: string | null;
  readonly debitCents: Cents;
  readonly creditCents: Cents;
  readonly customerId: string | null;
  /** The invoice whose customer account the line moves (customer lines only). */
  readonly invoiceId: string | null;
  payment: EntryPaymentRecord | null;
}

export interface EntryRecord {
  readonly id: string;
  readonly creationDate: string;
  readonly sourceType: "SALES" | "BANKING" | "PUBLIC_API";
  readonly date: CalendarDate;
  readonly journalTypeId: string;
  readonly number: number;
  readonly documentNumber: string | null;
  readonly description: string | null;
  readonly salesInvoiceId: string | null;
  readonly lines: readonly EntryLineRecord[];
}

export interface ProductRecord {
  readonly id: string;
  readonly creationDate: string;
  readonly code: string;
  readonly name: string;
  readonly category: "PRODUCT" | "SERVICE" | "CONCEPT";
  readonly salesUnitPrice: string;
  readonly taxGroupId: string;
}

export interface TaxGroupRecord {
  readonly id: string;
  readonly taxId: string;
  readonly definition: SageTaxGroupDefinition;
}

export interface JournalTypeRecord {
  readonly id: string;
  readonly code: string;
  readonly name: string;
  readonly type: "FINANCIAL" | "GENERAL" | "SALES_INVOICE" | "PURCHASE_INVOICE";
  readonly deactivated: boolean;
}

export interface PaymentMethodRecord {
  readonly id: string;
  readonly name: string;
  readonly type: "BANK_ACCOUNT" | "CASH";
  readonly journalTypeId: string;
  readonly subAccountId: string;
}

export interface PaymentMeanRecord {
  readonly id: string;
  readonly description: string;
  readonly type: "UNDEFINED" | "PAYMENT_IN";
}

/** A numbering series: operationalNumber = text + counter zero-padded to `padding`. */
export interface SeriesRecord {
  readonly id: string;
  text: string;
  padding: number;
  nextNumber: number;
}

export interface OrganizationRecord {
  readonly id: string;
  readonly socialName: string;
  readonly status: OrganizationStatus;
  readonly onboardingCompleted: boolean;
  readonly creationDate: string;
  readonly documentId: string;
  readonly vatNumber: string;
  readonly nafApeCode: string;
  readonly currencyId: string;
  readonly address: {
    firstLine: string;
    city: string;
    zipCode: string;
    countryIsoCodeAlpha2: string;
  };
}

export interface OrganizationData {
  readonly organization: OrganizationRecord;
  readonly salesSetupId: string;
  readonly documentTypes: { readonly siret: string; readonly vies: string; readonly other: string };
  readonly taxGroups: readonly TaxGroupRecord[];
  readonly journalTypes: readonly JournalTypeRecord[];
  readonly salesJournalId: string;
  readonly paymentMethods: readonly PaymentMethodRecord[];
  readonly paymentMeans: readonly PaymentMeanRecord[];
  readonly invoiceSeries: SeriesRecord;
  readonly creditNoteSeries: SeriesRecord;
  readonly customers: Map<string, CustomerRecord>;
  readonly products: Map<string, ProductRecord>;
  readonly invoices: Map<string, InvoiceRecord>;
  readonly openItems: Map<string, OpenItemRecord>;
  readonly entries: Map<string, EntryRecord>;
  readonly counters: { customerCode: number; entryNumber: number; matchLetter: number };
}

export interface NewOrganization {
  readonly socialName: string;
  readonly status?: OrganizationStatus;
  readonly onboardingCompleted?: boolean;
  readonly documentId?: string;
  readonly vatNumber?: string;
}

/** A fresh organization with the reference data a French Sage Active company starts with. */
export function seedOrganization(
  ids: IdGenerator,
  now: string,
  spec: NewOrganization,
): OrganizationData {
  const taxGroups = SAGE_TAX_GROUPS.map((definition) => ({
    id: ids.next(),
    taxId: ids.next(),
    definition,
  }));
  const sales: JournalTypeRecord = {
    id: ids.next(),
    code: "VTE",
    name: "Ventes",
    type: "SALES_INVOICE",
    deactivated: false,
  };
  const bank: JournalTypeRecord = {
    id: ids.next(),
    code: "BQ1",
    name: "Banque",
    type: "FINANCIAL",
    deactivated: false,
  };
  const cash: JournalTypeRecord = {
    id: ids.next(),
    code: "CAI",
    name: "Caisse",
    type: "FINANCIAL",
    deactivated: false,
  };
  const general: JournalTypeRecord = {
    id: ids.next(),
    code: "OD",
    name: "Opérations diverses",
    type: "GENERAL",
    deactivated: false,
  };
  const products = new Map<string, ProductRecord>();
  for (const group of taxGroups) {
    const product: ProductRecord = {
      id: ids.next(),
      creationDate: now,
      code: `PRESTA-${group.definition.code}`,
      name: `Prestation (${group.definition.name})`,
      category: "SERVICE",
      salesUnitPrice: "0",
      taxGroupId: group.id,
    };
    products.set(product.id, product);
  }
  const defaultGroup = taxGroups.find((group) => group.definition.code === DEFAULT_TAX_GROUP_CODE);
  if (defaultGroup) {
    const product: ProductRecord = {
      id: ids.next(),
      creationDate: now,
      code: "PRESTATION",
      name: "Prestation de services",
      category: "SERVICE",
      salesUnitPrice: "0",
      taxGroupId: defaultGroup.id,
    };
    products.set(product.id, product);
  }
  return {
    organization: {
      id: ids.next(),
      socialName: spec.socialName,
      status: spec.status ?? "READY",
      onboardingCompleted: spec.onboardingCompleted ?? true,
      creationDate: now,
      documentId: spec.documentId ?? "552100554",
      vatNumber: spec.vatNumber ?? "FR82552100554",
      nafApeCode: "6201Z",
      currencyId: ids.next(),
      address: {
        firstLine: "12 rue de la Paix",
        city: "PARIS",
        zipCode: "75002",
        countryIsoCodeAlpha2: "FR",
      },
    },
    salesSetupId: ids.next(),
    documentTypes: { siret: ids.next(), vies: ids.next(), other: ids.next() },
    taxGroups,
    journalTypes: [sales, bank, cash, general],
    salesJournalId: sales.id,
    paymentMethods: [
      {
        id: ids.next(),
        name: "Banque principale",
        type: "BANK_ACCOUNT",
        journalTypeId: bank.id,
        subAccountId: ids.next(),
      },
      {
        id: ids.next(),
        name: "Caisse",
        type: "CASH",
        journalTypeId: cash.id,
        subAccountId: ids.next(),
      },
    ],
    paymentMeans: [
      { id: ids.next(), description: "Virement", type: "UNDEFINED" },
      { id: ids.next(), description: "Chèque", type: "UNDEFINED" },
      { id: ids.next(), description: "Prélèvement", type: "UNDEFINED" },
      { id: ids.next(), description: "Paiement en ligne", type: "PAYMENT_IN" },
    ],
    invoiceSeries: { id: ids.next(), text: "", padding: 4, nextNumber: 1 },
    creditNoteSeries: { id: ids.next(), text: "AV", padding: 4, nextNumber: 1 },
    customers: new Map(),
    products,
    invoices: new Map(),
    openItems: new Map(),
    entries: new Map(),
    counters: { customerCode: 1, entryNumber: 1, matchLetter: 0 },
  };
}

/** Open-item status from what was paid (§5.1). */
export function openItemStatus(item: OpenItemRecord): "NOT_SPECIFIED" | "PARTIAL" | "COLLECTED" {
  if (item.paidCents === 0) return "NOT_SPECIFIED";
  return item.paidCents === item.amountCents ? "COLLECTED" : "PARTIAL";
}

export function formatSeriesNumber(series: SeriesRecord, value: number): string {
  return `${series.text}${String(value).padStart(series.padding, "0")}`;
}

/** a, b, ... z, aa, ab ...: the matching letter of the n-th match group (0-based). */
export function matchingLetter(index: number): string {
  let letters = "";
  let rest = index;
  do {
    letters = String.fromCharCode(97 + (rest % 26)) + letters;
    rest = Math.floor(rest / 26) - 1;
  } while (rest >= 0);
  return letters;
}
