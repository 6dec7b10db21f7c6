/**
 * The dunning plan: which reminder the rep should do next on a late invoice.
 *
 * A ladder of steps at D+N days after the due date. Each step happens at most once, in
 * ladder order; when the plan falls behind (first run on an old invoice, end of a pause)
 * it jumps to the latest step due instead of sending every missed reminder the same morning.
 * A dispute or a promise to pay holds the plan; payment stops it.
 */
import { z } from "zod";
import { type CalendarDate, addDays, calendarDateSchema, daysBetween } from "./dates";
import { type Cents, formatMoney } from "./money";
import type { InvoiceStatus } from "./model";
import type { LatePaymentPenalties } from "./penalties";

export const dunningActionSchema = z.enum([
  "courteous_email",
  "call",
  "firm_notice",
  "formal_notice",
]);
export type DunningAction = z.infer<typeof dunningActionSchema>;

export const dunningStepSchema = z.object({
  id: z
    .string()
    .regex(
      /^[a-z0-9]+(?:-[a-z0-9]+)*$/,
      "A step id is a slug: lowercase letters and digits separated by hyphens, e.g. firm-notice.",
    )
    .max(64, "A step id is at most 64 characters."),
  offsetDays: z
    .number()
    .int("A step is a whole number of days after the due date.")
    .min(1, "A step comes at least 1 day after the due date.")
    .max(365, "A step comes at most 365 days after the due date."),
  action: dunningActionSchema,
  citesPenalties: z.boolean(),
});
export type DunningStep = z.infer<typeof dunningStepSchema>;

export const dunningLadderSchema = z
  .array(dunningStepSchema)
  .min(1, "A dunning plan has at least one step.")
  .max(10, "A dunning plan has at most 10 steps.")
  .superRefine((steps, ctx) => {
    const seen = new Set<string>();
    steps.forEach((step, index) => {
      const previous = steps[index - 1];
      if (previous && step.offsetDays <= previous.offsetDays) {
        ctx.addIssue({
          code: "custom",
          path: [index, "offsetDays"],
          message: `Step "${step.id}" (D+${step.offsetDays}) must come after step "${previous.id}" (D+${previous.offsetDays}): steps are in strictly increasing days.`,
        });
      }
      if (seen.has(step.id)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: `Step id "${step.id}" is used twice: each step needs its own id.`,
        });
      }
      seen.add(step.id);
    });
  });
export type DunningLadder = readonly DunningStep[];

/** The ladder French SMEs commonly use, and the default plan of a new tenant. */
export const DEFAULT_DUNNING_LADDER: DunningLadder = dunningLadderSchema.parse([
  { id: "courteous-email", offsetDays: 1, action: "courteous_email", citesPenalties: false },
  { id: "call", offsetDays: 7, action: "call", citesPenalties: false },
  { id: "firm-notice", offsetDays: 14, action: "firm_notice", citesPenalties: true },
  { id: "formal-notice", offsetDays: 30, action: "formal_notice", citesPenalties: true },
]);

export const dunningPauseSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("dispute"),
    since: calendarDateSchema,
    resolvedOn: calendarDateSchema.nullable(),
  }),
  z.object({
    kind: z.literal("promise_to_pay"),
    since: calendarDateSchema,
    until: calendarDateSchema,
  }),
]);
export type DunningPause = z.infer<typeof dunningPauseSchema>;

export const dunningHistoryEntrySchema = z.object({
  stepId: z.string().min(1),
  doneOn: calendarDateSchema,
});
export type DunningHistoryEntry = z.infer<typeof dunningHistoryEntrySchema>;

export interface DunningInput {
  readonly invoice: {
    readonly status: InvoiceStatus;
    readonly dueDate: CalendarDate;
    readonly remainingCents: Cents;
  };
  readonly history: readonly DunningHistoryEntry[];
  readonly pauses: readonly DunningPause[];
  readonly today: CalendarDate;
  readonly ladder: DunningLadder;
}

export type DunningIdleReason =
  | "draft"
  | "credit_note"
  | "cancelled"
  | "paid"
  | "not_late"
  | "paused_dispute"
  | "paused_promise_to_pay"
  | "ladder_complete"
  /** Late, but the next step's day has not come yet. */
  | "next_step_not_due";

export type DunningDecision =
  | {
      readonly kind: "due";
      readonly step: DunningStep;
      readonly daysLate: number;
      /** Earlier steps passed over because a later one is already due. */
      readonly skipped: string[];
    }
  | { readonly kind: "none"; readonly reason: DunningIdleReason };

/** The pause holding the plan on `today`, if any; an open dispute wins over a promise to pay. */
export function activeDunningPause(
  pauses: readonly DunningPause[],
  today: CalendarDate,
): DunningPause | null {
  const dispute = pauses.find(
    (pause) =>
      pause.kind === "dispute" &&
      pause.since <= today &&
      (pause.resolvedOn === null || pause.resolvedOn > today),
  );
  if (dispute) return dispute;
  return (
    pauses.find(
      (pause) => pause.kind === "promise_to_pay" && pause.since <= today && today <= pause.until,
    ) ?? null
  );
}

/** Index in the ladder of the furthest step already done, -1 if none. */
function lastDoneIndex(ladder: DunningLadder, history: readonly DunningHistoryEntry[]): number {
  const done = new Set(history.map((entry) => entry.stepId));
  return ladder.findLastIndex((step) => done.has(step.id));
}

export function nextDunningStep(input: DunningInput): DunningDecision {
  const { invoice, history, pauses, today, ladder } = input;
  switch (invoice.status) {
    case "draft":
    case "credit_note":
    case "cancelled":
    case "paid":
      return { kind: "none", reason: invoice.status };
  }
  if (invoice.remainingCents <= 0) return { kind: "none", reason: "paid" };

  const daysLate = daysBetween(invoice.dueDate, today);
  if (daysLate <= 0) return { kind: "none", reason: "not_late" };

  const after = lastDoneIndex(ladder, history);
  if (after === ladder.length - 1) return { kind: "none", reason: "ladder_complete" };

  const pause = activeDunningPause(pauses, today);
  if (pause) {
    return {
      kind: "none",
      reason: pause.kind === "dispute" ? "paused_dispute" : "paused_promise_to_pay",
    };
  }

  const done = new Set(history.map((entry) => entry.stepId));
  const due = ladder.filter(
    (step, index) => index > after && step.offsetDays <= daysLate && !done.has(step.id),
  );
  const step = due.at(-1);
  if (!step) return { kind: "none", reason: "next_step_not_due" };
  return { kind: "due", step, daysLate, skipped: due.slice(0, -1).map((passed) => passed.id) };
}

export interface DunningSummary {
  readonly lastStep: { readonly step: DunningStep; readonly doneOn: CalendarDate } | null;
  /** The step the plan will take next and the day it will, if nothing else happens. */
  readonly nextStep: { readonly step: DunningStep; readonly dueOn: CalendarDate } | null;
  readonly pausedBy: DunningPause | null;
}

/**
 * What the card shows: the last step done, the next one and when, and any pause.
 * `nextStep` is null once the plan is over (paid, closed, ladder complete) and while an
 * open-ended dispute holds it; `dueOn` is today when a step is due now.
 */
export function describeDunning(input: DunningInput): DunningSummary {
  const { history, ladder, pauses, today } = input;
  const lastIndex = lastDoneIndex(ladder, history);
  const last = ladder[lastIndex];
  const lastStep = last
    ? {
        step: last,
        doneOn: history
          .filter((entry) => entry.stepId === last.id)
          .map((entry) => entry.doneOn)
          .reduce((latest, date) => (date > latest ? date : latest)),
      }
    : null;

  // The decision can only change on a step's day or the day after a pause ends.
  const candidateDays = [
    today,
    ...ladder.map((step) => addDays(input.invoice.dueDate, step.offsetDays)),
    ...pauses.flatMap((pause) =>
      pause.kind === "dispute"
        ? pause.resolvedOn === null
          ? []
          : [pause.resolvedOn]
        : [addDays(pause.until, 1)],
    ),
  ]
    .filter((day) => day >= today)
    .sort();
  let nextStep: DunningSummary["nextStep"] = null;
  for (const day of candidateDays) {
    const decision = nextDunningStep({ ...input, today: day });
    if (decision.kind === "due") {
      nextStep = { step: decision.step, dueOn: day };
      break;
    }
  }

  return { lastStep, nextStep, pausedBy: activeDunningPause(pauses, today) };
}

export type DunningLocale = "fr" | "en";

export interface DunningTaskTextInput {
  readonly step: DunningStep;
  readonly invoiceNumber: string;
  readonly customerName: string;
  readonly remainingCents: Cents;
  readonly currency: string;
  readonly daysLate: number;
  readonly penalties: LatePaymentPenalties | null;
  readonly locale: DunningLocale;
}

const NUMBER_LOCALE: Record<DunningLocale, string> = { fr: "fr-FR", en: "en-US" };

const ACTION_TEXT: Record<DunningLocale, Record<DunningAction, { title: string; todo: string }>> = {
  fr: {
    courteous_email: {
      title: "Relance courtoise",
      todo: "Envoyer un e-mail courtois pour rappeler l'échéance et demander la date de règlement prévue.",
    },
    call: {
      title: "Appeler",
      todo: "Appeler le client pour comprendre le retard et convenir d'une date de paiement.",
    },
    firm_notice: {
      title: "Relance ferme",
      todo: "Envoyer une relance ferme rappelant que des pénalités de retard sont dues.",
    },
    formal_notice: {
      title: "Mise en demeure",
      todo: "Envoyer une mise en demeure par lettre recommandée avec accusé de réception avant toute procédure de recouvrement.",
    },
  },
  en: {
    courteous_email: {
      title: "Courteous reminder",
      todo: "Send a courteous email recalling the due date and asking when payment is planned.",
    },
    call: {
      title: "Call",
      todo: "Call the customer to understand the delay and agree on a payment date.",
    },
    firm_notice: {
      title: "Firm reminder",
      todo: "Send a firm reminder stating that late-payment penalties are due.",
    },
    formal_notice: {
      title: "Formal notice",
      todo: "Send a formal notice (mise en demeure) by registered letter with acknowledgement of receipt before any recovery proceedings.",
    },
  },
};

/** The short name of a dunning action ("Relance courtoise", "Call"…), for lists and digests. */
export function dunningActionTitle(action: DunningAction, locale: DunningLocale): string {
  return ACTION_TEXT[locale][action].title;
}

/** "1 jour", "8 jours", "1 day", "8 days". */
export function formatDayCount(days: number, locale: DunningLocale): string {
  return dayCount(days, locale);
}

function dayCount(days: number, locale: DunningLocale): string {
  const one = new Intl.PluralRules(NUMBER_LOCALE[locale]).select(days) === "one";
  if (locale === "fr") return `${days} ${one ? "jour" : "jours"}`;
  return `${days} ${one ? "day" : "days"}`;
}

/** Subject and body of the CRM task a rep gets for a dunning step. */
export function dunningTaskText(input: DunningTaskTextInput): { subject: string; body: string } {
  const { step, invoiceNumber, customerName, currency, daysLate, penalties, locale } = input;
  const numberLocale = NUMBER_LOCALE[locale];
  const action = ACTION_TEXT[locale][step.action];
  const remaining = formatMoney(input.remainingCents, currency, numberLocale);
  const late = dayCount(daysLate, locale);
  const showPenalties = step.citesPenalties && penalties !== null;
  const interest = showPenalties
    ? formatMoney(penalties.interestCents, currency, numberLocale)
    : "";
  const indemnity = showPenalties ? formatMoney(penalties.indemnityCents, "EUR", numberLocale) : "";

  if (locale === "fr") {
    const lines = [
      `La facture ${invoiceNumber} de ${customerName} est en retard de ${late}. Reste dû\u00a0: ${remaining}.`,
      action.todo,
    ];
    if (showPenalties) {
      const rate = penalties.provisional ? " (taux provisoire)" : "";
      lines.push(
        penalties.indemnityCents > 0
          ? `Pénalités à ce jour\u00a0: intérêts de retard de ${interest}${rate} et indemnité forfaitaire pour frais de recouvrement de ${indemnity} (art. L441-10 et D441-5 du Code de commerce).`
          : `Pénalités à ce jour\u00a0: intérêts de retard de ${interest}${rate} (art. L441-10 du Code de commerce).`,
      );
    }
    return {
      subject: `${action.title} – facture ${invoiceNumber} – ${customerName}`,
      body: lines.join("\n"),
    };
  }

  const lines = [
    `Invoice ${invoiceNumber} for ${customerName} is ${late} late. Still owed: ${remaining}.`,
    action.todo,
  ];
  if (showPenalties) {
    const rate = penalties.provisional ? " (provisional rate)" : "";
    lines.push(
      penalties.indemnityCents > 0
        ? `Penalties to date: late-payment interest of ${interest}${rate} and the fixed recovery indemnity of ${indemnity} (French Commercial Code L441-10 and D441-5).`
        : `Penalties to date: late-payment interest of ${interest}${rate} (French Commercial Code L441-10).`,
    );
  }
  return {
    subject: `${action.title} – invoice ${invoiceNumber} – ${customerName}`,
    body: lines.join("\n"),
  };
}
