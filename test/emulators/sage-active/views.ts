/**
 * Records as the API shows them: plain objects shaped like the SDL types, with Decimal
 * values as exact decimal strings and DataLoader links (customer, salesInvoice, ...) as
 * getters. The same objects are filtered, sorted and then serialised, so a `where` on
 * `customer: { socialName: ... }` sees exactly what a query would select.
 */
import { centsToDecimalString, chargedRateOf, type Cents } from "@encaisse/shared";
import { subtractDecimals } from "./decimals";
import {
  type AddressRecord,
  type CustomerRecord,
  EMPTY_GUID,
  type EntryLineRecord,
  type EntryPaymentRecord,
  type EntryRecord,
  type InvoiceLineRecord,
  type InvoiceRecord,
  type OpenItemRecord,
  openItemStatus,
  type OrganizationData,
  type PaymentTermLineRecord,
  type ProductRecord,
  type SalesAddress,
  type TaxGroupRecord,
} from "./records";
import { isEuropeanUnionCountry } from "./tax-codes";

const amount = (cents: Cents): string => centsToDecimalString(cents);

const regionNames = new Intl.DisplayNames(["fr"], { type: "region" });

function countryNameOf(code: string | null): string | null {
  if (!code) return null;
  try {
    return regionNames.of(code === "XI" ? "GB" : code) ?? null;
  } catch {
    return null;
  }
}

function viesCodeOf(country: string): string | null {
  if (country === "GR") return "EL";
  return country === "FR" || isEuropeanUnionCountry(country) ? country : null;
}

export function organizationView(org: OrganizationData) {
  const record = org.organization;
  const usable = record.status === "READY" && record.onboardingCompleted;
  return {
    id: usable ? record.id : EMPTY_GUID,
    socialName: record.socialName,
    legislationCode: "FR",
    status: record.status,
    onboardingCompleted: record.onboardingCompleted,
    onboardingDateCompleted: record.onboardingCompleted ? record.creationDate : null,
    creationDate: record.creationDate,
    modificationDate: record.creationDate,
    // Former configuration fields: still in the schema, null since 2026-07 (§1.4).
    documentId: null,
    vatNumber: null,
  };
}

export function organizationDetailView(org: OrganizationData) {
  const record = org.organization;
  return {
    id: record.id,
    socialName: record.socialName,
    documentId: record.documentId,
    vatNumber: record.vatNumber,
    vatCriterion: false,
    nafApeCode: record.nafApeCode,
    currencyId: record.currencyId,
    currency: { id: record.currencyId, code: "EUR", precision: 2 },
    addresses: [{ ...record.address, secondLine: null }],
  };
}

function paymentMeanView(org: OrganizationData, id: string | null) {
  const mean = id ? org.paymentMeans.find((candidate) => candidate.id === id) : undefined;
  return mean ? { ...mean } : null;
}

function paymentTermLineView(org: OrganizationData, line: PaymentTermLineRecord) {
  return {
    ...line,
    payDays: [...line.payDays],
    get paymentMean() {
      return paymentMeanView(org, line.paymentMeanId);
    },
  };
}

function customerAddressView(address: AddressRecord) {
  return {
    ...address,
    modificationDate: address.creationDate,
    countryName: countryNameOf(address.countryIsoCodeAlpha2),
  };
}

export function customerView(org: OrganizationData, customer: CustomerRecord) {
  const documentTypes = [
    { id: org.documentTypes.siret, code: "01", name: "SIRET" },
    { id: org.documentTypes.vies, code: "02", name: "TVA intracommunautaire" },
    { id: org.documentTypes.other, code: "06", name: "Autre" },
  ];
  return {
    ...customer,
    viesCode: viesCodeOf(customer.countryAcronym),
    status: customer.disabled ? "DISABLED" : "ENABLED",
    get documentType() {
      return documentTypes.find((type) => type.id === customer.documentTypeId) ?? null;
    },
    addresses: customer.addresses.map(customerAddressView),
    contacts: customer.contacts.map((contact) => ({
      ...contact,
      modificationDate: contact.creationDate,
      isDefault: contact.isDefaultCustomer,
    })),
    paymentTermLines: customer.paymentTermLines.map((line) => paymentTermLineView(org, line)),
  };
}

export function taxGroupView(group: TaxGroupRecord) {
  return {
    id: group.id,
    name: group.definition.name,
    taxGroupCode: group.definition.code,
    taxType: group.definition.taxType,
    vatTaxation: group.definition.vatTaxation,
  };
}

export function taxView(group: TaxGroupRecord) {
  return {
    id: group.taxId,
    name: group.definition.name,
    percentage: centsToDecimalString(chargedRateOf(group.definition.codes.domestic)),
    groupId: group.id,
    groupName: group.definition.name,
    taxType: group.definition.taxType,
    inactive: false,
    effectiveDate: "2014-01-01",
  };
}

export function productView(org: OrganizationData, product: ProductRecord) {
  return {
    ...product,
    modificationDate: product.creationDate,
    get taxGroup() {
      const group = org.taxGroups.find((candidate) => candidate.id === product.taxGroupId);
      return group ? taxGroupView(group) : null;
    },
  };
}

function salesAddressView(address: SalesAddress | null) {
  return address ? { ...address, countryName: countryNameOf(address.countryIsoCodeAlpha2) } : null;
}

function invoiceLineView(org: OrganizationData, invoice: InvoiceRecord, line: InvoiceLineRecord) {
  return {
    id: line.id,
    creationDate: line.creationDate,
    modificationDate: line.creationDate,
    order: line.order,
    productId: line.productId,
    get product() {
      const product = org.products.get(line.productId);
      return product ? productView(org, product) : null;
    },
    productCode: line.productCode,
    productName: line.productName,
    totalQuantity: line.quantity,
    unitPrice: line.unitPrice,
    firstDiscount: line.discountPercent,
    vatPercentage: centsToDecimalString(chargedRateOf(line.vatCode)),
    taxId: line.taxId,
    totalGross: amount(line.grossBeforeDiscountCents),
    totalDiscount: amount(line.grossBeforeDiscountCents - line.netCents),
    totalNet: amount(line.netCents),
    totalVatBase: amount(line.netCents),
    totalVat: amount(line.vatCents),
    totalLiquid: amount(line.netCents + line.vatCents),
    availableForCreditNoteQuantity:
      invoice.type === "CREDIT_NOTE" ? "0" : subtractDecimals(line.quantity, line.creditedQuantity),
  };
}

export function openItemView(org: OrganizationData, item: OpenItemRecord) {
  return {
    id: item.id,
    creationDate: item.creationDate,
    modificationDate: item.modificationDate,
    amount: amount(item.amountCents),
    paidAmountAccumulated: amount(item.paidCents),
    dueDate: item.dueDate,
    status: openItemStatus(item),
    isAdvanceInvoicePayment: false,
    paymentMeanId: item.paymentMeanId,
    get paymentMean() {
      return paymentMeanView(org, item.paymentMeanId);
    },
    salesInvoiceId: item.invoiceId,
    get salesInvoice() {
      const invoice = org.invoices.get(item.invoiceId);
      return invoice ? invoiceView(org, invoice) : null;
    },
  };
}

export function invoiceView(org: OrganizationData, invoice: InvoiceRecord) {
  const series = [org.invoiceSeries, org.creditNoteSeries].find(
    (candidate) => candidate.id === invoice.seriesId,
  );
  const { netCents, vatCents, grossBeforeDiscountCents } = invoice.totals;
  return {
    id: invoice.id,
    creationDate: invoice.creationDate,
    modificationDate: invoice.modificationDate,
    sourceType: invoice.sourceType,
    customerId: invoice.customerId,
    get customer() {
      const customer = org.customers.get(invoice.customerId);
      return customer ? customerView(org, customer) : null;
    },
    operationalNumber: invoice.operationalNumber,
    operationalNumberPresetTextId: invoice.seriesId,
    operationalNumberPresetText: series ? { id: series.id, text: series.text } : null,
    documentDate: invoice.documentDate,
    operationDate: invoice.operationDate,
    firstDueDate: invoice.firstDueDate,
    status: invoice.status,
    type: invoice.type,
    socialName: invoice.socialName,
    documentId: invoice.documentId,
    documentTypeId: invoice.documentTypeId,
    vatNumber: invoice.vatNumber,
    countryAcronym: invoice.countryAcronym,
    // Built when asked for: a page of invoices rarely selects addresses or lines.
    get mainAddress() {
      return salesAddressView(invoice.mainAddress);
    },
    get deliveryAddress() {
      return salesAddressView(invoice.deliveryAddress);
    },
    documentLanguage: invoice.documentLanguage,
    comments: invoice.comments,
    remarks: invoice.remarks,
    externalReference: invoice.externalReference,
    salesOrderNumber: invoice.salesOrderNumber,
    specialMention: invoice.specialMention,
    totalGross: amount(grossBeforeDiscountCents),
    totalDiscount: amount(grossBeforeDiscountCents - netCents),
    totalCustomerDiscount: "0",
    discount: "0",
    totalNet: amount(netCents),
    totalVatBase: amount(netCents),
    totalVat: amount(vatCents),
    totalLiquid: amount(netCents + vatCents),
    hasCashVat: false,
    hasCreditNote: invoice.hasCreditNote,
    sourceSalesInvoiceId: invoice.sourceSalesInvoiceId,
    get sourceSalesInvoice(): Readonly<Record<string, unknown>> | null {
      const source = invoice.sourceSalesInvoiceId
        ? org.invoices.get(invoice.sourceSalesInvoiceId)
        : undefined;
      return source ? invoiceView(org, source) : null;
    },
    salesInvoiceTemplateId: null,
    createdInSoftwareVersion: null,
    canGeneratePaymentLink: invoice.canGeneratePaymentLink,
    invoiceEmail: invoice.invoiceEmail,
    shouldSendViaElectronicInvoicing: invoice.shouldSendViaElectronicInvoicing,
    eInvoicingAddressTypeCustomer: invoice.eInvoicingAddressTypeCustomer,
    eInvoicingAddressCustomer: invoice.eInvoicingAddressCustomer,
    regulatoryBillingFramework: invoice.regulatoryBillingFramework,
    eInvoiceId: null,
    eInvoicingStatus: null,
    get paymentTermLines() {
      return invoice.paymentTermLines.map((line) => paymentTermLineView(org, line));
    },
    get lines() {
      return invoice.lines.map((line) => invoiceLineView(org, invoice, line));
    },
    get openItems() {
      return invoice.openItemIds.flatMap((id) => {
        const item = org.openItems.get(id);
        return item ? [openItemView(org, item)] : [];
      });
    },
  };
}

export function entryPaymentView(
  org: OrganizationData,
  entry: EntryRecord,
  line: EntryLineRecord,
  payment: EntryPaymentRecord,
) {
  return {
    ...payment,
    accountingEntryLineId: line.id,
    get accountingEntryLine() {
      return entryLineView(org, entry, line);
    },
  };
}

export function entryLineView(org: OrganizationData, entry: EntryRecord, line: EntryLineRecord) {
  return {
    id: line.id,
    creationDate: line.creationDate,
    modificationDate: line.payment?.modificationDate ?? line.creationDate,
    accountingEntryId: entry.id,
    get accountingEntry() {
      return entryView(org, entry);
    },
    order: line.order,
    documentNumber: line.documentNumber,
    description: line.description,
    debitAmount: amount(line.debitCents),
    creditAmount: amount(line.creditCents),
    get accountingEntryThirdParty() {
      const customer = line.customerId ? org.customers.get(line.customerId) : undefined;
      return customer
        ? {
            id: line.id,
            thirdPartyId: customer.id,
            socialName: customer.socialName,
            code: customer.code,
            origin: "CUSTOMER",
          }
        : null;
    },
    get accountingEntryPayment() {
      return line.payment ? entryPaymentView(org, entry, line, line.payment) : null;
    },
  };
}

/** An entry changes when one of its lines is lettered with a settlement. */
export function entryModificationDate(entry: EntryRecord): string {
  return entry.lines.reduce(
    (latest, line) =>
      line.payment && line.payment.modificationDate > latest
        ? line.payment.modificationDate
        : latest,
    entry.creationDate,
  );
}

export function entryView(org: OrganizationData, entry: EntryRecord) {
  return {
    id: entry.id,
    creationDate: entry.creationDate,
    modificationDate: entryModificationDate(entry),
    sourceType: entry.sourceType,
    date: entry.date,
    documentDate: entry.date,
    journalTypeId: entry.journalTypeId,
    get journalType() {
      const journal = org.journalTypes.find((candidate) => candidate.id === entry.journalTypeId);
      return journal ? { ...journal } : null;
    },
    number: entry.number,
    documentNumber: entry.documentNumber,
    description: entry.description,
    get salesInvoice() {
      const invoice = entry.salesInvoiceId ? org.invoices.get(entry.salesInvoiceId) : undefined;
      return invoice ? invoiceView(org, invoice) : null;
    },
    sourceEntityId: entry.salesInvoiceId,
    get accountingEntryLines() {
      return entry.lines.map((line) => entryLineView(org, entry, line));
    },
  };
}
