/**
 * The sandbox's embedded database: a fresh directory at every start, so a restart is
 * clean, copied from the migrated template (template.ts) instead of initialized cold.
 */
import { cpSync, existsSync, readdirSync, renameSync } from "node:fs";
import { cp, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import {
  assertEmbeddedStoreFree,
  claimEmbeddedStore,
} from "../../functions/src/runtime/embedded-owner";
import { REPOSITORY_ROOT, type StoreTemplate, ensureStoreTemplate } from "./template";

export const DEFAULT_SANDBOX_DATA_DIR = join(REPOSITORY_ROOT, ".data", "sandbox");

export interface SandboxDatabase {
  /** ENCAISSE_DATA_DIR for the backend: the store is `${dataDir}/pglite`. */
  readonly dataDir: string;
  /** Whether this start had to build the template (first start on this machine or schema). */
  readonly templateBuilt: boolean;
  release(): void;
}

/**
 * Empties `dataDir` (refusing if a running sandbox uses it) and fills it from the template;
 * the promise settles once the store directory is ready to open.
 */
export function prepareSandboxDatabase(
  dataDir: string,
  template: StoreTemplate = ensureStoreTemplate(),
): Promise<SandboxDatabase> {
  const storeDir = join(dataDir, "pglite");
  assertEmbeddedStoreFree(storeDir);
  discardPreviousRun(dataDir);
  const claim = claimEmbeddedStore(storeDir, "sandbox");
  // A copy takes a fraction of a second done at once; done file by file in the background,
  // it would wait for every pause of the busy seeding.
  if (!template.building) cpSync(template.dir, storeDir, { recursive: true });
  const ready = template.building
    ? template.ready.then(() => cp(template.dir, storeDir, { recursive: true }))
    : Promise.resolve();
  return ready.then(
    () => ({ dataDir, templateBuilt: template.building, release: () => claim.release() }),
    (error: unknown) => {
      claim.release();
      throw error;
    },
  );
}

/**
 * Moves the last run's directory aside at once and deletes it in the background (tens of
 * megabytes: no reason to make the start wait), with leftovers of runs stopped mid-way.
 */
function discardPreviousRun(dataDir: string): void {
  const parent = dirname(dataDir);
  const discardedPrefix = `${basename(dataDir)}.discarded-`;
  if (existsSync(dataDir)) {
    renameSync(dataDir, join(parent, `${discardedPrefix}${process.pid}-${Date.now()}`));
  }
  if (!existsSync(parent)) return;
  for (const entry of readdirSync(parent)) {
    if (entry.startsWith(discardedPrefix)) {
      void rm(join(parent, entry), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
