/**
 * The dunning state of an invoice as the card shows it: the plan's own reading
 * (`describeDunning`, shared) put in the contract's shape.
 */
import {
  type CalendarDate,
  type DunningHistoryEntry,
  type DunningLadder,
  type DunningPause,
  type Invoice,
  describeDunning,
  isReceivable,
} from "@encaisse/shared";
import type { z } from "zod";
import type { dunningStateSchema } from "@encaisse/shared/contracts";

export type DunningState = z.infer<typeof dunningStateSchema>;

export interface DunningFacts {
  readonly invoice: Pick<Invoice, "status" | "dueDate" | "remainingCents">;
  readonly history: readonly DunningHistoryEntry[];
  readonly pauses: readonly DunningPause[];
  readonly ladder: DunningLadder;
  readonly today: CalendarDate;
}

export function dunningStateOf(facts: DunningFacts): DunningState {
  const summary = describeDunning(facts);
  const pause = summary.pausedBy;
  return {
    lastStep: summary.lastStep && {
      id: summary.lastStep.step.id,
      action: summary.lastStep.step.action,
      doneOn: summary.lastStep.doneOn,
    },
    nextStep: summary.nextStep && {
      id: summary.nextStep.step.id,
      action: summary.nextStep.step.action,
      dueOn: summary.nextStep.dueOn,
    },
    pausedBy: pause && {
      kind: pause.kind,
      since: pause.since,
      until: pause.kind === "dispute" ? pause.resolvedOn : pause.until,
    },
  };
}

/**
 * Null when dunning never concerned the invoice: drafts, credit notes, cancelled invoices,
 * and invoices paid without a reminder or a pause.
 */
export function cardDunningStateOf(facts: DunningFacts): DunningState | null {
  const { status } = facts.invoice;
  if (status === "draft" || status === "credit_note" || status === "cancelled") return null;
  if (!isReceivable(status) && facts.history.length === 0 && facts.pauses.length === 0) return null;
  return dunningStateOf(facts);
}
