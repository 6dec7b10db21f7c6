/**
 * The part of the tenant's settings the page edits, what changed since the last save (only
 * that is sent), and the dunning ladder checked with the shared `dunningLadderSchema`
 * before anything leaves the page.
 */
import { type DunningAction, type DunningStep, dunningLadderSchema } from "@encaisse/shared";
import type { Settings } from "@encaisse/shared/contracts";
import type { z } from "zod";
import type { settingsUpdateSchema } from "@encaisse/shared/contracts";

export type SettingsChanges = z.input<typeof settingsUpdateSchema>;

export interface SettingsForm {
  readonly invoiceMode: Settings["invoiceMode"];
  readonly autoInvoiceOnDealWon: boolean;
  readonly dunningLadder: readonly DunningStep[];
  /** Null: everyone sees amounts. */
  readonly amountsVisibleToTeamIds: readonly string[] | null;
  readonly dunningLocale: DunningLocale;
}

export type DunningLocale = NonNullable<Settings["dunningLocale"]>;
/** What the backend writes dunning tasks in while the setting is unset. */
export const DEFAULT_DUNNING_LOCALE: DunningLocale = "fr";

export function formOf(settings: Settings): SettingsForm {
  return {
    invoiceMode: settings.invoiceMode,
    autoInvoiceOnDealWon: settings.autoInvoiceOnDealWon,
    dunningLadder: settings.dunningLadder,
    amountsVisibleToTeamIds: settings.amountsVisibleToTeamIds,
    dunningLocale: settings.dunningLocale ?? DEFAULT_DUNNING_LOCALE,
  };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of `form` that differ from the saved settings. */
export function changesOf(saved: Settings, form: SettingsForm): SettingsChanges {
  const changes: SettingsChanges = {};
  if (form.invoiceMode !== saved.invoiceMode) changes.invoiceMode = form.invoiceMode;
  if (form.autoInvoiceOnDealWon !== saved.autoInvoiceOnDealWon) {
    changes.autoInvoiceOnDealWon = form.autoInvoiceOnDealWon;
  }
  if (!same(form.dunningLadder, saved.dunningLadder)) {
    changes.dunningLadder = form.dunningLadder.map((step) => ({ ...step }));
  }
  if (!same(form.amountsVisibleToTeamIds, saved.amountsVisibleToTeamIds)) {
    changes.amountsVisibleToTeamIds =
      form.amountsVisibleToTeamIds === null ? null : [...form.amountsVisibleToTeamIds];
  }
  if (form.dunningLocale !== (saved.dunningLocale ?? DEFAULT_DUNNING_LOCALE)) {
    changes.dunningLocale = form.dunningLocale;
  }
  return changes;
}

export interface LadderProblem {
  /** Index of the step at fault; null when the ladder as a whole is (too short, too long). */
  readonly step: number | null;
  readonly field: "id" | "offsetDays" | "ladder";
  /** The schema's own explanation (English). */
  readonly detail: string;
}

export function ladderProblems(steps: readonly DunningStep[]): LadderProblem[] {
  const checked = dunningLadderSchema.safeParse(steps);
  if (checked.success) return [];
  return checked.error.issues.map((issue) => {
    const [step, field] = issue.path;
    if (typeof step === "number" && (field === "id" || field === "offsetDays")) {
      return { step, field, detail: issue.message };
    }
    return { step: null, field: "ladder", detail: issue.message };
  });
}

/** A step after the last one, with an id no other step has. */
export function nextStep(steps: readonly DunningStep[]): DunningStep {
  const ids = new Set(steps.map((step) => step.id));
  let number = steps.length + 1;
  while (ids.has(`step-${number}`)) number += 1;
  const lastOffset = steps.at(-1)?.offsetDays ?? 0;
  const action: DunningAction = "call";
  return {
    id: `step-${number}`,
    offsetDays: Math.min(365, lastOffset + 7),
    action,
    citesPenalties: false,
  };
}

export function replaceStep(
  steps: readonly DunningStep[],
  index: number,
  change: Partial<DunningStep>,
): DunningStep[] {
  return steps.map((step, position) => (position === index ? { ...step, ...change } : step));
}
