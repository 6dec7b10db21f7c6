/**
 * Billing a deal from its card: the preview the backend prepares from the deal's line items,
 * the draft-or-finalized choice, a confirmation, then one creation. A click while a creation
 * is in flight, or after it succeeded, does nothing: the card never asks twice (and the
 * backend creates at most one invoice per deal whatever it receives).
 */
import { useCallback, useEffect, useRef, useState } from "react";
import type { CreateInvoiceResponse, InvoicePreviewResponse } from "@encaisse/shared/contracts";
import {
  type BackendError,
  asBackendError,
  createDealInvoice,
  fetchInvoicePreview,
} from "../utils/api.ts";

export type InvoiceMode = "draft" | "finalized";

export type PreviewLoad =
  | { readonly kind: "loading" }
  | { readonly kind: "failed"; readonly error: BackendError }
  | { readonly kind: "loaded"; readonly preview: InvoicePreviewResponse };

export type Submission =
  | { readonly kind: "idle" }
  | { readonly kind: "confirming" }
  | { readonly kind: "sending" }
  | { readonly kind: "created"; readonly result: CreateInvoiceResponse }
  | { readonly kind: "failed"; readonly error: BackendError };

export interface InvoiceCreation {
  readonly preview: PreviewLoad;
  /** The mode chosen, or the tenant's default from the preview. */
  readonly mode: InvoiceMode | null;
  readonly submission: Submission;
  chooseMode(mode: InvoiceMode): void;
  askConfirmation(): void;
  cancel(): void;
  confirm(): void;
  reloadPreview(): void;
}

export function useInvoiceCreation(dealId: string): InvoiceCreation {
  const [preview, setPreview] = useState<PreviewLoad>({ kind: "loading" });
  const [chosenMode, setChosenMode] = useState<InvoiceMode | null>(null);
  const [submission, setSubmission] = useState<Submission>({ kind: "idle" });
  // State updates land after the click handler returns; the ref closes the gap for a
  // second click fired before the button re-renders disabled.
  const sent = useRef(false);

  const reloadPreview = useCallback(() => {
    setPreview({ kind: "loading" });
    fetchInvoicePreview(dealId).then(
      (answer) => setPreview({ kind: "loaded", preview: answer }),
      (error: unknown) => setPreview({ kind: "failed", error: asBackendError(error) }),
    );
  }, [dealId]);

  useEffect(reloadPreview, [reloadPreview]);

  const defaultMode = preview.kind === "loaded" && preview.preview.state === "ready";
  const mode = chosenMode ?? (defaultMode ? preview.preview.mode : null);

  return {
    preview,
    mode,
    submission,
    chooseMode: setChosenMode,
    askConfirmation: () => {
      if (!sent.current && mode !== null) setSubmission({ kind: "confirming" });
    },
    cancel: () => {
      if (!sent.current) setSubmission({ kind: "idle" });
    },
    confirm: () => {
      if (sent.current || mode === null) return;
      sent.current = true;
      setSubmission({ kind: "sending" });
      createDealInvoice(dealId, { mode }).then(
        (result) => setSubmission({ kind: "created", result }),
        (thrown: unknown) => {
          const error = asBackendError(thrown);
          // Already invoiced (by a colleague, or by the won-deal automation): show that one.
          if (error.code === "DEAL_ALREADY_INVOICED") {
            setSubmission({ kind: "idle" });
            reloadPreview();
            return;
          }
          sent.current = false;
          setSubmission({ kind: "failed", error });
        },
      );
    },
    reloadPreview,
  };
}
