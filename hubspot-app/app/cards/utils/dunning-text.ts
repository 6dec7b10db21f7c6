/**
 * What the dunning plan of an invoice reads like on the card: held, last step done, next
 * step due. The plan itself is decided by the backend (shared/src/dunning.ts).
 */
import type { CardInvoice } from "@encaisse/shared/contracts";
import type { Translator } from "./i18n.ts";

export function dunningLines(t: Translator, dunning: CardInvoice["dunning"]): string[] {
  if (dunning === null) return [];
  const lines: string[] = [];
  if (dunning.pausedBy) {
    lines.push(
      dunning.pausedBy.kind === "dispute" || dunning.pausedBy.until === null
        ? t.m.dunningDisputed
        : t.m.dunningPromised(t.f.date(dunning.pausedBy.until)),
    );
  }
  if (dunning.lastStep) {
    lines.push(
      t.m.dunningDone(
        t.m.dunningActions[dunning.lastStep.action],
        t.f.date(dunning.lastStep.doneOn),
      ),
    );
  }
  if (dunning.nextStep) {
    lines.push(
      t.m.dunningNext(
        t.m.dunningActions[dunning.nextStep.action],
        t.f.date(dunning.nextStep.dueOn),
      ),
    );
  }
  return lines;
}
