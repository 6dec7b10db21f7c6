/**
 * The one error body every endpoint returns, and the HTTP status each error code maps to.
 * Codes are stable: the card and the extension switch on them.
 */
import { z } from "zod";

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    message: z.string().min(1),
    details: z.record(z.string(), z.unknown()).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** The HTTP status of each known code; an unknown code is a 400 if it is the caller's, else 500. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  MONEY_INVALID_FORMAT: 400,
  MONEY_OUT_OF_RANGE: 400,
  MONEY_NOT_INTEGER_CENTS: 400,
  CURRENCY_UNKNOWN: 400,
  DATE_INVALID: 400,
  DISCOUNT_OUT_OF_RANGE: 422,
  VAT_RATE_UNKNOWN: 422,
  VAT_RATE_INVALID: 422,
  PAYMENT_TERMS_INVALID: 422,
  PAYMENT_TERMS_EXCEED_LEGAL_MAXIMUM: 422,
  PENALTY_RATE_BELOW_LEGAL_MINIMUM: 422,
  IDENTIFIER_EMPTY: 400,
  IDENTIFIER_UNRECOGNISED: 400,
  SIREN_INVALID_FORMAT: 400,
  SIREN_INVALID_CHECKSUM: 400,
  SIRET_INVALID_FORMAT: 400,
  SIRET_INVALID_CHECKSUM: 400,
  VAT_NUMBER_INVALID_FORMAT: 400,
  VAT_NUMBER_INVALID_KEY: 400,
  VAT_NUMBER_UNKNOWN_COUNTRY: 400,
  VAT_NUMBER_INVALID_SIREN: 400,
  INVOICE_MANDATORY_MENTIONS_MISSING: 422,
  DEAL_HAS_NO_LINE_ITEMS: 422,
  CUSTOMER_SIREN_MISSING: 422,
  CUSTOMER_VAT_NUMBER_MISSING: 422,
  CUSTOMER_ADDRESS_MISSING: 422,
  OPERATION_NATURE_MISSING: 422,
  LINE_QUANTITY_INVALID: 422,
  LINE_PRICE_INVALID: 422,
  LINE_DISCOUNT_INVALID: 422,
  LINE_LABEL_MISSING: 422,
  DEAL_HAS_NO_COMPANY: 422,
  DEAL_ALREADY_INVOICED: 409,
  INVOICE_CREATION_IN_PROGRESS: 409,
  CUSTOMER_NOT_MATCHED: 409,
  SIGNATURE_INVALID: 401,
  SIGNATURE_EXPIRED: 401,
  SIGNATURE_REPLAYED: 401,
  EXTENSION_TOKEN_INVALID: 401,
  PAIRING_CODE_INVALID: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  TENANT_NOT_INSTALLED: 404,
  PROVIDER_NOT_CONNECTED: 409,
  PROVIDER_AUTH_FAILED: 502,
  PROVIDER_RATE_LIMITED: 503,
  PROVIDER_UNAVAILABLE: 503,
  PROVIDER_TIMEOUT: 504,
  PROVIDER_REJECTED: 422,
  PROVIDER_NOT_FOUND: 404,
  PROVIDER_RESPONSE_INVALID: 502,
  PROVIDER_CHANGES_EXPIRED: 409,
  INVOICE_QUANTITY_TOO_PRECISE: 422,
  INVOICE_CUSTOMER_INVALID: 502,
  SAGE_REFERENCE_TOO_LONG: 422,
  SAGE_REFERENCE_TAKEN: 409,
  SAGE_VAT_MISMATCH: 422,
  DECIMAL_NOT_REPRESENTABLE: 422,
  HUBSPOT_UNAVAILABLE: 503,
  HUBSPOT_RATE_LIMITED: 503,
  RATE_LIMITED: 429,
  CONFIG_INVALID: 500,
  INTERNAL: 500,
} as const satisfies Record<string, number>;

export type KnownErrorCode = keyof typeof ERROR_STATUS;

export function errorStatus(code: string): number {
  return Object.hasOwn(ERROR_STATUS, code) ? ERROR_STATUS[code as KnownErrorCode] : 400;
}

/** A field-level problem, shown next to the field in a form. */
export const fieldErrorSchema = z.object({
  field: z.string(),
  code: z.string(),
  message: z.string(),
});
export type FieldError = z.infer<typeof fieldErrorSchema>;
