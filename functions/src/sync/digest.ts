/**
 * The morning digest: one HubSpot task per owner, due today, listing the reminders of the
 * day. Sent at most once per owner and day, whatever the re-runs: the idempotency key
 * `dunning-digest:<day>:<owner>` is claimed before the task is made and completed with its
 * id after. A run that dies in between holds the key until its lock expires; the owner then
 * gets the digest from the next run (at worst twice, never not at all).
 */
import type { CalendarDate, DunningLocale } from "@encaisse/shared";
import type { Backend } from "../backend";
import type { HubSpotCrm } from "../hubspot/crm";
import { type DigestLine, digestText } from "./digest-text";

/** Longer than creating one task can take, retries and rate limit included. */
const DIGEST_LOCK_MS = 10 * 60_000;
const FINGERPRINT = "dunning-digest";

export interface DigestSent {
  readonly ownerId: string;
  readonly taskId: string;
  readonly reminders: number;
}

export function digestKey(day: CalendarDate, ownerId: string): string {
  return `dunning-digest:${day}:${ownerId}`;
}

export async function sendDunningDigests(
  backend: Pick<Backend, "repos">,
  crm: HubSpotCrm,
  input: {
    readonly tenantId: string;
    readonly day: CalendarDate;
    readonly locale: DunningLocale;
    readonly linesByOwner: ReadonlyMap<string, readonly DigestLine[]>;
  },
): Promise<DigestSent[]> {
  const { idempotency } = backend.repos;
  const sent: DigestSent[] = [];
  const owners = [...input.linesByOwner.keys()].sort();
  for (const ownerId of owners) {
    const lines = input.linesByOwner.get(ownerId) ?? [];
    if (lines.length === 0) continue;
    const key = digestKey(input.day, ownerId);
    const claim = await idempotency.claim(input.tenantId, key, FINGERPRINT, DIGEST_LOCK_MS);
    if (claim.state !== "claimed") continue;
    const text = digestText(lines, input.day, input.locale);
    let taskId: string;
    try {
      ({ id: taskId } = await crm.createOwnerTask({
        ownerId,
        subject: text.subject,
        body: text.body,
        dueDate: input.day,
      }));
    } catch (error) {
      await idempotency.fail(input.tenantId, key).catch(() => undefined);
      throw error;
    }
    await idempotency.complete(input.tenantId, key, { taskId });
    sent.push({ ownerId, taskId, reminders: lines.length });
  }
  return sent;
}
