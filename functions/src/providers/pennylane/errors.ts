/**
 * Pennylane's error bodies, read once into our codes. The spec declares `{ error, status }`
 * (401, 403, 404, 409, 422) and, for 400, `{ message, code, field?, payload? }`; the guides
 * also show `{ error, message, details }`. Whatever the shape, the provider's own words go
 * into `details` so support can see what Pennylane said.
 */
import { z } from "zod";
import { ProviderError, type ProviderErrorCode } from "../errors";

const errorBodySchema = z.object({
  error: z.string().optional(),
  message: z.string().optional(),
  status: z.number().optional(),
  code: z.string().optional(),
  field: z.string().optional(),
  payload: z.string().optional(),
  details: z.unknown().optional(),
});

export interface DescribedError {
  code: ProviderErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

function providerWords(body: unknown): Record<string, unknown> {
  if (typeof body === "string" && body.trim() !== "")
    return { providerMessage: body.slice(0, 500) };
  const parsed = errorBodySchema.safeParse(body);
  if (!parsed.success) return {};
  const { error, message, code, field, payload, details } = parsed.data;
  const said = [message, error].filter((text) => text !== undefined && text !== "");
  return {
    ...(said.length > 0 ? { providerMessage: [...new Set(said)].join(" — ") } : {}),
    ...(code === undefined ? {} : { providerCode: code }),
    ...(field === undefined ? {} : { field }),
    ...(payload === undefined ? {} : { payload }),
    ...(details === undefined ? {} : { providerDetails: details }),
  };
}

export function describePennylaneError(status: number, body: unknown): DescribedError {
  const details = providerWords(body);
  const said =
    typeof details["providerMessage"] === "string" ? `: ${details["providerMessage"]}` : ".";
  if (status === 401) {
    return {
      code: "PROVIDER_AUTH_FAILED",
      message: "Pennylane no longer accepts this connection; reconnect it in Settings.",
      details,
    };
  }
  if (status === 403) {
    return {
      code: "PROVIDER_AUTH_FAILED",
      message: `The Pennylane connection is missing a permission for this action; reconnect it with the requested scopes${said}`,
      details,
    };
  }
  if (status === 404) {
    return {
      code: "PROVIDER_NOT_FOUND",
      message: `Pennylane does not know this record${said}`,
      details,
    };
  }
  return { code: "PROVIDER_REJECTED", message: `Pennylane refused the request${said}`, details };
}

/** The sync asked for changes Pennylane no longer keeps (4 weeks): run a full backfill. */
export function changesExpired(
  reason: string,
  details: Record<string, unknown> = {},
): ProviderError {
  return new ProviderError(
    "PROVIDER_CHANGES_EXPIRED",
    "Pennylane only keeps 4 weeks of changes; this connection needs a full resynchronisation.",
    { provider: "pennylane", details: { reason, ...details } },
  );
}

export function unexpectedAnswer(
  reason: string,
  details: Record<string, unknown> = {},
): ProviderError {
  return new ProviderError(
    "PROVIDER_RESPONSE_INVALID",
    `Pennylane answered in an unexpected shape (${reason}); nothing was changed on our side.`,
    { provider: "pennylane", details },
  );
}
