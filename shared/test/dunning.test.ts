import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CalendarDate, addDays } from "../src/dates";
import {
  type DunningDecision,
  type DunningHistoryEntry,
  type DunningInput,
  type DunningLadder,
  type DunningPause,
  type DunningStep,
  activeDunningPause,
  DEFAULT_DUNNING_LADDER,
  describeDunning,
  dunningLadderSchema,
  dunningPauseSchema,
  dunningTaskText,
  nextDunningStep,
} from "../src/dunning";
import type { InvoiceStatus } from "../src/model";
import { formatMoney } from "../src/money";
import { computeLatePaymentPenalties } from "../src/penalties";

const DUE: CalendarDate = "2025-03-31";
const day = (offset: number): CalendarDate => addDays(DUE, offset);

const stepOf = (id: string): DunningStep => {
  const step = DEFAULT_DUNNING_LADDER.find((candidate) => candidate.id === id);
  if (!step) throw new Error(`no step ${id}`);
  return step;
};

interface Situation {
  status?: InvoiceStatus;
  remainingCents?: number;
  todayOffset: number;
  /** Steps done: [step id, days after the due date]. */
  done?: [string, number][];
  pauses?: DunningPause[];
  ladder?: DunningLadder;
}

const inputOf = (overrides: Situation): DunningInput => ({
  invoice: {
    status: overrides.status ?? "overdue",
    dueDate: DUE,
    remainingCents: overrides.remainingCents ?? 120_000,
  },
  history: (overrides.done ?? []).map(([stepId, offset]) => ({ stepId, doneOn: day(offset) })),
  pauses: overrides.pauses ?? [],
  today: day(overrides.todayOffset),
  ladder: overrides.ladder ?? DEFAULT_DUNNING_LADDER,
});

const decide = (situation: Situation): DunningDecision => nextDunningStep(inputOf(situation));

describe("the default dunning plan", () => {
  it("is D+1 courteous email, D+7 call, D+14 firm notice and D+30 formal notice, the last two citing penalties", () => {
    expect(
      DEFAULT_DUNNING_LADDER.map((step) => [step.offsetDays, step.action, step.citesPenalties]),
    ).toEqual([
      [1, "courteous_email", false],
      [7, "call", false],
      [14, "firm_notice", true],
      [30, "formal_notice", true],
    ]);
  });
});

describe("which dunning step is due", () => {
  it.each([
    ["a draft", { status: "draft", todayOffset: 20 }, "draft"],
    ["a credit note", { status: "credit_note", todayOffset: 20 }, "credit_note"],
    ["a cancelled invoice", { status: "cancelled", todayOffset: 20 }, "cancelled"],
    ["a paid invoice", { status: "paid", remainingCents: 0, todayOffset: 20 }, "paid"],
    ["an overdue invoice with nothing left to pay", { remainingCents: 0, todayOffset: 20 }, "paid"],
    ["an overpaid invoice", { remainingCents: -500, todayOffset: 20 }, "paid"],
    ["an invoice on its due date", { status: "open", todayOffset: 0 }, "not_late"],
    ["an invoice before its due date", { status: "open", todayOffset: -5 }, "not_late"],
    [
      "an invoice under an open dispute",
      { todayOffset: 20, pauses: [{ kind: "dispute", since: day(3), resolvedOn: null }] },
      "paused_dispute",
    ],
    [
      "an invoice under a dispute resolved later",
      { todayOffset: 20, pauses: [{ kind: "dispute", since: day(3), resolvedOn: day(25) }] },
      "paused_dispute",
    ],
    [
      "an invoice with a promise to pay running through today",
      { todayOffset: 20, pauses: [{ kind: "promise_to_pay", since: day(10), until: day(20) }] },
      "paused_promise_to_pay",
    ],
    [
      "an invoice whose last step is done",
      {
        todayOffset: 45,
        done: [
          ["courteous-email", 1],
          ["formal-notice", 30],
        ],
      },
      "ladder_complete",
    ],
    [
      "an invoice between two steps",
      {
        todayOffset: 10,
        done: [
          ["courteous-email", 1],
          ["call", 7],
        ],
      },
      "next_step_not_due",
    ],
  ] satisfies [string, Situation, string][])("nothing is done on %s", (_, situation, reason) => {
    expect(decide(situation)).toEqual({ kind: "none", reason });
  });

  it.each([
    // today, steps done [id, day], expected step, skipped
    [1, [], "courteous-email", []],
    [6, [], "courteous-email", []],
    [7, [["courteous-email", 1]], "call", []],
    [
      14,
      [
        ["courteous-email", 1],
        ["call", 7],
      ],
      "firm-notice",
      [],
    ],
    [20, [], "firm-notice", ["courteous-email", "call"]],
    [31, [["courteous-email", 1]], "formal-notice", ["call", "firm-notice"]],
    [100, [], "formal-notice", ["courteous-email", "call", "firm-notice"]],
  ] satisfies [number, [string, number][], string, string[]][])(
    "on D+%i with %j done, the step due is %s, passing over %j",
    (todayOffset, done, stepId, skipped) => {
      expect(decide({ todayOffset, done })).toEqual({
        kind: "due",
        step: stepOf(stepId),
        daysLate: todayOffset,
        skipped,
      });
    },
  );

  it("never goes back to a step before the last one done", () => {
    // The firm notice was sent by hand early: the call is no longer due.
    expect(decide({ todayOffset: 20, done: [["firm-notice", 10]] })).toEqual({
      kind: "none",
      reason: "next_step_not_due",
    });
  });

  it("an unknown step in the history (from an older plan) is ignored", () => {
    expect(decide({ todayOffset: 2, done: [["old-letter", 1]] })).toMatchObject({
      kind: "due",
      step: stepOf("courteous-email"),
    });
  });

  it.each([
    ["a dispute resolved today", { kind: "dispute", since: day(3), resolvedOn: day(20) }],
    ["a dispute opened later", { kind: "dispute", since: day(25), resolvedOn: null }],
    [
      "a promise to pay that ended yesterday",
      { kind: "promise_to_pay", since: day(5), until: day(19) },
    ],
    ["a promise to pay made for later", { kind: "promise_to_pay", since: day(21), until: day(30) }],
  ] satisfies [string, DunningPause][])("%s does not hold the plan", (_, pause) => {
    expect(decide({ todayOffset: 20, pauses: [pause] })).toMatchObject({
      kind: "due",
      step: stepOf("firm-notice"),
    });
  });

  it("an open dispute wins over a promise to pay", () => {
    const dispute: DunningPause = { kind: "dispute", since: day(5), resolvedOn: null };
    const promise: DunningPause = { kind: "promise_to_pay", since: day(5), until: day(40) };
    expect(activeDunningPause([promise, dispute], day(20))).toBe(dispute);
    expect(decide({ todayOffset: 20, pauses: [promise, dispute] })).toEqual({
      kind: "none",
      reason: "paused_dispute",
    });
  });
});

describe("sixty days of a late invoice, run every morning", () => {
  // The default plan plus a final call at D+45, to show payment stops what is left.
  const ladder = dunningLadderSchema.parse([
    ...DEFAULT_DUNNING_LADDER,
    { id: "final-call", offsetDays: 45, action: "call", citesPenalties: true },
  ]);
  const promise: DunningPause = { kind: "promise_to_pay", since: day(5), until: day(10) };
  const PAID_ON = 40;

  const run = () => {
    const history: DunningHistoryEntry[] = [];
    const reasons = new Map<number, string>();
    for (let offset = 0; offset <= 60; offset += 1) {
      const paid = offset >= PAID_ON;
      const decision = nextDunningStep({
        invoice: {
          status: paid ? "paid" : offset > 0 ? "overdue" : "open",
          dueDate: DUE,
          remainingCents: paid ? 0 : 120_000,
        },
        history,
        pauses: [promise],
        today: day(offset),
        ladder,
      });
      if (decision.kind === "due") {
        expect(decision.skipped).toEqual([]);
        expect(decision.daysLate).toBe(offset);
        history.push({ stepId: decision.step.id, doneOn: day(offset) });
      } else {
        reasons.set(offset, decision.reason);
      }
    }
    return { history, reasons };
  };

  it("does each step once on its day, holds during the promise to pay and resumes after it", () => {
    const { history } = run();
    expect(history).toEqual([
      { stepId: "courteous-email", doneOn: day(1) },
      // D+7 falls within the promise (D+5..D+10): the call waits until the day after.
      { stepId: "call", doneOn: day(11) },
      { stepId: "firm-notice", doneOn: day(14) },
      { stepId: "formal-notice", doneOn: day(30) },
    ]);
  });

  it("says why nothing is done on the other days, and stops for good once paid", () => {
    const { reasons } = run();
    expect(reasons.get(0)).toBe("not_late");
    for (const offset of [5, 7, 10]) expect(reasons.get(offset)).toBe("paused_promise_to_pay");
    for (const offset of [2, 12, 29, 39]) expect(reasons.get(offset)).toBe("next_step_not_due");
    for (let offset = PAID_ON; offset <= 60; offset += 1) expect(reasons.get(offset)).toBe("paid");
  });
});

describe("the dunning summary on the card", () => {
  it("shows the last step done, the next one and when it falls", () => {
    expect(
      describeDunning(
        inputOf({
          todayOffset: 9,
          done: [
            ["courteous-email", 1],
            ["call", 8],
          ],
        }),
      ),
    ).toEqual({
      lastStep: { step: stepOf("call"), doneOn: day(8) },
      nextStep: { step: stepOf("firm-notice"), dueOn: day(14) },
      pausedBy: null,
    });
  });

  it("shows the first step and its day on an invoice not yet due", () => {
    expect(describeDunning(inputOf({ status: "open", todayOffset: -10 }))).toEqual({
      lastStep: null,
      nextStep: { step: stepOf("courteous-email"), dueOn: day(1) },
      pausedBy: null,
    });
  });

  it("shows a step due now as due today", () => {
    expect(describeDunning(inputOf({ todayOffset: 20, done: [["call", 7]] })).nextStep).toEqual({
      step: stepOf("firm-notice"),
      dueOn: day(20),
    });
  });

  it("uses the latest day a step was recorded", () => {
    const summary = describeDunning(
      inputOf({
        todayOffset: 4,
        done: [
          ["courteous-email", 1],
          ["courteous-email", 3],
          ["courteous-email", 2],
        ],
      }),
    );
    expect(summary.lastStep).toEqual({ step: stepOf("courteous-email"), doneOn: day(3) });
  });

  it("moves the next step past a promise to pay", () => {
    const promise: DunningPause = { kind: "promise_to_pay", since: day(5), until: day(20) };
    expect(
      describeDunning(
        inputOf({ todayOffset: 8, done: [["courteous-email", 1]], pauses: [promise] }),
      ),
    ).toEqual({
      lastStep: { step: stepOf("courteous-email"), doneOn: day(1) },
      // On D+21 both the call (D+7) and the firm notice (D+14) are due: the firm notice goes.
      nextStep: { step: stepOf("firm-notice"), dueOn: day(21) },
      pausedBy: promise,
    });
  });

  it("resumes on the day a scheduled dispute resolution is recorded", () => {
    const dispute: DunningPause = { kind: "dispute", since: day(5), resolvedOn: day(25) };
    const summary = describeDunning(
      inputOf({ todayOffset: 8, done: [["courteous-email", 1]], pauses: [dispute] }),
    );
    expect(summary.nextStep).toEqual({ step: stepOf("firm-notice"), dueOn: day(25) });
    expect(summary.pausedBy).toBe(dispute);
  });

  it("has no next step while an open-ended dispute holds the plan", () => {
    const dispute: DunningPause = { kind: "dispute", since: day(5), resolvedOn: null };
    expect(describeDunning(inputOf({ todayOffset: 8, pauses: [dispute] }))).toEqual({
      lastStep: null,
      nextStep: null,
      pausedBy: dispute,
    });
  });

  it("has no next step once paid or once the ladder is complete", () => {
    expect(
      describeDunning(inputOf({ status: "paid", remainingCents: 0, todayOffset: 8 })).nextStep,
    ).toBeNull();
    expect(describeDunning(inputOf({ todayOffset: 40, done: [["formal-notice", 30]] }))).toEqual({
      lastStep: { step: stepOf("formal-notice"), doneOn: day(30) },
      nextStep: null,
      pausedBy: null,
    });
  });
});

describe("a dunning plan is checked when it is saved", () => {
  const step = (id: string, offsetDays: number) => ({
    id,
    offsetDays,
    action: "call",
    citesPenalties: false,
  });

  it.each([
    ["no step", [], "at least one step"],
    [
      "eleven steps",
      Array.from({ length: 11 }, (_, i) => step(`s${i}`, i + 1)),
      "at most 10 steps",
    ],
    ["days out of order", [step("a", 7), step("b", 3)], "strictly increasing days"],
    ["two steps on the same day", [step("a", 7), step("b", 7)], "strictly increasing days"],
    ["a repeated id", [step("a", 1), step("a", 7)], "used twice"],
    ["an id that is not a slug", [step("Firm Notice", 1)], "slug"],
    ["a step on the due date", [step("a", 0)], "at least 1 day"],
    ["a step more than a year late", [step("a", 366)], "at most 365 days"],
    ["half a day", [step("a", 1.5)], "whole number of days"],
  ])("a plan with %s is refused", (_, steps, message) => {
    const result = dunningLadderSchema.safeParse(steps);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.message).join("\n")).toContain(message);
  });

  it("an unknown action is refused", () => {
    expect(dunningLadderSchema.safeParse([{ ...step("a", 1), action: "sms" }]).success).toBe(false);
  });

  it("a pause from outside is parsed at the boundary", () => {
    expect(
      dunningPauseSchema.safeParse({
        kind: "promise_to_pay",
        since: "2025-04-01",
        until: "2025-04-31",
      }).success,
    ).toBe(false);
    expect(
      dunningPauseSchema.parse({ kind: "dispute", since: "2025-04-01", resolvedOn: null }),
    ).toEqual({
      kind: "dispute",
      since: "2025-04-01",
      resolvedOn: null,
    });
  });
});

describe("properties of the dunning plan", () => {
  const ladderArb = fc
    .uniqueArray(fc.integer({ min: 1, max: 365 }), { minLength: 1, maxLength: 10 })
    .chain((offsets) =>
      fc.tuple(
        ...[...offsets]
          .sort((a, b) => a - b)
          .map((offsetDays, index) =>
            fc.record({
              id: fc.constant(`step-${index}`),
              offsetDays: fc.constant(offsetDays),
              action: fc.constantFrom(
                "courteous_email",
                "call",
                "firm_notice",
                "formal_notice" as const,
              ),
              citesPenalties: fc.boolean(),
            }),
          ),
      ),
    )
    .map((steps) => dunningLadderSchema.parse(steps));

  const pauseArb: fc.Arbitrary<DunningPause> = fc.oneof(
    fc.record({
      kind: fc.constant("dispute" as const),
      since: fc.integer({ min: 0, max: 400 }).map(day),
      resolvedOn: fc.option(fc.integer({ min: 0, max: 400 }).map(day)),
    }),
    fc
      .tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 60 }))
      .map(([since, length]) => ({
        kind: "promise_to_pay" as const,
        since: day(since),
        until: day(since + length),
      })),
  );

  const situationArb = ladderArb.chain((ladder) =>
    fc.record({
      ladder: fc.constant(ladder),
      history: fc
        .subarray(ladder.map((step) => step.id))
        .chain((ids) =>
          fc.tuple(
            ...ids.map((stepId) =>
              fc.integer({ min: 1, max: 400 }).map((offset) => ({ stepId, doneOn: day(offset) })),
            ),
          ),
        ),
      pauses: fc.array(pauseArb, { maxLength: 2 }),
      todayOffset: fc.integer({ min: -30, max: 420 }),
      status: fc.constantFrom<InvoiceStatus>("open", "partially_paid", "overdue"),
      remainingCents: fc.integer({ min: 1, max: 10_000_000 }),
    }),
  );

  it("returns a step not done yet, already due, and after the last one done", () => {
    fc.assert(
      fc.property(
        situationArb,
        ({ ladder, history, pauses, todayOffset, status, remainingCents }) => {
          const decision = nextDunningStep({
            invoice: { status, dueDate: DUE, remainingCents },
            history,
            pauses,
            today: day(todayOffset),
            ladder,
          });
          if (decision.kind !== "due") return;
          const doneIds = history.map((entry) => entry.stepId);
          expect(doneIds).not.toContain(decision.step.id);
          expect(decision.step.offsetDays).toBeLessThanOrEqual(decision.daysLate);
          expect(decision.daysLate).toBe(todayOffset);
          const index = ladder.indexOf(decision.step);
          const lastDone = Math.max(
            -1,
            ...doneIds.map((id) => ladder.findIndex((step) => step.id === id)),
          );
          expect(index).toBeGreaterThan(lastDone);
          for (const skipped of decision.skipped) {
            const skippedIndex = ladder.findIndex((step) => step.id === skipped);
            expect(skippedIndex).toBeGreaterThan(lastDone);
            expect(skippedIndex).toBeLessThan(index);
          }
          expect(activeDunningPause(pauses, day(todayOffset))).toBeNull();
        },
      ),
    );
  });

  it("never returns a step once the invoice is paid", () => {
    fc.assert(
      fc.property(
        situationArb,
        fc.constantFrom<[InvoiceStatus, number]>(
          ["paid", 0],
          ["overdue", 0],
          ["partially_paid", -100],
          ["paid", 5000],
        ),
        ({ ladder, history, pauses, todayOffset }, [status, remainingCents]) => {
          expect(
            nextDunningStep({
              invoice: { status, dueDate: DUE, remainingCents },
              history,
              pauses,
              today: day(todayOffset),
              ladder,
            }),
          ).toEqual({ kind: "none", reason: "paid" });
        },
      ),
    );
  });

  it("the card's next step is what the plan decides on that day", () => {
    fc.assert(
      fc.property(
        situationArb,
        ({ ladder, history, pauses, todayOffset, status, remainingCents }) => {
          const input: DunningInput = {
            invoice: { status, dueDate: DUE, remainingCents },
            history,
            pauses,
            today: day(todayOffset),
            ladder,
          };
          const { nextStep } = describeDunning(input);
          if (nextStep === null) return;
          expect(nextStep.dueOn >= input.today).toBe(true);
          expect(nextDunningStep({ ...input, today: nextStep.dueOn })).toMatchObject({
            kind: "due",
            step: nextStep.step,
          });
        },
      ),
    );
  });
});

describe("the task a rep gets for a dunning step", () => {
  const penalties = computeLatePaymentPenalties({
    dueDate: "2025-06-15",
    grossCents: 1_200_000,
    payments: [],
    today: "2025-07-20",
    isBusinessCustomer: true,
  });
  const base = {
    invoiceNumber: "F-2025-0042",
    customerName: "Boulangerie Martin SAS",
    remainingCents: 1_200_000,
    currency: "EUR",
    daysLate: 35,
    penalties,
  };

  it.each([
    ["fr", "courteous-email", "Relance courtoise", "12\u202f000,00\u00a0€", "35 jours"],
    ["fr", "call", "Appeler", "12\u202f000,00\u00a0€", "35 jours"],
    ["fr", "firm-notice", "Relance ferme", "12\u202f000,00\u00a0€", "35 jours"],
    ["fr", "formal-notice", "Mise en demeure", "12\u202f000,00\u00a0€", "35 jours"],
    ["en", "courteous-email", "Courteous reminder", "€12,000.00", "35 days"],
    ["en", "call", "Call", "€12,000.00", "35 days"],
    ["en", "firm-notice", "Firm reminder", "€12,000.00", "35 days"],
    ["en", "formal-notice", "Formal notice", "€12,000.00", "35 days"],
  ] as const)(
    "in %s, %s reads %s and names the invoice, amount and delay",
    (locale, stepId, title, amount, delay) => {
      const text = dunningTaskText({ ...base, step: stepOf(stepId), locale });
      expect(text.subject).toContain(title);
      expect(text.subject).toContain("F-2025-0042");
      expect(text.subject).toContain("Boulangerie Martin SAS");
      expect(text.body).toContain("F-2025-0042");
      expect(text.body).toContain(amount);
      expect(text.body).toContain(delay);
    },
  );

  it.each([
    // interest 14,474 cents (see penalties.test.ts), indemnity 4,000 cents
    ["fr", "144,74\u00a0€", "40,00\u00a0€", "indemnité forfaitaire"],
    ["en", "€144.74", "€40.00", "recovery indemnity"],
  ] as const)(
    "in %s, the firm notice cites the interest and the EUR 40 indemnity",
    (locale, interest, indemnity, words) => {
      const { body } = dunningTaskText({ ...base, step: stepOf("firm-notice"), locale });
      expect(body).toContain(interest);
      expect(body).toContain(indemnity);
      expect(body).toContain(words);
      expect(body).not.toMatch(/provisoire|provisional/);
    },
  );

  it.each(["fr", "en"] as const)("in %s, the early steps do not mention penalties", (locale) => {
    for (const stepId of ["courteous-email", "call"]) {
      const { body } = dunningTaskText({ ...base, step: stepOf(stepId), locale });
      expect(body).not.toContain(
        formatMoney(penalties.interestCents, "EUR", locale === "fr" ? "fr-FR" : "en-US"),
      );
      expect(body).not.toMatch(/L441-10/);
    }
  });

  it.each([
    ["fr", "(taux provisoire)"],
    ["en", "(provisional rate)"],
  ] as const)("in %s, a provisional rate is said so", (locale, words) => {
    const { body } = dunningTaskText({
      ...base,
      step: stepOf("formal-notice"),
      penalties: { ...penalties, provisional: true },
      locale,
    });
    expect(body).toContain(words);
  });

  it.each([
    ["fr", "indemnité"],
    ["en", "indemnity"],
  ] as const)("in %s, no indemnity is cited when none is owed", (locale, word) => {
    const { body } = dunningTaskText({
      ...base,
      step: stepOf("firm-notice"),
      penalties: { ...penalties, indemnityCents: 0, totalCents: penalties.interestCents },
      locale,
    });
    expect(body).toContain(locale === "fr" ? "144,74\u00a0€" : "€144.74");
    expect(body).not.toContain(word);
  });

  it("a penalty step without computed penalties still reads well", () => {
    const { body } = dunningTaskText({
      ...base,
      step: stepOf("firm-notice"),
      penalties: null,
      locale: "en",
    });
    expect(body).toContain("firm reminder");
    expect(body).not.toContain("Penalties to date");
  });

  it.each([
    ["fr", 1, "en retard de 1 jour."],
    ["en", 1, "is 1 day late"],
    ["fr", 2, "en retard de 2 jours."],
  ] as const)("in %s, %i day of delay is worded %s", (locale, daysLate, words) => {
    const { body } = dunningTaskText({
      ...base,
      step: stepOf("courteous-email"),
      daysLate,
      locale,
    });
    expect(body).toContain(words);
  });

  it("formats amounts in the invoice's currency", () => {
    const { body } = dunningTaskText({
      ...base,
      currency: "USD",
      remainingCents: 123_456,
      step: stepOf("call"),
      locale: "en",
    });
    expect(body).toContain("$1,234.56");
  });
});
