import { describe, expect, it } from "vitest";
import { ManualClock } from "./clock";
import { type FaultBudget, FaultInjector } from "./faults";

/** The smallest emulator-side wrapper: a storm carries a label, draws are exposed as they come. */
class TestFaults extends FaultInjector<string> {
  rateLimitStorm(options: FaultBudget & { readonly label?: string } = {}): this {
    return this.startStorm(options, options.label ?? "storm");
  }

  drawStorm(): string | null {
    return this.nextStorm();
  }

  drawFailure() {
    return this.nextFailure();
  }
}

const START = "2026-03-02T09:00:00.000Z";

function faultsOnClock(seed = 1) {
  const clock = new ManualClock(START);
  return { clock, faults: new TestFaults(clock.nowMs, 503, seed) };
}

const drawsOf = (draw: () => unknown, count: number) => Array.from({ length: count }, draw);

describe("fault injection shared by the emulators", () => {
  it.each([
    { budget: {}, stormy: 1 },
    { budget: { requests: 3 }, stormy: 3 },
    { budget: { requests: 0 }, stormy: 0 },
  ])(
    "a storm with budget $budget takes the next $stormy requests, then lets them through",
    ({ budget, stormy }) => {
      const { faults } = faultsOnClock();
      faults.rateLimitStorm({ ...budget, label: "TEN_SECONDLY_ROLLING" });
      const draws = drawsOf(() => faults.drawStorm(), 5);
      expect(draws.filter((draw) => draw === "TEN_SECONDLY_ROLLING")).toHaveLength(stormy);
      expect(draws.slice(stormy).every((draw) => draw === null)).toBe(true);
    },
  );

  it("a storm for a duration takes every request until the emulator's clock passes its end", () => {
    const { clock, faults } = faultsOnClock();
    faults.rateLimitStorm({ durationMs: 10_000 });
    expect(drawsOf(() => faults.drawStorm(), 50).every((draw) => draw === "storm")).toBe(true);
    clock.advance(9_999);
    expect(faults.drawStorm()).toBe("storm");
    clock.advance(1);
    expect(faults.drawStorm()).toBeNull();
  });

  it("a storm bounded by both requests and duration ends at whichever comes first", () => {
    const { clock, faults } = faultsOnClock();
    faults.rateLimitStorm({ requests: 2, durationMs: 1_000 });
    expect(drawsOf(() => faults.drawStorm(), 3)).toEqual(["storm", "storm", null]);
    faults.rateLimitStorm({ requests: 5, durationMs: 1_000 });
    clock.advance(1_000);
    expect(faults.drawStorm()).toBeNull();
  });

  it("failures come in order: a hang, then a planned 5xx, then the seeded 5xx rate", () => {
    const { faults } = faultsOnClock();
    faults.serverErrorRate = 1;
    faults.timeouts({ requests: 1 });
    faults.serverErrors({ requests: 1, status: 502 });
    expect(drawsOf(() => faults.drawFailure(), 3)).toEqual([
      { kind: "timeout" },
      { kind: "server_error", status: 502 },
      { kind: "server_error", status: 503 },
    ]);
  });

  it("the same seed draws the same 5xx answers, and reset replays them from the start", () => {
    const failedAt = (faults: TestFaults) =>
      drawsOf(() => faults.drawFailure(), 40).flatMap((draw, index) => (draw ? [index] : []));
    const first = faultsOnClock(42).faults;
    const second = faultsOnClock(42).faults;
    const other = faultsOnClock(7).faults;
    for (const faults of [first, second, other]) faults.serverErrorRate = 0.5;
    const run = failedAt(first);
    expect(run.length).toBeGreaterThan(5);
    expect(run.length).toBeLessThan(35);
    expect(failedAt(second)).toEqual(run);
    expect(failedAt(other)).not.toEqual(run);
    first.reset();
    first.serverErrorRate = 0.5;
    expect(failedAt(first)).toEqual(run);
  });

  it("reset brings back a well-behaved service with the emulator's default 5xx status", () => {
    const { faults } = faultsOnClock();
    faults.latencyMs = 250;
    faults.serverErrorRate = 1;
    faults.serverErrorStatus = 500;
    faults.rateLimitStorm({ requests: 10 });
    faults.timeouts({ requests: 10 });
    faults.serverErrors({ requests: 10 });
    faults.reset();
    expect(faults.latencyMs).toBe(0);
    expect(faults.serverErrorStatus).toBe(503);
    expect(faults.drawStorm()).toBeNull();
    expect(faults.drawFailure()).toBeNull();
  });

  it("a hung request ends as aborted when the client aborts it", async () => {
    const { faults } = faultsOnClock();
    const controller = new AbortController();
    const outcome = faults.hang(controller.signal);
    expect(faults.hangingRequests).toBe(1);
    controller.abort();
    await expect(outcome).resolves.toBe("aborted");
    expect(faults.hangingRequests).toBe(0);
  });

  it("a request already aborted does not hang at all", async () => {
    const { faults } = faultsOnClock();
    await expect(faults.hang(AbortSignal.abort())).resolves.toBe("aborted");
    expect(faults.hangingRequests).toBe(0);
  });

  it("hung requests are let go, as given up, by reset or after maxHangMs", async () => {
    const { faults } = faultsOnClock();
    const released = [faults.hang(undefined), faults.hang(undefined)];
    expect(faults.hangingRequests).toBe(2);
    faults.reset();
    await expect(Promise.all(released)).resolves.toEqual(["gave_up", "gave_up"]);
    faults.maxHangMs = 5;
    await expect(faults.hang(new AbortController().signal)).resolves.toBe("gave_up");
    expect(faults.hangingRequests).toBe(0);
  });

  it("latency delays an answer, and an abort cuts the wait short", async () => {
    const { faults } = faultsOnClock();
    faults.latencyMs = 40;
    const started = performance.now();
    await faults.delay(undefined);
    expect(performance.now() - started).toBeGreaterThanOrEqual(35);
    faults.latencyMs = 60_000;
    const controller = new AbortController();
    const waiting = faults.delay(controller.signal);
    controller.abort();
    await expect(waiting).resolves.toBeUndefined();
  });
});
