/**
 * The dunning pause as the card handles it: which invoices offer it, the request the form
 * makes, and what to say when the backend refuses one. Whether a date is acceptable and what
 * a pause does to the plan are the backend's rules.
 */
import { isReceivable } from "@encaisse/shared";
import type { CardInvoice } from "@encaisse/shared/contracts";
import { type BackendError, type DunningPauseRequest, invalidFieldsOf } from "./api.ts";
import type { Translator } from "./i18n.ts";

export type PauseReason = DunningPauseRequest["kind"];
export type DunningState = NonNullable<CardInvoice["dunning"]>;

/** A day as HubSpot's DateInput gives it: months count from 0. */
export interface PickedDate {
  readonly year: number;
  readonly month: number;
  readonly date: number;
}

export interface PauseDraft {
  readonly reason: PauseReason;
  readonly until: PickedDate | null;
  readonly note: string;
}

/** Only an invoice still owed can be held: the backend refuses the others. */
export function offersDunningPause(invoice: Pick<CardInvoice, "status">): boolean {
  return isReceivable(invoice.status);
}

export function calendarDateOf(picked: PickedDate): string {
  const pad = (value: number, width: number) => String(value).padStart(width, "0");
  return `${pad(picked.year, 4)}-${pad(picked.month + 1, 2)}-${pad(picked.date, 2)}`;
}

/** The request the form describes, or null while a promise to pay has no date yet. */
export function pauseRequestOf(draft: PauseDraft): DunningPauseRequest | null {
  const note = draft.note.trim();
  const withNote = note === "" ? {} : { note };
  if (draft.reason === "dispute") return { kind: "dispute", ...withNote };
  if (draft.until === null) return null;
  return { kind: "promise_to_pay", until: calendarDateOf(draft.until), ...withNote };
}

/** The backend's objection to the promised date, in the user's words, if it made one. */
export function promiseDateProblem(t: Translator, error: BackendError | null): string | null {
  if (error === null || error.code !== "VALIDATION_FAILED") return null;
  const objects = invalidFieldsOf(error).some((field) => field.field === "until");
  return objects ? t.m.promiseDateInvalid : null;
}

/** What a refusal means for the user: the date objection when there is one. */
export function pauseErrorText(t: Translator, error: BackendError): string {
  return promiseDateProblem(t, error) ?? t.errorText(error);
}
