/**
 * Stores for tests, on every driver available here: the embedded one always, PostgreSQL
 * when DATABASE_URL is set.
 *
 * - Embedded: migrating a cold PGlite costs seconds, so the first worker dumps a migrated
 *   cluster to a template file (keyed by the migrations and the PGlite version) and every
 *   test file starts from a copy of it in a fraction of a second.
 * - PostgreSQL: each test file gets its own fresh database, dropped at the end, so runs in
 *   parallel (or on a shared CI server) never see each other's rows.
 *
 * Tables are emptied before each test; a `VirtualClock` drives time.
 */
import { createHash, randomBytes } from "node:crypto";
import { readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import pg from "pg";
import { afterAll, beforeAll, beforeEach } from "vitest";
import {
  CredentialCipher,
  MIGRATIONS_FOLDER,
  type Repositories,
  type Store,
  type StoreDriver,
  createRepositories,
  dumpEmbeddedStore,
  openStore,
} from "../../src/store";
import * as schema from "../../src/store/schema";
import { VirtualClock } from "./virtual-clock";

export const DATABASE_URL = process.env.DATABASE_URL;

/** The drivers this machine can test: PostgreSQL only when DATABASE_URL is set. */
export const TEST_DRIVERS: readonly StoreDriver[] = DATABASE_URL
  ? ["pglite", "postgres"]
  : ["pglite"];

const TABLE_NAMES = Object.values(schema as Record<string, unknown>)
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table));

export interface OpenedTestStore {
  readonly store: Store;
  close(): Promise<void>;
}

function templateFile(): string {
  const hash = createHash("sha256");
  // The package's entry point stands for its version (package.json is not exported).
  const pgliteEntry = createRequire(import.meta.url).resolve("@electric-sql/pglite");
  hash.update(readFileSync(pgliteEntry));
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(MIGRATIONS_FOLDER);
  return join(tmpdir(), `encaisse-store-template-${hash.digest("hex").slice(0, 16)}.tar`);
}

async function embeddedTemplate(): Promise<Blob> {
  const file = templateFile();
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    const fresh = await openStore({ inMemory: true });
    const dump = await dumpEmbeddedStore(fresh);
    await fresh.close();
    const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, file);
    return dump;
  }
}

/** A migrated store of its own: a copy of the template, or a fresh PostgreSQL database. */
export async function openTestStore(driver: StoreDriver): Promise<OpenedTestStore> {
  if (driver === "pglite") {
    const store = await openStore({ snapshot: await embeddedTemplate() });
    return { store, close: () => store.close() };
  }
  const database = await createTestDatabase();
  const store = await openStore({ databaseUrl: database.url });
  return {
    store,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

/** A new, empty PostgreSQL database on the DATABASE_URL server, and how to drop it. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (!DATABASE_URL) throw new Error("DATABASE_URL is not set.");
  const name = `encaisse_test_${randomBytes(6).toString("hex")}`;
  await asAdmin(`create database ${name}`);
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => asAdmin(`drop database if exists ${name} with (force)`),
  };
}

async function asAdmin(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** One statement deleting every row (cheaper than TRUNCATE on small tables, on both drivers). */
export async function emptyAllTables(store: Store): Promise<void> {
  const deletions = TABLE_NAMES.map((name, index) => `d${index} as (delete from "${name}")`);
  await store.db.execute(sql.raw(`with ${deletions.join(", ")} select 1`));
}

export interface StoreTestContext {
  readonly store: Store;
  readonly repos: Repositories;
  readonly clock: VirtualClock;
  readonly cipher: CredentialCipher;
}

/**
 * Registers the hooks of a suite that runs on `driver`: one store for the suite, emptied
 * before each test, with repositories on a fresh virtual clock. Read the context in tests.
 */
export function useTestStore(driver: StoreDriver): StoreTestContext {
  let opened: OpenedTestStore | undefined;
  let repos: Repositories | undefined;
  let clock = new VirtualClock();
  const cipher = new CredentialCipher({ version: 1, key: randomBytes(32) });

  beforeAll(async () => {
    opened = await openTestStore(driver);
  }, 60_000);
  afterAll(async () => {
    await opened?.close();
  });
  beforeEach(async () => {
    if (!opened) throw new Error("The test store did not open.");
    await emptyAllTables(opened.store);
    clock = new VirtualClock(Date.parse("2026-03-16T09:00:00Z"));
    repos = createRepositories(opened.store, { cipher, clock });
  });

  return {
    get store() {
      if (!opened) throw new Error("The test store is not open yet.");
      return opened.store;
    },
    get repos() {
      if (!repos) throw new Error("Repositories exist once a test runs.");
      return repos;
    },
    get clock() {
      return clock;
    },
    cipher,
  };
}
