import { describe, expect, it } from "vitest";
import { retryAfterMs, Semaphore, SlidingWindowLimiter } from "../../src/net/rate-limit";
import { VirtualClock } from "../support/virtual-clock";

function maxInAnyWindow(times: number[], windowMs: number): number {
  let max = 0;
  for (let i = 0; i < times.length; i += 1) {
    const start = times[i] as number;
    max = Math.max(max, times.filter((t) => t >= start && t < start + windowMs).length);
  }
  return max;
}

describe("the sliding-window throttle", () => {
  it("never lets more than 25 requests into any 5-second window (Pennylane's limit)", async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ limit: 25, windowMs: 5000, clock });
    const sent: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      await limiter.acquire("token-a");
      sent.push(clock.now());
      clock.advance(3); // each request takes a few ms to send
    }
    expect(maxInAnyWindow(sent, 5000)).toBe(25);
    // 200 requests need 7 full windows after the first burst: close to the 40 s floor, not far above.
    const elapsed = (sent.at(-1) as number) - (sent[0] as number);
    expect(elapsed).toBeGreaterThanOrEqual(7 * 5000);
    expect(elapsed).toBeLessThan(7 * 5000 * 1.05);
  });

  it("sends the first burst at once", async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ limit: 25, windowMs: 5000, clock });
    for (let i = 0; i < 25; i += 1) await limiter.acquire("token-a");
    expect(clock.sleeps).toEqual([]);
  });

  it("keeps each token's quota separate", async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ limit: 2, windowMs: 1000, clock });
    await limiter.acquire("a");
    await limiter.acquire("a");
    await limiter.acquire("b");
    await limiter.acquire("b");
    expect(clock.sleeps).toEqual([]);
    await limiter.acquire("a");
    expect(clock.sleeps).toHaveLength(1);
  });

  it("holds every request after a 429 until the server's reset", async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ limit: 100, windowMs: 1000, clock });
    const start = clock.now();
    limiter.block("a", start + 4000);
    await limiter.acquire("a");
    expect(clock.now()).toBe(start + 4000);
  });

  it("gives up waiting when the caller aborts", async () => {
    const clock = new VirtualClock();
    const limiter = new SlidingWindowLimiter({ limit: 1, windowMs: 1000, clock });
    await limiter.acquire("a");
    const controller = new AbortController();
    controller.abort(new Error("card closed"));
    await expect(limiter.acquire("a", controller.signal)).rejects.toThrow("card closed");
  });
});

describe("the concurrency limit", () => {
  it("runs at most N operations at once", async () => {
    const semaphore = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        semaphore.run(async () => {
          active += 1;
          peak = Math.max(peak, active);
          await new Promise((resolve) => setTimeout(resolve, 1));
          active -= 1;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe("reading how long a server asks us to wait", () => {
  const now = Date.parse("2026-11-23T10:00:00Z");
  it.each([
    [{ "retry-after": "3" }, 3000],
    [{ "retry-after": "0.5" }, 500],
    [{ "retry-after": "Mon, 23 Nov 2026 10:00:10 GMT" }, 10_000],
    [{ "ratelimit-reset": "2" }, 2000],
    [{ "ratelimit-reset": String(now / 1000 + 4) }, 4000],
    [{}, null],
    [{ "retry-after": "soon" }, null],
  ])("%o means %s ms", (headers, expected) => {
    expect(retryAfterMs(new Headers(headers), now)).toBe(expected);
  });
});
