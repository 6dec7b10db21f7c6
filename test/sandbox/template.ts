/**
 * The migrated, empty embedded database every sandbox start copies, instead of initializing
 * PGlite cold (seconds). Built once per machine and schema, keyed by the migrations and the
 * PGlite version, in its own process. Node built-ins only: `npm start` loads this first and
 * starts the build before the heavier modules load.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const REPOSITORY_ROOT = resolve(here, "../..");
/** Where functions/src/store/open.ts finds them too. */
const MIGRATIONS_FOLDER = join(REPOSITORY_ROOT, "functions", "drizzle");
const TEMPLATE_PREFIX = "pglite-template-";

export interface StoreTemplate {
  /** The template's directory, once `ready` resolves. */
  readonly dir: string;
  /** True when this start builds it (first start on this machine with this schema). */
  readonly building: boolean;
  readonly ready: Promise<void>;
}

export function ensureStoreTemplate(templatesDir = join(REPOSITORY_ROOT, ".data")): StoreTemplate {
  const dir = join(templatesDir, `${TEMPLATE_PREFIX}${schemaFingerprint()}`);
  if (existsSync(dir)) return { dir, building: false, ready: Promise.resolve() };
  const ready = buildTemplate(dir, templatesDir);
  // Awaited by whoever copies it; until then a failure must not count as unhandled.
  ready.catch(() => undefined);
  return { dir, building: true, ready };
}

function schemaFingerprint(): string {
  const hash = createHash("sha256");
  // PGlite's version: its package.json, beside the entry point (it is not exported).
  const entry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  hash.update(readFileSync(join(dirname(entry), "..", "package.json")));
  const walk = (folder: string) => {
    for (const item of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(folder, item.name);
      if (item.isDirectory()) walk(path);
      else hash.update(item.name).update(readFileSync(path));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return hash.digest("hex").slice(0, 16);
}

async function buildTemplate(dir: string, templatesDir: string): Promise<void> {
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  await runTemplateMaker(partial);
  // Templates of older schemas are dead weight (40 MB each), and so are the partial ones of
  // starts that were stopped mid-way.
  for (const entry of readdirSync(templatesDir)) {
    if (!entry.startsWith(TEMPLATE_PREFIX) || join(templatesDir, entry) === dir) continue;
    const builder = /\.partial-(\d+)$/.exec(entry)?.[1];
    if (builder === undefined || !isAlive(Number(builder))) {
      rmSync(join(templatesDir, entry), { recursive: true, force: true });
    }
  }
  try {
    renameSync(partial, dir);
  } catch (error) {
    // Another start built it at the same moment: theirs is as good as ours.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(dir)) throw error;
  }
}

function runTemplateMaker(dataDir: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(
      process.execPath,
      [join(here, "make-template.mjs"), dataDir, MIGRATIONS_FOLDER],
      { cwd: REPOSITORY_ROOT, stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolvePromise();
      else
        reject(
          new Error(
            `Could not build the sandbox database template: ${stderr.trim() || `exit code ${code}`}`,
          ),
        );
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
