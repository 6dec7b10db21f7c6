/**
 * The extension's call budget per token when the backend runs as several instances on one
 * PostgreSQL database: they count in one window, where each would otherwise allow the whole
 * budget on its own. The shared window is checked on every driver here (the embedded one
 * always, PostgreSQL when DATABASE_URL is set); the backend uses it on PostgreSQL only, the
 * in-memory budget on the embedded database (one process).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../functions/src/app";
import { loadConfig } from "../../functions/src/config";
import { systemClock } from "../../functions/src/net/clock";
import type {
  BudgetDecision,
  CallBudget,
} from "../../functions/src/services/extension/request-budget";
import {
  SharedRequestBudget,
  extensionRequestBudget,
} from "../../functions/src/services/extension/shared-request-budget";
import type { Store } from "../../functions/src/store";
import {
  DATABASE_URL,
  TEST_DRIVERS,
  emptyAllTables,
  openTestStore,
} from "../../functions/test/support/store";
import { refusal } from "./card-support";
import { asExtension, pairedToken } from "./extension-support";
import { type BackendHarness, startBackendHarness } from "./harness";

const takeAll = (budget: CallBudget, key: string, count: number): Promise<BudgetDecision[]> =>
  Promise.all(Array.from({ length: count }, () => Promise.resolve(budget.take(key))));

const allowedIn = (decisions: readonly BudgetDecision[]) =>
  decisions.filter((decision) => decision.allowed).length;

describe.each(TEST_DRIVERS)("the extension's call budget shared on the %s store", (driver) => {
  let opened: { store: Store; close(): Promise<void> };

  beforeAll(async () => {
    opened = await openTestStore(driver);
  }, 60_000);
  afterAll(async () => {
    await opened.close();
  });

  const instance = (limit: number, windowMs: number) =>
    new SharedRequestBudget(opened.store.db, { limit, windowMs });

  it("lets one token make the limit's calls across all instances together, then tells each how long to wait", async () => {
    await emptyAllTables(opened.store);
    const instances = [instance(6, 5_000), instance(6, 5_000), instance(6, 5_000)];
    const decisions = (
      await Promise.all(instances.map((budget) => takeAll(budget, "token-1", 4)))
    ).flat();
    expect(allowedIn(decisions)).toBe(6);
    for (const budget of instances) {
      const refused = await budget.take("token-1");
      if (refused.allowed) throw new Error("A full window let one more call through");
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(5_000);
    }
  });

  it("gives each token its own budget", async () => {
    await emptyAllTables(opened.store);
    const one = instance(2, 5_000);
    const other = instance(2, 5_000);
    expect(allowedIn(await takeAll(one, "token-a", 3))).toBe(2);
    expect(allowedIn(await takeAll(other, "token-b", 2))).toBe(2);
  });

  it("lets the token call again once its calls leave the window", async () => {
    await emptyAllTables(opened.store);
    const budget = instance(2, 400);
    expect(allowedIn(await takeAll(budget, "token-c", 3))).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await budget.take("token-c")).toEqual({ allowed: true });
  });

  it("is what the backend uses on PostgreSQL; on the embedded database each process counts alone", async () => {
    await emptyAllTables(opened.store);
    const config = (databaseUrl?: string) =>
      loadConfig({
        NODE_ENV: "test",
        ENCAISSE_SANDBOX: "1",
        ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      });
    const backend = (databaseUrl?: string) => ({
      config: config(databaseUrl),
      store: opened.store,
      clock: systemClock,
    });
    const onPostgres = backend("postgres://encaisse@db.internal:5432/encaisse");
    const shared = [extensionRequestBudget(onPostgres), extensionRequestBudget(onPostgres)];
    const sharedCalls = await Promise.all(shared.map((budget) => takeAll(budget, "token-d", 40)));
    expect(allowedIn(sharedCalls.flat())).toBe(60);

    const embedded = [extensionRequestBudget(backend()), extensionRequestBudget(backend())];
    const ownCalls = await Promise.all(embedded.map((budget) => takeAll(budget, "token-e", 61)));
    expect(ownCalls.map(allowedIn)).toEqual([60, 60]);
  });
});

/** Several instances share a database only on PostgreSQL: tested when DATABASE_URL is set. */
const SHARED_DATABASES = DATABASE_URL === undefined ? [] : [DATABASE_URL];

describe.each(SHARED_DATABASES)(
  "two backend instances on one PostgreSQL database",
  (databaseUrl) => {
    let harness: BackendHarness;

    beforeAll(async () => {
      harness = await startBackendHarness({
        driver: "postgres",
        env: { DATABASE_URL: databaseUrl },
      });
    }, 120_000);
    afterAll(async () => {
      await harness.close();
    });

    it("answer one extension token 60 calls a minute between them, then 429 on either", async () => {
      const instances = [createApp(harness.backend), createApp(harness.backend)];
      const token = await pairedToken(harness);
      // The account works with Pennylane: a Sage page is answered from nothing (no HubSpot call).
      const path = "/v1/extension/context?provider=sage_active&customerId=1";
      const call = (index: number) =>
        asExtension({ ...harness, app: instances[index % 2] ?? harness.app }, token, "GET", path);
      for (let index = 0; index < 60; index += 1) {
        const response = await call(index);
        expect(response.status, `call ${index + 1}`).toBe(200);
      }
      for (const index of [0, 1]) {
        const refused = await call(index);
        expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
        expect(await refusal(refused)).toEqual({ status: 429, code: "RATE_LIMITED" });
      }
    }, 60_000);
  },
);
