import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  withRetries,
  type RetryableFailure,
} from "../../src/net/retry";
import { VirtualClock } from "../support/virtual-clock";

class Failure extends Error {
  constructor(readonly kind: RetryableFailure | null) {
    super("failure");
  }
}
const classify = (error: unknown) => (error instanceof Failure ? error.kind : null);
const transient = new Failure({ transient: true, rateLimited: false, waitMs: null });
const rateLimited = new Failure({ transient: false, rateLimited: true, waitMs: 2000 });

function failing(times: number, error: Failure) {
  let calls = 0;
  return {
    get calls() {
      return calls;
    },
    operation: async () => {
      calls += 1;
      if (calls <= times) throw error;
      return "ok";
    },
  };
}

describe("retries", () => {
  it("retries a safe call after transient failures, with growing jittered delays", async () => {
    const clock = new VirtualClock();
    const call = failing(2, transient);
    await expect(
      withRetries(call.operation, { idempotent: true, classify, clock, random: () => 1 }),
    ).resolves.toBe("ok");
    expect(call.calls).toBe(3);
    expect(clock.sleeps).toEqual([400, 800]);
  });

  it("never retries an unsafe call (a create) after a transient failure", async () => {
    const call = failing(1, transient);
    await expect(
      withRetries(call.operation, { idempotent: false, classify, clock: new VirtualClock() }),
    ).rejects.toBe(transient);
    expect(call.calls).toBe(1);
  });

  it("retries any call refused for rate, which the server did not process, after the wait it asked", async () => {
    const clock = new VirtualClock();
    const call = failing(3, rateLimited);
    await expect(withRetries(call.operation, { idempotent: false, classify, clock })).resolves.toBe(
      "ok",
    );
    expect(clock.sleeps).toEqual([2000, 2000, 2000]);
  });

  it("gives up after the policy's attempts", async () => {
    const call = failing(10, transient);
    await expect(
      withRetries(call.operation, { idempotent: true, classify, clock: new VirtualClock() }),
    ).rejects.toBe(transient);
    expect(call.calls).toBe(DEFAULT_RETRY_POLICY.maxAttempts);
  });

  it("bounds a 429 storm", async () => {
    const call = failing(100, rateLimited);
    await expect(
      withRetries(call.operation, { idempotent: true, classify, clock: new VirtualClock() }),
    ).rejects.toBe(rateLimited);
    expect(call.calls).toBe(DEFAULT_RETRY_POLICY.maxRateLimitWaits + 1);
  });

  it("does not retry errors it does not understand", async () => {
    const call = failing(1, new Failure(null));
    await expect(
      withRetries(call.operation, { idempotent: true, classify, clock: new VirtualClock() }),
    ).rejects.toThrow();
    expect(call.calls).toBe(1);
  });

  it("jitters below a capped exponential ceiling", () => {
    expect(backoffDelayMs(1, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(200);
    expect(backoffDelayMs(10, DEFAULT_RETRY_POLICY, () => 0.999)).toBeLessThan(
      DEFAULT_RETRY_POLICY.maxDelayMs,
    );
    expect(backoffDelayMs(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });
});
