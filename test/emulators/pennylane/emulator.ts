/**
 * An in-memory Pennylane Company API v2 that behaves as its official contract describes:
 * same paths, shapes, status codes and error bodies, the business rules that bite (issue date
 * order, immutability once finalized, expiring PDF links, 4-week changelogs), OAuth with
 * rotating refresh tokens, the 25 requests / 5 s limit, and knobs to inject faults.
 *
 * `handle(request)` is a Web-standard handler, served by msw (`pennylaneMswHandlers`) in tests
 * or by a real HTTP server (`startPennylaneServer`) for the sandbox.
 */
import type { Hono } from "hono";
import type { Book } from "../../fixtures/book";
import type { NewIndividualCustomer } from "./customers";
import { PennylaneFaults } from "./faults";
import { type NewPayment, type NewProduct, PennylaneLedger, type SentEmail } from "./ledger";
import { type LoadedBook, loadBookInto } from "./load-book";
import { type OAuthClient, OAuthServer } from "./oauth";
import { PublicFileSigner } from "./public-files";
import {
  PennylaneStats,
  type PennylaneStatsSnapshot,
  type RateLimitSettings,
  SlidingWindowRateLimiter,
} from "./rate-limit";
import type {
  CustomerRecord,
  InvoiceRecord,
  InvoiceTemplateRecord,
  PaymentRecord,
  ProductRecord,
} from "./records";
import { type CompanyProfile, buildPennylaneApp } from "./routes";
import { TokenStore } from "./tokens";

/** The scopes Encaisse asks for (facts sheet). */
export const ENCAISSE_SCOPES = [
  "customers:all",
  "customer_invoices:all",
  "products:readonly",
  "customer_invoice_templates:readonly",
  "transactions:readonly",
] as const;

export interface PennylaneEmulatorOptions {
  /** The emulator's clock: dates, token expiry, PDF link expiry, changelog retention. */
  readonly now?: () => Date;
  /**
   * The clock of the rate limiter's window, in ms. Defaults to `now`; give `Date.now` when
   * `now` is frozen but requests still happen in real time.
   */
  readonly rateLimitNow?: () => number;
  readonly rateLimit?: Partial<RateLimitSettings>;
  /** Seed of the 5xx fault draw. */
  readonly faultSeed?: number;
  readonly company?: CompanyProfile["company"];
  readonly user?: CompanyProfile["user"];
  /** Lifetime of `public_file_url` links, ms (30 minutes). */
  readonly publicFileTtlMs?: number;
}

export class PennylaneEmulator {
  readonly now: () => Date;
  readonly ledger: PennylaneLedger;
  readonly faults: PennylaneFaults;
  private readonly statsRecorder: PennylaneStats;
  private readonly tokens: TokenStore;
  private readonly oauth: OAuthServer;
  private readonly limiter: SlidingWindowRateLimiter;
  private readonly app: Hono;

  constructor(options: PennylaneEmulatorOptions = {}) {
    this.now = options.now ?? (() => new Date());
    const nowMs = () => this.now().getTime();
    const limiterNowMs = options.rateLimitNow ?? nowMs;
    this.ledger = new PennylaneLedger(this.now);
    this.tokens = new TokenStore(nowMs);
    this.oauth = new OAuthServer(this.tokens, nowMs);
    this.limiter = new SlidingWindowRateLimiter(
      { limit: 25, windowMs: 5_000, enabled: true, ...options.rateLimit },
      limiterNowMs,
    );
    this.statsRecorder = new PennylaneStats(() => this.limiter.settings.windowMs, limiterNowMs);
    this.faults = new PennylaneFaults(
      nowMs,
      () => this.tokens.expireAccessTokens(),
      options.faultSeed ?? 1,
    );
    this.app = buildPennylaneApp({
      ledger: this.ledger,
      tokens: this.tokens,
      limiter: this.limiter,
      stats: this.statsRecorder,
      faults: this.faults,
      publicFiles: new PublicFileSigner(options.publicFileTtlMs),
      oauth: this.oauth,
      profile: {
        company: options.company ?? {
          id: 42_001,
          name: "Atelier Encaisse SAS",
          reg_no: "732829320",
        },
        user:
          options.user === undefined
            ? {
                id: 7,
                first_name: "Claire",
                last_name: "Moreau",
                email: "claire.moreau@example.fr",
                locale: "fr",
              }
            : options.user,
      },
      nowMs,
    });
    this.handle = this.handle.bind(this);
  }

  /** Answers one HTTP request (origin-agnostic: links in responses use the request's origin). */
  async handle(request: Request): Promise<Response> {
    return this.app.fetch(request);
  }

  // ---- credentials -------------------------------------------------------------------------

  /** A company API token with these scopes (defaults to the ones Encaisse asks for). */
  addApiToken(token: string, scopes: readonly string[] = ENCAISSE_SCOPES): this {
    this.tokens.addApiToken(token, scopes);
    return this;
  }

  revokeToken(token: string): void {
    this.tokens.revoke(token);
  }

  registerOAuthClient(client: OAuthClient): this {
    this.oauth.registerClient(client);
    return this;
  }

  /** Every OAuth access token expires now (refresh tokens keep working). */
  expireAccessTokens(): number {
    return this.tokens.expireAccessTokens();
  }

  // ---- rate limit and stats ----------------------------------------------------------------

  get rateLimit(): RateLimitSettings {
    return this.limiter.settings;
  }

  /** A snapshot of the traffic seen so far. */
  get stats(): PennylaneStatsSnapshot {
    return this.statsRecorder.snapshot();
  }

  resetStats(): void {
    this.statsRecorder.reset();
  }

  /** Forgets the requests counted in the rate-limit windows. */
  resetRateLimits(): void {
    this.limiter.reset();
  }

  // ---- data --------------------------------------------------------------------------------

  loadBook(book: Book): LoadedBook {
    return loadBookInto(this.ledger, book);
  }

  /** Money arriving on an invoice: updates its status, remaining amount and the changelog. */
  recordPayment(invoiceId: number, payment: NewPayment): PaymentRecord {
    return this.ledger.recordPayment(invoiceId, payment);
  }

  addProduct(product: NewProduct): ProductRecord {
    return this.ledger.addProduct(product);
  }

  addInvoiceTemplate(name: string): InvoiceTemplateRecord {
    return this.ledger.addInvoiceTemplate(name);
  }

  addIndividualCustomer(input: NewIndividualCustomer): CustomerRecord {
    return this.ledger.addIndividualCustomer(input);
  }

  invoice(id: number): InvoiceRecord | undefined {
    return this.ledger.invoices.get(id);
  }

  customer(id: number): CustomerRecord | undefined {
    return this.ledger.customers.get(id);
  }

  /** The invoices emailed to customers (send_by_email), oldest first. */
  sentEmails(invoiceId?: number): readonly SentEmail[] {
    return this.ledger.sentEmails.filter(
      (email) => invoiceId === undefined || email.invoiceId === invoiceId,
    );
  }

  /** Releases hung requests (injected timeouts); call before closing a server. */
  close(): void {
    this.faults.releaseHangs();
  }
}
