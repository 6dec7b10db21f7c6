/**
 * The embedded database is one process's: two PGlite instances on the same directory corrupt
 * it. Whoever serves from it (server, sandbox) leaves its pid beside the directory, so the
 * operator CLI and a second sandbox can refuse clearly instead of opening it too.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import type { Config } from "../config";

const ownerSchema = z.object({
  pid: z.number().int().positive(),
  role: z.enum(["server", "sandbox", "cli"]),
  startedAt: z.string(),
});
export type EmbeddedOwner = z.infer<typeof ownerSchema>;

/** The embedded store's directory, as `openBackend` derives it; null on PostgreSQL. */
export function embeddedStoreDir(config: Config): string | null {
  return config.DATABASE_URL ? null : resolve(config.ENCAISSE_DATA_DIR, "pglite");
}

function ownerFile(storeDir: string): string {
  return `${storeDir}.owner.json`;
}

/** The live process serving from `storeDir`, or null. */
export function embeddedStoreOwner(storeDir: string): EmbeddedOwner | null {
  let owner: EmbeddedOwner;
  try {
    const parsed = ownerSchema.safeParse(JSON.parse(readFileSync(ownerFile(storeDir), "utf8")));
    if (!parsed.success) return null;
    owner = parsed.data;
  } catch {
    return null;
  }
  // This very process counts too: a second store on the same directory corrupts it as well.
  return isAlive(owner.pid) ? owner : null;
}

/** Throws STORE_IN_USE when a live process (this one included) serves from `storeDir`. */
export function assertEmbeddedStoreFree(storeDir: string): void {
  const owner = embeddedStoreOwner(storeDir);
  if (owner) {
    throw new DomainError(
      "STORE_IN_USE",
      `The embedded database ${storeDir} is open in the running ${owner.role} (pid ${owner.pid}); an embedded database serves one process at a time. Stop it first, or use DATABASE_URL.`,
      { pid: owner.pid, role: owner.role },
    );
  }
}

/** Marks `storeDir` as this process's until `release()`; refuses if another process holds it. */
export function claimEmbeddedStore(
  storeDir: string,
  role: EmbeddedOwner["role"],
): { release(): void } {
  assertEmbeddedStoreFree(storeDir);
  const file = ownerFile(storeDir);
  mkdirSync(dirname(file), { recursive: true });
  const owner: EmbeddedOwner = { pid: process.pid, role, startedAt: new Date().toISOString() };
  writeFileSync(file, `${JSON.stringify(owner)}\n`);
  return {
    release() {
      if (embeddedStoreOwnerPid(file) === process.pid) rmSync(file, { force: true });
    },
  };
}

function embeddedStoreOwnerPid(file: string): number | null {
  try {
    return ownerSchema.parse(JSON.parse(readFileSync(file, "utf8"))).pid;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
