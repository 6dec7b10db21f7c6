import type { Clock } from "../../src/net/clock";

/** Virtual time: `sleep` advances the clock instead of waiting. */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private time = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.time += Math.max(0, ms);
  }

  advance(ms: number): void {
    this.time += ms;
  }
}
