/**
 * The rate limit shared through the database: limiters of different processes (here, several
 * instances on one database) together never grant more than the limit in any window.
 * On the embedded database always, on PostgreSQL when DATABASE_URL is set.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { errorCodeOf } from "../../functions/src/jobs/keys";
import { SharedWindowLimiter } from "../../functions/src/net/shared-rate-limit";
import type { Store } from "../../functions/src/store";
import {
  DATABASE_URL,
  TEST_DRIVERS,
  emptyAllTables,
  openTestStore,
} from "../../functions/test/support/store";

/** Most grants inside any window of `windowMs` (grants are instants in ms). */
function busiestWindow(grants: readonly number[], windowMs: number): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= windowMs) start += 1;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe.each(TEST_DRIVERS)("the shared rate limit on %s", (driver) => {
  let opened: { store: Store; close(): Promise<void> };

  beforeAll(async () => {
    opened = await openTestStore(driver);
  }, 60_000);
  afterAll(async () => {
    await opened.close();
  });

  const limiter = (limit: number, windowMs: number) =>
    new SharedWindowLimiter(opened.store.db, { limit, windowMs, safetyMs: 20, namespace: "t:" });

  it("keeps limiters of several processes together under the limit of one key", async () => {
    await emptyAllTables(opened.store);
    const processes = [limiter(5, 1_000), limiter(5, 1_000), limiter(5, 1_000)];
    const grants: number[] = [];
    const started = Date.now();
    await Promise.all(
      processes.flatMap((process) =>
        Array.from({ length: 5 }, async () => {
          await process.acquire("pennylane:tenant-1");
          grants.push(Date.now());
          process.release("pennylane:tenant-1");
        }),
      ),
    );
    expect(grants).toHaveLength(15);
    // 15 requests at 5 per second: the last two batches each wait for a window to pass.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_000);
    expect(busiestWindow(grants, 1_000)).toBeLessThanOrEqual(5);
  }, 30_000);

  it("gives each key its own budget", async () => {
    await emptyAllTables(opened.store);
    const one = limiter(3, 2_000);
    const other = limiter(3, 2_000);
    const started = Date.now();
    await Promise.all([
      ...Array.from({ length: 3 }, () => one.acquire("hubspot:1")),
      ...Array.from({ length: 3 }, () => other.acquire("hubspot:2")),
    ]);
    expect(Date.now() - started).toBeLessThan(1_000);
  }, 30_000);

  it("counts a request until its answer comes, however late", async () => {
    await emptyAllTables(opened.store);
    const sender = limiter(2, 500);
    const elsewhere = limiter(2, 500);
    await sender.acquire("pennylane:tenant-3");
    await sender.acquire("pennylane:tenant-3");
    // Both requests are still unanswered a whole window later: no third one goes out.
    const third = elsewhere.acquire("pennylane:tenant-3");
    let thirdSent = false;
    void third.then(() => (thirdSent = true));
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(thirdSent).toBe(false);
    // One answer arrives: its slot counts from now, for one window.
    const answeredAt = Date.now();
    sender.release("pennylane:tenant-3");
    await third;
    expect(Date.now() - answeredAt).toBeGreaterThanOrEqual(450);
  }, 30_000);

  it("lets a released slot go after one window", async () => {
    await emptyAllTables(opened.store);
    const one = limiter(3, 2_000);
    const started = Date.now();
    for (let index = 0; index < 3; index += 1) {
      await one.acquire("hubspot:3");
      one.release("hubspot:3");
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    await one.acquire("hubspot:3");
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(2_000);
    expect(waited).toBeLessThan(3_500);
  }, 30_000);

  it("holds every process back after a server's 429, until its retry-after", async () => {
    await emptyAllTables(opened.store);
    const told = limiter(100, 1_000);
    const elsewhere = limiter(100, 1_000);
    await told.acquire("pennylane:tenant-2");
    told.block("pennylane:tenant-2", Date.now() + 600);
    // The hold reaches the database asynchronously; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await elsewhere.acquire("pennylane:tenant-2");
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
  }, 30_000);

  it("costs about two database round trips per request when there is room", async () => {
    await emptyAllTables(opened.store);
    const roomy = limiter(100_000, 10_000);
    const count = 300;
    const started = performance.now();
    for (let index = 0; index < count; index += 1) {
      await roomy.acquire(`hubspot:${index % 20}`);
      roomy.release(`hubspot:${index % 20}`);
    }
    const perAcquireMs = (performance.now() - started) / count;
    process.stdout.write(
      `shared rate limit on ${driver}: ${perAcquireMs.toFixed(2)} ms per slot taken\n`,
    );
    expect(perAcquireMs).toBeLessThan(20);
  }, 30_000);
});

describe.runIf(DATABASE_URL)("the shared rate limit on a PostgreSQL out of connections", () => {
  const role = `encaisse_full_${Math.random().toString(36).slice(2, 8)}`;
  let admin: pg.Client;

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    // A role allowed no connection gets the server's own "too many connections" (53300).
    await admin.query(`create role ${role} login connection limit 0`);
  });
  afterAll(async () => {
    await admin.query(`drop role if exists ${role}`);
    await admin.end();
  });

  it("asks again for a few seconds, then fails with STORE_UNAVAILABLE rather than INTERNAL", async () => {
    const url = new URL(DATABASE_URL ?? "");
    url.username = role;
    url.password = "";
    const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
    const failures: unknown[] = [];
    const limiter = new SharedWindowLimiter(drizzle({ client: pool }), {
      limit: 5,
      windowMs: 1_000,
      namespace: "t:",
      onError: (error) => failures.push(error),
    });
    const started = Date.now();
    const refused = await limiter.acquire("pennylane:tenant-9").then(
      () => null,
      (error: unknown) => error,
    );
    await pool.end();
    expect(errorCodeOf(refused)).toBe("STORE_UNAVAILABLE");
    // Five looks a growing moment apart before giving up.
    expect(failures).toHaveLength(5);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2_900);
  }, 30_000);
});
