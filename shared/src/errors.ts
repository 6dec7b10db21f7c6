/**
 * Errors are values with a code a user (or an operator) can act on.
 * The domain throws `DomainError`; the backend maps the code to an HTTP status once,
 * using `errorStatus` from the contracts.
 */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export class DomainError extends Error {
  override readonly name = "DomainError";

  constructor(
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message);
  }

  toBody(): { code: string; message: string; details?: ErrorDetails } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** A rule that can fail without it being exceptional (validation, matching). */
export type Result<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: DomainError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(
  code: string,
  message: string,
  details?: ErrorDetails,
): Result<T> => ({
  ok: false,
  error: new DomainError(code, message, details),
});

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw result.error;
  return result.value;
}
