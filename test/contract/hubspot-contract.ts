/**
 * Checks HTTP exchanges against HubSpot's official OpenAPI specs (`shared/specs/hubspot/`),
 * with openapi-backend (ajv underneath): the spec is picked from the path, the operation
 * matched by method and path, and the request or the response validated against it. Errors
 * come back as readable lines ("response 200 of get-/crm/v3/objects/companies/{companyId}:
 * /properties/name must be string").
 *
 * The specs are taken as they are, with these documented amendments applied on load:
 * 1. Error responses are declared with content type `*\/*`; HubSpot sends them as JSON, and
 *    openapi-backend only validates `application/json`, so they are declared as JSON too
 *    (otherwise no error body would be checked at all).
 * 2. A record's `properties` map is declared string-valued, but HubSpot returns `null` for a
 *    property that was asked for and holds nothing (its own client types the map
 *    `string | null`), so those maps accept null in responses.
 * 3. A response declared with an empty content map (`"204": { "content": {} }`) has no body;
 *    the map is dropped so openapi-backend expects none, instead of falling back to the
 *    `default` error schema.
 * 4. The `date-time` and `uuid` formats the specs use are registered with ajv (openapi-backend
 *    only ships the numeric ones), so they are checked instead of ignored with a warning.
 * The deals spec addresses deals by object type id (`/crm/v3/objects/0-3`); HubSpot and its
 * client also use the name (`/crm/v3/objects/deals`), so names and ids are both matched.
 */
import { readFileSync } from "node:fs";
import { OpenAPIBackend, type Document, type Operation } from "openapi-backend";

export interface HubSpotRequestExchange {
  readonly method: string;
  /** Path with its query string, or a full URL. */
  readonly path: string;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface HubSpotResponseExchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly body: unknown;
}

export interface HubSpotContractReport {
  /** False when no provided spec covers the path (owners, for one). */
  readonly covered: boolean;
  readonly valid: boolean;
  readonly spec: string | null;
  readonly operationId: string | null;
  readonly errors: readonly string[];
}

/** Object types by name and by object type id, with the spec file that describes each. */
const OBJECT_SPECS: readonly { readonly names: readonly string[]; readonly file: string }[] = [
  { names: ["companies", "0-2"], file: "companies.json" },
  { names: ["contacts", "0-1"], file: "contacts.json" },
  { names: ["deals", "0-3"], file: "deals.json" },
  { names: ["line_items", "0-8"], file: "lineItems.json" },
  { names: ["products", "0-7"], file: "products.json" },
  { names: ["tasks", "0-27"], file: "tasks.json" },
  { names: ["notes", "0-46"], file: "notes.json" },
  { names: ["invoices", "0-53"], file: "invoices.json" },
  { names: ["quotes", "0-14"], file: "quotes.json" },
];

const PREFIX_SPECS: readonly { readonly prefix: string; readonly file: string }[] = [
  { prefix: "/crm/v4/", file: "associations.json" },
  { prefix: "/crm/v3/properties/", file: "properties.json" },
  { prefix: "/oauth/v1/", file: "oauth.json" },
  { prefix: "/webhooks-journal/", file: "webhooksJournal.json" },
];

const specUrl = (file: string) => new URL(`../../../shared/specs/hubspot/${file}`, import.meta.url);

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const RECORD_SCHEMAS = [
  "SimplePublicObject",
  "SimplePublicObjectWithAssociations",
  "SimplePublicUpsertObject",
];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The spec as published, with the amendments listed in this file's header. */
export function loadAmendedSpec(file: string): Document {
  const document = JSON.parse(readFileSync(specUrl(file), "utf8")) as Json;
  const components = isObject(document.components) ? document.components : {};
  const responses = isObject(components.responses) ? components.responses : {};
  for (const response of Object.values(responses)) {
    if (!isObject(response) || !isObject(response.content)) continue;
    const anyType = response.content["*/*"];
    if (anyType !== undefined && response.content["application/json"] === undefined) {
      response.content["application/json"] = anyType;
    }
  }
  for (const operations of Object.values(isObject(document.paths) ? document.paths : {})) {
    for (const operation of Object.values(isObject(operations) ? operations : {})) {
      const declared =
        isObject(operation) && isObject(operation.responses) ? operation.responses : {};
      for (const response of Object.values(declared)) {
        if (
          isObject(response) &&
          isObject(response.content) &&
          Object.keys(response.content).length === 0
        ) {
          delete response.content;
        }
      }
    }
  }
  const schemas = isObject(components.schemas) ? components.schemas : {};
  for (const name of RECORD_SCHEMAS) {
    const schema = schemas[name];
    const properties =
      isObject(schema) && isObject(schema.properties) ? schema.properties.properties : undefined;
    if (isObject(properties) && isObject(properties.additionalProperties)) {
      properties.additionalProperties = { ...properties.additionalProperties, nullable: true };
    }
  }
  return document as unknown as Document;
}

const backends = new Map<string, Promise<OpenAPIBackend>>();

function backendFor(file: string): Promise<OpenAPIBackend> {
  let backend = backends.get(file);
  if (backend === undefined) {
    const api = new OpenAPIBackend({
      definition: loadAmendedSpec(file),
      quick: true,
      validate: true,
      customizeAjv: (ajv) => {
        ajv.addFormat("date-time", DATE_TIME);
        ajv.addFormat("uuid", UUID);
        return ajv;
      },
    });
    backend = api.init();
    backends.set(file, backend);
  }
  return backend;
}

interface Target {
  readonly file: string;
  /** The path as the spec spells it (deals by `0-3`), query string kept. */
  readonly path: string;
}

function pathOf(pathOrUrl: string): string {
  return /^https?:\/\//i.test(pathOrUrl) ? pathOrUrl.replace(/^https?:\/\/[^/]+/i, "") : pathOrUrl;
}

/** Which spec file describes a path, and the path as that spec spells it; null when none does. */
export function hubspotSpecFor(pathOrUrl: string): Target | null {
  const path = pathOf(pathOrUrl);
  const objectMatch = /^\/crm\/v3\/objects\/([^/?]+)(.*)$/.exec(path);
  if (objectMatch !== null) {
    const segment = (objectMatch[1] ?? "").toLowerCase();
    const spec = OBJECT_SPECS.find((candidate) => candidate.names.includes(segment));
    if (spec === undefined) return null;
    return {
      file: spec.file,
      path: `/crm/v3/objects/${specSegment(spec.file, spec.names)}${objectMatch[2] ?? ""}`,
    };
  }
  const prefixed = PREFIX_SPECS.find((candidate) => path.startsWith(candidate.prefix));
  return prefixed === undefined ? null : { file: prefixed.file, path };
}

const segments = new Map<string, string>();

/** How the spec file itself names its object type in paths ("companies", "0-3"). */
function specSegment(file: string, names: readonly string[]): string {
  const known = segments.get(file);
  if (known !== undefined) return known;
  const document = JSON.parse(readFileSync(specUrl(file), "utf8")) as {
    paths?: Record<string, unknown>;
  };
  const segment =
    names.find((name) =>
      Object.keys(document.paths ?? {}).some((path) => path.startsWith(`/crm/v3/objects/${name}`)),
    ) ??
    names[0] ??
    "";
  segments.set(file, segment);
  return segment;
}

interface AjvError {
  readonly instancePath?: string;
  readonly message?: string;
  readonly params?: Record<string, unknown>;
}

function describe(error: AjvError): string {
  const where =
    error.instancePath === undefined || error.instancePath === "" ? "(root)" : error.instancePath;
  const params = error.params ?? {};
  const detail =
    typeof params.additionalProperty === "string"
      ? ` (${params.additionalProperty})`
      : Array.isArray(params.allowedValues)
        ? ` (${params.allowedValues.join(", ")})`
        : "";
  return `${where} ${error.message ?? "is invalid"}${detail}`;
}

const notCovered = (path: string): HubSpotContractReport => ({
  covered: false,
  valid: false,
  spec: null,
  operationId: null,
  errors: [`no provided HubSpot spec covers ${pathOf(path)}`],
});

async function operationFor(
  method: string,
  pathOrUrl: string,
): Promise<{ target: Target; operation: Operation | undefined } | null> {
  const target = hubspotSpecFor(pathOrUrl);
  if (target === null) return null;
  const api = await backendFor(target.file);
  const operation = api.router.matchOperation({
    method: method.toLowerCase(),
    path: target.path,
    headers: {},
  });
  return { target, operation };
}

/** Validates a request (path and query parameters, body) against the operation it calls. */
export async function validateHubSpotRequest(
  request: HubSpotRequestExchange,
): Promise<HubSpotContractReport> {
  const matched = await operationFor(request.method, request.path);
  if (matched === null) return notCovered(request.path);
  const { target, operation } = matched;
  if (operation === undefined) {
    return {
      covered: true,
      valid: false,
      spec: target.file,
      operationId: null,
      errors: [
        `${request.method.toUpperCase()} ${target.path} is not an operation of ${target.file}`,
      ],
    };
  }
  const api = await backendFor(target.file);
  const result = api.validator.validateRequest(
    {
      method: request.method.toLowerCase(),
      path: target.path,
      headers: { "content-type": "application/json", ...request.headers },
      ...(request.body === undefined ? {} : { body: request.body as object }),
    },
    operation,
  );
  const errors = (result.errors ?? []).map(
    (error) => `request of ${operation.operationId ?? "?"}: ${describe(error)}`,
  );
  return {
    covered: true,
    valid: errors.length === 0,
    spec: target.file,
    operationId: operation.operationId ?? null,
    errors,
  };
}

/** Validates a response body against the schema the operation declares for its status. */
export async function validateHubSpotResponse(
  response: HubSpotResponseExchange,
): Promise<HubSpotContractReport> {
  const matched = await operationFor(response.method, response.path);
  if (matched === null) return notCovered(response.path);
  const { target, operation } = matched;
  if (operation === undefined) {
    return {
      covered: true,
      valid: false,
      spec: target.file,
      operationId: null,
      errors: [
        `${response.method.toUpperCase()} ${target.path} is not an operation of ${target.file}`,
      ],
    };
  }
  const declared = Object.keys(operation.responses ?? {});
  if (!declared.includes(String(response.status)) && !declared.includes("default")) {
    return {
      covered: true,
      valid: false,
      spec: target.file,
      operationId: operation.operationId ?? null,
      errors: [
        `status ${response.status} is not declared by ${operation.operationId ?? "?"} (declares ${declared.join(", ")})`,
      ],
    };
  }
  const api = await backendFor(target.file);
  const result = api.validator.validateResponse(response.body, operation, response.status);
  const errors = (result.errors ?? []).map(
    (error) => `response ${response.status} of ${operation.operationId ?? "?"}: ${describe(error)}`,
  );
  return {
    covered: true,
    valid: errors.length === 0,
    spec: target.file,
    operationId: operation.operationId ?? null,
    errors,
  };
}

/** JSON when it parses, the raw text otherwise (which then fails the schema, as it should). */
function bodyOf(text: string): unknown {
  if (text === "") return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Both sides of a fetch exchange (as msw's `onExchange` sees them). Bodies are read from clones. */
export async function validateHubSpotExchange(
  request: Request,
  response: Response,
): Promise<HubSpotContractReport[]> {
  const requestText = await request.clone().text();
  const contentType = request.headers.get("content-type") ?? "";
  const requestBody =
    requestText === ""
      ? undefined
      : contentType.includes("json")
        ? bodyOf(requestText)
        : requestText;
  return [
    await validateHubSpotRequest({
      method: request.method,
      path: request.url,
      body: requestBody,
      headers: Object.fromEntries(request.headers),
    }),
    await validateHubSpotResponse({
      method: request.method,
      path: request.url,
      status: response.status,
      body: bodyOf(await response.clone().text()),
    }),
  ];
}

/** Throws with every contract error listed when the response does not match its spec. */
export async function assertHubSpotResponse(response: HubSpotResponseExchange): Promise<void> {
  const report = await validateHubSpotResponse(response);
  if (!report.valid) {
    throw new Error(
      `${response.method.toUpperCase()} ${pathOf(response.path)} -> ${response.status} breaks the HubSpot contract:\n  ${report.errors.join("\n  ")}`,
    );
  }
}
