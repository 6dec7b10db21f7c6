/**
 * The backend as the extension sees it: the five `/v1/extension/*` endpoints of the shared
 * contract. Every answer is checked against the contract before anything reads it, with the
 * JSON Schemas generated from the shared zod schemas (scripts/contract.ts): the types come
 * from `@encaisse/shared`, the checks from contract.generated.json, and zod stays out of the
 * bundles. Only the background worker imports this module.
 */
import type { endpoints, extensionContextQuerySchema } from "@encaisse/shared/contracts";
import contract from "./contract.generated.json";
import { BackendError } from "./errors";
import { firstMismatch, type JsonSchema } from "./json-schema";

type ExtensionEndpoint = keyof typeof contract.endpoints;
type Output<S> = S extends { parse(value: unknown): infer T } ? T : never;
type ResponseOf<N extends ExtensionEndpoint> = Output<(typeof endpoints)[N]["response"]>;

export type PairResponse = ResponseOf<"pairExtension">;
export type ContextResponse = ResponseOf<"extensionContext">;
export type SearchResponse = ResponseOf<"extensionSearch">;
export type CreatedEngagement = ResponseOf<"extensionNote">;
export type ContextQuery = Output<typeof extensionContextQuerySchema>;
export type NoteRequest = Output<(typeof endpoints)["extensionNote"]["body"]>;
export type TaskRequest = Output<(typeof endpoints)["extensionTask"]["body"]>;

export interface BackendClientOptions {
  /** Origin (and optional base path) of the Encaisse backend. */
  readonly baseUrl: string;
  /** The paired extension token; null only for pairing itself. */
  readonly token: string | null;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export interface BackendClient {
  pair(code: string): Promise<PairResponse>;
  context(query: ContextQuery): Promise<ContextResponse>;
  search(text: string): Promise<SearchResponse>;
  logNote(request: NoteRequest): Promise<CreatedEngagement>;
  createTask(request: TaskRequest): Promise<CreatedEngagement>;
}

function invalid(message: string): BackendError {
  return new BackendError("VALIDATION_FAILED", message, null);
}

/** What `pairRequestSchema` accepts: 8 letters or digits, any case, spaces around. */
export function normalizedPairingCode(code: string): string {
  const normalized = code.trim().toUpperCase();
  if (!/^[A-Z0-9]{8}$/.test(normalized)) throw invalid("A pairing code is 8 letters or digits.");
  return normalized;
}

/** What `extensionContextQuerySchema` accepts, as query parameters. */
export function contextParameters(query: ContextQuery): Record<string, string> {
  if (query.hubspotCompanyId !== undefined) {
    if (!/^\d{1,20}$/.test(query.hubspotCompanyId)) throw invalid("Not a HubSpot company id.");
    const page = query.customerId ?? query.invoiceId ?? query.invoiceNumber ?? query.siren;
    if (page !== undefined) throw invalid("A picked company is looked up on its own.");
    return {
      ...(query.provider === undefined ? {} : { provider: query.provider }),
      hubspotCompanyId: query.hubspotCompanyId,
    };
  }
  if (query.provider === undefined) throw invalid("Nothing to look up on this page.");
  const parameters: Record<string, string> = { provider: query.provider };
  for (const key of ["customerId", "invoiceId", "invoiceNumber"] as const) {
    const value = query[key];
    if (value === undefined) continue;
    if (value.length < 1 || value.length > 100) throw invalid(`${key} is 1 to 100 characters.`);
    parameters[key] = value;
  }
  if (query.siren !== undefined) {
    const siren = query.siren.replace(/[\s.]/g, "");
    if (!/^\d{9}(\d{5})?$/.test(siren)) throw invalid("Expected a SIREN or a SIRET.");
    parameters.siren = siren;
  }
  if (Object.keys(parameters).length === 1) throw invalid("Nothing to look up on this page.");
  return parameters;
}

function checked<T>(schema: JsonSchema, value: unknown, onMismatch: (path: string) => Error): T {
  const mismatch = firstMismatch(schema, value);
  if (mismatch !== null) throw onMismatch(mismatch);
  return value as T;
}

async function errorFrom(response: Response, endpoint: ExtensionEndpoint): Promise<BackendError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const error =
    firstMismatch(contract.errorBody, body) === null
      ? (body as { error: { code: string; message: string } }).error
      : null;
  // A 401 anywhere but pairing means the token is gone: revoked, expired or uninstalled.
  if (response.status === 401 && endpoint !== "pairExtension") {
    return new BackendError("SIGNED_OUT", error?.message ?? "Signed out.", 401);
  }
  if (error) {
    const retryAfter = Number(response.headers.get("retry-after"));
    return new BackendError(error.code, error.message, response.status, {
      retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    });
  }
  return new BackendError(
    `HTTP_${response.status}`,
    `The backend answered ${response.status}.`,
    response.status,
  );
}

export function createBackendClient(options: BackendClientOptions): BackendClient {
  const fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 15_000;
  const base = options.baseUrl.replace(/\/+$/, "");

  async function call<N extends ExtensionEndpoint>(
    name: N,
    input: { query?: Record<string, string>; body?: unknown },
  ): Promise<ResponseOf<N>> {
    const endpoint = contract.endpoints[name];
    const url = new URL(`${base}${endpoint.path}`);
    for (const [key, value] of Object.entries(input.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token !== null) headers.authorization = `Bearer ${options.token}`;
    if (input.body !== undefined) {
      const body = endpoint as { body?: JsonSchema };
      if (body.body)
        checked(body.body, input.body, (path) => invalid(`Invalid ${path || "request"}.`));
      headers["content-type"] = "application/json";
    }

    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: endpoint.method,
        headers,
        body: input.body === undefined ? undefined : JSON.stringify(input.body),
        credentials: "omit",
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === "TimeoutError";
      throw new BackendError(
        timedOut ? "TIMEOUT" : "NETWORK",
        timedOut ? "The backend did not answer in time." : "The backend cannot be reached.",
        null,
      );
    }
    if (!response.ok) throw await errorFrom(response, name);

    let json: unknown;
    try {
      json = await response.json();
    } catch {
      throw new BackendError(
        "INVALID_RESPONSE",
        "The backend's answer is not JSON.",
        response.status,
      );
    }
    return checked<ResponseOf<N>>(
      endpoint.response,
      json,
      (path) =>
        new BackendError(
          "INVALID_RESPONSE",
          `The backend's answer does not match the contract (at ${path || "the root"}).`,
          response.status,
        ),
    );
  }

  return {
    pair: async (code) => call("pairExtension", { body: { code: normalizedPairingCode(code) } }),
    context: async (query) => call("extensionContext", { query: contextParameters(query) }),
    search: async (text) => {
      const q = text.trim();
      if (q.length < 2 || q.length > 100) throw invalid("Type 2 to 100 characters.");
      return call("extensionSearch", { query: { q } });
    },
    logNote: async (request) =>
      call("extensionNote", { body: { ...request, body: request.body.trim() } }),
    createTask: async (request) =>
      call("extensionTask", { body: { ...request, subject: request.subject.trim() } }),
  };
}
