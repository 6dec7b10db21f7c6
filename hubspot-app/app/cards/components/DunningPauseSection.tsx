/**
 * In an invoice's details: the pause holding its dunning plan and a way to resume it, or, on
 * an invoice still owed, a way to pause it (the customer disputes it, or promised to pay).
 */
import { useState } from "react";
import {
  Alert,
  DateInput,
  Flex,
  LoadingButton,
  Text,
  TextArea,
  ToggleGroup,
} from "@hubspot/ui-extensions";
import type { DunningPause } from "../hooks/useDunningPause.ts";
import {
  type PauseReason,
  type PickedDate,
  pauseErrorText,
  pauseRequestOf,
  promiseDateProblem,
} from "../utils/dunning-pause.ts";
import type { Translator } from "../utils/i18n.ts";

const REASONS: readonly PauseReason[] = ["dispute", "promise_to_pay"];

export function DunningPauseSection({
  t,
  pause,
  canPause,
}: {
  t: Translator;
  pause: DunningPause;
  canPause: boolean;
}) {
  const pausedBy = pause.dunning?.pausedBy ?? null;
  if (pausedBy) return <PauseInForce t={t} pause={pause} pausedBy={pausedBy} />;
  return canPause ? <PauseForm t={t} pause={pause} /> : null;
}

type PausedBy = NonNullable<NonNullable<DunningPause["dunning"]>["pausedBy"]>;

function PauseInForce({
  t,
  pause,
  pausedBy,
}: {
  t: Translator;
  pause: DunningPause;
  pausedBy: PausedBy;
}) {
  const { action } = pause;
  const sending = action.kind === "sending";
  return (
    <Flex direction="column" gap="xs" testId="dunning-pause">
      <Text testId="dunning-paused">
        {t.m.dunningPausedSince(t.m.pauseReasons[pausedBy.kind], t.f.date(pausedBy.since))}
      </Text>
      {pausedBy.until ? (
        <Text testId="dunning-paused-until">
          {t.m.dunningPausedUntil(t.f.date(pausedBy.until))}
        </Text>
      ) : null}
      <LoadingButton
        testId="resume-dunning"
        size="sm"
        variant="secondary"
        loading={sending}
        disabled={sending}
        onClick={pause.resume}
      >
        {t.m.resumeDunning}
      </LoadingButton>
      {action.kind === "failed" ? (
        <Alert testId="dunning-pause-failed" variant="danger" title={t.m.resumeFailedTitle}>
          {pauseErrorText(t, action.error)} ({action.error.code})
        </Alert>
      ) : null}
    </Flex>
  );
}

function PauseForm({ t, pause }: { t: Translator; pause: DunningPause }) {
  const [reason, setReason] = useState<PauseReason>("dispute");
  const [until, setUntil] = useState<PickedDate | null>(null);
  const [note, setNote] = useState("");
  const { action } = pause;
  const sending = action.kind === "sending";
  const request = pauseRequestOf({ reason, until, note });
  const failure = action.kind === "failed" ? action.error : null;
  const dateProblem = promiseDateProblem(t, failure);
  return (
    <Flex direction="column" gap="xs" testId="dunning-pause-form">
      <ToggleGroup
        testId="pause-reason"
        toggleType="radioButtonList"
        name="pause-reason"
        label={t.m.pauseReason}
        value={reason}
        inline
        options={REASONS.map((value) => ({
          value,
          label: t.m.pauseReasons[value],
          readOnly: sending,
        }))}
        onChange={(value: string) => {
          if (value === "dispute" || value === "promise_to_pay") setReason(value);
        }}
      />
      {reason === "promise_to_pay" ? (
        <DateInput
          testId="promise-until"
          name="promise-until"
          label={t.m.promisedBy}
          required
          format="ll"
          value={until ?? undefined}
          readOnly={sending}
          error={dateProblem !== null}
          {...(dateProblem === null ? {} : { validationMessage: dateProblem })}
          onChange={(picked) =>
            setUntil(picked ? { year: picked.year, month: picked.month, date: picked.date } : null)
          }
        />
      ) : null}
      <TextArea
        testId="pause-note"
        name="pause-note"
        label={t.m.pauseNote}
        value={note}
        readOnly={sending}
        onChange={setNote}
      />
      <LoadingButton
        testId="pause-dunning"
        size="sm"
        variant="secondary"
        loading={sending}
        disabled={sending || request === null}
        onClick={() => {
          if (request !== null) pause.pause(request);
        }}
      >
        {t.m.pauseDunning}
      </LoadingButton>
      {failure ? (
        <Alert testId="dunning-pause-failed" variant="danger" title={t.m.pauseFailedTitle}>
          {pauseErrorText(t, failure)} ({failure.code})
        </Alert>
      ) : null}
    </Flex>
  );
}
