/**
 * What is due at a given instant: every tenant's sync at each tick, and its dunning once a
 * day, at the tick whose slot holds 08:00 in Paris (the day is the Paris date). One function
 * for the Node timer, pg-boss's cron and the serverless `POST /v1/jobs/tick`, so all three
 * queue the same jobs. A tick that runs twice queues nothing twice: the queues drop a job
 * identical to one still waiting, and a day's dunning is one job per tenant and day.
 */
import { PARIS_TIME_ZONE, parisDateOf } from "@encaisse/shared";
import type { Job } from "./types";

export const DUNNING_HOUR_PARIS = 8;

const parisClock = new Intl.DateTimeFormat("en-GB", {
  timeZone: PARIS_TIME_ZONE,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** Minutes since midnight on the Paris wall clock. */
export function parisMinuteOfDay(at: Date): number {
  const parts = parisClock.formatToParts(at);
  const hour = Number(parts.find((part) => part.type === "hour")?.value);
  const minute = Number(parts.find((part) => part.type === "minute")?.value);
  return hour * 60 + minute;
}

export function dueJobs(
  at: Date,
  tenantIds: readonly string[],
  everyMinutes: number,
): readonly Job[] {
  const minute = parisMinuteOfDay(at);
  const dunningStart = DUNNING_HOUR_PARIS * 60;
  const dunningDue = minute >= dunningStart && minute < dunningStart + everyMinutes;
  const day = parisDateOf(at);
  return tenantIds.flatMap((tenantId): Job[] => [
    { kind: "sync", tenantId, reason: "schedule" },
    ...(dunningDue ? [{ kind: "dunning" as const, tenantId, day }] : []),
  ]);
}

/** Milliseconds from `now` to the next multiple of `everyMinutes` on the clock. */
export function msUntilNextSlot(now: number, everyMinutes: number): number {
  const slot = everyMinutes * 60_000;
  return slot - (now % slot);
}
