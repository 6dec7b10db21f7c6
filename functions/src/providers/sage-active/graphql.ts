/**
 * GraphQL over `ProviderHttp`: every query and mutation is a POST of `{query, variables,
 * operationName}` to the one endpoint, with the bearer token, the app's `x-api-key` and,
 * for organization data, `X-OrganizationId` (reference §1.3).
 *
 * Queries are safe to repeat (5xx and timeouts are retried); mutations are not: they run
 * once, inside the organization's mutation slots (Sage allows 10 in parallel), and the
 * caller recovers from an ambiguous failure by looking the record up.
 */
import { DomainError } from "@encaisse/shared";
import { z } from "zod";
import type { Clock } from "../../net/clock";
import type { RateLimiter, Semaphore } from "../../net/rate-limit";
import type { RetryPolicy } from "../../net/retry";
import { ProviderError } from "../errors";
import { type ProviderAuth, ProviderHttp } from "../http";
import { describeGraphqlErrors, describeSageHttpError, graphqlErrorSchema } from "./graphql-errors";

const responseSchema = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(graphqlErrorSchema).nullish(),
});

export type GraphqlVariables = Readonly<Record<string, unknown>>;

export interface SageTransportOptions {
  readonly apiUrl: string;
  readonly auth: ProviderAuth;
  readonly limiter: RateLimiter;
  readonly limiterKey: string;
  readonly mutationSlots: Semaphore;
  /** Null before an organization is chosen: only `userProfile`/`organizations` work then. */
  readonly organizationId: string | null;
  readonly timeoutMs?: number;
  readonly retryPolicy?: RetryPolicy;
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly fetch?: typeof fetch;
}

interface ParsedDocument {
  readonly kind: "query" | "mutation";
  readonly operationName: string;
}

const documentHeads = new Map<string, ParsedDocument>();

/** Every document in queries.ts starts `query Name` or `mutation Name`. */
function headOf(document: string): ParsedDocument {
  let head = documentHeads.get(document);
  if (!head) {
    const match = /^\s*(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(document);
    if (!match)
      throw new Error("A Sage Active document must start with a named query or mutation.");
    head = { kind: match[1] as "query" | "mutation", operationName: match[2] ?? "" };
    documentHeads.set(document, head);
  }
  return head;
}

/** Operations Sage serves without an organization (reference §1.3). */
const UNSCOPED_OPERATIONS = new Set(["SageUserProfile", "SageOrganizations"]);

export class SageGraphql {
  readonly http: ProviderHttp;
  private readonly path: string;

  constructor(private readonly options: SageTransportOptions) {
    // ky joins prefix and path with a "/", so split the endpoint to avoid "/graphql/".
    const url = new URL(options.apiUrl);
    const segments = url.pathname.replace(/\/+$/, "").split("/");
    this.path = segments.pop() || "graphql";
    url.pathname = segments.join("/") || "/";
    this.http = new ProviderHttp({
      provider: "sage_active",
      baseUrl: url.toString(),
      auth: options.auth,
      limiter: options.limiter,
      limiterKey: options.limiterKey,
      describeError: describeSageHttpError,
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      ...(options.retryPolicy ? { retryPolicy: options.retryPolicy } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.random ? { random: options.random } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  get organizationId(): string | null {
    return this.options.organizationId;
  }

  /** Runs `document` and parses its `data` with `schema`; GraphQL errors become ProviderErrors. */
  async run<S extends z.ZodType>(
    document: string,
    variables: GraphqlVariables,
    schema: S,
  ): Promise<z.infer<S>> {
    const { kind, operationName } = headOf(document);
    const headers: Record<string, string> = {};
    if (!UNSCOPED_OPERATIONS.has(operationName)) {
      if (this.options.organizationId === null) {
        throw new DomainError(
          "SAGE_ORGANIZATION_NOT_SELECTED",
          "Choose the Sage Active organization of this connection first.",
          { operation: operationName },
        );
      }
      headers["X-OrganizationId"] = this.options.organizationId;
    }
    const send = () =>
      this.http.request({
        method: "POST",
        path: this.path,
        json: { query: document, variables, operationName },
        headers: { "content-type": "application/json", ...headers },
        schema: responseSchema,
        idempotent: kind === "query",
      });
    const body = kind === "mutation" ? await this.options.mutationSlots.run(send) : await send();
    if (body.errors && body.errors.length > 0) {
      const described = describeGraphqlErrors(body.errors, operationName);
      throw new ProviderError(described.code, described.message, {
        provider: "sage_active",
        httpStatus: 200,
        details: described.details,
      });
    }
    const parsed = schema.safeParse(body.data ?? null);
    if (!parsed.success) {
      throw new ProviderError(
        "PROVIDER_RESPONSE_INVALID",
        "Sage Active answered in an unexpected shape; nothing was changed on our side.",
        {
          provider: "sage_active",
          httpStatus: 200,
          details: {
            operation: operationName,
            issues: parsed.error.issues
              .slice(0, 5)
              .map((issue) => `${issue.path.join(".")}: ${issue.message}`),
          },
        },
      );
    }
    return parsed.data;
  }
}
