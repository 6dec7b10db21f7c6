export { PennylaneProvider, type PennylaneProviderOptions } from "./client";
export {
  PENNYLANE_SCOPES,
  type PennylaneOAuthConfig,
  exchangePennylaneCode,
  pennylaneApiTokenAuth,
  pennylaneAuthorizeUrl,
  pennylaneOAuthAuth,
  pennylaneTokenRefresher,
  revokePennylaneToken,
} from "./auth";
export { PENNYLANE_RATE_LIMIT, createPennylaneLimiter, pennylaneLimiterFor } from "./limiter";
export { API_PATH as PENNYLANE_API_PATH, DEFAULT_PENNYLANE_URL } from "./api";
export { CHANGELOG_RETENTION_MS as PENNYLANE_CHANGELOG_RETENTION_MS } from "./changelogs";
export { describePennylaneError } from "./errors";
