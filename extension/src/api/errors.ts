/**
 * A failed backend call as a value the panel can act on: the backend's own error code
 * (`PAIRING_CODE_INVALID`, `RATE_LIMITED`, …) or one of the extension's: `SIGNED_OUT` (any 401
 * once paired), `NETWORK`, `TIMEOUT`, `INVALID_RESPONSE`, `HTTP_<status>`.
 */
export class BackendError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number | null,
    readonly details: { readonly retryAfterSeconds: number | null } = { retryAfterSeconds: null },
  ) {
    super(message);
    this.name = "BackendError";
  }
}
