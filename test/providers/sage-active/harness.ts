/**
 * A Sage Active test bed: the emulator behind msw on Sage's real hosts, a client wired to
 * it with a virtual clock (waits advance time instead of sleeping), and every GraphQL
 * document the client sends checked against the SDL as it goes.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type { InvoiceDraft } from "@encaisse/shared";
import type { Clock } from "../../../functions/src/net/clock";
import { MemoryTokenStore, type OAuthTokens } from "../../../functions/src/net/oauth-session";
import { Semaphore, SlidingWindowLimiter } from "../../../functions/src/net/rate-limit";
import {
  SAGE_ACTIVE_DEFAULT_API_URL,
  SAGE_ACTIVE_DEFAULT_AUTH_URL,
  SageActiveProvider,
  type SageActiveProviderOptions,
} from "../../../functions/src/providers/sage-active";
import { validateSageQuery } from "../../contract/sage-active-sdl";
import { createCustomer, type CustomerInput } from "../../emulators/sage-active/customers";
import { SageActiveEmulator, sageActiveMswHandlers } from "../../emulators/sage-active";
import type { InvoiceRecord, OrganizationData } from "../../emulators/sage-active/records";
import {
  closeSalesInvoice,
  createSalesInvoice,
  type InvoiceInput,
  postSalesInvoice,
} from "../../emulators/sage-active/sales";

export const START = Date.parse("2026-03-10T09:00:00.000Z");

/** Time that moves only when told to, or when someone waits. */
export class VirtualClock implements Clock {
  readonly sleeps: number[] = [];

  constructor(private ms: number = START) {}

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.ms += Math.max(0, ms);
    await Promise.resolve();
  }
}

export interface SentOperation {
  readonly operationName: string;
  readonly variables: Record<string, unknown>;
}

export interface SageTestbed {
  readonly clock: VirtualClock;
  readonly emulator: SageActiveEmulator;
  readonly org: OrganizationData;
  readonly tokens: MemoryTokenStore;
  readonly provider: SageActiveProvider;
  /** Every GraphQL operation the client sent, in order. */
  readonly sent: SentOperation[];
  makeProvider(overrides?: Partial<SageActiveProviderOptions>): SageActiveProvider;
  tokensFrom(scopes?: readonly string[]): OAuthTokens;
  sentCount(operationName: string): number;
}

export const server = setupServer();

export const APP = {
  apiUrl: SAGE_ACTIVE_DEFAULT_API_URL,
  authUrl: SAGE_ACTIVE_DEFAULT_AUTH_URL,
  clientId: "encaisse-sandbox",
  clientSecret: "encaisse-sandbox-secret",
  apiKey: "encaisse-sandbox-api-key",
};

/** Registers the hooks and returns an accessor for the current test's bed. */
export function useSageTestbed(): () => SageTestbed {
  let bed: SageTestbed | null = null;
  let problems: string[] = [];
  let pending: Promise<void>[] = [];

  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  afterAll(() => server.close());

  beforeEach(() => {
    const clock = new VirtualClock();
    const emulator = new SageActiveEmulator({ now: () => new Date(clock.now()) });
    server.use(...sageActiveMswHandlers(emulator));
    const sent: SentOperation[] = [];
    problems = [];
    pending = [];
    server.events.on("request:start", ({ request }) => {
      if (!request.url.startsWith(SAGE_ACTIVE_DEFAULT_API_URL)) return;
      pending.push(
        request
          .clone()
          .json()
          .then((raw: unknown) => {
            const body = raw as {
              query: string;
              variables?: Record<string, unknown>;
              operationName: string;
            };
            const variables = body.variables ?? {};
            sent.push({ operationName: body.operationName, variables });
            for (const problem of validateSageQuery(body.query, variables)) {
              problems.push(`${body.operationName}: ${problem}`);
            }
          }),
      );
    });
    const tokensFrom = (scopes?: readonly string[]): OAuthTokens => {
      const issued = emulator.issueTokens(scopes);
      return {
        accessToken: issued.access_token,
        refreshToken: issued.refresh_token ?? "",
        expiresAt: clock.now() + issued.expires_in * 1000,
        scope: issued.scope,
      };
    };
    const tokens = new MemoryTokenStore(tokensFrom());
    const makeProvider = (overrides: Partial<SageActiveProviderOptions> = {}) =>
      new SageActiveProvider({
        app: APP,
        organizationId: emulator.defaultOrganizationId,
        tokens,
        clock,
        limiter: new SlidingWindowLimiter({ limit: 3000, windowMs: 60_000, clock }),
        mutationSlots: new Semaphore(10),
        random: () => 0.5,
        ...overrides,
      });
    bed = {
      clock,
      emulator,
      org: emulator.organization(),
      tokens,
      provider: makeProvider(),
      sent,
      makeProvider,
      tokensFrom,
      sentCount: (name) => sent.filter((operation) => operation.operationName === name).length,
    };
  });

  afterEach(async () => {
    await Promise.all(pending);
    server.resetHandlers();
    server.events.removeAllListeners();
    bed?.emulator.faults.reset();
    // Every document the client sent must match the SDL: drift fails the test.
    expect(problems).toEqual([]);
  });

  return () => {
    if (!bed) throw new Error("The test bed exists inside tests only.");
    return bed;
  };
}

/** A customer filed directly in Sage (as someone would in the web app). */
export function seedCustomer(
  bed: SageTestbed,
  input: Partial<CustomerInput> & { socialName: string },
) {
  const ctx = bed.emulator.ruleContext(bed.org);
  return createCustomer(
    bed.org,
    ctx.ids,
    ctx.now,
    {
      addresses: [
        {
          firstLine: "3 rue des Lilas",
          city: "LYON",
          zipCode: "69003",
          countryIsoCodeAlpha2: "FR",
        },
      ],
      ...input,
    },
    "GLOBAL",
  );
}

/** An invoice entered in Sage: one line at 20 % VAT, due `dueInDays` after its date. */
export function seedInvoice(
  bed: SageTestbed,
  customerId: string,
  options: {
    readonly unitPrice?: string;
    readonly quantity?: string;
    readonly documentDate?: string;
    readonly dueInDays?: number;
    readonly stage?: "Pending" | "Closed" | "Posted";
    readonly externalReference?: string;
  } = {},
): InvoiceRecord {
  const ctx = bed.emulator.ruleContext(bed.org);
  const input: InvoiceInput = {
    customerId,
    documentDate: options.documentDate ?? "2026-03-01",
    externalReference: options.externalReference ?? null,
    paymentTermLines: [
      {
        order: 9999,
        type: "REMAINING_AMOUNT",
        value: "0",
        condition: "NONE",
        day: options.dueInDays ?? 30,
      },
    ],
    lines: [
      {
        productCode: "PRESTA-TVA20",
        totalQuantity: options.quantity ?? "1",
        unitPrice: options.unitPrice ?? "100",
      },
    ],
  };
  const invoice = createSalesInvoice(ctx, input);
  const stage = options.stage ?? "Posted";
  if (stage !== "Pending") closeSalesInvoice(ctx, invoice.id);
  if (stage === "Posted") {
    postSalesInvoice(ctx, {
      salesInvoiceId: invoice.id,
      accountingEntryDescription: "Facture",
      journalTypeId: bed.org.salesJournalId,
    });
  }
  return invoice;
}

export function draftFor(customerId: string, overrides: Partial<InvoiceDraft> = {}): InvoiceDraft {
  return {
    externalReference: "hubspot-deal-123456789012",
    customerId,
    issueDate: "2026-03-10",
    dueDate: "2026-04-09",
    paymentTerms: "30_days",
    currency: "EUR",
    operationNature: "services",
    lines: [
      {
        label: "Audit de sécurité",
        quantity: "2",
        unitPriceExclTax: "1250.50",
        vatCode: "FR_200",
        discountPercent: null,
        sourceId: "li-1",
      },
      {
        label: "Formation",
        quantity: "1.5",
        unitPriceExclTax: "400",
        vatCode: "FR_100",
        discountPercent: "10",
        sourceId: "li-2",
      },
    ],
    legalMentions: ["Pénalités de retard : trois fois le taux d'intérêt légal."],
    finalize: false,
    label: "Mission de mars",
    ...overrides,
  };
}

/** Answers the next `count` requests of `operationName` itself (then lets the emulator answer). */
export function interceptOperation(
  operationName: string,
  respond: (request: Request, bed: SageTestbed) => Promise<Response>,
  bed: SageTestbed,
  count = 1,
): void {
  let left = count;
  server.use(
    http.post(SAGE_ACTIVE_DEFAULT_API_URL, async ({ request }) => {
      if (left <= 0) return undefined;
      const body = (await request.clone().json()) as { operationName?: string };
      if (body.operationName !== operationName) return undefined;
      left -= 1;
      return respond(request, bed);
    }),
  );
}

export function serverError(status = 503): Promise<Response> {
  return Promise.resolve(
    HttpResponse.json({ statusCode: status, message: "Service Unavailable" }, { status }),
  );
}

/** Lets Sage carry the request out, then loses the answer (the client times out first). */
export function storeThenHang(delayMs: number) {
  return async (request: Request, bed: SageTestbed): Promise<Response> => {
    const url = new URL(request.url);
    url.pathname = "/graphql";
    const response = await bed.emulator.handle(
      new Request(url, {
        method: "POST",
        headers: request.headers,
        body: await request.clone().text(),
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    return response;
  };
}
