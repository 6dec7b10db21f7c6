export {
  INVALID_SUBSCRIPTION_KEY,
  type RecordedPayment,
  SANDBOX_CREDENTIALS,
  SageActiveEmulator,
  type SageActiveEmulatorOptions,
} from "./emulator";
export { BUSINESS_ERRORS, type BusinessErrorKey } from "./business-errors";
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "./connection";
export { SageActiveFaults } from "./faults";
export { type LoadBookOptions, type LoadedBook, paymentTermLinesFor } from "./load-book";
export {
  SAGE_ACTIVE_API_URL,
  SAGE_ACTIVE_AUTH_URL,
  type SageActiveMswOptions,
  sageActiveMswHandlers,
} from "./msw";
export { ACCESS_TOKEN_LIFETIME_SECONDS, SageAuthServer, type TokenResponse } from "./oauth";
export { SAGE_ACTIVE_LIMITS, type SageActiveStats } from "./rate-limit";
export { buildSageActiveSchema, readSageActiveSdl, SAGE_ACTIVE_SDL_PATH } from "./schema";
export { SAGE_TAX_GROUPS, vatCodeFor, customerSituation } from "./tax-codes";
export {
  type SageActiveServer,
  type SageActiveServerOptions,
  startSageActiveServer,
} from "./server";
