/**
 * The backend's public origin. `hubspot-app/scripts/configure.ts` rewrites this line from
 * `ENCAISSE_BACKEND_URL`, together with `permittedUrls.fetch` and `redirectUrls` in
 * app-hsmeta.json: HubSpot refuses a `hubspot.fetch` to an origin that is not listed there.
 */
export const BACKEND_URL = "https://api.encaisse.example";
