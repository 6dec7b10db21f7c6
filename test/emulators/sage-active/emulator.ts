/**
 * An in-memory Sage Active (FR): the GraphQL API behind its API-management gateway, and the
 * OAuth server. State is per organization; rules live in customers.ts and sales.ts; the
 * schema is the SDL the client is written against. Time comes from an injectable clock.
 *
 * Request pipeline for POST /graphql, in the order the gateway and the server apply it:
 * injected 429 storm -> x-api-key (401) -> 3 000 requests/min (429) -> bearer token (401)
 * -> JSON body and GraphQL validation (400) -> 10 mutations in flight (429) -> injected
 * hang / 5xx / latency -> execution (200, business errors inside `errors`).
 */
import {
  type DocumentNode,
  execute,
  getOperationAST,
  type GraphQLError,
  type GraphQLSchema,
  Kind,
  parse,
  validate,
} from "graphql";
import { Hono } from "hono";
import { z } from "zod";
import { type CalendarDate, type Cents, centsToDecimalString, parisDateOf } from "@encaisse/shared";
import type { Book } from "../../fixtures/book";
import { BUSINESS_ERRORS, fail } from "./business-errors";
import { gatewayResponse, rateLimitedResponse, SageActiveFaults } from "./faults";
import { type LoadBookOptions, type LoadedBook, loadBookInto } from "./load-book";
import { SageAuthServer, type TokenResponse } from "./oauth";
import {
  emptyStats,
  RateLimiter,
  type RateLimits,
  SAGE_ACTIVE_LIMITS,
  type SageActiveStats,
} from "./rate-limit";
import {
  IdGenerator,
  type NewOrganization,
  openItemStatus,
  type OrganizationData,
  seedOrganization,
} from "./records";
import { type RequestContext, rootValue, type SageActiveState, type UserRecord } from "./resolvers";
import { type RuleContext, settleOpenItems } from "./sales";
import type { DateOutput } from "./scalars";
import { buildSageActiveSchema } from "./schema";

export const SANDBOX_CREDENTIALS = {
  clientId: "encaisse-sandbox",
  clientSecret: "encaisse-sandbox-secret",
  apiKey: "encaisse-sandbox-api-key",
} as const;

export const INVALID_SUBSCRIPTION_KEY =
  "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.";

export interface SageActiveEmulatorOptions {
  /** The emulator's clock (token expiry, rate-limit windows, timestamps, "today"). */
  readonly now?: () => Date;
  /**
   * The clock of the rate limiter's one-minute window, in ms. Defaults to `now`; give
   * `Date.now` when `now` is frozen but requests still happen in real time (sandbox).
   */
  readonly rateLimitNow?: () => number;
  /** Seed of the 5xx fault draw. */
  readonly faultSeed?: number;
  /** Seeds the ids, so a sandbox keeps the same ids across restarts. */
  readonly seed?: number;
  readonly clientId?: string;
  readonly clientSecret?: string;
  /** Primary and secondary subscription keys; the first is `apiKey`. */
  readonly apiKeys?: readonly string[];
  /** Redirect URIs accepted by /connect/authorize; empty accepts any. */
  readonly redirectUris?: readonly string[];
  readonly organizationName?: string;
  /** "date" answers date-only fields as bare dates, to exercise lenient clients. */
  readonly dateOutput?: DateOutput;
  readonly limits?: Partial<RateLimits>;
}

export interface RecordedPayment {
  readonly date: CalendarDate;
  readonly amountCents: Cents;
  readonly method?: "BANK_ACCOUNT" | "CASH";
  readonly documentNumber?: string;
  readonly description?: string;
}

const requestBodySchema = z.object({
  query: z.string().min(1),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

interface CheckedDocument {
  readonly document: DocumentNode;
  readonly validationErrors: readonly GraphQLError[];
}

const REMEMBERED_DOCUMENTS = 500;

function graphqlErrors(status: number, errors: readonly { message: string }[]): Response {
  return Response.json({ errors }, { status });
}

function rootFieldNames(
  document: DocumentNode,
  operationName: string | null | undefined,
): string[] {
  const operation = getOperationAST(document, operationName);
  return (operation?.selectionSet.selections ?? []).flatMap((selection) =>
    selection.kind === Kind.FIELD ? [selection.name.value] : [],
  );
}

export class SageActiveEmulator implements SageActiveState {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly apiKey: string;
  readonly stats: SageActiveStats = emptyStats();
  readonly faults: SageActiveFaults;
  readonly auth: SageAuthServer;
  readonly user: UserRecord;
  readonly defaultOrganizationId: string;
  private readonly clock: () => Date;
  private readonly rateLimitNow: () => number;
  private readonly ids: IdGenerator;
  private readonly orgs: OrganizationData[] = [];
  private readonly apiKeys: ReadonlySet<string>;
  private readonly schema: GraphQLSchema;
  private readonly limiter: RateLimiter;
  private readonly resolvers = rootValue();
  private readonly checkedDocuments = new Map<string, CheckedDocument>();
  private readonly api: Hono;

  constructor(options: SageActiveEmulatorOptions = {}) {
    this.clock = options.now ?? (() => new Date());
    this.ids = new IdGenerator(options.seed ?? 1);
    this.clientId = options.clientId ?? SANDBOX_CREDENTIALS.clientId;
    this.clientSecret = options.clientSecret ?? SANDBOX_CREDENTIALS.clientSecret;
    const keys = options.apiKeys ?? [SANDBOX_CREDENTIALS.apiKey];
    this.apiKey = keys[0] ?? SANDBOX_CREDENTIALS.apiKey;
    this.apiKeys = new Set(keys);
    this.rateLimitNow = options.rateLimitNow ?? (() => this.clock().getTime());
    this.faults = new SageActiveFaults(
      () => this.clock().getTime(),
      () => this.auth.expireAccessTokens(),
      options.faultSeed ?? 1,
    );
    this.auth = new SageAuthServer(
      {
        clientId: this.clientId,
        clientSecret: this.clientSecret,
        redirectUris: options.redirectUris ?? [],
      },
      this.clock,
    );
    this.user = {
      id: this.ids.next(),
      firstName: "Claire",
      lastName: "Moreau",
      authenticationEmail: "claire.moreau@encaisse-demo.fr",
      applicationLanguageCode: "fr-FR",
    };
    this.schema = buildSageActiveSchema({ dateOutput: options.dateOutput ?? "date-time" });
    this.limiter = new RateLimiter({ ...SAGE_ACTIVE_LIMITS, ...options.limits }, this.stats);
    this.defaultOrganizationId = this.addOrganization({
      socialName: options.organizationName ?? "Encaisse Démo SAS",
    });
    this.api = new Hono()
      .post("/graphql", (c) => this.serveGraphql(c.req.raw))
      .all("/graphql", () =>
        gatewayResponse(405, "Method not allowed: Sage Active takes POST only."),
      )
      .all("*", () => gatewayResponse(404, "Resource not found"));
  }

  now(): Date {
    return this.clock();
  }

  organizations(): readonly OrganizationData[] {
    return this.orgs;
  }

  /** Direct access to an organization's state, for tests and the book loader. */
  organization(id: string = this.defaultOrganizationId): OrganizationData {
    const org = this.orgs.find((candidate) => candidate.organization.id === id);
    if (!org) throw new Error(`No organization ${id} in the emulator.`);
    return org;
  }

  /** Adds an organization the user can see; returns its id (usable only when READY and onboarded). */
  addOrganization(spec: NewOrganization): string {
    const org = seedOrganization(this.ids, this.clock().toISOString(), spec);
    this.orgs.push(org);
    return org.organization.id;
  }

  /** The context rules run in; `at` stamps records with another instant (book loading). */
  ruleContext(org: OrganizationData, at?: string): RuleContext {
    const instant = at === undefined ? this.clock() : new Date(at);
    return { org, ids: this.ids, now: instant.toISOString(), today: parisDateOf(instant) };
  }

  /** Tokens for a consented user, skipping the browser round trip. */
  issueTokens(scopes?: readonly string[]): TokenResponse {
    return this.auth.issue(scopes);
  }

  expireAccessTokens(): void {
    this.auth.expireAccessTokens();
  }

  resetStats(): void {
    Object.assign(this.stats, emptyStats());
  }

  /** The API host: POST /graphql. */
  handle(request: Request): Promise<Response> {
    return Promise.resolve(this.api.fetch(request));
  }

  /** The OAuth host: /connect/authorize, /connect/token, /connect/revocation. */
  handleAuth(request: Request): Promise<Response> {
    return Promise.resolve(this.auth.app.fetch(request));
  }

  loadBook(book: Book, options: LoadBookOptions = {}): LoadedBook {
    return loadBookInto(this, book, options);
  }

  /**
   * Money arriving for an invoice, as a bank reconciliation in Sage would record it: a
   * settlement of its open items in due-date order. Refused like the API refuses it
   * (over-payment, nothing left to collect, invoice not posted).
   */
  recordPayment(
    invoiceId: string,
    payment: RecordedPayment,
  ): { accountingEntryId: string; accountingEntryNumber: number } {
    const org =
      this.orgs.find((candidate) => candidate.invoices.has(invoiceId)) ??
      fail(BUSINESS_ERRORS.salesInvoiceNotFound, invoiceId);
    const entry = settleInvoice(this.ruleContext(org), invoiceId, payment, "BANKING");
    return { accountingEntryId: entry.id, accountingEntryNumber: entry.number };
  }

  /**
   * A query parsed and validated against the schema. A client sends the same few documents
   * over and over, so each is checked once (parse errors are thrown, never remembered).
   */
  private checkedDocument(query: string): CheckedDocument {
    const known = this.checkedDocuments.get(query);
    if (known) return known;
    const document = parse(query);
    const checked = { document, validationErrors: validate(this.schema, document) };
    if (this.checkedDocuments.size >= REMEMBERED_DOCUMENTS) this.checkedDocuments.clear();
    this.checkedDocuments.set(query, checked);
    return checked;
  }

  private async serveGraphql(request: Request): Promise<Response> {
    this.stats.requests += 1;
    const storm = this.faults.drawStorm();
    if (storm) {
      this.stats.rateLimited += 1;
      return storm;
    }
    const key = request.headers.get("x-api-key");
    if (!key || !this.apiKeys.has(key)) return gatewayResponse(401, INVALID_SUBSCRIPTION_KEY);
    const retryAfter = this.limiter.admit(this.rateLimitNow());
    if (retryAfter !== null) {
      this.stats.rateLimited += 1;
      return rateLimitedResponse(retryAfter);
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "")?.[1];
    if (!bearer) return gatewayResponse(401, "JWT not present.");
    const access = this.auth.verify(bearer);
    if (!access.valid) return gatewayResponse(401, "Invalid JWT.");

    if (!(request.headers.get("content-type") ?? "").toLowerCase().includes("application/json")) {
      return graphqlErrors(415, [
        { message: "The request content type must be application/json." },
      ]);
    }
    let body: z.infer<typeof requestBodySchema>;
    try {
      body = requestBodySchema.parse(await request.json());
    } catch {
      return graphqlErrors(400, [
        { message: 'The request body must be JSON: { "query": ..., "variables": ... }.' },
      ]);
    }
    let checked: CheckedDocument;
    try {
      checked = this.checkedDocument(body.query);
    } catch (error) {
      return graphqlErrors(400, [error as GraphQLError]);
    }
    const { document, validationErrors } = checked;
    if (validationErrors.length > 0) return graphqlErrors(400, validationErrors);
    const operation = getOperationAST(document, body.operationName);
    if (!operation)
      return graphqlErrors(400, [{ message: "Could not determine the operation to execute." }]);

    const isMutation = operation.operation === "mutation";
    if (isMutation && !this.limiter.startMutation()) {
      this.stats.rateLimited += 1;
      return rateLimitedResponse(1);
    }
    try {
      const failure = await this.faults.drawFailure(request.signal);
      if (failure) {
        if (failure.status >= 500) this.stats.serverErrors += 1;
        return failure;
      }
      await this.faults.delay(request.signal);
      const context: RequestContext = {
        state: this,
        organizationId: request.headers.get("x-organizationid"),
        scopes: access.scopes,
        extraErrors: [],
      };
      const result = await execute({
        schema: this.schema,
        document,
        rootValue: this.resolvers,
        contextValue: context,
        variableValues: body.variables ?? {},
        operationName: body.operationName ?? null,
      });
      // Variables that do not coerce are request errors: no data at all.
      if (result.data === undefined) return graphqlErrors(400, result.errors ?? []);
      for (const name of rootFieldNames(document, body.operationName)) {
        this.stats.byOperation[name] = (this.stats.byOperation[name] ?? 0) + 1;
      }
      const errors = [...(result.errors ?? []), ...context.extraErrors];
      return Response.json(
        errors.length > 0 ? { errors, data: result.data } : { data: result.data },
      );
    } finally {
      if (isMutation) this.limiter.endMutation();
    }
  }
}

/** Allocates a payment to an invoice's open items, earliest due first, and settles them. */
export function settleInvoice(
  ctx: RuleContext,
  invoiceId: string,
  payment: RecordedPayment,
  sourceType: "BANKING" | "PUBLIC_API",
): ReturnType<typeof settleOpenItems> {
  const invoice =
    ctx.org.invoices.get(invoiceId) ?? fail(BUSINESS_ERRORS.salesInvoiceNotFound, invoiceId);
  const items = invoice.openItemIds
    .flatMap((id) => {
      const item = ctx.org.openItems.get(id);
      return item && openItemStatus(item) !== "COLLECTED" ? [item] : [];
    })
    .sort((a, b) => (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0));
  if (invoice.openItemIds.length === 0) fail(BUSINESS_ERRORS.salesInvoiceNotClosed, invoice.status);
  if (items.length === 0) fail(BUSINESS_ERRORS.openItemAlreadyCollected, invoiceId);
  let left = payment.amountCents;
  const linkages = items.flatMap((item) => {
    const pending = item.amountCents - item.paidCents;
    const take = Math.sign(pending) * Math.min(Math.abs(pending), Math.abs(left));
    if (take === 0) return [];
    left -= take;
    return [{ openItemId: item.id, paidAmount: centsToDecimalString(take) }];
  });
  if (left !== 0)
    fail(BUSINESS_ERRORS.paidAmountExceedsPending, centsToDecimalString(payment.amountCents));
  const method = ctx.org.paymentMethods.find(
    (candidate) => candidate.type === (payment.method ?? "BANK_ACCOUNT"),
  );
  return settleOpenItems(
    ctx,
    {
      entryDate: payment.date,
      paymentMethodId: method?.id ?? "",
      thirdPartyId: invoice.customerId,
      description: payment.description ?? null,
      documentNumber: payment.documentNumber ?? null,
      linkages,
    },
    sourceType,
  );
}
