/**
 * Commands that need the state open the same backend as the server, from the same
 * environment (DATABASE_URL, or the embedded store under ENCAISSE_DATA_DIR). An embedded
 * store that a running server or sandbox holds is refused, never opened twice.
 */
import type { Backend } from "../backend";
import { openBackend } from "../backend";
import { type Config, loadConfig } from "../config";
import { claimEmbeddedStore, embeddedStoreDir } from "../runtime/embedded-owner";
import { type CliIo, cliLogger, progress } from "./io";

export async function withBackend<T>(
  io: CliIo,
  work: (backend: Backend) => Promise<T>,
): Promise<T> {
  const config = loadConfig(io.env);
  const storeDir = embeddedStoreDir(config);
  const claim = storeDir ? claimEmbeddedStore(storeDir, "cli") : null;
  try {
    progress(io, `opening the database (${describeStore(config)})`);
    const backend = await openBackend(config, { logger: cliLogger(io) });
    try {
      return await work(backend);
    } finally {
      await backend.close();
    }
  } finally {
    claim?.release();
  }
}

/** Where the state lives, without credentials: "PostgreSQL db.internal:5432/encaisse". */
export function describeStore(config: Config): string {
  const storeDir = embeddedStoreDir(config);
  if (storeDir) return `embedded PGlite at ${storeDir}`;
  const url = new URL(config.DATABASE_URL ?? "");
  return `PostgreSQL ${url.hostname}${url.port ? `:${url.port}` : ""}${url.pathname}`;
}
