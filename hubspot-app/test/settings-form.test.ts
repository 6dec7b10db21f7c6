/**
 * The settings form: only what changed is sent, and the dunning plan is checked with the
 * shared ladder schema, each problem placed on the step and field at fault.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_DUNNING_LADDER, type DunningStep } from "@encaisse/shared";
import {
  changesOf,
  formOf,
  ladderProblems,
  nextStep,
  replaceStep,
} from "../app/settings/utils/settings-form.ts";
import { settings } from "./support/fixtures.ts";

const ladder = DEFAULT_DUNNING_LADDER;

describe("what a save sends", () => {
  it("nothing when nothing changed", () => {
    expect(changesOf(settings(), formOf(settings()))).toEqual({});
  });

  it("only the fields that differ from the saved settings", () => {
    const saved = settings();
    const form = {
      ...formOf(saved),
      invoiceMode: "finalized" as const,
      amountsVisibleToTeamIds: ["3301"],
    };
    expect(changesOf(saved, form)).toEqual({
      invoiceMode: "finalized",
      amountsVisibleToTeamIds: ["3301"],
    });
  });

  it("the dunning language only once it differs from the French used while it is unset", () => {
    const unset = settings();
    expect(formOf(unset).dunningLocale).toBe("fr");
    expect(changesOf(unset, { ...formOf(unset), dunningLocale: "fr" })).toEqual({});
    expect(changesOf(unset, { ...formOf(unset), dunningLocale: "en" })).toEqual({
      dunningLocale: "en",
    });
    const english = { ...unset, dunningLocale: "en" as const };
    expect(changesOf(english, { ...formOf(english), dunningLocale: "fr" })).toEqual({
      dunningLocale: "fr",
    });
  });

  it("the whole ladder when one step changed", () => {
    const saved = settings();
    const edited = replaceStep(saved.dunningLadder, 1, { citesPenalties: true });
    expect(changesOf(saved, { ...formOf(saved), dunningLadder: edited })).toEqual({
      dunningLadder: edited,
    });
  });
});

describe("checking the dunning plan before it is sent", () => {
  const table: { name: string; steps: readonly DunningStep[]; problems: object[] }[] = [
    { name: "the default plan is fine", steps: ladder, problems: [] },
    {
      name: "a step before the previous one is refused on its days",
      steps: replaceStep(ladder, 2, { offsetDays: 5 }),
      problems: [{ step: 2, field: "offsetDays" }],
    },
    {
      name: "a step on the due date itself is refused on its days",
      steps: replaceStep(ladder, 0, { offsetDays: 0 }),
      problems: [{ step: 0, field: "offsetDays" }],
    },
    {
      name: "a step id that is not a slug is refused on its id",
      steps: replaceStep(ladder, 1, { id: "Appel client" }),
      problems: [{ step: 1, field: "id" }],
    },
    {
      name: "two steps with one id are refused on the second",
      steps: replaceStep(ladder, 3, { id: "call" }),
      problems: [{ step: 3, field: "id" }],
    },
    {
      name: "an empty plan is refused as a whole",
      steps: [],
      problems: [{ step: null, field: "ladder" }],
    },
  ];

  it.each(table)("$name", ({ steps, problems }) => {
    expect(ladderProblems(steps).map(({ step, field }) => ({ step, field }))).toEqual(problems);
  });

  it("a new step comes a week after the last one, with an id no step has", () => {
    const added = nextStep(ladder);
    expect(added).toEqual({
      id: "step-5",
      offsetDays: (ladder.at(-1)?.offsetDays ?? 0) + 7,
      action: "call",
      citesPenalties: false,
    });
    expect(ladderProblems([...ladder, added])).toEqual([]);
    expect(nextStep([...ladder, added]).id).toBe("step-6");
  });
});
