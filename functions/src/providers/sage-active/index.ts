export { SageActiveProvider, listSageOrganizations } from "./client";
export type { SageActiveConnectionOptions, SageActiveProviderOptions } from "./client";
export {
  SAGE_ACTIVE_SCOPES,
  SageActiveAuth,
  exchangeSageCode,
  revokeSageToken,
  sageAuthorizeUrl,
  sageTokenRefresher,
} from "./auth";
export {
  SAGE_ACTIVE_DEFAULT_API_URL,
  SAGE_ACTIVE_DEFAULT_AUTH_URL,
  type SageActiveAppConfig,
  sageActiveAppConfigSchema,
} from "./config";
export { EMPTY_GUID, isUsableOrganization } from "./organization";
export type { InvoicePdf } from "./pdf";
export {
  SAGE_CUSTOMER_CODE_MAX_LENGTH,
  SAGE_INVOICE_REFERENCE_MAX_LENGTH,
  fromSageReference,
  toSageReference,
} from "./references";
export { SAGE_ERROR_KEYS, sageErrorKeys } from "./graphql-errors";
export { SAGE_TAX_TARGETS, vatCodeOfSageLine } from "./vat-codes";
export type { SageOrganization } from "./schemas";
