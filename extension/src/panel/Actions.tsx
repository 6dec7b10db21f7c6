/**
 * Log a note on the company, or create a follow-up task for its owner, in HubSpot. Each
 * action carries an id of its own, sent again if the user tries it again unchanged, so a
 * double click or a retry after a lost answer writes once (the backend answers the repeat
 * with the first write).
 */
import { type FormEvent, useRef, useState } from "react";
import type { Outcome, OutcomeError, SendToBackground } from "../service/protocol";
import type { PanelMessages } from "./i18n";
import { ErrorNotice, ExternalLink, Section } from "./ui";

type Saved = { url: string };
type Progress =
  | { state: "idle" }
  | { state: "saving" }
  | { state: "saved"; url: string }
  | {
      state: "failed";
      error: OutcomeError;
    };

function newRequestId(): string {
  return crypto.randomUUID();
}

function useSubmit(onSignedOut: () => void) {
  const [progress, setProgress] = useState<Progress>({ state: "idle" });
  // Refs, not state: a second click can arrive before React shows the button disabled.
  const inFlight = useRef(false);
  const requestId = useRef<string | null>(null);
  const submit = async (run: (requestId: string) => Promise<Outcome<Saved>>): Promise<boolean> => {
    if (inFlight.current) return false;
    inFlight.current = true;
    requestId.current ??= newRequestId();
    setProgress({ state: "saving" });
    const outcome = await run(requestId.current);
    inFlight.current = false;
    if (outcome.ok) {
      requestId.current = null;
      setProgress({ state: "saved", url: outcome.value.url });
      return true;
    }
    if (outcome.error.code === "SIGNED_OUT") onSignedOut();
    else setProgress({ state: "failed", error: outcome.error });
    return false;
  };
  /** The form changed: what is sent next is another action. */
  const edited = () => {
    requestId.current = null;
  };
  return { progress, submit, edited };
}

/** Today in Paris plus `days`, as a calendar date. */
export function parisDatePlus(today: Date, days: number): string {
  const later = new Date(today.getTime() + days * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(later);
}

interface ActionProps {
  t: PanelMessages;
  send: SendToBackground;
  companyId: string;
  companyName: string;
  today: Date;
  onSignedOut: () => void;
}

function Result({ t, progress, done }: { t: PanelMessages; progress: Progress; done: string }) {
  if (progress.state === "saved") {
    return (
      <p role="status" className="success">
        {done} <ExternalLink href={progress.url}>{t.viewInHubSpot}</ExternalLink>
      </p>
    );
  }
  if (progress.state === "failed") return <ErrorNotice t={t} error={progress.error} />;
  return null;
}

export function NoteForm({ t, send, companyId, onSignedOut }: ActionProps) {
  const [body, setBody] = useState("");
  const { progress, submit, edited } = useSubmit(onSignedOut);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (await submit((requestId) => send("log-note", { companyId, body, requestId }))) {
      setBody("");
    }
  };
  return (
    <Section title={t.logNote}>
      <form onSubmit={onSubmit}>
        <label>
          {t.noteLabel}
          <textarea
            value={body}
            onChange={(e) => {
              edited();
              setBody(e.target.value);
            }}
            rows={3}
            required
          />
        </label>
        <button type="submit" disabled={progress.state === "saving" || body.trim() === ""}>
          {progress.state === "saving" ? t.saving : t.saveNote}
        </button>
      </form>
      <Result t={t} progress={progress} done={t.noteSaved} />
    </Section>
  );
}

export function TaskForm({ t, send, companyId, companyName, today, onSignedOut }: ActionProps) {
  const [subject, setSubject] = useState(t.taskDefaultSubject(companyName));
  const [dueDate, setDueDate] = useState(parisDatePlus(today, 3));
  const [body, setBody] = useState("");
  const { progress, submit, edited } = useSubmit(onSignedOut);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const details = body.trim();
    await submit((requestId) =>
      send("create-task", {
        companyId,
        subject,
        dueDate,
        requestId,
        ...(details ? { body: details } : {}),
      }),
    );
  };
  const change = (set: (value: string) => void) => (value: string) => {
    edited();
    set(value);
  };
  return (
    <Section title={t.createTask}>
      <form onSubmit={onSubmit}>
        <label>
          {t.taskSubject}
          <input value={subject} onChange={(e) => change(setSubject)(e.target.value)} required />
        </label>
        <label>
          {t.taskDue}
          <input
            type="date"
            value={dueDate}
            onChange={(e) => change(setDueDate)(e.target.value)}
            required
          />
        </label>
        <label>
          {t.taskBody}
          <textarea value={body} onChange={(e) => change(setBody)(e.target.value)} rows={2} />
        </label>
        <button type="submit" disabled={progress.state === "saving" || subject.trim() === ""}>
          {progress.state === "saving" ? t.saving : t.saveTask}
        </button>
      </form>
      <Result t={t} progress={progress} done={t.taskSaved} />
    </Section>
  );
}
