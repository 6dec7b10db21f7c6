/**
 * Creates without duplicates on an API that has no idempotency keys. Pennylane's
 * `external_reference` is unique per company, so it is our key:
 *
 * 1. creates for the same key run one at a time in this process (a double click, a retried
 *    webhook and a job may race; across processes the caller's pending marker in the
 *    database does the same job);
 * 2. look the record up first — a previous attempt may have succeeded;
 * 3. POST once, never retried on a 5xx or a timeout;
 * 4. if the POST failed in a way that may hide a success (timeout, 5xx, dropped connection)
 *    or was refused as a conflict (409, 422: the reference already exists), look it up
 *    again and return what Pennylane stored; otherwise the original error stands.
 */
import { ProviderError } from "../errors";

const queues = new Map<string, Promise<void>>();

/** Runs `operation` after every earlier operation under `key` in this process has settled. */
export function serializeBy<T>(key: string, operation: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const result = previous.then(operation);
  const settled = result.then(
    () => undefined,
    () => undefined,
  );
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return result;
}

function mayHaveBeenStored(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return false;
  return error.mayHaveReachedProvider || error.httpStatus === 409 || error.httpStatus === 422;
}

export interface ExactlyOnceCreate<T> {
  /** Unique per connection and record, e.g. `<connection>:invoice:<external reference>`. */
  readonly key: string;
  readonly lookup: () => Promise<T | null>;
  readonly create: () => Promise<T>;
}

export function createExactlyOnce<T>({ key, lookup, create }: ExactlyOnceCreate<T>): Promise<T> {
  return serializeBy(key, async () => {
    const existing = await lookup();
    if (existing !== null) return existing;
    try {
      return await create();
    } catch (error) {
      if (!mayHaveBeenStored(error)) throw error;
      let stored: T | null;
      try {
        stored = await lookup();
      } catch {
        // We cannot tell whether the create went through: the first error says so best.
        throw error;
      }
      if (stored !== null) return stored;
      throw error;
    }
  });
}
