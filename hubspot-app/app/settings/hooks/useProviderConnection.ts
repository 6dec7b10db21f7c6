/**
 * Connecting and disconnecting one accounting provider: an OAuth authorize link fetched on
 * demand (it carries a one-time state that expires), a Pennylane API token, or a disconnect
 * confirmed first. Each answer is the provider's new connection, handed to the page.
 */
import { useState } from "react";
import { connectApiTokenRequestSchema } from "@encaisse/shared/contracts";
import {
  type BackendError,
  type ProviderName,
  asBackendError,
  connectWithApiToken,
  disconnectProvider,
  fetchAuthorizeUrl,
} from "../../cards/utils/api.ts";

type Connection = Awaited<ReturnType<typeof disconnectProvider>>;

export type ConnectionAction =
  | { readonly kind: "idle" }
  | { readonly kind: "working" }
  | { readonly kind: "authorize"; readonly url: string }
  | { readonly kind: "confirmingDisconnect" }
  | { readonly kind: "tokenMalformed" }
  | { readonly kind: "failed"; readonly error: BackendError };

export interface ProviderConnectionActions {
  readonly action: ConnectionAction;
  authorize(): void;
  connectToken(token: string): void;
  askDisconnect(): void;
  /** Reads the connections again, e.g. once the OAuth page in the other tab is done. */
  check(reloadConnections: () => Promise<void>): void;
  cancel(): void;
  disconnect(): void;
}

export function useProviderConnection(
  provider: ProviderName,
  onChanged: (connection: Connection) => void,
): ProviderConnectionActions {
  const [action, setAction] = useState<ConnectionAction>({ kind: "idle" });
  const run = <T>(request: Promise<T>, done: (answer: T) => void) => {
    setAction({ kind: "working" });
    request.then(done, (error: unknown) =>
      setAction({ kind: "failed", error: asBackendError(error) }),
    );
  };
  const changed = (connection: Connection) => {
    setAction({ kind: "idle" });
    onChanged(connection);
  };
  return {
    action,
    authorize: () =>
      run(fetchAuthorizeUrl(provider), ({ url }) => setAction({ kind: "authorize", url })),
    connectToken: (token) => {
      const checked = connectApiTokenRequestSchema.safeParse({ token: token.trim() });
      if (!checked.success) {
        setAction({ kind: "tokenMalformed" });
        return;
      }
      run(connectWithApiToken(provider, checked.data.token), changed);
    },
    askDisconnect: () => setAction({ kind: "confirmingDisconnect" }),
    check: (reloadConnections) => run(reloadConnections(), () => setAction({ kind: "idle" })),
    cancel: () => setAction({ kind: "idle" }),
    disconnect: () => run(disconnectProvider(provider), changed),
  };
}
