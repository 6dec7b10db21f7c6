/**
 * Where jobs that failed every attempt are kept, whichever queue ran them, so that
 * `encaisse doctor` lists them from any process (the worker that gave up may be gone).
 */
import { desc } from "drizzle-orm";
import type { StoreDb } from "../store/open";
import { jobDeadLetters } from "../store/schema";
import { type DeadLetter, type DeadLetterStore, JOB_KINDS, type Job } from "./types";

export class DeadLetterRepository implements DeadLetterStore {
  constructor(private readonly db: StoreDb) {}

  async record(job: Job, letter: DeadLetter): Promise<void> {
    await this.db.insert(jobDeadLetters).values({
      kind: letter.kind,
      tenantId: letter.tenantId,
      job,
      attempts: letter.attempts,
      errorCode: letter.errorCode,
      failedAt: new Date(letter.failedAt),
    });
  }

  /** Newest first. */
  async list(limit = 20): Promise<readonly DeadLetter[]> {
    const rows = await this.db
      .select()
      .from(jobDeadLetters)
      .orderBy(desc(jobDeadLetters.failedAt), desc(jobDeadLetters.id))
      .limit(limit);
    // Rows this build does not know (a kind removed since) are not shown as something else.
    return rows.flatMap((row) => {
      const kind = JOB_KINDS.find((known) => known === row.kind);
      if (!kind) return [];
      return [
        {
          kind,
          tenantId: row.tenantId,
          failedAt: row.failedAt.toISOString(),
          attempts: row.attempts,
          errorCode: row.errorCode,
        },
      ];
    });
  }
}
