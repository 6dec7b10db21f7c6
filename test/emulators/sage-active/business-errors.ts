/**
 * Business rule failures, answered as Sage does (§2.8): HTTP 200, `data.<op>: null`, one
 * error per broken rule whose `message` is a dotted key. The documented keys are used
 * where the reference gives one; the others follow the same `sales.businessErrors.*` /
 * `global.businessErrors.*` style and are listed in the README.
 */

export const BUSINESS_ERRORS = {
  // Documented (§2.8).
  documentIdAlreadyExists: "global.businessErrors.documentIdAlreadyExistInOrganization",
  vatNumberAlreadyExists: "global.businessErrors.vatNumberAlreadyExistInOrganization",
  codeWithBlankSpaces: "sales.businessErrors.codeCannotContainBlankSpaces",
  // The emulator's own, same style.
  codeAlreadyExists: "global.businessErrors.codeAlreadyExistInOrganization",
  requiredField: "global.businessErrors.requiredField",
  addressRequired: "global.businessErrors.addressRequired",
  maxLengthExceeded: "global.businessErrors.maxLengthExceeded",
  taxGroupNotFound: "global.businessErrors.taxGroupNotFound",
  customerNotFound: "sales.businessErrors.customerNotFound",
  linesRequired: "sales.businessErrors.linesRequired",
  productRequired: "sales.businessErrors.productRequired",
  productNotFound: "sales.businessErrors.productNotFound",
  invalidDiscount: "sales.businessErrors.invalidDiscount",
  invalidPaymentTerms: "sales.businessErrors.invalidPaymentTerms",
  operationDateAfterDocumentDate: "sales.businessErrors.operationDateAfterDocumentDate",
  operationalNumberAlreadyExists: "sales.businessErrors.operationalNumberAlreadyExists",
  numberingSeriesNotFound: "sales.businessErrors.operationalNumberPresetTextNotFound",
  salesInvoiceNotFound: "sales.businessErrors.salesInvoiceNotFound",
  salesInvoiceNotPending: "sales.businessErrors.salesInvoiceNotPending",
  salesInvoiceNotClosed: "sales.businessErrors.salesInvoiceNotClosed",
  salesInvoiceAlreadyPosted: "sales.businessErrors.salesInvoiceAlreadyPosted",
  invalidJournalType: "sales.businessErrors.invalidJournalType",
  creditNoteCannotBeCredited: "sales.businessErrors.creditNoteCannotBeCredited",
  nothingLeftToCredit: "sales.businessErrors.nothingLeftToCredit",
  productNotInSourceInvoice: "sales.businessErrors.productNotInSourceInvoice",
  creditNoteQuantityExceedsAvailable:
    "sales.businessErrors.creditNoteQuantityExceedsAvailableQuantity",
  invalidQuantity: "sales.businessErrors.invalidQuantity",
  paymentMethodNotFound: "sales.businessErrors.paymentMethodNotFound",
  settlementWithoutOpenItems: "sales.businessErrors.settlementWithoutOpenItems",
  openItemNotFound: "sales.businessErrors.openItemNotFound",
  openItemOfAnotherThirdParty: "sales.businessErrors.openItemDoesNotBelongToThirdParty",
  openItemAlreadyCollected: "sales.businessErrors.openItemAlreadyCollected",
  invalidPaidAmount: "sales.businessErrors.invalidPaidAmount",
  paidAmountExceedsPending: "sales.businessErrors.paidAmountExceedsPendingAmount",
  documentNotFound: "sales.businessErrors.documentNotFound",
} as const;

export type BusinessErrorKey = (typeof BUSINESS_ERRORS)[keyof typeof BUSINESS_ERRORS];

export interface BusinessFailure {
  readonly key: BusinessErrorKey;
  /** The offending field or value, answered in `extensions.details`. */
  readonly details?: string;
}

export class SageBusinessError extends Error {
  constructor(readonly failures: readonly [BusinessFailure, ...BusinessFailure[]]) {
    super(failures[0].key);
    this.name = "SageBusinessError";
  }
}

/** Collects failures while checking an input, then throws them all at once. */
export class FailureList {
  private readonly failures: BusinessFailure[] = [];

  add(key: BusinessErrorKey, details?: string): void {
    this.failures.push(details === undefined ? { key } : { key, details });
  }

  maxLength(field: string, value: string | null | undefined, max: number): void {
    if (value !== null && value !== undefined && value.length > max) {
      this.add(BUSINESS_ERRORS.maxLengthExceeded, `${field} (max ${max})`);
    }
  }

  throwIfAny(): void {
    const [first, ...rest] = this.failures;
    if (first) throw new SageBusinessError([first, ...rest]);
  }
}

export function fail(key: BusinessErrorKey, details?: string): never {
  throw new SageBusinessError([details === undefined ? { key } : { key, details }]);
}

const FRENCH: Partial<Record<BusinessErrorKey, string>> = {
  "global.businessErrors.documentIdAlreadyExistInOrganization":
    "Un client avec ce numéro d'identification existe déjà dans l'entreprise.",
  "global.businessErrors.vatNumberAlreadyExistInOrganization":
    "Un client avec ce numéro de TVA existe déjà dans l'entreprise.",
  "sales.businessErrors.codeCannotContainBlankSpaces": "Le code ne peut pas contenir d'espaces.",
  "global.businessErrors.maxLengthExceeded": "La longueur maximale du champ est dépassée.",
  "sales.businessErrors.openItemAlreadyCollected": "Cette échéance est déjà encaissée.",
  "sales.businessErrors.paidAmountExceedsPendingAmount":
    "Le montant réglé dépasse le montant restant dû.",
};

const ENGLISH: Partial<Record<BusinessErrorKey, string>> = {
  "global.businessErrors.documentIdAlreadyExistInOrganization":
    "A customer with this identification number already exists in the business.",
  "global.businessErrors.vatNumberAlreadyExistInOrganization":
    "A customer with this VAT number already exists in the business.",
  "sales.businessErrors.codeCannotContainBlankSpaces": "The code cannot contain blank spaces.",
  "global.businessErrors.maxLengthExceeded": "The maximum length of the field is exceeded.",
  "sales.businessErrors.openItemAlreadyCollected": "This open item is already collected.",
  "sales.businessErrors.paidAmountExceedsPendingAmount":
    "The paid amount exceeds the pending amount.",
};

const KNOWN_KEYS = new Set<string>(Object.values(BUSINESS_ERRORS));

/** `localizedErrorMessage` (§2.8): a readable message, or null for an unknown code. */
export function localizedMessage(
  errorCode: string,
  language: string,
): { message: string } | "unknown-code" | "unknown-language" {
  const base = language.toLowerCase().split("-")[0];
  if (base !== "fr" && base !== "en" && base !== "es" && base !== "de") return "unknown-language";
  if (!KNOWN_KEYS.has(errorCode)) return "unknown-code";
  const key = errorCode as BusinessErrorKey;
  const table = base === "fr" ? FRENCH : ENGLISH;
  return { message: table[key] ?? ENGLISH[key] ?? key };
}
