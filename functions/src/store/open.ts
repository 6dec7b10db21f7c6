/**
 * Opens the store on one of its two drivers and brings the schema up to date.
 *
 * - Embedded (default): PGlite, PostgreSQL compiled to wasm, in this process. Data lives in
 *   `.data/pglite` at the repository root unless told otherwise; `inMemory` for tests.
 *   One process only, so its lock is an in-process mutex.
 * - PostgreSQL when `databaseUrl` is given (production): a `pg` pool; locks are
 *   transaction-scoped advisory locks, so they hold across processes.
 *
 * Both run the same generated migrations from `functions/drizzle/`, found relative to this
 * module (not the working directory).
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/node-postgres";
import { migrate as migratePostgres } from "drizzle-orm/node-postgres/migrator";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";

/** The database handle every repository takes, whichever driver is underneath. */
export type StoreDb = PgDatabase<PgQueryResultHKT>;

export type StoreDriver = "pglite" | "postgres";

export interface Store {
  readonly db: StoreDb;
  readonly driver: StoreDriver;
  close(): Promise<void>;
  /**
   * Runs `operation` while holding the lock named `key`: one holder at a time for the same
   * key, across processes on PostgreSQL, within this process on the embedded driver.
   * The operation uses `db` as usual; on PostgreSQL the lock sits on its own connection.
   */
  withAdvisoryLock<T>(key: string, operation: () => Promise<T>): Promise<T>;
}

export interface StoreOptions {
  /** PostgreSQL connection string; when absent, the embedded driver is used. */
  readonly databaseUrl?: string;
  /** Embedded driver's data directory (default: `.data/pglite` at the repository root). */
  readonly dataDir?: string;
  /** Embedded driver, nothing written to disk (tests). */
  readonly inMemory?: boolean;
  /** Embedded driver, in memory: start from a `dumpEmbeddedStore` snapshot (test templates). */
  readonly snapshot?: Blob;
  /** PostgreSQL pool size (default 10). */
  readonly maxConnections?: number;
}

const here = dirname(fileURLToPath(import.meta.url));
export const MIGRATIONS_FOLDER = resolve(here, "../../drizzle");
export const DEFAULT_DATA_DIR = resolve(here, "../../../.data/pglite");

const embeddedClients = new WeakMap<Store, PGlite>();

export async function openStore(options: StoreOptions = {}): Promise<Store> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options) : openEmbedded(options);
}

/** A snapshot of an embedded store (schema and rows), to clone it cheaply with `snapshot`. */
export async function dumpEmbeddedStore(store: Store): Promise<Blob> {
  const client = embeddedClients.get(store);
  if (!client) throw new Error("Only an embedded store can be dumped.");
  return client.dumpDataDir("none");
}

async function openEmbedded(options: StoreOptions): Promise<Store> {
  let dataDir: string | undefined;
  if (!options.inMemory && !options.snapshot) {
    dataDir = options.dataDir ?? DEFAULT_DATA_DIR;
    mkdirSync(dataDir, { recursive: true });
  }
  const client = await PGlite.create({
    ...(dataDir ? { dataDir } : {}),
    ...(options.snapshot ? { loadDataDir: options.snapshot } : {}),
  });
  const db = drizzlePglite({ client });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (error) {
    await client.close();
    throw error;
  }
  const locks = new KeyedMutex();
  const store: Store = {
    db,
    driver: "pglite",
    close: () => client.close(),
    withAdvisoryLock: (key, operation) => locks.run(key, operation),
  };
  embeddedClients.set(store, client);
  return store;
}

async function openPostgres(databaseUrl: string, options: StoreOptions): Promise<Store> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: options.maxConnections ?? 10 });
  // An idle connection closed by the server (restart, failover, admin) must not crash the
  // process: the pool drops it and opens another on the next query.
  pool.on("error", (error) => {
    console.warn(`PostgreSQL closed an idle connection: ${error.message}`);
  });
  const db = drizzlePostgres({ client: pool });
  try {
    await migrateOnce(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  // Waiters on one key in this process queue here rather than each holding a connection.
  const locks = new KeyedMutex();
  return {
    db,
    driver: "postgres",
    close: () => pool.end(),
    withAdvisoryLock: (key, operation) =>
      locks.run(key, () =>
        db.transaction(async (tx) => {
          await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
          return operation();
        }),
      ),
  };
}

/** Several instances may start together: one migrates while the others wait, then find it done. */
async function migrateOnce(pool: pg.Pool): Promise<void> {
  const connection = await pool.connect();
  try {
    await connection.query("select pg_advisory_lock(hashtext('encaisse:migrations'))");
    try {
      await migratePostgres(drizzlePostgres({ client: connection }), {
        migrationsFolder: MIGRATIONS_FOLDER,
      });
    } finally {
      await connection.query("select pg_advisory_unlock(hashtext('encaisse:migrations'))");
    }
  } finally {
    connection.release();
  }
}

/** One holder per key at a time, in this process; waiters run in arrival order. */
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(operation, operation);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
