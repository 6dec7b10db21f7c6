/**
 * Every failure talking to HubSpot becomes one `HubSpotError`, once, here: the rest of the
 * backend switches on its code, never on HTTP statuses or api-client exceptions.
 *
 * Messages and details never carry HubSpot's own error text: it can quote property values
 * (names, emails) and these errors end up in logs and in API answers.
 */
import { DomainError } from "@encaisse/shared";
import { retryAfterMs } from "../net/rate-limit";

export type HubSpotErrorCode =
  | "HUBSPOT_RATE_LIMITED"
  | "HUBSPOT_UNAVAILABLE"
  /** The install was revoked or its tokens no longer work: reinstall the app. */
  | "HUBSPOT_AUTH_FAILED"
  /** The install lacks a scope the operation needs. */
  | "FORBIDDEN"
  | "NOT_FOUND"
  /** HubSpot refused the request as invalid (unknown property, bad value…). */
  | "HUBSPOT_REJECTED"
  | "HUBSPOT_RESPONSE_INVALID";

export class HubSpotError extends DomainError {
  readonly httpStatus: number | null;
  /** How long HubSpot asked us to wait (429), in ms. */
  readonly retryAfterMs: number | null;
  /** HubSpot's error category (`OBJECT_NOT_FOUND`, `MISSING_SCOPES`, `VALIDATION_ERROR`…). */
  readonly category: string | null;

  constructor(
    code: HubSpotErrorCode,
    message: string,
    options: {
      operation: string;
      httpStatus?: number | null;
      retryAfterMs?: number | null;
      category?: string | null;
      details?: Record<string, unknown>;
    },
  ) {
    super(code, message, {
      operation: options.operation,
      ...(options.httpStatus ? { httpStatus: options.httpStatus } : {}),
      ...(options.category ? { category: options.category } : {}),
      ...options.details,
    });
    this.httpStatus = options.httpStatus ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
    this.category = options.category ?? null;
  }

  get hubSpotCode(): HubSpotErrorCode {
    return this.code as HubSpotErrorCode;
  }

  /** A 429 we may wait out; the daily quota is not worth waiting for within a request. */
  get rateLimitedBriefly(): boolean {
    return this.code === "HUBSPOT_RATE_LIMITED" && this.details?.policy !== "DAILY";
  }

  /** 5xx, timeout or network: the request may or may not have been processed. */
  get transient(): boolean {
    return this.code === "HUBSPOT_UNAVAILABLE";
  }
}

/** The shape every api-client `ApiException` has (each generated module has its own class). */
interface ApiExceptionLike {
  readonly code: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

function isApiException(error: unknown): error is ApiExceptionLike {
  if (typeof error !== "object" || error === null) return false;
  const candidate = error as Partial<ApiExceptionLike>;
  return (
    typeof candidate.code === "number" &&
    typeof candidate.headers === "object" &&
    candidate.headers !== null
  );
}

const stringField = (body: unknown, key: string): string | null => {
  if (typeof body !== "object" || body === null) return null;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === "string" ? value : null;
};

/** Scope names from `context.requiredGranularScopes` / `missingScopes` (top level or in `errors`). */
function missingScopesOf(body: unknown): string[] {
  if (typeof body !== "object" || body === null) return [];
  const scopes = new Set<string>();
  const collect = (context: unknown) => {
    if (typeof context !== "object" || context === null) return;
    for (const key of ["missingScopes", "requiredGranularScopes", "requiredScopes"]) {
      const values = (context as Record<string, unknown>)[key];
      if (Array.isArray(values)) {
        for (const value of values) if (typeof value === "string") scopes.add(value);
      }
    }
  };
  const record = body as Record<string, unknown>;
  collect(record.context);
  if (Array.isArray(record.errors)) {
    for (const detail of record.errors) {
      if (typeof detail === "object" && detail !== null)
        collect((detail as Record<string, unknown>).context);
    }
  }
  return [...scopes];
}

const header = (headers: Readonly<Record<string, string>>, name: string): string | null => {
  const value = headers[name] ?? headers[name.toLowerCase()];
  return value === undefined ? null : value;
};

/**
 * How long to hold the account after a 429: `Retry-After` when HubSpot sends it, else the
 * length of the rolling window it names (after a full window every earlier request has left
 * it), else one second.
 */
export function rateLimitWaitMs(headers: Readonly<Record<string, string>>, now: number): number {
  const fromRetryAfter = retryAfterMs(new Headers(headers), now);
  if (fromRetryAfter !== null) return fromRetryAfter;
  const interval = header(headers, "x-hubspot-ratelimit-interval-milliseconds");
  if (interval !== null && /^\d+$/.test(interval.trim())) return Number(interval);
  return 1_000;
}

function isDailyLimit(headers: Readonly<Record<string, string>>, body: unknown): boolean {
  if (stringField(body, "policyName") === "DAILY") return true;
  return header(headers, "x-hubspot-ratelimit-daily-remaining")?.trim() === "0";
}

/** A request we gave up waiting for; it may still reach HubSpot. */
export class HubSpotTimeout extends Error {
  override readonly name = "HubSpotTimeout";
}

/** Maps anything a HubSpot call threw to a `HubSpotError` (already-mapped errors pass through). */
export function toHubSpotError(error: unknown, operation: string, now: number): HubSpotError {
  if (error instanceof HubSpotError) return error;
  if (error instanceof HubSpotTimeout) {
    return new HubSpotError("HUBSPOT_UNAVAILABLE", "HubSpot did not answer in time.", {
      operation,
      details: { timedOut: true },
    });
  }
  if (!isApiException(error)) {
    return new HubSpotError("HUBSPOT_UNAVAILABLE", "HubSpot could not be reached.", {
      operation,
      details: { cause: error instanceof Error ? error.name : typeof error },
    });
  }
  const status = error.code;
  const category = stringField(error.body, "category");
  const correlationId = stringField(error.body, "correlationId");
  const base = {
    operation,
    httpStatus: status,
    category,
    details: correlationId ? { correlationId } : {},
  };
  if (status === 429) {
    const daily = isDailyLimit(error.headers, error.body);
    return new HubSpotError(
      "HUBSPOT_RATE_LIMITED",
      daily
        ? "This HubSpot account has used its daily API quota; Encaisse will catch up tomorrow."
        : "HubSpot asks us to slow down; try again in a few seconds.",
      {
        ...base,
        retryAfterMs: rateLimitWaitMs(error.headers, now),
        details: { ...base.details, policy: daily ? "DAILY" : "TEN_SECONDLY_ROLLING" },
      },
    );
  }
  if (status >= 500) {
    return new HubSpotError(
      "HUBSPOT_UNAVAILABLE",
      `HubSpot is having trouble (HTTP ${status}).`,
      base,
    );
  }
  if (status === 401) {
    return new HubSpotError(
      "HUBSPOT_AUTH_FAILED",
      "HubSpot no longer accepts Encaisse's access to this account; reinstall the app from the HubSpot marketplace.",
      base,
    );
  }
  if (status === 403) {
    const missingScopes = missingScopesOf(error.body);
    return new HubSpotError(
      "FORBIDDEN",
      missingScopes.length > 0
        ? `The Encaisse app is missing HubSpot permissions (${missingScopes.join(", ")}); reinstall it to grant them.`
        : "HubSpot refused access to this record for the Encaisse app.",
      { ...base, details: { ...base.details, missingScopes } },
    );
  }
  if (status === 404) {
    return new HubSpotError(
      "NOT_FOUND",
      "This HubSpot record does not exist or was deleted.",
      base,
    );
  }
  return new HubSpotError(
    "HUBSPOT_REJECTED",
    `HubSpot refused the request (HTTP ${status}${category ? `, ${category}` : ""}).`,
    base,
  );
}
