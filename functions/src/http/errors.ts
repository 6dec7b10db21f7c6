/**
 * One error mapper for every route: a domain error becomes `{ error: { code, message,
 * details? } }` with its status; bad input becomes VALIDATION_FAILED with the fields at
 * fault; anything else is a 500 that says nothing internal.
 */
import type { Context } from "hono";
import { ZodError } from "zod";
import { DomainError } from "@encaisse/shared";
import { type ErrorBody, errorStatus } from "@encaisse/shared/contracts";

export interface ErrorLogger {
  error(message: string, fields: Record<string, unknown>): void;
}

export function errorResponse(
  error: unknown,
  logger: ErrorLogger,
): { status: number; body: ErrorBody } {
  if (error instanceof DomainError) {
    const status = errorStatus(error.code);
    if (status >= 500) logger.error("request failed", { code: error.code });
    return { status, body: { error: error.toBody() } };
  }
  if (error instanceof ZodError) {
    return {
      status: 400,
      body: {
        error: {
          code: "VALIDATION_FAILED",
          message: "Some fields are missing or invalid.",
          details: {
            fields: error.issues.map((issue) => ({
              field: issue.path.join("."),
              message: issue.message,
            })),
          },
        },
      },
    };
  }
  logger.error("unexpected error", { error: error instanceof Error ? error.name : typeof error });
  return {
    status: 500,
    body: {
      error: {
        code: "INTERNAL",
        message: "Something went wrong on our side; nothing was changed. Try again in a moment.",
      },
    },
  };
}

export function respondWithError(context: Context, error: unknown, logger: ErrorLogger): Response {
  const { status, body } = errorResponse(error, logger);
  return context.json(body, status as 400);
}
