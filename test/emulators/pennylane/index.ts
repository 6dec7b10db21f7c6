export { PennylaneEmulator, ENCAISSE_SCOPES, type PennylaneEmulatorOptions } from "./emulator";
export { pennylaneMswHandlers, type PennylaneMswOptions } from "./msw";
export { startPennylaneServer, type RunningPennylaneServer } from "./server";
export { loadBookInto, type LoadedBook } from "./load-book";
export type { OAuthClient } from "./oauth";
export type { PennylaneStatsSnapshot, RateLimitSettings } from "./rate-limit";
export type { PennylaneFaults } from "./faults";
export type { NewPayment, NewProduct, SentEmail } from "./ledger";
export {
  CUSTOMER_FILTERS,
  CUSTOMER_INVOICE_FILTERS,
  PRODUCT_FILTERS,
  type FilterTable,
} from "./filters";
export { API_ROUTES } from "./endpoints";
export { CHANGELOG_RETENTION_MS } from "./changelog";
export { PUBLIC_FILE_TTL_MS } from "./public-files";
export { ACCESS_TOKEN_TTL_SECONDS, REFRESH_TOKEN_TTL_SECONDS } from "./tokens";
export { ManualClock } from "../common/clock";
export { SAMPLE_BOOK, SAMPLE_TODAY } from "./sample-book";
export type { NewIndividualCustomer } from "./customers";
