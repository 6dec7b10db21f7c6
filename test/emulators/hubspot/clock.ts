/** A clock tests move by hand, for the emulator's `now` (and `rateLimitNow`). */
export class ManualClock {
  private currentMs: number;

  constructor(start: string | Date) {
    this.currentMs = new Date(start).getTime();
  }

  readonly now = (): Date => new Date(this.currentMs);
  readonly nowMs = (): number => this.currentMs;

  advance(ms: number): this {
    this.currentMs += ms;
    return this;
  }
}
