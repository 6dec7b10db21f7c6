/**
 * The settings page's side of pairing the browser extension: the tenant's paired extensions
 * (read on mount and on demand), a one-time code for the current user, and revoking.
 */
import { useCallback, useEffect, useState } from "react";
import {
  type BackendError,
  asBackendError,
  createExtensionPairingCode,
  fetchExtensionTokens,
  revokeExtensionToken,
} from "../../cards/utils/api.ts";

type TokenList = Awaited<ReturnType<typeof fetchExtensionTokens>>;
export type PairedExtension = TokenList["tokens"][number];
export type PairingCode = Awaited<ReturnType<typeof createExtensionPairingCode>>;

export type PairedLoad =
  | { readonly kind: "loading" }
  | { readonly kind: "loaded"; readonly tokens: readonly PairedExtension[] }
  | { readonly kind: "failed"; readonly error: BackendError };

export interface ExtensionPairing {
  readonly paired: PairedLoad;
  readonly code: PairingCode | null;
  /** What is in flight: "code", a revocation (its token id), or null. */
  readonly working: string | null;
  readonly error: BackendError | null;
  generateCode(): void;
  refresh(): void;
  revoke(tokenId: string): void;
}

export function useExtensionPairing(): ExtensionPairing {
  const [paired, setPaired] = useState<PairedLoad>({ kind: "loading" });
  const [code, setCode] = useState<PairingCode | null>(null);
  const [working, setWorking] = useState<string | null>(null);
  const [error, setError] = useState<BackendError | null>(null);

  const refresh = useCallback(() => {
    fetchExtensionTokens().then(
      ({ tokens }) => setPaired({ kind: "loaded", tokens }),
      (failure: unknown) => setPaired({ kind: "failed", error: asBackendError(failure) }),
    );
  }, []);
  useEffect(refresh, [refresh]);

  const run = <T>(what: string, request: () => Promise<T>, done: (answer: T) => void) => {
    setWorking(what);
    setError(null);
    request().then(
      (answer) => {
        setWorking(null);
        done(answer);
      },
      (failure: unknown) => {
        setWorking(null);
        setError(asBackendError(failure));
      },
    );
  };

  return {
    paired,
    code,
    working,
    error,
    generateCode: () => run("code", createExtensionPairingCode, setCode),
    refresh,
    revoke: (tokenId) =>
      run(
        tokenId,
        () => revokeExtensionToken(tokenId),
        ({ tokens }) => setPaired({ kind: "loaded", tokens }),
      ),
  };
}
