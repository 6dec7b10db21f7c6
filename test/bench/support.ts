/**
 * What every benchmark shares: wall-clock timing, peak memory, seeded picks and plain-text
 * tables. Benchmarks print figures for a person to read; nothing here asserts.
 */
import type { RateLimiter } from "../../functions/src/net/rate-limit";

export interface BenchmarkModule {
  readonly name: string;
  readonly description: string;
  /** Sections that can be run alone, as `npm run bench -- <name>:<part>`. */
  readonly parts: readonly string[];
  /** Runs the given parts (all of them when empty). */
  run(parts: readonly string[]): Promise<void>;
}

// ---- time ------------------------------------------------------------------------------------

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await work();
  return { value, ms: performance.now() - start };
}

export function timedSync<T>(work: () => T): { value: T; ms: number } {
  const start = performance.now();
  const value = work();
  return { value, ms: performance.now() - start };
}

export function formatMs(ms: number): string {
  if (ms < 1_000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1_000).toFixed(2)} s`;
  const seconds = Math.round(ms / 1_000);
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

/**
 * Where the wall time of a measurement went, when the client, its throttle and the emulator
 * share one process: each instant counts once, for the emulator while it handles a request,
 * else for the throttle while a request waits for its turn, else for everything else (the
 * client's own work and HTTP). The emulator's share is what the real service would replace
 * with its own latency.
 */
export class TimeSplit {
  private readonly active = { emulator: 0, throttle: 0 };
  private readonly spent = { emulator: 0, throttle: 0, client: 0 };
  private last = performance.now();

  /** Runs `work`, counting the time it is pending as `share`. */
  async during<T>(share: "emulator" | "throttle", work: () => Promise<T>): Promise<T> {
    this.settle();
    this.active[share] += 1;
    try {
      return await work();
    } finally {
      this.settle();
      this.active[share] -= 1;
    }
  }

  reset(): void {
    this.settle();
    this.spent.emulator = 0;
    this.spent.throttle = 0;
    this.spent.client = 0;
  }

  /** The shares so far, in ms. */
  snapshot(): { readonly emulator: number; readonly throttle: number; readonly client: number } {
    this.settle();
    return { ...this.spent };
  }

  private settle(): void {
    const now = performance.now();
    const share =
      this.active.emulator > 0 ? "emulator" : this.active.throttle > 0 ? "throttle" : "client";
    this.spent[share] += now - this.last;
    this.last = now;
  }
}

/** Counts an emulator's request handling (the servers look `handle` up on every request). */
export function splitEmulatorTime(
  emulator: { handle: (request: Request) => Promise<Response> },
  split: TimeSplit,
): void {
  const handle = emulator.handle.bind(emulator);
  emulator.handle = (request) => split.during("emulator", () => handle(request));
}

/** The same throttle, its waits counted. */
export function splitThrottleTime(limiter: RateLimiter, split: TimeSplit): RateLimiter {
  return {
    acquire: (key, signal) => split.during("throttle", () => limiter.acquire(key, signal)),
    block: (key, untilMs) => limiter.block(key, untilMs),
  };
}

// ---- memory ----------------------------------------------------------------------------------

/**
 * The process's peak resident set, sampled on a timer. Long synchronous steps (loading a
 * book into an emulator) block the timer, so callers also `sample()` right after them.
 */
export class PeakRss {
  private peak = process.memoryUsage().rss;
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs = 25) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  sample(): number {
    const rss = process.memoryUsage().rss;
    if (rss > this.peak) this.peak = rss;
    return rss;
  }

  get peakBytes(): number {
    this.sample();
    return this.peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** One sampler for the whole run, so every module contributes to the same peak. */
export const peakRss = new PeakRss();

export function formatBytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(0)} MiB`;
}

// ---- figures ---------------------------------------------------------------------------------

export function formatRatio(value: number, reference: number): string {
  if (reference === 0) return value === 0 ? "1.00x" : "n/a";
  return `${(value / reference).toFixed(2)}x`;
}

export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** `actual`, flagged loudly when it is not what it must be. */
export function checked(actual: number, expected: number, what: string): string {
  return actual === expected
    ? formatCount(actual)
    : `${formatCount(actual)}   <<< MISMATCH: expected ${formatCount(expected)} ${what} >>>`;
}

/** The note of a figure that has a target: "target <= 1.1x: met". */
export function targetNote(target: string, met: boolean): string {
  return `target ${target}: ${met ? "met" : "MISSED"}`;
}

// ---- tables ----------------------------------------------------------------------------------

export type Row = readonly [label: string, value: string, note?: string];

/**
 * A titled table: labels left, values right-aligned, a note after each value when it needs
 * one; then the footnotes, one per line.
 */
export function printTable(
  title: string,
  rows: readonly Row[],
  footnotes: readonly string[] = [],
): void {
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const valueWidth = Math.max(...rows.map(([, value]) => value.length));
  const lines = rows.map(([label, value, note]) => {
    const cells = `${label.padEnd(labelWidth)}  ${value.padStart(valueWidth)}`;
    return note ? `${cells}  ${note}` : cells;
  });
  console.log("");
  console.log(title);
  console.log("-".repeat(Math.max(title.length, labelWidth + valueWidth + 2)));
  for (const line of lines) console.log(line);
  for (const footnote of footnotes) console.log(`  ${footnote}`);
}

// ---- seeded picks ----------------------------------------------------------------------------

/** mulberry32: the same seed picks the same invoices on every run and machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `count` distinct items drawn without replacement. */
export function pickDistinct<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) {
    const index = Math.floor(random() * pool.length);
    const [item] = pool.splice(index, 1);
    if (item !== undefined) picked.push(item);
  }
  return picked;
}
