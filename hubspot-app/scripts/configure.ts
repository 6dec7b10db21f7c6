/**
 * Points the HubSpot project at a deployed backend before `hs project upload`:
 * ENCAISSE_BACKEND_URL (the backend's public https origin, PUBLIC_BASE_URL on the backend)
 * becomes `permittedUrls.fetch` and the OAuth redirect URL in app-hsmeta.json, the webhooks'
 * target URL in webhooks/webhooks-hsmeta.json, and the `BACKEND_URL` every card calls.
 *
 *   ENCAISSE_BACKEND_URL=https://api.example.fr npx tsx hubspot-app/scripts/configure.ts
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";

/** The backend's HubSpot install callback (functions/src/routes/oauth.ts). */
export const OAUTH_CALLBACK_PATH = "/oauth/hubspot/callback";

/** Where HubSpot delivers the deal-stage webhooks (functions/src/routes/webhooks.ts). */
export const WEBHOOK_PATH = "/v1/webhooks/hubspot";

const BACKEND_URL_LINE = /^export const BACKEND_URL = "[^"]*";$/m;

/**
 * The origin HubSpot will let the cards call. HubSpot only fetches https origins listed in
 * `permittedUrls.fetch`, never localhost (local development maps the origin to a local
 * server with local.json instead), and follows no redirect, so a path is refused too.
 */
export function backendOriginOf(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === "") {
    throw new Error(
      "Set ENCAISSE_BACKEND_URL to the backend's public https origin, e.g. https://api.encaisse.example.",
    );
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`ENCAISSE_BACKEND_URL "${raw}" is not a URL.`);
  }
  if (url.protocol !== "https:") {
    throw new Error(
      `ENCAISSE_BACKEND_URL must use https (HubSpot fetches nothing else): "${raw}".`,
    );
  }
  if (url.hostname === "localhost" || url.hostname === "127.0.0.1" || url.hostname === "[::1]") {
    throw new Error(
      "ENCAISSE_BACKEND_URL cannot be localhost: for local development keep the public origin and map it in app/local.json.",
    );
  }
  if (url.pathname !== "/" || url.search !== "" || url.hash !== "" || url.username !== "") {
    throw new Error(
      `ENCAISSE_BACKEND_URL must be an origin only (scheme, host, port), not "${raw}".`,
    );
  }
  return url.origin;
}

interface AppConfig {
  config: {
    auth: { redirectUrls: string[] };
    permittedUrls: { fetch: string[] };
  };
}

interface WebhooksConfig {
  config: { settings: { targetUrl: string } };
}

async function writeFormatted(file: string, text: string): Promise<void> {
  const options = (await resolveConfig(file)) ?? {};
  await writeFile(file, await format(text, { ...options, filepath: file }));
}

/** Rewrites the project under `appDir` (hubspot-app/app) for `backendUrl`; returns the origin. */
export async function configureBackend(
  appDir: string,
  backendUrl: string | undefined,
): Promise<string> {
  const origin = backendOriginOf(backendUrl);

  const appFile = path.join(appDir, "app-hsmeta.json");
  const app = JSON.parse(await readFile(appFile, "utf8")) as AppConfig;
  app.config.permittedUrls.fetch = [origin];
  app.config.auth.redirectUrls = [`${origin}${OAUTH_CALLBACK_PATH}`];
  await writeFormatted(appFile, JSON.stringify(app, null, 2));

  const webhooksFile = path.join(appDir, "webhooks", "webhooks-hsmeta.json");
  const webhooks = JSON.parse(await readFile(webhooksFile, "utf8")) as WebhooksConfig;
  webhooks.config.settings.targetUrl = `${origin}${WEBHOOK_PATH}`;
  await writeFormatted(webhooksFile, JSON.stringify(webhooks, null, 2));

  const constantFile = path.join(appDir, "cards", "utils", "backend-url.ts");
  const source = await readFile(constantFile, "utf8");
  if (!BACKEND_URL_LINE.test(source)) {
    throw new Error(
      `${constantFile} no longer declares BACKEND_URL on one line; update this script.`,
    );
  }
  await writeFormatted(
    constantFile,
    source.replace(BACKEND_URL_LINE, `export const BACKEND_URL = ${JSON.stringify(origin)};`),
  );
  return origin;
}

const runDirectly =
  process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (runDirectly) {
  const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "app");
  configureBackend(appDir, process.env["ENCAISSE_BACKEND_URL"]).then(
    (origin) => process.stdout.write(`HubSpot project now calls ${origin}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
