/**
 * What Sage Active's failures mean, read once. Sage answers business failures at HTTP 200
 * with `errors[]` whose `message` is a dotted key (`global.businessErrors.…`), access
 * problems with `AUTH_NOT_AUTHORIZED` or an `authorizationPolicy`/`authorizationFeature`
 * key, Hot Chocolate limits with `extensions.code` HC0047/HC0051, and gateway refusals
 * (bad key, missing or expired token) with a non-GraphQL `{statusCode, message}` JSON.
 * https://developer.sage.com/sageactive/resources/errors
 */
import { z } from "zod";
import { ProviderError, type ProviderErrorCode } from "../errors";

export const graphqlErrorSchema = z.object({
  message: z.string(),
  extensions: z.record(z.string(), z.unknown()).nullish(),
  path: z.array(z.union([z.string(), z.number()])).nullish(),
});
export type SageGraphqlError = z.infer<typeof graphqlErrorSchema>;

/** Sage's business error keys, e.g. `global.businessErrors.documentIdAlreadyExistInOrganization`. */
const BUSINESS_KEY = /^[a-z][A-Za-z0-9]*(\.[A-Za-z0-9_]+)+$/;

export const SAGE_ERROR_KEYS = {
  duplicateDocumentId: "global.businessErrors.documentIdAlreadyExistInOrganization",
  duplicateVatNumber: "global.businessErrors.vatNumberAlreadyExistInOrganization",
  rolePolicy: "global.businessErrors.authorizationPolicy",
  planFeature: "global.businessErrors.authorizationFeature",
} as const;

const ORGANIZATION_HEADER_MISSING = /X-OrganizationId header is mandatory/i;

interface Described {
  readonly code: ProviderErrorCode;
  readonly message: string;
  readonly details: Record<string, unknown>;
}

/** The business keys of a failure we raised, empty for anything else. */
export function sageErrorKeys(error: unknown): readonly string[] {
  if (!(error instanceof ProviderError)) return [];
  const keys = error.details?.["sageErrorKeys"];
  return Array.isArray(keys) ? keys.filter((key): key is string => typeof key === "string") : [];
}

export function hasSageErrorKey(error: unknown, key: string): boolean {
  return sageErrorKeys(error).includes(key);
}

function extensionCode(error: SageGraphqlError): string | null {
  const code = error.extensions?.["code"];
  return typeof code === "string" ? code : null;
}

/** Reads GraphQL `errors[]` (HTTP 200 or 400) into one code and message. */
export function describeGraphqlErrors(
  errors: readonly SageGraphqlError[],
  operation: string | null,
): Described {
  const sageErrorKeys = errors.map((error) => error.message).filter((m) => BUSINESS_KEY.test(m));
  const codes = errors.map(extensionCode).filter((code): code is string => code !== null);
  const details: Record<string, unknown> = {
    ...(operation ? { operation } : {}),
    sageErrorKeys,
    ...(codes.length > 0 ? { graphqlCodes: codes } : {}),
    messages: errors.slice(0, 5).map((error) => error.message),
  };
  const featureError = errors.find((error) => error.message === SAGE_ERROR_KEYS.planFeature);
  if (codes.includes("AUTH_NOT_AUTHORIZED")) {
    return {
      code: "PROVIDER_AUTH_FAILED",
      message:
        "The Sage Active user of this connection has no access to the organization; reconnect with a user who has.",
      details,
    };
  }
  if (sageErrorKeys.includes(SAGE_ERROR_KEYS.rolePolicy)) {
    return {
      code: "PROVIDER_AUTH_FAILED",
      message:
        "The Sage Active role of the connected user does not allow this action; ask the organization's administrator.",
      details,
    };
  }
  if (featureError) {
    return {
      code: "PROVIDER_AUTH_FAILED",
      message: "The organization's Sage Active plan does not include this feature.",
      details: { ...details, feature: featureError.extensions?.["details"] ?? null },
    };
  }
  if (errors.some((error) => ORGANIZATION_HEADER_MISSING.test(error.message))) {
    return {
      code: "PROVIDER_REJECTED",
      message:
        "No Sage Active organization was selected for this connection; choose one in Settings.",
      details: { ...details, reason: "organization_missing" },
    };
  }
  if (sageErrorKeys.length > 0) {
    return {
      code: "PROVIDER_REJECTED",
      message: `Sage Active refused the operation (${sageErrorKeys.join(", ")}).`,
      details,
    };
  }
  if (codes.includes("HC0047")) {
    return {
      code: "PROVIDER_REJECTED",
      message:
        "Sage Active found the request too complex (HC0047); fewer rows per page or fewer fields are needed.",
      details,
    };
  }
  if (codes.includes("HC0051")) {
    return {
      code: "PROVIDER_REJECTED",
      message: "Sage Active serves at most 500 rows per page (HC0051).",
      details,
    };
  }
  return {
    code: "PROVIDER_REJECTED",
    message: `Sage Active refused the request: ${errors[0]?.message ?? "no reason given"}.`,
    details,
  };
}

const gatewayErrorSchema = z.object({ statusCode: z.number().optional(), message: z.string() });
const graphqlErrorsBodySchema = z.object({ errors: z.array(graphqlErrorSchema).min(1) });

/** Reads a non-2xx, non-5xx, non-429 answer (ProviderHttp handles those three). */
export function describeSageHttpError(status: number, body: unknown): Described {
  const graphql = graphqlErrorsBodySchema.safeParse(body);
  if (graphql.success && status !== 401 && status !== 403) {
    return describeGraphqlErrors(graphql.data.errors, null);
  }
  const gateway = gatewayErrorSchema.safeParse(body);
  const gatewayMessage = gateway.success ? gateway.data.message : null;
  const details = { httpStatus: status, gatewayMessage };
  if (status === 401 || status === 403) {
    if (gatewayMessage !== null && /subscription key/i.test(gatewayMessage)) {
      return {
        code: "PROVIDER_AUTH_FAILED",
        message: "Sage Active refused the app's subscription key (SAGE_ACTIVE_API_KEY).",
        details: { ...details, reason: "api_key" },
      };
    }
    return {
      code: "PROVIDER_AUTH_FAILED",
      message: "Sage Active no longer accepts this connection; reconnect it in Settings.",
      details: { ...details, reason: "token" },
    };
  }
  if (status === 404) {
    return {
      code: "PROVIDER_NOT_FOUND",
      message: "The Sage Active endpoint was not found; check SAGE_ACTIVE_API_URL.",
      details,
    };
  }
  return {
    code: "PROVIDER_REJECTED",
    message: `Sage Active refused the request (HTTP ${status}${gatewayMessage ? `: ${gatewayMessage}` : ""}).`,
    details,
  };
}
