import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { getTableName, is, sql } from "drizzle-orm";
import { PgTable } from "drizzle-orm/pg-core";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER, type Store, type StoreDb, openStore } from "../../src/store";
import * as schema from "../../src/store/schema";
import { DATABASE_URL, TEST_DRIVERS, createTestDatabase, useTestStore } from "../support/store";

const SCHEMA_TABLES = Object.values(schema as Record<string, unknown>)
  .filter((value): value is PgTable => is(value, PgTable))
  .map((table) => getTableName(table))
  .sort();

const JOURNAL = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta/_journal.json"), "utf8")) as {
  entries: unknown[];
};

/** Both drivers answer `execute` with `{ rows }`. */
async function rows<T>(db: StoreDb, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

async function publicTables(db: StoreDb): Promise<string[]> {
  const found = await rows<{ table_name: string }>(
    db,
    sql`select table_name from information_schema.tables where table_schema = 'public' order by table_name`,
  );
  return found.map((row) => row.table_name);
}

async function appliedMigrations(db: StoreDb): Promise<number> {
  const [row] = await rows<{ applied: number | string }>(
    db,
    sql`select count(*) as applied from drizzle.__drizzle_migrations`,
  );
  return Number(row?.applied);
}

/** Resolves when `release` is called: an operation that holds a lock until told. */
function gate() {
  let release = () => {};
  const opened = new Promise<void>((resolve) => {
    release = resolve;
  });
  return { opened, release };
}

async function lockOrder(first: Store, second: Store, firstKey: string, secondKey: string) {
  const events: string[] = [];
  const held = gate();
  const firstRun = first.withAdvisoryLock(firstKey, async () => {
    events.push("first:start");
    await held.opened;
    events.push("first:end");
  });
  await new Promise((resolve) => setTimeout(resolve, 50));
  const secondRun = second.withAdvisoryLock(secondKey, async () => {
    events.push("second:start");
  });
  await new Promise((resolve) => setTimeout(resolve, 150));
  held.release();
  await Promise.all([firstRun, secondRun]);
  return events;
}

describe("the migrations folder", () => {
  it("is found relative to the store module, whatever the working directory", () => {
    expect(isAbsolute(MIGRATIONS_FOLDER)).toBe(true);
    expect(JOURNAL.entries.length).toBeGreaterThan(0);
  });
});

describe("the embedded driver on disk", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "encaisse-pglite-"));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it("migrates an empty data directory from scratch, then reopens it with its rows and nothing to migrate", async () => {
    const store = await openStore({ dataDir });
    expect(store.driver).toBe("pglite");
    expect(await publicTables(store.db)).toEqual(SCHEMA_TABLES);
    expect(await appliedMigrations(store.db)).toBe(JOURNAL.entries.length);
    await store.db.insert(schema.tenants).values({
      tenantId: "1001",
      installedAt: new Date("2026-03-16T09:00:00Z"),
      settings: {},
      updatedAt: new Date("2026-03-16T09:00:00Z"),
    });
    await store.close();
    expect(existsSync(join(dataDir, "PG_VERSION"))).toBe(true);

    const reopened = await openStore({ dataDir });
    expect(await appliedMigrations(reopened.db)).toBe(JOURNAL.entries.length);
    expect(await reopened.db.$count(schema.tenants)).toBe(1);
    await reopened.close();
  }, 60_000);
});

// Only where a PostgreSQL server is available (DATABASE_URL); the embedded driver is tested above.
if (DATABASE_URL)
  describe("the PostgreSQL driver", () => {
    it("migrates a new database from scratch, even when several instances start at once", async () => {
      const database = await createTestDatabase();
      try {
        const stores = await Promise.all(
          [1, 2, 3].map(() => openStore({ databaseUrl: database.url })),
        );
        try {
          for (const store of stores) expect(store.driver).toBe("postgres");
          const [first] = stores;
          if (!first) throw new Error("No store opened.");
          expect(await publicTables(first.db)).toEqual(SCHEMA_TABLES);
          expect(await appliedMigrations(first.db)).toBe(JOURNAL.entries.length);
        } finally {
          await Promise.all(stores.map((store) => store.close()));
        }
      } finally {
        await database.drop();
      }
    }, 60_000);

    it("holds a lock across processes: a second pool waits for the first", async () => {
      const database = await createTestDatabase();
      const one = await openStore({ databaseUrl: database.url });
      const two = await openStore({ databaseUrl: database.url });
      try {
        expect(
          await lockOrder(one, two, "oauth-refresh:1001:pennylane", "oauth-refresh:1001:pennylane"),
        ).toEqual(["first:start", "first:end", "second:start"]);
      } finally {
        await Promise.all([one.close(), two.close()]);
        await database.drop();
      }
    }, 60_000);
  });

describe.each(TEST_DRIVERS)("locks (%s)", (driver) => {
  const ctx = useTestStore(driver);

  it("the same key: the second holder starts after the first is done", async () => {
    expect(await lockOrder(ctx.store, ctx.store, "key-a", "key-a")).toEqual([
      "first:start",
      "first:end",
      "second:start",
    ]);
  });

  it("different keys do not wait for each other", async () => {
    expect(await lockOrder(ctx.store, ctx.store, "key-a", "key-b")).toEqual([
      "first:start",
      "second:start",
      "first:end",
    ]);
  });

  it("a failing holder releases the lock and its error reaches the caller", async () => {
    await expect(
      ctx.store.withAdvisoryLock("key-a", async () => {
        throw new Error("refresh failed");
      }),
    ).rejects.toThrow("refresh failed");
    expect(await ctx.store.withAdvisoryLock("key-a", async () => "next holder ran")).toBe(
      "next holder ran",
    );
  });
});
