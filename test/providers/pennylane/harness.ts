/**
 * The Pennylane client under test, talking through its real fetch path (msw) to the
 * emulator, on virtual time shared by both sides. Every request the client sends — and every
 * answer it reads — is checked against the official OpenAPI; a test fails on any drift.
 */
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import type { InvoiceDraft } from "@encaisse/shared";
import {
  PennylaneProvider,
  type PennylaneProviderOptions,
  createPennylaneLimiter,
  pennylaneApiTokenAuth,
} from "../../../functions/src/providers/pennylane";
import { VirtualClock } from "../../../functions/test/support/virtual-clock";
import {
  PENNYLANE_API_ROOT,
  validatePennylaneRequest,
  validatePennylaneResponse,
} from "../../contract/pennylane-contract";
import { PennylaneEmulator, pennylaneMswHandlers } from "../../emulators/pennylane";
import type { CompanyCustomerCreate } from "../../emulators/pennylane/request-bodies";
import { BackOffice } from "./seed";
import type { NewCustomer } from "../../../functions/src/providers/provider";

export const BASE_URL = "https://app.pennylane.com";
export const API_URL = `${BASE_URL}${PENNYLANE_API_ROOT}`;
export const API_TOKEN = "company-api-token";
/** Tuesday 10 March 2026, 10:00 in Paris. */
export const START = Date.parse("2026-03-10T09:00:00Z");

export interface SentRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Headers;
  /** The body as sent, read in the background. */
  readonly body: Promise<string>;
}

/**
 * Virtual time that lets requests already in flight land before it jumps: a sleeping
 * throttle must not make a request sent earlier arrive "later" at the emulator.
 */
export class SettlingClock extends VirtualClock {
  override async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    await new Promise((resolve) => setTimeout(resolve, 2));
    await super.sleep(ms, signal);
  }
}

const server = setupServer();
let connectionSequence = 0;

/** One test's world: a fresh emulator and clock, and what the client sent. */
export class Harness {
  clock = new SettlingClock(START);
  emulator = new PennylaneEmulator();
  /** Seeds the books as a Pennylane user would. */
  backOffice = new BackOffice(this.emulator, API_URL);
  /** Every request that reached the network, in order. */
  sent: SentRequest[] = [];
  /** Contract violations seen so far (requests and answers). */
  violations: string[] = [];
  /** Request checks still reading their body. */
  readonly pending: Promise<void>[] = [];

  reset(): void {
    const clock = new SettlingClock(START);
    this.clock = clock;
    this.emulator = new PennylaneEmulator({ now: () => new Date(clock.now()) });
    this.emulator.addApiToken(API_TOKEN);
    this.backOffice = new BackOffice(this.emulator, API_URL);
    this.sent = [];
    this.violations = [];
  }

  /** A client of a new connection (unless `connectionId` is given), on this test's clock. */
  provider(options: Partial<PennylaneProviderOptions> = {}): PennylaneProvider {
    connectionSequence += 1;
    return new PennylaneProvider({
      connectionId: `connection-${connectionSequence}`,
      auth: pennylaneApiTokenAuth(API_TOKEN),
      baseUrl: BASE_URL,
      limiter: createPennylaneLimiter(this.clock),
      clock: this.clock,
      random: () => 0.5,
      timeoutMs: 2_000,
      ...options,
    });
  }

  /** Requests sent to one endpoint, e.g. `sentTo("POST", "/customer_invoices")`. */
  sentTo(method: string, path: string): SentRequest[] {
    return this.sent.filter(
      (request) =>
        request.method === method && request.url.pathname === `${PENNYLANE_API_ROOT}${path}`,
    );
  }

  checkAnswer = async (request: Request, response: Response): Promise<void> => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith(`${PENNYLANE_API_ROOT}/`) || response.status >= 500) return;
    const violations = this.violations;
    const text = await response.text();
    violations.push(
      ...validatePennylaneResponse({
        method: request.method,
        path: url.pathname,
        status: response.status,
        body: text === "" ? null : parseJson(text),
        headers: Object.fromEntries(response.headers),
      }),
    );
  };

  recordRequest = ({ request }: { request: Request }): void => {
    const copy = request.clone();
    const url = new URL(copy.url);
    const body = copy.text();
    this.sent.push({ method: copy.method, url, headers: copy.headers, body });
    if (!url.pathname.startsWith(`${PENNYLANE_API_ROOT}/`)) return;
    const violations = this.violations;
    this.pending.push(
      body.then((text) => {
        violations.push(
          ...validatePennylaneRequest({
            method: copy.method,
            path: url.pathname,
            query: url.search,
            headers: Object.fromEntries(copy.headers),
            body: text === "" ? undefined : parseJson(text),
          }),
        );
      }),
    );
  };
}

/** Installs msw, a fresh emulator and a fresh virtual clock around every test of the file. */
export function useHarness(): Harness {
  const harness = new Harness();

  beforeAll(() => {
    server.listen({ onUnhandledRequest: "error" });
    server.events.on("request:start", harness.recordRequest);
  });
  afterAll(() => server.close());

  beforeEach(() => {
    harness.reset();
    server.resetHandlers(
      ...pennylaneMswHandlers(harness.emulator, BASE_URL, { onExchange: harness.checkAnswer }),
    );
  });

  afterEach(async () => {
    await Promise.all(harness.pending.splice(0));
    harness.emulator.close();
    expect(harness.violations, "requests and answers follow the official Pennylane spec").toEqual(
      [],
    );
  });

  return harness;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Replaces one endpoint's behaviour for its next request (network faults). */
export function interceptOnce(
  method: "get" | "post" | "put",
  path: string,
  respond: (request: Request) => Response | Promise<Response>,
): void {
  server.use(http[method](`${API_URL}${path}`, ({ request }) => respond(request), { once: true }));
}

/** An answer that never comes: waits until the client gives up, as a lost response does. */
export function untilAborted(request: Request): Promise<Response> {
  return new Promise((resolve) => {
    const answer = () => resolve(HttpResponse.json({ error: "Gateway Timeout" }, { status: 504 }));
    if (request.signal.aborted) answer();
    request.signal.addEventListener("abort", answer, { once: true });
    setTimeout(answer, 5_000);
  });
}

export function customerInput(
  overrides: Partial<CompanyCustomerCreate> = {},
): CompanyCustomerCreate {
  return {
    name: "Boulangerie Martin SARL",
    reg_no: "732829320",
    billing_address: {
      address: "12 rue des Lilas",
      postal_code: "69003",
      city: "Lyon",
      country_alpha2: "FR",
    },
    emails: ["compta@boulangerie-martin.fr"],
    external_reference: "hubspot-company-1",
    ...overrides,
  };
}

export function newCustomer(overrides: Partial<NewCustomer> = {}): NewCustomer {
  return {
    name: "Menuiserie Dubois",
    siren: "552100554",
    siret: null,
    vatNumber: null,
    emails: ["factures@menuiserie-dubois.fr"],
    billingAddress: {
      line1: "3 avenue Jean Jaurès",
      line2: "Bâtiment B",
      postalCode: "33000",
      city: "Bordeaux",
      countryCode: "FR",
    },
    paymentTerms: "30_days",
    externalReference: "hubspot-company-77",
    ...overrides,
  };
}

export function invoiceDraft(
  customerId: string,
  overrides: Partial<InvoiceDraft> = {},
): InvoiceDraft {
  return {
    externalReference: "hubspot-deal-1001",
    customerId,
    issueDate: "2026-03-10",
    dueDate: "2026-04-09",
    paymentTerms: "30_days",
    currency: "EUR",
    operationNature: "services",
    lines: [
      {
        label: "Audit comptable",
        quantity: "3",
        unitPriceExclTax: "1234.567800",
        vatCode: "FR_200",
        discountPercent: null,
        sourceId: "line-1",
      },
      {
        label: "Formation (heures)",
        quantity: "1.5",
        unitPriceExclTax: "80",
        vatCode: "FR_100",
        discountPercent: "10",
        sourceId: "line-2",
      },
    ],
    legalMentions: ["Pénalités de retard : 3 fois le taux d'intérêt légal."],
    finalize: false,
    label: "Mission de mars",
    ...overrides,
  };
}
