/**
 * HubSpot's error answers. Every CRM error body carries `status: "error"`, a `message`, a
 * `correlationId` (uuid) and a `category` (the spec's `Error` schema requires the last three);
 * validation errors add `errors[]` with a `code` and `context`, as HubSpot's newer answers do.
 * Rules throw these; the router turns them into responses in one place.
 */
import { randomUUID } from "node:crypto";

export type ErrorCategory =
  | "VALIDATION_ERROR"
  | "INVALID_AUTHENTICATION"
  | "EXPIRED_AUTHENTICATION"
  | "MISSING_SCOPES"
  | "OBJECT_NOT_FOUND"
  | "OBJECT_ALREADY_EXISTS"
  | "CONFLICT"
  | "RATE_LIMITS"
  | "INTERNAL_ERROR"
  | "BAD_GATEWAY";

export interface ErrorDetail {
  readonly message: string;
  readonly code?: string;
  readonly in?: string;
  readonly context?: Readonly<Record<string, readonly string[]>>;
}

export interface HubSpotErrorBody {
  readonly status: string;
  readonly message: string;
  readonly correlationId: string;
  readonly category: ErrorCategory;
  readonly errors?: readonly ErrorDetail[];
  readonly context?: Readonly<Record<string, readonly string[]>>;
  readonly links?: Readonly<Record<string, string>>;
  readonly [extra: string]: unknown;
}

export class HubSpotHttpError extends Error {
  readonly body: HubSpotErrorBody;

  constructor(
    readonly status: number,
    category: ErrorCategory,
    message: string,
    extra: Omit<Partial<HubSpotErrorBody>, "message" | "category" | "correlationId"> = {},
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.body = { status: "error", message, correlationId: randomUUID(), category, ...extra };
  }
}

export const validationError = (message: string, errors?: readonly ErrorDetail[]) =>
  new HubSpotHttpError(400, "VALIDATION_ERROR", message, errors === undefined ? {} : { errors });

export const notFound = (message: string, context?: Record<string, readonly string[]>) =>
  new HubSpotHttpError(404, "OBJECT_NOT_FOUND", message, context === undefined ? {} : { context });

export const alreadyExists = (message: string) =>
  new HubSpotHttpError(409, "OBJECT_ALREADY_EXISTS", message);

export const conflict = (message: string) => new HubSpotHttpError(409, "CONFLICT", message);

const OAUTH_GUIDE = "https://developers.hubspot.com/docs/methods/auth/oauth-overview";

export const missingCredentials = () =>
  new HubSpotHttpError(
    401,
    "INVALID_AUTHENTICATION",
    `Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at ${OAUTH_GUIDE}`,
  );

export const expiredToken = (expiredForMs: number) => {
  const minutes = Math.floor(expiredForMs / 60_000);
  const ago =
    minutes >= 1 ? `${minutes} minute(s)` : `${Math.floor(expiredForMs / 1000)} second(s)`;
  return new HubSpotHttpError(
    401,
    "EXPIRED_AUTHENTICATION",
    `The OAuth token used to make this call expired ${ago} ago.`,
  );
};

export const missingScopes = (requiredAnyOf: readonly string[]) =>
  new HubSpotHttpError(
    403,
    "MISSING_SCOPES",
    "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
    {
      errors: [
        {
          message: "One or more of the following scopes are required.",
          context: { requiredGranularScopes: requiredAnyOf },
        },
      ],
      links: { scopes: "https://developers.hubspot.com/scopes" },
    },
  );

/** One invalid property value, as HubSpot lists them inside "Property values were not valid". */
export interface PropertyProblem {
  readonly name: string;
  readonly error:
    | "PROPERTY_DOESNT_EXIST"
    | "READ_ONLY_VALUE"
    | "INVALID_OPTION"
    | "INVALID_INTEGER"
    | "INVALID_FLOAT"
    | "INVALID_DATE"
    | "INVALID_DATETIME"
    | "INVALID_BOOLEAN"
    | "INVALID_OWNER_ID"
    | "INVALID_EMAIL";
  readonly message: string;
}

/**
 * HubSpot's answer to a write naming unknown properties or carrying bad values: the message
 * embeds the JSON list of problems (that is how HubSpot sends it) and `errors[]` repeats them
 * in structured form.
 */
export function invalidProperties(portalId: number, problems: readonly PropertyProblem[]) {
  const listed = problems.map((problem) => ({
    isValid: false,
    message: problem.message,
    error: problem.error,
    name: problem.name,
    localizedErrorMessage: problem.message,
    portalId,
  }));
  return new HubSpotHttpError(
    400,
    "VALIDATION_ERROR",
    `Property values were not valid: ${JSON.stringify(listed)}`,
    {
      errors: problems.map((problem) => ({
        message: problem.message,
        code: problem.error,
        context: { propertyName: [problem.name] },
      })),
    },
  );
}

/** The body HubSpot sends with a 429; `category` is added so it also satisfies the spec's `Error`. */
export function rateLimitBody(policy: "TEN_SECONDLY_ROLLING" | "SECONDLY" | "DAILY") {
  const message =
    policy === "TEN_SECONDLY_ROLLING"
      ? "You have reached your ten_secondly_rolling limit."
      : policy === "SECONDLY"
        ? "You have reached your secondly limit."
        : "You have reached your daily limit.";
  return {
    status: "error",
    message,
    errorType: "RATE_LIMIT",
    correlationId: randomUUID(),
    policyName: policy,
    requestId: randomUUID(),
    category: "RATE_LIMITS" as const,
  };
}
