/**
 * Error answers in the shapes the official OpenAPI declares: `{ error, status }` for 401, 403,
 * 404, 409 and 422, and `{ message, code, field? }` for 400 (the `code` vocabulary is the
 * spec's own: NotExistRequiredKey, NotEnumInclude, …). Business rules throw these; the router
 * turns them into responses in one place.
 */

export type BadRequestCode =
  | "InvalidDateFormat"
  | "InvalidDateTimeFormat"
  | "InvalidPattern"
  | "LessThanMinimum"
  | "LessThanMinItems"
  | "LessThanMinLength"
  | "MoreThanMaximum"
  | "MoreThanMaxItems"
  | "MoreThanMaxLength"
  | "NotEnumInclude"
  | "NotExistPropertyDefinition"
  | "NotExistRequiredKey"
  | "NotNullError"
  | "NotOneOf"
  | "ValidateError";

export type PennylaneErrorBody =
  | { readonly error: string; readonly status: number }
  | { readonly message: string; readonly code: BadRequestCode; readonly field?: string };

export class PennylaneHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: PennylaneErrorBody,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super("error" in body ? body.error : body.message);
  }
}

const statusError = (status: number, error: string, headers?: Record<string, string>) =>
  new PennylaneHttpError(status, { error, status }, headers);

export const badRequest = (
  message: string,
  field?: string,
  code: BadRequestCode = "ValidateError",
) =>
  new PennylaneHttpError(400, field === undefined ? { message, code } : { message, code, field });

export const unauthorized = (error: string, description = error) =>
  statusError(401, error, {
    "www-authenticate": `Bearer realm="Pennylane", error="invalid_token", error_description="${description}"`,
  });

export const forbidden = (error: string) => statusError(403, error);
export const notFound = (error = "Not Found") => statusError(404, error);
export const conflict = (error: string) => statusError(409, error);
export const unprocessable = (error: string) => statusError(422, error);
