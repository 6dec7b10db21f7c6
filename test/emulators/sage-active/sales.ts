/**
 * The sales invoice lifecycle (§4, §5, §8): create (Pending, no number) -> close (next
 * number of the series) -> post (accounting entry and open items) -> settlements
 * (PartiallyCollected / Collected), credit notes on closed or posted invoices, deletion of
 * drafts. Every change stamps `modificationDate` on what it touched, so polling on
 * modification dates sees exactly what changed.
 */
import {
  addDays,
  type CalendarDate,
  type Cents,
  chargedRateOf,
  computeInvoiceAmounts,
  computeLineAmounts,
  divideRoundHalfUp,
  endOfMonth,
  parseCents,
  parseDecimal,
  pow10,
  sumCents,
  toSafeCents,
  type VatCode,
} from "@encaisse/shared";
import { BUSINESS_ERRORS, fail, FailureList } from "./business-errors";
import { paymentTermLinesOf, type PaymentTermLineInput } from "./customers";
import {
  compareDecimals,
  isZeroDecimal,
  minDecimal,
  negateDecimal,
  normalizeDecimal,
  scaleOf,
  subtractDecimals,
  addDecimals,
} from "./decimals";
import {
  type CustomerRecord,
  type EntryLineRecord,
  type EntryRecord,
  formatSeriesNumber,
  type IdGenerator,
  type Instalment,
  type InvoiceLineRecord,
  type InvoiceRecord,
  matchingLetter,
  openItemStatus,
  type OrganizationData,
  type PaymentTermLineRecord,
  type ProductRecord,
  type SalesAddress,
  type SeriesRecord,
} from "./records";
import { datePartOf } from "./scalars";
import { customerSituation, vatCodeFor } from "./tax-codes";

/** What every rule needs: the organization, an id source and the current time. */
export interface RuleContext {
  readonly org: OrganizationData;
  readonly ids: IdGenerator;
  /** ISO instant stamped on creations and modifications. */
  readonly now: string;
  /** Today's calendar date in Paris. */
  readonly today: CalendarDate;
}

export interface InvoiceLineInput {
  readonly productId?: string | null;
  readonly productCode?: string | null;
  readonly productName?: string | null;
  readonly totalQuantity?: string | null;
  readonly unitPrice?: string | null;
  readonly firstDiscount?: string | null;
}

export interface InvoiceInput {
  readonly customerId: string;
  readonly documentDate?: string | null;
  readonly operationDate?: string | null;
  readonly operationalNumber?: string | null;
  readonly operationalNumberPresetTextId?: string | null;
  readonly comments?: string | null;
  readonly remarks?: string | null;
  readonly externalReference?: string | null;
  readonly salesOrderNumber?: string | null;
  readonly specialMention?: string | null;
  readonly documentLanguage?: string | null;
  readonly mainAddress?: Partial<SalesAddress> | null;
  readonly deliveryAddress?: Partial<SalesAddress> | null;
  readonly paymentTermLines?: readonly PaymentTermLineInput[] | null;
  readonly canGeneratePaymentLink?: boolean | null;
  readonly invoiceEmail?: string | null;
  readonly shouldSendViaElectronicInvoicing?: boolean | null;
  readonly eInvoicingAddressTypeCustomer?: string | null;
  readonly eInvoicingAddressCustomer?: string | null;
  readonly regulatoryBillingFramework?: string | null;
  readonly lines: readonly InvoiceLineInput[];
}

/** Emulator-only knobs used when loading a book (never reachable through GraphQL). */
export interface InvoiceLoadOptions {
  /** The book's line codes win over the product/customer rule. */
  readonly vatCodes?: readonly VatCode[];
  /** A single instalment on this date instead of the payment terms. */
  readonly dueDate?: CalendarDate;
  readonly sourceType?: InvoiceRecord["sourceType"];
  /** A credit note of this invoice, its lines already negative. */
  readonly creditNoteOf?: string;
}

const blankToNull = (value: string | null | undefined): string | null =>
  value === null || value === undefined || value.trim() === "" ? null : value;

function addressOf(input: Partial<SalesAddress> | null | undefined): SalesAddress | null {
  if (!input) return null;
  return {
    name: input.name ?? null,
    firstLine: input.firstLine ?? null,
    secondLine: input.secondLine ?? null,
    city: input.city ?? null,
    zipCode: input.zipCode ?? null,
    province: input.province ?? null,
    countryIsoCodeAlpha2: input.countryIsoCodeAlpha2 ?? null,
  };
}

function mainAddressOf(customer: CustomerRecord): SalesAddress | null {
  const main = customer.addresses.find((address) => address.isMainAddress) ?? customer.addresses[0];
  return main ? addressOf(main) : null;
}

export function findInvoice(org: OrganizationData, id: string): InvoiceRecord {
  return org.invoices.get(id) ?? fail(BUSINESS_ERRORS.salesInvoiceNotFound, id);
}

function seriesFor(
  org: OrganizationData,
  type: InvoiceRecord["type"],
  presetId: string | null | undefined,
): SeriesRecord {
  if (presetId) {
    const series = [org.invoiceSeries, org.creditNoteSeries].find(
      (candidate) => candidate.id === presetId,
    );
    return series ?? fail(BUSINESS_ERRORS.numberingSeriesNotFound, presetId);
  }
  return type === "CREDIT_NOTE" ? org.creditNoteSeries : org.invoiceSeries;
}

function numberTaken(org: OrganizationData, operationalNumber: string): boolean {
  for (const invoice of org.invoices.values())
    if (invoice.operationalNumber === operationalNumber) return true;
  return false;
}

function nextNumber(org: OrganizationData, series: SeriesRecord): string {
  const taken = new Set([...org.invoices.values()].map((invoice) => invoice.operationalNumber));
  for (;;) {
    const candidate = formatSeriesNumber(series, series.nextNumber);
    series.nextNumber += 1;
    if (!taken.has(candidate)) return candidate;
  }
}

/** Due date of one payment term line (§3.3), counted from the document date. */
export function dueDateOf(documentDate: CalendarDate, line: PaymentTermLineRecord): CalendarDate {
  const base = addDays(documentDate, line.day);
  if (line.condition === "END_OF_MONTH") return endOfMonth(base);
  if (line.condition === "DAY_OF_PAYMENT" && line.payDays.length > 0) {
    for (let offset = 0; offset < 62; offset += 1) {
      const candidate = addDays(base, offset);
      const day = Number(candidate.slice(8, 10));
      const lastDay = Number(endOfMonth(candidate).slice(8, 10));
      if (line.payDays.some((payDay) => Math.min(payDay, lastDay) === day)) return candidate;
    }
  }
  return base;
}

/**
 * Instalments of a total under payment terms: a percentage of the total (rounded half up
 * to the cent), a fixed amount, or the remainder; the last line absorbs what is left so the
 * instalments always sum to the total. No terms: one instalment due on the document date.
 */
export function instalmentsOf(
  totalCents: Cents,
  documentDate: CalendarDate,
  terms: readonly PaymentTermLineRecord[],
): Instalment[] {
  if (terms.length === 0)
    return [{ dueDate: documentDate, amountCents: totalCents, paymentMeanId: null }];
  let remaining = totalCents;
  return terms.map((line, index) => {
    let amount: Cents;
    if (index === terms.length - 1) amount = remaining;
    else if (line.type === "PERCENTAGE") {
      const percent = parseDecimal(line.value);
      amount = toSafeCents(
        divideRoundHalfUp(BigInt(totalCents) * percent.units, 100n * pow10(percent.scale)),
      );
    } else if (line.type === "FIXED_AMOUNT") {
      const fixed = parseCents(line.value);
      amount = totalCents < 0 ? -Math.min(fixed, -remaining) : Math.min(fixed, remaining);
    } else amount = remaining;
    remaining -= amount;
    return {
      dueDate: dueDateOf(documentDate, line),
      amountCents: amount,
      paymentMeanId: line.paymentMeanId,
    };
  });
}

interface LineDraft {
  readonly product: ProductRecord;
  readonly productName: string;
  readonly quantity: string;
  readonly unitPrice: string;
  readonly discountPercent: string;
  readonly vatCode: VatCode;
  readonly sourceLineId: string | null;
}

function buildLines(ctx: RuleContext, drafts: readonly LineDraft[]): InvoiceLineRecord[] {
  return drafts.map((draft, index) => {
    const priced = {
      quantity: draft.quantity,
      unitPriceExclTax: draft.unitPrice,
      vatRateBasisPoints: chargedRateOf(draft.vatCode),
    };
    const amounts = computeLineAmounts({ ...priced, discountPercent: draft.discountPercent });
    const beforeDiscount = computeLineAmounts(priced);
    const group = ctx.org.taxGroups.find((candidate) => candidate.id === draft.product.taxGroupId);
    return {
      id: ctx.ids.next(),
      creationDate: ctx.now,
      order: index + 1,
      productId: draft.product.id,
      productCode: draft.product.code,
      productName: draft.productName,
      quantity: draft.quantity,
      unitPrice: draft.unitPrice,
      discountPercent: draft.discountPercent,
      vatCode: draft.vatCode,
      taxId: group?.taxId ?? draft.product.taxGroupId,
      grossBeforeDiscountCents: beforeDiscount.netCents,
      netCents: amounts.netCents,
      vatCents: amounts.vatCents,
      creditedQuantity: "0",
      sourceLineId: draft.sourceLineId,
    };
  });
}

function totalsOf(
  drafts: readonly LineDraft[],
  lines: readonly InvoiceLineRecord[],
): InvoiceRecord["totals"] {
  const amounts = computeInvoiceAmounts(
    drafts.map((draft) => ({
      quantity: draft.quantity,
      unitPriceExclTax: draft.unitPrice,
      vatRateBasisPoints: chargedRateOf(draft.vatCode),
      discountPercent: draft.discountPercent,
    })),
  );
  return {
    grossBeforeDiscountCents: sumCents(lines.map((line) => line.grossBeforeDiscountCents)),
    netCents: amounts.netCents,
    vatCents: amounts.vatCents,
  };
}

export function liquidCents(invoice: InvoiceRecord): Cents {
  return invoice.totals.netCents + invoice.totals.vatCents;
}

function resolveProduct(
  org: OrganizationData,
  line: InvoiceLineInput,
  failures: FailureList,
  at: string,
): ProductRecord | null {
  const products = [...org.products.values()];
  if (line.productId) {
    const product = org.products.get(line.productId);
    if (!product) failures.add(BUSINESS_ERRORS.productNotFound, `${at}.productId`);
    return product ?? null;
  }
  if (line.productCode) {
    const code = line.productCode.toLowerCase();
    const product = products.find((candidate) => candidate.code.toLowerCase() === code);
    if (!product) failures.add(BUSINESS_ERRORS.productNotFound, `${at}.productCode`);
    return product ?? null;
  }
  failures.add(BUSINESS_ERRORS.productRequired, at);
  return null;
}

export function createSalesInvoice(
  ctx: RuleContext,
  input: InvoiceInput,
  options: InvoiceLoadOptions = {},
): InvoiceRecord {
  const { org } = ctx;
  const customer =
    org.customers.get(input.customerId) ?? fail(BUSINESS_ERRORS.customerNotFound, input.customerId);
  const failures = new FailureList();
  failures.maxLength("externalReference", input.externalReference, 20);
  failures.maxLength("salesOrderNumber", input.salesOrderNumber, 250);
  failures.maxLength("comments", input.comments, 1000);
  failures.maxLength("remarks", input.remarks, 1000);
  failures.maxLength("specialMention", input.specialMention, 1000);
  failures.maxLength("operationalNumber", input.operationalNumber, 50);
  if (input.lines.length === 0) failures.add(BUSINESS_ERRORS.linesRequired, "lines");
  const documentDate = input.documentDate ? datePartOf(input.documentDate) : ctx.today;
  const operationDate = input.operationDate ? datePartOf(input.operationDate) : null;
  if (operationDate !== null && operationDate > documentDate) {
    failures.add(BUSINESS_ERRORS.operationDateAfterDocumentDate, "operationDate");
  }
  const operationalNumber = blankToNull(input.operationalNumber);
  if (operationalNumber !== null && numberTaken(org, operationalNumber)) {
    failures.add(BUSINESS_ERRORS.operationalNumberAlreadyExists, operationalNumber);
  }
  const type = options.creditNoteOf === undefined ? "NORMAL" : "CREDIT_NOTE";
  const source =
    options.creditNoteOf === undefined ? undefined : findInvoice(org, options.creditNoteOf);
  const series = seriesFor(org, type, input.operationalNumberPresetTextId);
  const situation = customerSituation(customer.countryAcronym, customer.vatNumber);
  const drafts: LineDraft[] = [];
  input.lines.forEach((line, index) => {
    const at = `lines[${index}]`;
    failures.maxLength(`${at}.productName`, line.productName, 2500);
    const discount = line.firstDiscount ?? "0";
    if (compareDecimals(discount, "0") < 0 || compareDecimals(discount, "100") > 0) {
      failures.add(BUSINESS_ERRORS.invalidDiscount, `${at}.firstDiscount`);
    }
    const product = resolveProduct(org, line, failures, at);
    const group = product
      ? org.taxGroups.find((candidate) => candidate.id === product.taxGroupId)
      : undefined;
    if (!product || !group) return;
    drafts.push({
      product,
      productName: blankToNull(line.productName) ?? product.name,
      quantity: normalizeDecimal(line.totalQuantity ?? "0"),
      // Not taken from the product (§4.3): an omitted price is 0.
      unitPrice: normalizeDecimal(line.unitPrice ?? "0"),
      discountPercent: normalizeDecimal(discount),
      vatCode: options.vatCodes?.[index] ?? vatCodeFor(group.definition, situation),
      sourceLineId: null,
    });
  });
  const termInput =
    input.paymentTermLines ??
    customer.paymentTermLines.map((line) => ({ ...line, payDays: [...line.payDays] }));
  const paymentTermLines = paymentTermLinesOf(ctx.ids, failures, termInput);
  failures.throwIfAny();

  const lines = buildLines(ctx, drafts);
  const totals = totalsOf(drafts, lines);
  const total = totals.netCents + totals.vatCents;
  const plan =
    options.dueDate !== undefined
      ? [{ dueDate: options.dueDate, amountCents: total, paymentMeanId: null }]
      : instalmentsOf(total, documentDate, paymentTermLines);
  const invoice: InvoiceRecord = {
    id: ctx.ids.next(),
    creationDate: ctx.now,
    modificationDate: ctx.now,
    sourceType: options.sourceType ?? "PUBLIC_API",
    type,
    customerId: customer.id,
    operationalNumber,
    seriesId: series.id,
    documentDate,
    operationDate,
    firstDueDate: plan[0]?.dueDate ?? documentDate,
    status: operationalNumber === null ? "Pending" : "Closed",
    socialName: customer.socialName.slice(0, 50),
    documentId: customer.documentId?.slice(0, 20) ?? null,
    documentTypeId: customer.documentTypeId,
    vatNumber: customer.vatNumber?.slice(0, 20) ?? null,
    countryAcronym: customer.countryAcronym,
    mainAddress: addressOf(input.mainAddress) ?? mainAddressOf(customer),
    deliveryAddress: addressOf(input.deliveryAddress),
    documentLanguage: input.documentLanguage ?? customer.documentLanguage,
    comments: blankToNull(input.comments),
    remarks: blankToNull(input.remarks),
    externalReference: blankToNull(input.externalReference),
    salesOrderNumber: blankToNull(input.salesOrderNumber),
    specialMention: blankToNull(input.specialMention),
    canGeneratePaymentLink: input.canGeneratePaymentLink ?? false,
    invoiceEmail: blankToNull(input.invoiceEmail),
    shouldSendViaElectronicInvoicing: input.shouldSendViaElectronicInvoicing ?? false,
    eInvoicingAddressTypeCustomer:
      blankToNull(input.eInvoicingAddressTypeCustomer) ?? customer.eInvoicingAddressType,
    eInvoicingAddressCustomer:
      blankToNull(input.eInvoicingAddressCustomer) ?? customer.eInvoicingAddress,
    regulatoryBillingFramework: input.regulatoryBillingFramework ?? null,
    paymentTermLines,
    lines,
    totals,
    plan,
    openItemIds: [],
    hasCreditNote: false,
    sourceSalesInvoiceId: source?.id ?? null,
    postingEntryId: null,
    match: null,
    customerLines: [],
  };
  if (source) recordCredit(ctx, source, lines);
  org.invoices.set(invoice.id, invoice);
  return invoice;
}

/** Marks the source invoice as credited by these (negative) lines, matched by product. */
function recordCredit(
  ctx: RuleContext,
  source: InvoiceRecord,
  creditLines: readonly InvoiceLineRecord[],
): void {
  for (const creditLine of creditLines) {
    let left = negateDecimal(creditLine.quantity);
    const candidates = [
      ...source.lines.filter((line) => line.productName === creditLine.productName),
      ...source.lines.filter(
        (line) =>
          line.productName !== creditLine.productName && line.productId === creditLine.productId,
      ),
    ];
    for (const line of candidates) {
      const available = availableQuantity(line);
      if (compareDecimals(left, "0") <= 0 || compareDecimals(available, "0") <= 0) continue;
      const take = minDecimal(available, left);
      line.creditedQuantity = addDecimals(line.creditedQuantity, take);
      left = subtractDecimals(left, take);
    }
  }
  source.hasCreditNote = true;
  source.modificationDate = ctx.now;
}

export function closeSalesInvoice(ctx: RuleContext, invoiceId: string): InvoiceRecord {
  const invoice = findInvoice(ctx.org, invoiceId);
  if (invoice.status !== "Pending") fail(BUSINESS_ERRORS.salesInvoiceNotPending, invoice.status);
  const series = seriesFor(ctx.org, invoice.type, invoice.seriesId);
  invoice.operationalNumber = nextNumber(ctx.org, series);
  invoice.status = "Closed";
  invoice.modificationDate = ctx.now;
  return invoice;
}

function addEntry(
  ctx: RuleContext,
  entry: Omit<EntryRecord, "id" | "creationDate" | "number" | "lines">,
  lines: readonly Omit<EntryLineRecord, "id" | "creationDate" | "order" | "payment">[],
): EntryRecord {
  const record: EntryRecord = {
    ...entry,
    id: ctx.ids.next(),
    creationDate: ctx.now,
    number: ctx.org.counters.entryNumber,
    lines: lines.map((line, order) => ({
      ...line,
      id: ctx.ids.next(),
      creationDate: ctx.now,
      order,
      payment: null,
    })),
  };
  ctx.org.counters.entryNumber += 1;
  ctx.org.entries.set(record.id, record);
  return record;
}

/** Debit for a positive amount, credit for a negative one (credit notes). */
function sided(
  amount: Cents,
  debitWhenPositive: boolean,
): { debitCents: Cents; creditCents: Cents } {
  const magnitude = Math.abs(amount);
  const debit = amount >= 0 === debitWhenPositive;
  return { debitCents: debit ? magnitude : 0, creditCents: debit ? 0 : magnitude };
}

export interface PostInput {
  readonly salesInvoiceId: string;
  readonly accountingEntryDescription: string;
  readonly journalTypeId: string;
}

export function postSalesInvoice(ctx: RuleContext, input: PostInput): EntryRecord {
  const { org } = ctx;
  const invoice = findInvoice(org, input.salesInvoiceId);
  if (invoice.status === "Pending") fail(BUSINESS_ERRORS.salesInvoiceNotClosed, invoice.status);
  if (invoice.status !== "Closed") fail(BUSINESS_ERRORS.salesInvoiceAlreadyPosted, invoice.status);
  const failures = new FailureList();
  failures.maxLength("accountingEntryDescription", input.accountingEntryDescription, 200);
  const journal = org.journalTypes.find((candidate) => candidate.id === input.journalTypeId);
  if (!journal || journal.type !== "SALES_INVOICE" || journal.deactivated) {
    failures.add(BUSINESS_ERRORS.invalidJournalType, input.journalTypeId);
  }
  failures.throwIfAny();
  const customer = org.customers.get(invoice.customerId);
  const total = liquidCents(invoice);
  const entry = addEntry(
    ctx,
    {
      sourceType: "SALES",
      date: invoice.documentDate,
      journalTypeId: input.journalTypeId,
      documentNumber: invoice.operationalNumber,
      description: input.accountingEntryDescription,
      salesInvoiceId: invoice.id,
    },
    [
      {
        ...sided(total, true),
        documentNumber: invoice.operationalNumber,
        description: input.accountingEntryDescription,
        customerId: customer?.id ?? invoice.customerId,
        invoiceId: invoice.id,
      },
      {
        ...sided(invoice.totals.netCents, false),
        documentNumber: invoice.operationalNumber,
        description: "Ventes",
        customerId: null,
        invoiceId: null,
      },
      ...(invoice.totals.vatCents === 0
        ? []
        : [
            {
              ...sided(invoice.totals.vatCents, false),
              documentNumber: invoice.operationalNumber,
              description: "TVA collectée",
              customerId: null,
              invoiceId: null,
            },
          ]),
    ],
  );
  const customerLine = entry.lines[0];
  if (customerLine) invoice.customerLines.push({ entryId: entry.id, lineId: customerLine.id });
  for (const instalment of invoice.plan) {
    const item = {
      id: ctx.ids.next(),
      creationDate: ctx.now,
      modificationDate: null,
      invoiceId: invoice.id,
      amountCents: instalment.amountCents,
      paidCents: 0,
      dueDate: instalment.dueDate,
      paymentMeanId: instalment.paymentMeanId,
    };
    org.openItems.set(item.id, item);
    invoice.openItemIds.push(item.id);
  }
  invoice.postingEntryId = entry.id;
  invoice.status = "Posted";
  invoice.modificationDate = ctx.now;
  return entry;
}

export interface SettlementInput {
  readonly entryDate: string;
  readonly paymentMethodId: string;
  readonly thirdPartyId: string;
  readonly description?: string | null;
  readonly documentNumber?: string | null;
  readonly linkages: readonly { readonly openItemId: string; readonly paidAmount: string }[];
}

function collectionStatus(ctx: RuleContext, invoice: InvoiceRecord): InvoiceRecord["status"] {
  const items = invoice.openItemIds.flatMap((id) => {
    const item = ctx.org.openItems.get(id);
    return item ? [item] : [];
  });
  const paid = sumCents(items.map((item) => item.paidCents));
  const due = sumCents(items.map((item) => item.amountCents));
  if (paid === 0) return "Posted";
  return paid === due ? "Collected" : "PartiallyCollected";
}

/** Letters the invoice's customer lines with its settlements: lower case until fully paid. */
function refreshMatching(ctx: RuleContext, invoice: InvoiceRecord): void {
  invoice.match ??= { matchId: ctx.ids.next(), letterIndex: ctx.org.counters.matchLetter++ };
  const full = invoice.status === "Collected";
  const letter = matchingLetter(invoice.match.letterIndex);
  const matchingLetterShown = full ? letter.toUpperCase() : letter;
  const matching = full ? "FULL_MATCH" : "PARTIAL_MATCH";
  for (const reference of invoice.customerLines) {
    const line = ctx.org.entries
      .get(reference.entryId)
      ?.lines.find((candidate) => candidate.id === reference.lineId);
    if (!line) continue;
    if (!line.payment) {
      line.payment = {
        id: ctx.ids.next(),
        creationDate: ctx.now,
        modificationDate: ctx.now,
        matchId: invoice.match.matchId,
        matchingLetter: matchingLetterShown,
        matching,
      };
    } else if (
      line.payment.matching !== matching ||
      line.payment.matchingLetter !== matchingLetterShown
    ) {
      line.payment.matching = matching;
      line.payment.matchingLetter = matchingLetterShown;
      line.payment.modificationDate = ctx.now;
    }
  }
}

/**
 * `salesOpenItemSettlement` (§5.2): one bank entry, one customer line per settled item,
 * each item's paid amount and status, each invoice's status and matching. Checked in full
 * before anything changes: a refused settlement leaves no trace.
 */
export function settleOpenItems(
  ctx: RuleContext,
  input: SettlementInput,
  sourceType: EntryRecord["sourceType"] = "PUBLIC_API",
): EntryRecord {
  const { org } = ctx;
  const failures = new FailureList();
  const method = org.paymentMethods.find((candidate) => candidate.id === input.paymentMethodId);
  if (!method) failures.add(BUSINESS_ERRORS.paymentMethodNotFound, input.paymentMethodId);
  const customer = org.customers.get(input.thirdPartyId);
  if (!customer) failures.add(BUSINESS_ERRORS.customerNotFound, input.thirdPartyId);
  failures.maxLength("description", input.description, 200);
  failures.maxLength("documentNumber", input.documentNumber, 50);
  if (input.linkages.length === 0)
    failures.add(BUSINESS_ERRORS.settlementWithoutOpenItems, "salesOpenItemLinkagePaidAmounts");
  const seen = new Set<string>();
  const settled = input.linkages.flatMap((linkage, index) => {
    const at = `salesOpenItemLinkagePaidAmounts[${index}]`;
    const item = org.openItems.get(linkage.openItemId);
    if (!item || seen.has(linkage.openItemId)) {
      failures.add(BUSINESS_ERRORS.openItemNotFound, `${at}.openItemId`);
      return [];
    }
    seen.add(item.id);
    const invoice = findInvoice(org, item.invoiceId);
    if (invoice.customerId !== input.thirdPartyId)
      failures.add(BUSINESS_ERRORS.openItemOfAnotherThirdParty, `${at}.openItemId`);
    if (openItemStatus(item) === "COLLECTED") {
      failures.add(BUSINESS_ERRORS.openItemAlreadyCollected, `${at}.openItemId`);
      return [];
    }
    if (scaleOf(linkage.paidAmount) > 2 || isZeroDecimal(linkage.paidAmount)) {
      failures.add(BUSINESS_ERRORS.invalidPaidAmount, `${at}.paidAmount`);
      return [];
    }
    const paidCents = parseCents(linkage.paidAmount);
    const pending = item.amountCents - item.paidCents;
    if (Math.sign(paidCents) !== Math.sign(pending)) {
      failures.add(BUSINESS_ERRORS.invalidPaidAmount, `${at}.paidAmount`);
      return [];
    }
    if (Math.abs(paidCents) > Math.abs(pending)) {
      failures.add(BUSINESS_ERRORS.paidAmountExceedsPending, `${at}.paidAmount`);
      return [];
    }
    return [{ item, invoice, paidCents }];
  });
  failures.throwIfAny();
  if (!method || !customer) return fail(BUSINESS_ERRORS.paymentMethodNotFound);

  const entryDate = datePartOf(input.entryDate);
  const total = sumCents(settled.map(({ paidCents }) => paidCents));
  const entry = addEntry(
    ctx,
    {
      sourceType,
      date: entryDate,
      journalTypeId: method.journalTypeId,
      documentNumber: blankToNull(input.documentNumber),
      description: blankToNull(input.description),
      salesInvoiceId: null,
    },
    [
      {
        ...sided(total, true),
        documentNumber: blankToNull(input.documentNumber),
        description: blankToNull(input.description) ?? method.name,
        customerId: null,
        invoiceId: null,
      },
      ...settled.map(({ invoice, paidCents }) => ({
        ...sided(paidCents, false),
        documentNumber: invoice.operationalNumber,
        description: blankToNull(input.description),
        customerId: customer.id,
        invoiceId: invoice.id,
      })),
    ],
  );
  settled.forEach(({ item, invoice, paidCents }, index) => {
    item.paidCents += paidCents;
    item.modificationDate = ctx.now;
    const line = entry.lines[index + 1];
    if (line) invoice.customerLines.push({ entryId: entry.id, lineId: line.id });
  });
  for (const invoice of new Set(settled.map(({ invoice }) => invoice))) {
    invoice.status = collectionStatus(ctx, invoice);
    invoice.modificationDate = ctx.now;
    refreshMatching(ctx, invoice);
  }
  return entry;
}

export interface CreditNoteInput {
  readonly id: string;
  readonly lines?:
    | readonly {
        readonly productId: string;
        readonly quantity: string;
        readonly unitPrice?: string | null;
      }[]
    | null;
  readonly operationalNumberPresetTextId?: string | null;
  readonly outputDocumentDate?: string | null;
}

function availableQuantity(line: InvoiceLineRecord): string {
  return subtractDecimals(line.quantity, line.creditedQuantity);
}

/**
 * `generateCreditNote` (§4.7): only on a closed or posted invoice; without lines, credits
 * everything still creditable. The credit note is created as a draft (Pending, negative
 * quantities, `CREDIT_NOTE`, `sourceSalesInvoiceId`) to be closed and posted like an
 * invoice — its status after generation is undocumented.
 */
export function generateCreditNote(ctx: RuleContext, input: CreditNoteInput): InvoiceRecord {
  const { org } = ctx;
  const source = findInvoice(org, input.id);
  if (source.type === "CREDIT_NOTE") fail(BUSINESS_ERRORS.creditNoteCannotBeCredited, source.id);
  if (source.status === "Pending") fail(BUSINESS_ERRORS.salesInvoiceNotClosed, source.status);
  const failures = new FailureList();
  const credited: { line: InvoiceLineRecord; quantity: string; unitPrice: string }[] = [];
  if (!input.lines || input.lines.length === 0) {
    for (const line of source.lines) {
      const available = availableQuantity(line);
      if (compareDecimals(available, "0") > 0)
        credited.push({ line, quantity: available, unitPrice: line.unitPrice });
    }
    if (credited.length === 0) failures.add(BUSINESS_ERRORS.nothingLeftToCredit, source.id);
  } else {
    input.lines.forEach((requested, index) => {
      const at = `lines[${index}]`;
      const quantity = normalizeDecimal(requested.quantity);
      if (compareDecimals(quantity, "0") <= 0) {
        failures.add(BUSINESS_ERRORS.invalidQuantity, `${at}.quantity`);
        return;
      }
      const candidates = source.lines.filter((line) => line.productId === requested.productId);
      if (candidates.length === 0) {
        failures.add(BUSINESS_ERRORS.productNotInSourceInvoice, `${at}.productId`);
        return;
      }
      let left = quantity;
      for (const line of candidates) {
        const alreadyTaken = credited
          .filter((entry) => entry.line === line)
          .reduce((sum, entry) => addDecimals(sum, entry.quantity), "0");
        const available = subtractDecimals(availableQuantity(line), alreadyTaken);
        if (compareDecimals(available, "0") <= 0 || isZeroDecimal(left)) continue;
        const take = minDecimal(available, left);
        credited.push({
          line,
          quantity: take,
          unitPrice: requested.unitPrice ? normalizeDecimal(requested.unitPrice) : line.unitPrice,
        });
        left = subtractDecimals(left, take);
      }
      if (!isZeroDecimal(left))
        failures.add(BUSINESS_ERRORS.creditNoteQuantityExceedsAvailable, `${at}.quantity`);
    });
  }
  const series = seriesFor(org, "CREDIT_NOTE", input.operationalNumberPresetTextId);
  failures.throwIfAny();

  const drafts: LineDraft[] = credited.map(({ line, quantity, unitPrice }) => ({
    product:
      org.products.get(line.productId) ?? fail(BUSINESS_ERRORS.productNotFound, line.productId),
    productName: line.productName,
    quantity: negateDecimal(quantity),
    unitPrice,
    discountPercent: line.discountPercent,
    vatCode: line.vatCode,
    sourceLineId: line.id,
  }));
  const lines = buildLines(ctx, drafts);
  const totals = totalsOf(drafts, lines);
  const documentDate = input.outputDocumentDate ? datePartOf(input.outputDocumentDate) : ctx.today;
  const creditNote: InvoiceRecord = {
    ...source,
    id: ctx.ids.next(),
    creationDate: ctx.now,
    modificationDate: ctx.now,
    sourceType: "PUBLIC_API",
    type: "CREDIT_NOTE",
    operationalNumber: null,
    seriesId: series.id,
    documentDate,
    operationDate: null,
    firstDueDate: documentDate,
    status: "Pending",
    externalReference: null,
    paymentTermLines: [],
    lines,
    totals,
    plan: [
      {
        dueDate: documentDate,
        amountCents: totals.netCents + totals.vatCents,
        paymentMeanId: null,
      },
    ],
    openItemIds: [],
    hasCreditNote: false,
    sourceSalesInvoiceId: source.id,
    postingEntryId: null,
    match: null,
    customerLines: [],
  };
  for (const { line, quantity } of credited)
    line.creditedQuantity = addDecimals(line.creditedQuantity, quantity);
  source.hasCreditNote = true;
  source.modificationDate = ctx.now;
  org.invoices.set(creditNote.id, creditNote);
  return creditNote;
}

/** Drafts only; leaves no tombstone (§7). A deleted draft credit note gives its quantities back. */
export function deleteSalesInvoice(ctx: RuleContext, invoiceId: string): void {
  const { org } = ctx;
  const invoice = findInvoice(org, invoiceId);
  if (invoice.status !== "Pending") fail(BUSINESS_ERRORS.salesInvoiceNotPending, invoice.status);
  org.invoices.delete(invoice.id);
  const source = invoice.sourceSalesInvoiceId
    ? org.invoices.get(invoice.sourceSalesInvoiceId)
    : undefined;
  if (!source) return;
  for (const line of invoice.lines) {
    const sourceLine = source.lines.find((candidate) => candidate.id === line.sourceLineId);
    if (sourceLine)
      sourceLine.creditedQuantity = subtractDecimals(
        sourceLine.creditedQuantity,
        negateDecimal(line.quantity),
      );
  }
  source.hasCreditNote = [...org.invoices.values()].some(
    (other) => other.sourceSalesInvoiceId === source.id,
  );
  source.modificationDate = ctx.now;
}
