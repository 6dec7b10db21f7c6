/**
 * Checks requests and responses against Pennylane's official OpenAPI document
 * (`shared/specs/pennylane/accounting-openapi.json`, beside the repository) with the maintained
 * validator openapi-backend (ajv underneath). Shapes come from the spec alone; the only rules
 * added here are the ones the spec states in prose: the JSON grammar of `filter` and the
 * `sort` fields each parameter description lists, and the Bearer token every operation needs.
 *
 * Use it on both sides: the emulator's answers (contract tests) and the client's requests.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { OpenAPIBackend, type Operation, type ValidationResult } from "openapi-backend";

export const PENNYLANE_SPEC_URL = new URL(
  "../../../shared/specs/pennylane/accounting-openapi.json",
  import.meta.url,
);
export const PENNYLANE_API_ROOT = "/api/external/v2";

type QueryInput =
  string | URLSearchParams | Readonly<Record<string, string | readonly string[]>> | undefined;

export interface PennylaneRequestSample {
  readonly method: string;
  /** Full path, e.g. "/api/external/v2/customer_invoices" (a query string here is merged with `query`). */
  readonly path: string;
  readonly query?: QueryInput;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: unknown;
}

export interface PennylaneResponseSample {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Parsed JSON body; null or undefined when there is none (204). */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

type AjvError = NonNullable<ValidationResult["errors"]>[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

function isRealDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

let backend: OpenAPIBackend | null = null;

/** The validator, built once per process; schemas compile lazily per operation. */
function api(): OpenAPIBackend {
  if (backend !== null) return backend;
  const definition = JSON.parse(readFileSync(fileURLToPath(PENNYLANE_SPEC_URL), "utf8")) as never;
  const instance = new OpenAPIBackend({
    definition,
    apiRoot: "/",
    // quick: compile each operation's schemas on first use instead of all 120 paths up front.
    quick: true,
    validate: true,
    // The spec uses OpenAPI keywords ajv's strict mode rejects (`example`, `nullable` next to
    // `enum`) and a few unknown formats ("string"): tolerate those, validate the shapes fully.
    ajvOpts: { strict: false, allErrors: true, logger: false },
    customizeAjv: (ajv) => {
      ajv.addFormat("date", {
        type: "string",
        validate: (text: string) => DATE.test(text) && isRealDate(text),
      });
      ajv.addFormat("date-time", {
        type: "string",
        validate: (text: string) =>
          DATE_TIME.test(text) && isRealDate(text) && !Number.isNaN(Date.parse(text)),
      });
      ajv.addFormat("email", {
        type: "string",
        validate: (text: string) => /^[^\s@]+@[^\s@]+$/.test(text),
      });
      ajv.addFormat("uri", { type: "string", validate: (text: string) => URL.canParse(text) });
      return ajv;
    },
  });
  void instance.init();
  if (!instance.initialized) throw new Error("The Pennylane OpenAPI document could not be loaded.");
  backend = instance;
  return instance;
}

function splitPath(path: string, query: QueryInput): { pathname: string; search: string } {
  const [pathname = "", inline = ""] = path.split("?", 2);
  const params = new URLSearchParams(inline);
  if (typeof query === "string") {
    for (const [key, value] of new URLSearchParams(query.replace(/^\?/, "")))
      params.append(key, value);
  } else if (query instanceof URLSearchParams) {
    for (const [key, value] of query) params.append(key, value);
  } else if (query !== undefined) {
    for (const [key, value] of Object.entries(query)) {
      for (const item of typeof value === "string" ? [value] : value) params.append(key, item);
    }
  }
  return { pathname, search: params.toString() };
}

function describeAjvError(error: AjvError): string {
  const where = error.instancePath === "" ? "(root)" : error.instancePath;
  const params = error.params as Record<string, unknown>;
  const message = error.message ?? error.keyword;
  const detail =
    typeof params.missingProperty === "string" && !message.includes(params.missingProperty)
      ? ` '${params.missingProperty}'`
      : typeof params.additionalProperty === "string"
        ? ` '${params.additionalProperty}'`
        : Array.isArray(params.allowedValues)
          ? ` (${params.allowedValues.slice(0, 8).join(", ")}${params.allowedValues.length > 8 ? ", …" : ""})`
          : "";
  return `${where} ${message}${detail}`;
}

function operationOf(method: string, pathname: string): Operation | undefined {
  return api().router.matchOperation({ method: method.toLowerCase(), path: pathname, headers: {} });
}

/** The operationId the spec gives to a method and path, if it documents one. */
export function pennylaneOperationId(method: string, path: string): string | undefined {
  return operationOf(method, splitPath(path, undefined).pathname)?.operationId;
}

function parameterDescription(operation: Operation, name: string): string {
  for (const parameter of operation.parameters ?? []) {
    if ("name" in parameter && parameter.name === name && parameter.in === "query")
      return parameter.description ?? "";
  }
  return "";
}

const backticked = (text: string) =>
  [...text.matchAll(/`([^`]+)`/g)].flatMap((match) =>
    (match[1] ?? "").split(",").map((part) => part.trim()),
  );

/**
 * Fields and operators of `filter` as the operation's parameter description lists them
 * ("- `id`, `date`: `lt`, `lteq`, …"), or null when it documents no filter.
 */
export function documentedFilters(operationId: string): Record<string, string[]> | null {
  const operation = api().router.getOperation(operationId);
  if (operation === undefined) return null;
  const description = parameterDescription(operation, "filter");
  if (description === "") return null;
  const table: Record<string, string[]> = {};
  for (const line of description.split("\n")) {
    const match = /^\s*-\s*(.+?)\s*:\s*(.+)$/.exec(line);
    if (match === null) continue;
    const operators = backticked(match[2] ?? "");
    for (const field of backticked(match[1] ?? "")) table[field] = operators;
  }
  const fieldsLine = /Available fields\s*:\s*(.+)/.exec(description);
  const operatorsLine = /Available operators\s*:\s*(.+)/.exec(description);
  if (Object.keys(table).length === 0 && fieldsLine !== null && operatorsLine !== null) {
    for (const field of backticked(fieldsLine[1] ?? ""))
      table[field] = backticked(operatorsLine[1] ?? "");
  }
  return table;
}

/** Fields `sort` accepts, from "Available fields : `id`, `date`", or null when undocumented. */
export function documentedSortFields(operationId: string): string[] | null {
  const operation = api().router.getOperation(operationId);
  if (operation === undefined) return null;
  const match = /Available fields\s*:\s*(.+)/.exec(parameterDescription(operation, "sort"));
  return match === null ? null : backticked(match[1] ?? "");
}

/** The OAuth scopes the spec lists for an operation (any one grants access), or null. */
export function documentedScopes(operationId: string): string[] | null {
  const operation = api().router.getOperation(operationId);
  if (operation === undefined) return null;
  return (operation.security ?? []).flatMap((requirement) => Object.values(requirement).flat());
}

function filterGrammarErrors(operationId: string, raw: string): string[] {
  const documented = documentedFilters(operationId);
  if (documented === null) return [`filter is not a parameter of ${operationId}`];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return [
      `filter must be a JSON-encoded array of {field, operator, value} (got ${JSON.stringify(raw)})`,
    ];
  }
  if (!Array.isArray(parsed)) return ["filter must be a JSON array of conditions"];
  return parsed.flatMap((condition: unknown, index) => {
    if (condition === null || typeof condition !== "object")
      return [`filter[${index}] must be an object`];
    const { field, operator, value } = condition as Record<string, unknown>;
    if (typeof field !== "string" || documented[field] === undefined) {
      return [
        `filter[${index}].field ${JSON.stringify(field)} is not filterable (documented: ${Object.keys(documented).join(", ")})`,
      ];
    }
    if (typeof operator !== "string" || !(documented[field] ?? []).includes(operator)) {
      return [
        `filter[${index}].operator ${JSON.stringify(operator)} is not documented for ${field} (${(documented[field] ?? []).join(", ")})`,
      ];
    }
    return value === undefined ? [`filter[${index}] has no value`] : [];
  });
}

/** Problems with a request a client sends to Pennylane; empty when it follows the contract. */
export function validatePennylaneRequest(request: PennylaneRequestSample): string[] {
  const { pathname, search } = splitPath(request.path, request.query);
  const label = `${request.method.toUpperCase()} ${pathname}`;
  const operation = operationOf(request.method, pathname);
  if (operation?.operationId === undefined)
    return [`${label}: no such operation in the official spec`];
  const headers = Object.fromEntries(
    Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  if (request.body !== undefined && headers["content-type"] === undefined)
    headers["content-type"] = "application/json";
  const errors: string[] = [];
  const result = api().validator.validateRequest(
    {
      method: request.method.toLowerCase(),
      path: pathname,
      query: search,
      headers,
      body: request.body as never,
    },
    operation,
  );
  errors.push(...(result.errors ?? []).map(describeAjvError));
  const needsToken = (operation.security ?? api().definition.security ?? []).length > 0;
  if (needsToken && !/^Bearer \S+$/.test(headers.authorization ?? "")) {
    errors.push("authorization: a Bearer token is required");
  }
  const params = new URLSearchParams(search);
  if ([...params.keys()].some((key) => key.startsWith("filter["))) {
    errors.push("filter must be a JSON-encoded string, not form-style filter[0][field]=…");
  } else if (params.has("filter")) {
    errors.push(...filterGrammarErrors(operation.operationId, params.get("filter") ?? ""));
  }
  const sort = params.get("sort");
  const sortable = documentedSortFields(operation.operationId);
  if (sort !== null && sortable !== null && !sortable.includes(sort.replace(/^-/, ""))) {
    errors.push(`sort "${sort}" is not documented (fields: ${sortable.join(", ")})`);
  }
  return errors.map((error) => `${label}: ${error}`);
}

/**
 * Problems with a response; empty when it matches the schema the spec declares for its status.
 * 429 is Pennylane's documented rate limit answer (rate-limit guide, not in the OpenAPI) and
 * must carry `retry-after` when headers are given; other 5xx are transport failures, unchecked.
 */
export function validatePennylaneResponse(response: PennylaneResponseSample): string[] {
  const { pathname } = splitPath(response.path, undefined);
  const label = `${response.method.toUpperCase()} ${pathname} -> ${response.status}`;
  const operation = operationOf(response.method, pathname);
  if (operation?.operationId === undefined)
    return [`${label}: no such operation in the official spec`];
  if (response.status === 429) {
    const headers = Object.fromEntries(
      Object.entries(response.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    );
    return response.headers !== undefined && headers["retry-after"] === undefined
      ? [`${label}: a 429 must carry retry-after`]
      : [];
  }
  const declared = operation.responses ?? {};
  const documented =
    String(response.status) in declared ||
    `${String(response.status)[0]}XX` in declared ||
    "default" in declared;
  if (!documented) {
    return response.status >= 500
      ? []
      : [`${label}: status ${response.status} is not documented for ${operation.operationId}`];
  }
  const result = api().validator.validateResponse(
    response.body ?? null,
    operation,
    response.status,
  );
  return (result.errors ?? []).map((error) => `${label}: ${describeAjvError(error)}`);
}

function failWith(errors: readonly string[]): void {
  if (errors.length > 0) {
    throw new Error(
      `Pennylane contract violated (${errors.length}):\n  - ${errors.join("\n  - ")}`,
    );
  }
}

export function assertValidPennylaneRequest(request: PennylaneRequestSample): void {
  failWith(validatePennylaneRequest(request));
}

export function assertValidPennylaneResponse(response: PennylaneResponseSample): void {
  failWith(validatePennylaneResponse(response));
}

async function jsonOf(message: Request | Response): Promise<unknown> {
  const text = await message.text();
  if (text === "") return undefined;
  if (!(message.headers.get("content-type") ?? "").includes("json")) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * Validates one HTTP exchange with the API (e.g. from msw's `onExchange`). Requests outside
 * /api/external/v2 (OAuth, public files) are not in the OpenAPI and give no errors.
 */
export async function validatePennylaneExchange(
  request: Request,
  response: Response,
): Promise<string[]> {
  const url = new URL(request.url);
  if (!url.pathname.startsWith(`${PENNYLANE_API_ROOT}/`)) return [];
  const headers = Object.fromEntries(request.headers);
  const requestBody =
    request.method === "GET" || request.method === "DELETE"
      ? undefined
      : await jsonOf(request.clone());
  const responseBody = response.status === 204 ? null : await jsonOf(response.clone());
  return [
    ...validatePennylaneRequest({
      method: request.method,
      path: url.pathname,
      query: url.search,
      headers,
      body: requestBody,
    }),
    ...validatePennylaneResponse({
      method: request.method,
      path: url.pathname,
      status: response.status,
      body: responseBody,
      headers: Object.fromEntries(response.headers),
    }),
  ];
}
