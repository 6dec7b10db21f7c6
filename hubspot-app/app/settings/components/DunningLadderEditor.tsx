/**
 * The dunning plan as editable steps (D+N days, action, whether it cites the penalties),
 * with the problems the shared ladder schema found shown on the fields at fault.
 */
import {
  Alert,
  Button,
  Checkbox,
  Flex,
  Heading,
  Input,
  NumberInput,
  Select,
  Text,
} from "@hubspot/ui-extensions";
import { type DunningAction, type DunningStep, dunningActionSchema } from "@encaisse/shared";
import { type LadderProblem, nextStep, replaceStep } from "../utils/settings-form.ts";
import type { SettingsMessages } from "../utils/messages.ts";

const MAX_STEPS = 10;

export function DunningLadderEditor({
  m,
  steps,
  problems,
  onChange,
}: {
  m: SettingsMessages;
  steps: readonly DunningStep[];
  problems: readonly LadderProblem[];
  onChange: (steps: readonly DunningStep[]) => void;
}) {
  const problemAt = (index: number, field: "id" | "offsetDays") =>
    problems.some((problem) => problem.step === index && problem.field === field);
  const ladderProblem = problems.some((problem) => problem.field === "ladder");
  return (
    <Flex direction="column" gap="sm" testId="dunning-ladder">
      <Heading>{m.dunningTitle}</Heading>
      <Text variant="microcopy">{m.dunningDescription}</Text>
      {steps.map((step, index) => (
        <Flex key={index} direction="row" gap="sm" align="end" testId={`step-${index}`}>
          <Input
            testId={`step-${index}-id`}
            name={`step-${index}-id`}
            label={`${m.stepNumber(index + 1)} · ${m.stepId}`}
            value={step.id}
            error={problemAt(index, "id")}
            {...(problemAt(index, "id") ? { validationMessage: m.problems.id } : {})}
            onChange={(id) => onChange(replaceStep(steps, index, { id }))}
          />
          <NumberInput
            testId={`step-${index}-offset`}
            name={`step-${index}-offset`}
            label={m.offsetDays}
            value={step.offsetDays}
            precision={0}
            error={problemAt(index, "offsetDays")}
            {...(problemAt(index, "offsetDays")
              ? { validationMessage: m.problems.offsetDays }
              : {})}
            onChange={(offsetDays) =>
              onChange(
                replaceStep(steps, index, {
                  offsetDays: Number.isFinite(offsetDays) ? offsetDays : 0,
                }),
              )
            }
          />
          <Select
            testId={`step-${index}-action`}
            name={`step-${index}-action`}
            label={m.action}
            value={step.action}
            options={dunningActionSchema.options.map((action) => ({
              value: action,
              label: m.actions[action],
            }))}
            onChange={(action) => {
              const parsed = dunningActionSchema.safeParse(action);
              if (parsed.success)
                onChange(replaceStep(steps, index, { action: parsed.data as DunningAction }));
            }}
          />
          <Checkbox
            testId={`step-${index}-penalties`}
            name={`step-${index}-penalties`}
            checked={step.citesPenalties}
            onChange={(citesPenalties) => onChange(replaceStep(steps, index, { citesPenalties }))}
          >
            {m.citesPenalties}
          </Checkbox>
          <Button
            testId={`step-${index}-remove`}
            size="sm"
            variant="transparent"
            disabled={steps.length <= 1}
            onClick={() => onChange(steps.filter((_, position) => position !== index))}
          >
            {m.removeStep}
          </Button>
        </Flex>
      ))}
      <Button
        testId="add-step"
        size="sm"
        variant="secondary"
        disabled={steps.length >= MAX_STEPS}
        onClick={() => onChange([...steps, nextStep(steps)])}
      >
        {m.addStep}
      </Button>
      {ladderProblem ? (
        <Alert testId="ladder-problem" variant="danger" title={m.problems.ladderSize} />
      ) : null}
    </Flex>
  );
}
