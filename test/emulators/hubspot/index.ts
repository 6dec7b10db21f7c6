export {
  HubSpotEmulator,
  ENCAISSE_HUBSPOT_SCOPES,
  SANDBOX_HUBSPOT_APP,
  SANDBOX_PORTAL_ID,
  type HubSpotEmulatorOptions,
  type InstalledApp,
  type InstallOptions,
} from "./emulator";
export {
  hubspotMswHandlers,
  HUBSPOT_API_URL,
  HUBSPOT_APP_URL,
  type HubSpotMswOptions,
} from "./msw";
export { startHubSpotServer, type RunningHubSpotServer } from "./server";
export { ManualClock } from "../common/clock";
export { loadBookInto, type LoadedBook } from "./load-book";
export {
  ASSOCIATION_TYPES,
  ASSOCIATION_TYPE_IDS,
  type AssociationTypeDefinition,
} from "./associations";
export { CRM_OBJECT_TYPES, OBJECT_TYPES, type CrmObjectType } from "./object-types";
export { DEFAULT_DEAL_STAGES, type DealStage } from "./default-properties";
export { DEFAULT_RATE_LIMITS, type RateLimitSettings, type RateLimitPolicy } from "./rate-limit";
export type { HubSpotStatsSnapshot } from "./stats";
export type { HubSpotFaults } from "./faults";
export type { Portal } from "./portal";
export type { HubSpotApp } from "./tokens";
export { ACCESS_TOKEN_TTL_SECONDS } from "./tokens";
export { BATCH_LIMIT } from "./objects-api";
export { SEARCH_MAX_PAGE_SIZE, SEARCH_MAX_RESULTS } from "./search";
export {
  signatureV3,
  type DealStageChange,
  type DealStageEvent,
  type WebhookDelivery,
  type WebhookDeliveryOptions,
} from "./webhooks";
export {
  HubSpotTestClient,
  type BatchBody,
  type ErrorBody,
  type PageBody,
  type RecordBody,
  type Reply,
} from "./test-client";
