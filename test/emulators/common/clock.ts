/** A clock tests move by hand, for an emulator's `now` (and `rateLimitNow`). */
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

  set(instant: string | Date): this {
    this.currentMs = new Date(instant).getTime();
    return this;
  }
}
