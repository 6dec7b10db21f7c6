/**
 * The backend as the extension sees it: the five `/v1/extension/*` endpoints of the shared
 * contract, each answer parsed with the contract's schema before anything else reads it.
 * Only the background worker imports this (it is where the token and zod live), so the side
 * panel bundle stays small.
 */
import {
  type EndpointName,
  endpoints,
  errorBodySchema,
  extensionContextQuerySchema,
  pathFor,
} from "@encaisse/shared/contracts";
import { BackendError } from "./errors";

type ExtensionEndpoint =
  "pairExtension" | "extensionContext" | "extensionSearch" | "extensionNote" | "extensionTask";

type Schema = { parse(value: unknown): unknown };
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

async function errorFrom(response: Response, endpoint: EndpointName): Promise<BackendError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's error page): the status says enough.
  }
  const parsed = errorBodySchema.safeParse(body);
  // A 401 anywhere but pairing means the token is gone: revoked, expired or uninstalled.
  if (response.status === 401 && endpoint !== "pairExtension") {
    return new BackendError("SIGNED_OUT", parsed.data?.error.message ?? "Signed out.", 401);
  }
  if (parsed.success) {
    const retryAfter = Number(response.headers.get("retry-after"));
    return new BackendError(parsed.data.error.code, parsed.data.error.message, response.status, {
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
    input: { query?: Record<string, string | undefined>; body?: unknown },
  ): Promise<ResponseOf<N>> {
    const endpoint = endpoints[name];
    const url = new URL(`${base}${pathFor(name)}`);
    for (const [key, value] of Object.entries(input.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (options.token !== null) headers.authorization = `Bearer ${options.token}`;
    if (input.body !== undefined) headers["content-type"] = "application/json";

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
    const parsed = (
      endpoint.response as Schema & {
        safeParse(value: unknown): { success: boolean; data?: unknown };
      }
    ).safeParse(json);
    if (!parsed.success) {
      throw new BackendError(
        "INVALID_RESPONSE",
        "The backend's answer does not match the contract.",
        response.status,
      );
    }
    return parsed.data as ResponseOf<N>;
  }

  function validBody(name: "pairExtension" | "extensionNote" | "extensionTask", body: unknown) {
    const parsed = endpoints[name].body.safeParse(body);
    if (!parsed.success) {
      throw new BackendError(
        "VALIDATION_FAILED",
        parsed.error.issues[0]?.message ?? "Invalid.",
        null,
      );
    }
    return parsed.data;
  }

  return {
    pair: (code) => call("pairExtension", { body: validBody("pairExtension", { code }) }),
    context: (query) => {
      const result = extensionContextQuerySchema.safeParse(query);
      if (!result.success) {
        throw new BackendError("VALIDATION_FAILED", "Nothing to look up on this page.", null);
      }
      const parsed = result.data;
      return call("extensionContext", {
        query: {
          provider: parsed.provider,
          customerId: parsed.customerId,
          invoiceId: parsed.invoiceId,
          invoiceNumber: parsed.invoiceNumber,
          siren: parsed.siren,
        },
      });
    },
    search: (text) => {
      const parsed = endpoints.extensionSearch.query.safeParse({ q: text });
      if (!parsed.success) {
        throw new BackendError("VALIDATION_FAILED", "Type at least 2 characters.", null);
      }
      return call("extensionSearch", { query: { q: parsed.data.q } });
    },
    logNote: (request) => call("extensionNote", { body: validBody("extensionNote", request) }),
    createTask: (request) => call("extensionTask", { body: validBody("extensionTask", request) }),
  };
}
