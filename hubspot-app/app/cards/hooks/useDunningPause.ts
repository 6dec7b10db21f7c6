/**
 * Pausing or resuming an invoice's dunning plan from its details, one request at a time. The
 * backend's answer is shown at once; the card then reloads so the table says the same, and
 * its next view of the invoice replaces the answer.
 */
import { useEffect, useRef, useState } from "react";
import {
  type BackendError,
  type DunningPauseRequest,
  asBackendError,
  pauseInvoiceDunning,
  resumeInvoiceDunning,
} from "../utils/api.ts";
import type { DunningState } from "../utils/dunning-pause.ts";

export type DunningPauseAction =
  | { readonly kind: "idle" }
  | { readonly kind: "sending"; readonly action: "pause" | "resume" }
  | { readonly kind: "failed"; readonly action: "pause" | "resume"; readonly error: BackendError };

export interface DunningPause {
  /** The invoice's dunning state: the backend's last answer, else the card's view. */
  readonly dunning: DunningState | null;
  readonly action: DunningPauseAction;
  pause(request: DunningPauseRequest): void;
  resume(): void;
}

export function useDunningPause(
  invoiceId: string,
  shown: DunningState | null,
  onChanged: () => void,
): DunningPause {
  const [action, setAction] = useState<DunningPauseAction>({ kind: "idle" });
  const [answered, setAnswered] = useState<DunningState | null>(null);
  // The click handler returns before the button re-renders disabled: the ref closes the gap.
  const inFlight = useRef(false);

  useEffect(() => setAnswered(null), [shown]);

  const send = (kind: "pause" | "resume", request: () => Promise<{ dunning: DunningState }>) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setAction({ kind: "sending", action: kind });
    request().then(
      (answer) => {
        inFlight.current = false;
        setAnswered(answer.dunning);
        setAction({ kind: "idle" });
        onChanged();
      },
      (error: unknown) => {
        inFlight.current = false;
        setAction({ kind: "failed", action: kind, error: asBackendError(error) });
      },
    );
  };

  return {
    dunning: answered ?? shown,
    action,
    pause: (request) => send("pause", () => pauseInvoiceDunning(invoiceId, request)),
    resume: () => send("resume", () => resumeInvoiceDunning(invoiceId)),
  };
}
