/**
 * The panel's writes to HubSpot (a note, a task) done once per user action: the panel sends
 * the same `requestId` with every try of one action, and the idempotency key made of it
 * decides who writes. A double click's second request waits for the first one's answer; a
 * retry after a lost answer gets the stored one; neither calls HubSpot again.
 *
 * A write that failed releases the key, so trying again writes. One that died between
 * HubSpot's answer and ours holds the key until its lock expires, then the next try writes
 * again: HubSpot has no key of its own to find the first note by.
 */
import { createHash } from "node:crypto";
import type { z } from "zod";
import { DomainError } from "@encaisse/shared";
import type { Clock } from "../../net/clock";
import type { IdempotencyRepository } from "../../store";

export interface OncePerActionTiming {
  /** How long a write holds the key: above HubSpot's slowest answer, rate-limit waits included. */
  readonly lockMs: number;
  /** How long a duplicate waits for the first write's answer (the panel gives up at 15 s). */
  readonly waitMs: number;
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

export const DEFAULT_ONCE_PER_ACTION_TIMING: OncePerActionTiming = {
  lockMs: 60_000,
  waitMs: 10_000,
  pollIntervalMs: 50,
  maxPollIntervalMs: 500,
};

export interface OncePerActionRun<T> {
  readonly idempotency: IdempotencyRepository;
  readonly clock: Clock;
  readonly timing?: OncePerActionTiming;
  readonly tenantId: string;
  /** The action's kind and who sent it: one user's ids never answer another's requests. */
  readonly scope: string;
  /** The panel's id for the action; without one every request writes. */
  readonly requestId: string | undefined;
  /** What was asked: the same id with other content is refused, not answered. */
  readonly request: unknown;
  readonly answer: z.ZodType<T>;
}

export async function oncePerAction<T>(
  run: OncePerActionRun<T>,
  write: () => Promise<T>,
): Promise<T> {
  if (run.requestId === undefined) return write();
  const timing = run.timing ?? DEFAULT_ONCE_PER_ACTION_TIMING;
  const key = `${run.scope}:${run.requestId}`;
  const fingerprint = createHash("sha256").update(JSON.stringify(run.request)).digest("hex");
  const deadline = run.clock.now() + timing.waitMs;
  let pause = timing.pollIntervalMs;
  for (;;) {
    const claim = await run.idempotency.claim(run.tenantId, key, fingerprint, timing.lockMs);
    if (claim.state === "claimed") break;
    if (claim.state === "succeeded") return storedAnswer(run, claim.response);
    if (claim.state === "mismatch") {
      throw new DomainError(
        "REQUEST_ID_REUSED",
        "This request id was already used for another request; send a new one.",
        { requestId: run.requestId },
      );
    }
    if (run.clock.now() + pause > deadline) {
      throw new DomainError(
        "REQUEST_IN_PROGRESS",
        "The same request is still being processed; try again in a moment.",
        { requestId: run.requestId },
      );
    }
    await run.clock.sleep(pause);
    pause = Math.min(pause * 2, timing.maxPollIntervalMs);
  }

  let answer: T;
  try {
    answer = await write();
  } catch (error) {
    await run.idempotency.fail(run.tenantId, key).catch(() => undefined);
    throw error;
  }
  await run.idempotency.complete(run.tenantId, key, answer);
  return answer;
}

function storedAnswer<T>(run: OncePerActionRun<T>, value: unknown): T {
  const parsed = run.answer.safeParse(value);
  if (!parsed.success) {
    throw new DomainError("INTERNAL", "The record of this request is unreadable.", {
      requestId: run.requestId,
    });
  }
  return parsed.data;
}
