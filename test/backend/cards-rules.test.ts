/**
 * The card API's own small rules, without a backend: how refreshes share and time out, who
 * sees amounts, which language explanations speak.
 */
import { describe, expect, it } from "vitest";
import { DomainError } from "@encaisse/shared";
import { silentLogger } from "../../functions/src/backend";
import type { Clock } from "../../functions/src/net/clock";
import { amountsVisibleTo, withAmountsZeroed } from "../../functions/src/services/cards/amounts";
import { cardLocale } from "../../functions/src/services/cards/card-request";
import { CustomerRefresher } from "../../functions/src/services/cards/refresher";

/** Time that moves only when told to; sleepers wake when their moment has come. */
class ManualClock implements Clock {
  private time = 1_000_000;
  private sleepers: { until: number; wake: () => void }[] = [];

  now(): number {
    return this.time;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const sleeper = { until: this.time + ms, wake: resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener("abort", () => {
        this.sleepers = this.sleepers.filter((other) => other !== sleeper);
        reject(signal.reason);
      });
    });
  }

  async advance(ms: number): Promise<void> {
    this.time += ms;
    const due = this.sleepers.filter((sleeper) => sleeper.until <= this.time);
    this.sleepers = this.sleepers.filter((sleeper) => sleeper.until > this.time);
    for (const sleeper of due) sleeper.wake();
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function deferred<T>() {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: unknown) => void = () => undefined;
  const promise = new Promise<T>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}

const timing = { budgetMs: 2_000, failureCooldownMs: 15_000 };

describe("customer refreshes", () => {
  it("a second view of the same customer joins the refresh running instead of starting another", async () => {
    const clock = new ManualClock();
    const refresher = new CustomerRefresher<string>(clock, silentLogger);
    const work = deferred<string>();
    let started = 0;
    const run = () => {
      started += 1;
      return work.promise;
    };
    const first = refresher.refresh("62515:pennylane:42", run, timing);
    const second = refresher.refresh("62515:pennylane:42", run, timing);
    const other = refresher.refresh("62515:pennylane:43", async () => "other customer", timing);
    work.resolve("synced");
    expect(await first).toEqual({ kind: "refreshed", result: "synced" });
    expect(await second).toEqual({ kind: "refreshed", result: "synced" });
    expect(await other).toEqual({ kind: "refreshed", result: "other customer" });
    expect(started).toBe(1);
  });

  it("a refresh slower than the budget answers out_of_time, then finishes in the background", async () => {
    const clock = new ManualClock();
    const refresher = new CustomerRefresher<string>(clock, silentLogger);
    const work = deferred<string>();
    let finished = false;
    const outcome = refresher.refresh(
      "k",
      async () => {
        const value = await work.promise;
        finished = true;
        return value;
      },
      timing,
    );
    await clock.advance(1_999);
    expect(refresher.isRunning("k")).toBe(true);
    await clock.advance(1);
    expect(await outcome).toEqual({ kind: "out_of_time" });
    expect(refresher.isRunning("k")).toBe(true);

    work.resolve("synced");
    await refresher.idle();
    expect(finished).toBe(true);
    expect(refresher.isRunning("k")).toBe(false);
  });

  it("a failure is served again during the cool-down, retried after it, and at once when forced", async () => {
    const clock = new ManualClock();
    const refresher = new CustomerRefresher<string>(clock, silentLogger);
    let attempts = 0;
    const failing = async (): Promise<string> => {
      attempts += 1;
      throw new DomainError("PROVIDER_UNAVAILABLE", "Pennylane is having trouble (HTTP 503).");
    };
    const failed = {
      kind: "failed",
      failure: { code: "PROVIDER_UNAVAILABLE", message: "Pennylane is having trouble (HTTP 503)." },
    };
    expect(await refresher.refresh("k", failing, timing)).toEqual(failed);
    await clock.advance(14_999);
    expect(await refresher.refresh("k", failing, timing)).toEqual(failed);
    expect(attempts).toBe(1);
    expect(await refresher.refresh("k", failing, { ...timing, force: true })).toEqual(failed);
    expect(attempts).toBe(2);
    await clock.advance(15_000);
    expect(await refresher.refresh("k", async () => "back", timing)).toEqual({
      kind: "refreshed",
      result: "back",
    });
  });

  it("an unexpected failure is reported as INTERNAL, without its own words", async () => {
    const refresher = new CustomerRefresher<string>(new ManualClock(), silentLogger);
    const outcome = await refresher.refresh(
      "k",
      async () => {
        throw new Error("connection terminated: password authentication failed for user x");
      },
      timing,
    );
    expect(outcome.kind === "failed" && outcome.failure.code).toBe("INTERNAL");
    expect(JSON.stringify(outcome)).not.toContain("password");
  });
});

describe("who sees amounts", () => {
  it.each([
    [null, [], true],
    [null, ["7"], true],
    [["42"], [], false],
    [["42"], ["7"], false],
    [["42"], ["7", "42"], true],
    [[], ["42"], false],
  ] as const)("allowed %j, viewer in %j: %s", (allowed, viewer, visible) => {
    expect(amountsVisibleTo(allowed, viewer)).toBe(visible);
  });

  it("hiding amounts zeroes every …Cents field at any depth and keeps the rest", () => {
    const hidden = withAmountsZeroed({
      outstandingCents: 120_000,
      overdueInvoiceCount: 2,
      aging: { notDueCents: 1, over90DaysCents: 2 },
      items: [
        {
          grossCents: 500,
          status: "overdue",
          payments: [{ amountCents: 200, date: "2026-11-02" }],
        },
      ],
      penalties: null,
    });
    expect(hidden).toEqual({
      outstandingCents: 0,
      overdueInvoiceCount: 2,
      aging: { notDueCents: 0, over90DaysCents: 0 },
      items: [
        { grossCents: 0, status: "overdue", payments: [{ amountCents: 0, date: "2026-11-02" }] },
      ],
      penalties: null,
    });
  });
});

describe("the language of match explanations", () => {
  it.each([
    [undefined, undefined, "fr"],
    ["en", undefined, "en"],
    ["en-us", undefined, "en"],
    ["EN-GB", undefined, "en"],
    ["fr-fr", "en-US,en;q=0.9", "fr"],
    ["es-es", undefined, "fr"],
    [undefined, "en-US,en;q=0.9", "en"],
    [undefined, "fr-FR,en;q=0.8", "fr"],
  ] as const)("locale %s, Accept-Language %s: %s", (locale, header, expected) => {
    expect(cardLocale(locale, header)).toBe(expected);
  });
});
