import { DomainError, type Provider } from "@encaisse/shared";

export type ProviderErrorCode =
  | "PROVIDER_RATE_LIMITED"
  | "PROVIDER_UNAVAILABLE"
  | "PROVIDER_TIMEOUT"
  | "PROVIDER_AUTH_FAILED"
  | "PROVIDER_REJECTED"
  | "PROVIDER_NOT_FOUND"
  | "PROVIDER_RESPONSE_INVALID"
  /** An incremental sync cursor older than the provider keeps changes for: backfill instead. */
  | "PROVIDER_CHANGES_EXPIRED";

const RETRYABLE: ReadonlySet<ProviderErrorCode> = new Set([
  "PROVIDER_RATE_LIMITED",
  "PROVIDER_UNAVAILABLE",
  "PROVIDER_TIMEOUT",
]);

/**
 * A failure talking to an accounting provider, as a value the rest of the backend can act
 * on. `mayHaveReachedProvider` matters for creates: a timeout or 5xx may hide a success.
 */
export class ProviderError extends DomainError {
  readonly provider: Provider;
  readonly httpStatus: number | null;
  /** How long the provider asked us to wait (429), in ms. */
  readonly retryAfterMs: number | null;

  constructor(
    code: ProviderErrorCode,
    message: string,
    options: {
      provider: Provider;
      httpStatus?: number | null;
      retryAfterMs?: number | null;
      details?: Record<string, unknown>;
    },
  ) {
    super(code, message, { provider: options.provider, ...options.details });
    this.provider = options.provider;
    this.httpStatus = options.httpStatus ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }

  get providerCode(): ProviderErrorCode {
    return this.code as ProviderErrorCode;
  }

  get retryable(): boolean {
    return RETRYABLE.has(this.providerCode);
  }

  /** The request may have been processed even though we saw an error. */
  get mayHaveReachedProvider(): boolean {
    return this.code === "PROVIDER_TIMEOUT" || this.code === "PROVIDER_UNAVAILABLE";
  }
}

export const PROVIDER_NAMES: Record<Provider, string> = {
  pennylane: "Pennylane",
  sage_active: "Sage Active",
};
