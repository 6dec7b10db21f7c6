/**
 * One invoice per deal, whatever the double clicks, retries and concurrent workers: the
 * idempotency key `deal-invoice:<dealId>` in the store decides who does the work.
 *
 * - The first request claims the key and runs; the others wait for its answer, polling the
 *   key, so every request that was in flight gets the answer of the one that worked.
 * - A request sent once the work is done gets the stored answer, marked `created: false`.
 * - A run that fails releases the key at once; a run that dies holds it until its lock
 *   expires, then the next request takes over. Either way the next run starts by looking
 *   for the invoice by its external reference, so nothing is created twice.
 */
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import {
  type CreateInvoiceResponse,
  createInvoiceResponseSchema,
} from "@encaisse/shared/contracts";
import type { Clock } from "../../net/clock";
import type { IdempotencyRepository } from "../../store";

export interface ExactlyOnceTiming {
  /**
   * How long a run holds the key. Longer than any run can take (a create waits for the
   * provider's rate limit and its recovery look-ups); after it, a crashed run is taken over.
   */
  readonly lockMs: number;
  /** How long a concurrent request waits for the running one before giving up (409). */
  readonly waitMs: number;
  /** First pause between two looks at the key; it grows to `maxPollIntervalMs`. */
  readonly pollIntervalMs: number;
  readonly maxPollIntervalMs: number;
}

// hubspot.fetch gives up after 15 s: a waiting request answers well before that.
export const DEFAULT_EXACTLY_ONCE_TIMING: ExactlyOnceTiming = {
  lockMs: 120_000,
  waitMs: 10_000,
  pollIntervalMs: 50,
  maxPollIntervalMs: 500,
};

/** What the key keeps: the answer, and when it was given (to tell in-flight duplicates apart). */
const storedAnswerSchema = z.object({
  response: createInvoiceResponseSchema,
  completedAt: z.number().int(),
});
type StoredAnswer = z.infer<typeof storedAnswerSchema>;

export function dealInvoiceKey(dealId: string): string {
  return `deal-invoice:${dealId}`;
}

export interface DealInvoiceRun {
  readonly idempotency: IdempotencyRepository;
  readonly clock: Clock;
  readonly timing: ExactlyOnceTiming;
  readonly tenantId: string;
  readonly dealId: string;
  /** When the request arrived: one already in flight when the invoice was made gets the same answer. */
  readonly receivedAt: number;
}

/**
 * Runs `work` at most once per deal at a time and never again once it succeeded; returns
 * its answer, or the answer of the run that did it.
 */
export async function onceForDeal(
  run: DealInvoiceRun,
  work: () => Promise<CreateInvoiceResponse>,
): Promise<CreateInvoiceResponse> {
  const key = dealInvoiceKey(run.dealId);
  // One invoice per deal whatever the options asked: the deal is the request's identity.
  const fingerprint = `deal:${run.dealId}`;
  const deadline = run.clock.now() + run.timing.waitMs;
  let pause = run.timing.pollIntervalMs;
  for (;;) {
    const claim = await run.idempotency.claim(run.tenantId, key, fingerprint, run.timing.lockMs);
    if (claim.state === "claimed") break;
    if (claim.state === "succeeded") return answerFor(run, claim.response);
    if (claim.state === "mismatch") throw unreadableRecord(run.dealId);
    if (run.clock.now() + pause > deadline) {
      throw new DomainError(
        "INVOICE_CREATION_IN_PROGRESS",
        "The invoice of this deal is being created right now; refresh the card in a moment to see it.",
        { dealId: run.dealId },
      );
    }
    await run.clock.sleep(pause);
    pause = Math.min(pause * 2, run.timing.maxPollIntervalMs);
  }

  let response: CreateInvoiceResponse;
  try {
    response = await work();
  } catch (error) {
    // Released so that the retry runs at once; it starts by looking for what this run made.
    await run.idempotency.fail(run.tenantId, key).catch(() => undefined);
    throw error;
  }
  const stored: StoredAnswer = { response, completedAt: run.clock.now() };
  await run.idempotency.complete(run.tenantId, key, stored);
  return response;
}

function answerFor(run: DealInvoiceRun, value: unknown): CreateInvoiceResponse {
  const parsed = storedAnswerSchema.safeParse(value);
  if (!parsed.success) throw unreadableRecord(run.dealId);
  const { response, completedAt } = parsed.data;
  // In flight while the invoice was made (a double click): the very same answer. Sent after
  // it: this deal is already invoiced.
  return run.receivedAt <= completedAt ? response : { ...response, created: false };
}

function unreadableRecord(dealId: string): DomainError {
  return new DomainError(
    "INTERNAL",
    "This deal's invoicing record is unreadable; nothing was changed.",
    { dealId },
  );
}
