/**
 * The Sage Active app's settings. Every URL defaults to the real service and can point at
 * the emulator or a staging peer instead (ARCHITECTURE.md, Configuration).
 */
import { z } from "zod";

/** France's GraphQL endpoint; ES/PT and DE have their own hosts (reference §1.1). */
export const SAGE_ACTIVE_DEFAULT_API_URL = "https://api.fr.active.sage.com/graphql";
/** SBC Auth, one host for every market (reference §1.2). */
export const SAGE_ACTIVE_DEFAULT_AUTH_URL = "https://sbcauth.sage.fr";

export const sageActiveAppConfigSchema = z.object({
  apiUrl: z.url().default(SAGE_ACTIVE_DEFAULT_API_URL),
  authUrl: z.url().default(SAGE_ACTIVE_DEFAULT_AUTH_URL),
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  /** The app's subscription key, sent as `x-api-key` on every call. */
  apiKey: z.string().min(1),
});
export type SageActiveAppConfig = z.infer<typeof sageActiveAppConfigSchema>;

/** Published limits (reference §2.7): per app and minute, and mutations in parallel. */
export const SAGE_REQUESTS_PER_MINUTE = 3000;
export const SAGE_PARALLEL_MUTATIONS = 10;
/** Hot Chocolate's maximum page size on Sage (reference §2.3). */
export const SAGE_MAX_PAGE_SIZE = 500;
