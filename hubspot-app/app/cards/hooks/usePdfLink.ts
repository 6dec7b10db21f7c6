/**
 * An invoice's PDF link, fetched when the user asks for it: provider links expire, so one
 * is never fetched ahead of time and is dropped when it expires.
 */
import { useEffect, useState } from "react";
import { type BackendError, asBackendError, fetchInvoicePdfLink } from "../utils/api.ts";

export type PdfLinkState =
  | { readonly kind: "idle" }
  | { readonly kind: "loading" }
  | { readonly kind: "ready"; readonly url: string; readonly expiresAt: string }
  | { readonly kind: "failed"; readonly error: BackendError };

export function usePdfLink(invoiceId: string): { state: PdfLinkState; fetchLink(): void } {
  const [state, setState] = useState<PdfLinkState>({ kind: "idle" });

  useEffect(() => setState({ kind: "idle" }), [invoiceId]);

  useEffect(() => {
    if (state.kind !== "ready") return;
    const expired = setTimeout(
      () => setState({ kind: "idle" }),
      Math.max(0, Date.parse(state.expiresAt) - Date.now()),
    );
    return () => clearTimeout(expired);
  }, [state]);

  return {
    state,
    fetchLink: () => {
      setState({ kind: "loading" });
      fetchInvoicePdfLink(invoiceId).then(
        (link) => setState({ kind: "ready", url: link.url, expiresAt: link.expiresAt }),
        (error: unknown) => setState({ kind: "failed", error: asBackendError(error) }),
      );
    },
  };
}
