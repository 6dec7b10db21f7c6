/**
 * The whole product on one machine, with nothing leaving it: HubSpot, Pennylane and Sage
 * Active emulated over HTTP and seeded with the realistic book, the backend on a fresh
 * embedded database, and a demo tenant installed and connected to Pennylane. `npm start`
 * runs it (start.ts); the end-to-end tests start it in-process on a free port.
 */
import { randomBytes } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Hono } from "hono";
import { type CalendarDate, parisDateOf } from "@encaisse/shared";
import { type AppEnv, createApp } from "../../functions/src/app";
import { type Backend, type Logger, openBackend } from "../../functions/src/backend";
import { connectPennylaneWithToken } from "../../functions/src/cli/connect";
import type { CliIo } from "../../functions/src/cli/io";
import { type SignedCall, curlCommand, signHubSpotCall } from "../../functions/src/cli/signed-call";
import { loadConfig } from "../../functions/src/config";
import { listen } from "../../functions/src/http/node-server";
import { startJobs } from "../../functions/src/jobs/workers";
import type { Book } from "../fixtures/book";
import { generateBook } from "../fixtures/generate";
import { type InstalledApp, SANDBOX_HUBSPOT_APP } from "../emulators/hubspot";
import { SANDBOX_CREDENTIALS } from "../emulators/sage-active";
import { consoleLogger } from "./console-logger";
import { DEFAULT_SANDBOX_DATA_DIR, type SandboxDatabase, prepareSandboxDatabase } from "./database";
import {
  SANDBOX_PENNYLANE_APP,
  SANDBOX_PENNYLANE_TOKEN,
  type SandboxEmulators,
  type SeededEmulators,
  seedEmulators,
  startEmulators,
} from "./emulators";
import { type ExampleCompany, chooseExamples } from "./examples";
import type { StoreTemplate } from "./template";

export interface SandboxOptions {
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** Wiped at start. Default `.data/sandbox` at the repository root. */
  readonly dataDir?: string;
  /** Ask for the demo company's card once before answering ready, so the first view is fast. */
  readonly warm?: boolean;
  /**
   * Run the background jobs as the server does (default true): the demo tenant's first sync
   * (its backfill into the read model and the HubSpot emulator's properties), the schedule,
   * deals won. Tests that count calls turn them off.
   */
  readonly jobs?: boolean;
  readonly logger?: Logger;
  /** The book's "today" (default: today in Paris, so the sandbox never ages). */
  readonly today?: CalendarDate;
  /** A template already being looked up or built (start.ts starts it before loading this). */
  readonly template?: StoreTemplate;
}

export interface StartupStep {
  readonly step: string;
  readonly ms: number;
}

export interface Sandbox {
  /** The backend, e.g. http://localhost:3000 (PUBLIC_BASE_URL: what the signatures cover). */
  readonly url: string;
  readonly port: number;
  readonly portalId: string;
  readonly emulators: SandboxEmulators;
  /** The demo portal's install (tokens, installing user) and what its CRM was seeded with. */
  readonly seeded: SeededEmulators;
  /** The backend's environment: every URL at the emulators, the sandbox app's credentials. */
  readonly environment: Readonly<Record<string, string>>;
  /** The same environment as a file, for `encaisse --env`. */
  readonly envFile: string;
  readonly storeDir: string;
  readonly templateBuilt: boolean;
  readonly book: Book;
  readonly examples: readonly ExampleCompany[];
  /** The company of the ready-made curl: matched, with overdue invoices. */
  readonly demoCompany: ExampleCompany;
  readonly backend: Backend;
  readonly startup: { readonly totalMs: number; readonly steps: readonly StartupStep[] };
  /** The card request of a company, signed now as HubSpot would: valid 5 minutes, once. */
  signedCardRequest(companyId?: string): SignedCall;
  /** That request as a curl command line. */
  cardCurl(companyId?: string): string;
  /** The path of a company's card request, for `encaisse sign --url`. */
  cardPath(companyId?: string): string;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const started = performance.now();
  const steps: StartupStep[] = [];
  let lap = started;
  const step = (name: string) => {
    const now = performance.now();
    steps.push({ step: name, ms: Math.round(now - lap) });
    lap = now;
  };
  const logger = options.logger ?? consoleLogger();
  const cleanups: (() => Promise<void> | void)[] = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };

  // Started first: on a first start the template builds in its own process meanwhile.
  const dataDir = options.dataDir ?? DEFAULT_SANDBOX_DATA_DIR;
  const database = prepareSandboxDatabase(dataDir, options.template);
  // Awaited below; until then a failure must not count as unhandled.
  database.catch(() => undefined);
  let opening: Promise<{ prepared: SandboxDatabase; backend: Backend }> | null = null;
  try {
    let app: Hono<AppEnv> | null = null;
    const http = await listen((request) => (app ? app.fetch(request) : starting()), {
      port: options.port ?? 3000,
      hostname: "127.0.0.1",
    });
    cleanups.push(() => http.close());
    const url = `http://localhost:${http.port}`;
    step("listen");

    const emulators = await startEmulators();
    cleanups.push(() => emulators.close());
    const environment = sandboxEnvironment({ url, port: http.port, emulators, dataDir });
    // Opens (PGlite compiles in the background) while the emulators are seeded below.
    opening = database.then(async (prepared) => {
      cleanups.push(() => prepared.release());
      const opened = await openBackend(loadConfig(environment), { logger });
      cleanups.push(() => opened.close());
      return { prepared, backend: opened };
    });
    opening.catch(() => undefined);
    step("emulators up");

    const book = generateBook({ today: options.today ?? parisDateOf(new Date()) });
    step("book");
    const seeded = await seedEmulators(emulators, book);
    step("emulators seeded");

    const { prepared, backend } = await opening;
    app = createApp(backend);
    step(prepared.templateBuilt ? "database and backend (template built)" : "database and backend");

    const portalId = String(emulators.portalId);
    await installDemoTenant(backend, emulators.portalId, seeded.install);
    step("demo tenant");

    const examples = chooseExamples(book, seeded.crm);
    const demoCompany = examples[0];
    if (!demoCompany) throw new Error("The book has no company to show.");
    const cardPath = (companyId = demoCompany.hubspotId) =>
      `/v1/cards/invoices?objectType=companies&objectId=${companyId}`;
    const signedCardRequest = (companyId?: string) =>
      signHubSpotCall({
        method: "GET",
        url: `${url}${cardPath(companyId)}`,
        portalId,
        userId: String(seeded.install.userId),
        userEmail: seeded.install.userEmail,
        appId: String(SANDBOX_HUBSPOT_APP.appId),
        clientSecret: SANDBOX_HUBSPOT_APP.clientSecret,
      });

    if (options.warm ?? true) {
      const warmed = await warmCard(app, signedCardRequest());
      if (!warmed.ok) logger.warn("the demo card could not be prepared", warmed.problem);
      step("warm demo card");
    }

    if (options.jobs ?? true) {
      // Started after the demo card is warm, so the first view does not queue behind the
      // backfill; stopped (at the sync's next page) before the backend closes.
      const jobs = await startJobs(backend);
      cleanups.push(() => jobs.stop());
      step("jobs");
    }

    const envFile = join(dataDir, "sandbox.env");
    let closing: Promise<void> | null = null;
    writeFileSync(envFile, envFileText(environment));

    return {
      url,
      port: http.port,
      portalId,
      emulators,
      seeded,
      environment,
      envFile,
      storeDir: join(dataDir, "pglite"),
      templateBuilt: prepared.templateBuilt,
      book,
      examples,
      demoCompany,
      backend,
      startup: { totalMs: Math.round(performance.now() - started), steps },
      signedCardRequest,
      cardCurl: (companyId) => curlCommand(signedCardRequest(companyId)),
      cardPath,
      // Stop taking requests first, then close what they use.
      close: () => (closing ??= http.close().then(cleanUp)),
    };
  } catch (error) {
    // Let whatever was still opening finish, so that it is closed too.
    const prepared = await database.catch(() => null);
    await opening?.catch(() => undefined);
    await cleanUp();
    prepared?.release();
    throw error;
  }
}

function sandboxEnvironment(input: {
  url: string;
  port: number;
  emulators: SandboxEmulators;
  dataDir: string;
}): Record<string, string> {
  const { emulators } = input;
  return {
    NODE_ENV: "development",
    ENCAISSE_SANDBOX: "1",
    PORT: String(input.port),
    PUBLIC_BASE_URL: input.url,
    HUBSPOT_API_URL: emulators.hubspot.url,
    HUBSPOT_APP_URL: emulators.hubspot.url,
    HUBSPOT_CLIENT_ID: SANDBOX_HUBSPOT_APP.clientId,
    HUBSPOT_CLIENT_SECRET: SANDBOX_HUBSPOT_APP.clientSecret,
    HUBSPOT_APP_ID: String(SANDBOX_HUBSPOT_APP.appId),
    PENNYLANE_API_URL: emulators.pennylane.url,
    PENNYLANE_CLIENT_ID: SANDBOX_PENNYLANE_APP.clientId,
    PENNYLANE_CLIENT_SECRET: SANDBOX_PENNYLANE_APP.clientSecret,
    SAGE_ACTIVE_API_URL: emulators.sageActive.apiUrl,
    SAGE_ACTIVE_AUTH_URL: emulators.sageActive.authUrl,
    SAGE_ACTIVE_CLIENT_ID: SANDBOX_CREDENTIALS.clientId,
    SAGE_ACTIVE_CLIENT_SECRET: SANDBOX_CREDENTIALS.clientSecret,
    SAGE_ACTIVE_API_KEY: SANDBOX_CREDENTIALS.apiKey,
    // The data lives as long as this run: a key of its own, rather than the development key.
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ENCAISSE_DATA_DIR: input.dataDir,
  };
}

function envFileText(environment: Readonly<Record<string, string>>): string {
  const lines = Object.entries(environment).map(([name, value]) => `${name}=${value}`);
  return `# Written by the sandbox (npm start) for \`encaisse --env\`; rewritten at every start.\n${lines.join("\n")}\n`;
}

const quietIo: CliIo = { env: {}, out: () => undefined, err: () => undefined };

/** Installed as the HubSpot OAuth flow would leave it, connected as an operator would. */
async function installDemoTenant(
  backend: Backend,
  portal: number,
  install: InstalledApp,
): Promise<void> {
  const portalId = String(portal);
  await backend.repos.tenants.install(portalId);
  await backend.repos.credentials.save(portalId, "hubspot", {
    method: "oauth",
    tokens: {
      accessToken: install.accessToken,
      refreshToken: install.refreshToken,
      expiresAt: install.expiresAt.getTime(),
      scope: install.scopes.join(" "),
    },
  });
  await connectPennylaneWithToken(backend, portalId, SANDBOX_PENNYLANE_TOKEN, quietIo);
}

/** One card view through the app (no socket): links the customer and fills its read model. */
async function warmCard(
  app: Hono<AppEnv>,
  call: SignedCall,
): Promise<{ ok: true } | { ok: false; problem: Record<string, unknown> }> {
  try {
    const response = await app.request(call.url, { method: call.method, headers: call.headers });
    const body = (await response.json()) as { state?: unknown; error?: unknown };
    if (response.status === 200 && body.state === "ok") return { ok: true };
    return {
      ok: false,
      problem: { status: response.status, state: body.state, error: body.error },
    };
  } catch (error) {
    return {
      ok: false,
      problem: { error: error instanceof Error ? error.message : String(error) },
    };
  }
}

function starting(): Response {
  return Response.json(
    {
      error: {
        code: "SANDBOX_STARTING",
        message: "The sandbox is starting; try again in a moment.",
      },
    },
    { status: 503, headers: { "retry-after": "1" } },
  );
}
