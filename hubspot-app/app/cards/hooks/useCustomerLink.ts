/**
 * Confirming which accounting customer a HubSpot company is (`POST /v1/cards/links`), one
 * candidate at a time, then letting the card load its invoices.
 */
import { useRef, useState } from "react";
import { type BackendError, asBackendError, confirmCustomerLink } from "../utils/api.ts";

export type CustomerLinkState =
  | { readonly kind: "idle" }
  | { readonly kind: "linking"; readonly providerCustomerId: string }
  | { readonly kind: "failed"; readonly error: BackendError };

export function useCustomerLink(
  companyId: string,
  onLinked: () => void,
): { state: CustomerLinkState; link(providerCustomerId: string): void } {
  const [state, setState] = useState<CustomerLinkState>({ kind: "idle" });
  const inFlight = useRef(false);
  return {
    state,
    link: (providerCustomerId) => {
      if (inFlight.current) return;
      inFlight.current = true;
      setState({ kind: "linking", providerCustomerId });
      confirmCustomerLink({ companyId, providerCustomerId }).then(
        () => {
          inFlight.current = false;
          setState({ kind: "idle" });
          onLinked();
        },
        (error: unknown) => {
          inFlight.current = false;
          setState({ kind: "failed", error: asBackendError(error) });
        },
      );
    },
  };
}
