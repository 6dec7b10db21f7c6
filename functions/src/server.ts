/**
 * Node entry for real mode and self-hosting: `node --import tsx functions/src/server.ts`
 * (what `npm start` runs when HubSpot credentials are configured). Reads the environment
 * once, opens the store (migrating it), serves every endpoint on PORT and stops cleanly on
 * SIGINT / SIGTERM. The sandbox has its own entry: test/sandbox/start.ts.
 */
import { pathToFileURL } from "node:url";
import { DomainError } from "@encaisse/shared";
import { createApp } from "./app";
import { type Backend, jsonLogger, type Logger, openBackend } from "./backend";
import { loadConfig } from "./config";
import { type RunningJobs, startJobs } from "./jobs/workers";
import { listen } from "./http/node-server";
import { claimEmbeddedStore, embeddedStoreDir } from "./runtime/embedded-owner";
import { stopOnSignals } from "./runtime/shutdown";

export interface RunningServer {
  readonly backend: Backend;
  readonly port: number;
  readonly startupMs: number;
  /** This process's workers and schedule (none with ENCAISSE_WORKERS=0). */
  readonly jobs: RunningJobs;
  close(): Promise<void>;
}

export async function startServer(
  environment: Readonly<Record<string, string | undefined>>,
  logger: Logger = jsonLogger,
): Promise<RunningServer> {
  const started = performance.now();
  const config = loadConfig(environment);
  const storeDir = embeddedStoreDir(config);
  const claim = storeDir ? claimEmbeddedStore(storeDir, "server") : null;
  let backend: Backend;
  try {
    backend = await openBackend(config, { logger });
  } catch (error) {
    claim?.release();
    throw error;
  }
  const app = createApp(backend);
  const http = await listen(app.fetch, { port: config.PORT }).catch(async (error: unknown) => {
    await backend.close();
    claim?.release();
    throw error;
  });
  const jobs = await startJobs(backend).catch(async (error: unknown) => {
    await http.close();
    await backend.close();
    claim?.release();
    throw error;
  });
  const startupMs = Math.round(performance.now() - started);
  // Never a secret here: no DATABASE_URL, no client id, only where and how we run.
  logger.info("encaisse listening", {
    port: http.port,
    publicBaseUrl: config.publicBaseUrl,
    sandbox: config.sandbox,
    driver: backend.store.driver,
    nodeEnv: config.NODE_ENV,
    workers: jobs.working,
    startupMs,
  });
  return {
    backend,
    port: http.port,
    startupMs,
    jobs,
    async close() {
      await http.close();
      await jobs.stop();
      await backend.close();
      claim?.release();
    },
  };
}

async function main(): Promise<void> {
  try {
    const server = await startServer(process.env);
    stopOnSignals(
      async () => {
        jsonLogger.info("encaisse stopping");
        await server.close();
      },
      { onError: (error) => jsonLogger.error("stop failed", describe(error)) },
    );
  } catch (error) {
    jsonLogger.error("encaisse could not start", describe(error));
    process.exit(1);
  }
}

function describe(error: unknown): Record<string, unknown> {
  if (error instanceof DomainError) return { code: error.code, detail: error.message };
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return {
    code: code ?? "INTERNAL",
    detail: error instanceof Error ? error.message : String(error),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main();
}
