import { describe, expect, it } from "vitest";
import { TEST_DRIVERS, useTestStore } from "../support/store";

const TENANT = "1001";
const OTHER_TENANT = "2002";
const LOCK_MS = 30_000;

describe.each(TEST_DRIVERS)("idempotency keys (%s)", (driver) => {
  const ctx = useTestStore(driver);

  async function install(...tenantIds: string[]) {
    for (const tenantId of tenantIds) await ctx.repos.tenants.install(tenantId);
  }

  it("20 simultaneous clicks on Create invoice: exactly one claims the key, the others wait", async () => {
    await install(TENANT);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        ctx.repos.idempotency.claim(TENANT, "deal-42", "fingerprint-a", LOCK_MS),
      ),
    );
    const states = results.map((result) => result.state);
    expect(states.filter((state) => state === "claimed")).toHaveLength(1);
    expect(states.filter((state) => state === "in_progress")).toHaveLength(19);
  });

  it("a retry after success gets the stored response and does not run again", async () => {
    await install(TENANT);
    const { idempotency } = ctx.repos;
    expect(await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)).toEqual({
      state: "claimed",
    });
    const response = { invoice: { id: "inv-1", grossCents: 120_000 }, created: true };
    expect(await idempotency.complete(TENANT, "deal-42", response)).toBe(true);
    expect(await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)).toEqual({
      state: "succeeded",
      response,
    });
  });

  it("a holder that crashed loses the key once its lock expires, and only one retry takes it over", async () => {
    await install(TENANT);
    const { idempotency } = ctx.repos;
    await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS);
    ctx.clock.advance(LOCK_MS - 1);
    expect((await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)).state).toBe("in_progress");
    ctx.clock.advance(1);
    const takeovers = await Promise.all(
      Array.from({ length: 10 }, () => idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)),
    );
    expect(takeovers.filter((result) => result.state === "claimed")).toHaveLength(1);
  });

  it("a failure with no effect releases the key for the next retry", async () => {
    await install(TENANT);
    const { idempotency } = ctx.repos;
    await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS);
    expect(await idempotency.fail(TENANT, "deal-42")).toBe(true);
    expect((await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)).state).toBe("claimed");
  });

  it("the same key sent with a different request is a mismatch, whatever its state", async () => {
    await install(TENANT);
    const { idempotency } = ctx.repos;
    await idempotency.claim(TENANT, "deal-42", "fp-1", LOCK_MS);
    expect(await idempotency.claim(TENANT, "deal-42", "fp-2", LOCK_MS)).toEqual({
      state: "mismatch",
    });
    await idempotency.fail(TENANT, "deal-42");
    expect(await idempotency.claim(TENANT, "deal-42", "fp-2", LOCK_MS)).toEqual({
      state: "mismatch",
    });
    expect((await idempotency.claim(TENANT, "deal-42", "fp-1", LOCK_MS)).state).toBe("claimed");
    await idempotency.complete(TENANT, "deal-42", { ok: true });
    expect(await idempotency.claim(TENANT, "deal-42", "fp-2", LOCK_MS)).toEqual({
      state: "mismatch",
    });
  });

  it("a late duplicate completion does not overwrite the recorded response", async () => {
    await install(TENANT);
    const { idempotency } = ctx.repos;
    await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS);
    await idempotency.complete(TENANT, "deal-42", { first: true });
    expect(await idempotency.complete(TENANT, "deal-42", { second: true })).toBe(false);
    expect(await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)).toEqual({
      state: "succeeded",
      response: { first: true },
    });
  });

  it("keys are per tenant: the same key in two portals are two operations", async () => {
    await install(TENANT, OTHER_TENANT);
    const { idempotency } = ctx.repos;
    expect((await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)).state).toBe("claimed");
    expect((await idempotency.claim(OTHER_TENANT, "deal-42", "other", LOCK_MS)).state).toBe(
      "claimed",
    );
    await idempotency.complete(OTHER_TENANT, "deal-42", { tenant: OTHER_TENANT });
    expect((await idempotency.claim(TENANT, "deal-42", "fp", LOCK_MS)).state).toBe("in_progress");
  });

  it("old keys are pruned, newer ones kept", async () => {
    await install(TENANT);
    const { idempotency } = ctx.repos;
    await idempotency.claim(TENANT, "old", "fp", LOCK_MS);
    ctx.clock.advance(86_400_000);
    await idempotency.claim(TENANT, "new", "fp", LOCK_MS);
    expect(await idempotency.prune(new Date(ctx.clock.now() - 3_600_000))).toBe(1);
    expect((await idempotency.claim(TENANT, "new", "fp", LOCK_MS)).state).toBe("in_progress");
    expect((await idempotency.claim(TENANT, "old", "fp", LOCK_MS)).state).toBe("claimed");
  });
});
