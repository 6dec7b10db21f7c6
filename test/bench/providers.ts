/**
 * The accounting-provider clients against their emulators, served over real HTTP on
 * 127.0.0.1 with the published rate limits enforced, on the wall clock:
 *
 * 1. a backfill of a 10,000-invoice book (1,000 companies), paged as the sync will page it;
 * 2. an incremental sync after payments on 100 random invoices: the change feed from a
 *    cursor taken before them, then each changed invoice read in full.
 *
 * Figures are printed, never asserted. Where a figure is not what it must be (invoices
 * fetched, changes seen) the table says MISMATCH.
 */
import { type Invoice, parisDateOf } from "@encaisse/shared";
import { MemoryTokenStore } from "../../functions/src/net/oauth-session";
import { Semaphore, SlidingWindowLimiter } from "../../functions/src/net/rate-limit";
import {
  PENNYLANE_RATE_LIMIT,
  PennylaneProvider,
  createPennylaneLimiter,
  pennylaneApiTokenAuth,
} from "../../functions/src/providers/pennylane";
import type { AccountingProvider, InvoicePage } from "../../functions/src/providers/provider";
import { SageActiveProvider } from "../../functions/src/providers/sage-active";
import { PennylaneEmulator, startPennylaneServer } from "../emulators/pennylane";
import {
  SAGE_ACTIVE_LIMITS,
  SANDBOX_CREDENTIALS,
  SageActiveEmulator,
  startSageActiveServer,
} from "../emulators/sage-active";
import type { Book } from "../fixtures/book";
import { generateBook } from "../fixtures/generate";
import {
  type BenchmarkModule,
  type Row,
  TimeSplit,
  checked,
  formatBytes,
  formatCount,
  formatMs,
  formatRatio,
  peakRss,
  pickDistinct,
  printTable,
  seededRandom,
  splitEmulatorTime,
  splitThrottleTime,
  targetNote,
  timed,
  timedSync,
} from "./support";

const BOOK_SIZE = { companies: 1_000, invoices: 10_000 } as const;
const CHANGED_INVOICES = 100;
const PICK_SEED = 20_260_316;
/** How close to the rate-limit floor a backfill should come. */
const FLOOR_TARGET = 1.1;

interface Traffic {
  readonly calls: number;
  readonly rateLimited: number;
  /** Calls per endpoint (Pennylane) or GraphQL root field (Sage Active), busiest first. */
  readonly breakdown: string;
  /** The busiest rate-limit window the emulator saw, against what it allows. */
  readonly busiestWindow: string;
}

interface MinimumCalls {
  readonly calls: number;
  /** How the minimum is counted, one line per term. */
  readonly formula: readonly string[];
}

/** One provider wired to its emulator: what the two measurements need. */
interface ProviderUnderTest {
  readonly title: string;
  readonly limitText: string;
  /** The published limit as a steady rate. */
  readonly allowedPerSecond: number;
  readonly maxPageSize: number;
  readonly loadMs: number;
  readonly url: string;
  /** The backfill job's client. */
  readonly provider: AccountingProvider;
  /** A later job's client on the same connection: same throttle, nothing cached. */
  newClient(): AccountingProvider;
  /** Where the time went since the last `resetTraffic`. */
  readonly time: TimeSplit;
  traffic(): Traffic;
  resetTraffic(): void;
  minimumBackfillCalls(pages: readonly InvoicePage[]): MinimumCalls;
  /** Money arriving in full, entered in the accounting software (not through the client). */
  recordPayment(invoice: Invoice, date: string): void;
  close(): Promise<void>;
}

const byCount = (counts: Readonly<Record<string, number>>): string =>
  Object.entries(counts)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([name, count]) => `${name} ${formatCount(count)}`)
    .join(", ");

const pagesOf = (items: number, pageSize: number) => Math.ceil(items / pageSize);

// ---- Pennylane -------------------------------------------------------------------------------

const PENNYLANE_TOKEN = "bench-company-token";
const PENNYLANE_PAGE = 100;

async function pennylane(book: Book): Promise<ProviderUnderTest> {
  const emulator = new PennylaneEmulator();
  emulator.addApiToken(PENNYLANE_TOKEN);
  const load = timedSync(() => emulator.loadBook(book));
  peakRss.sample();
  const time = new TimeSplit();
  splitEmulatorTime(emulator, time);
  const server = await startPennylaneServer(emulator);
  // One connection: every job of it draws from the same 25 / 5 s.
  const limiter = splitThrottleTime(createPennylaneLimiter(), time);
  const client = () =>
    new PennylaneProvider({
      connectionId: "bench",
      auth: pennylaneApiTokenAuth(PENNYLANE_TOKEN),
      baseUrl: server.url,
      limiter,
    });
  const { limit, windowMs } = PENNYLANE_RATE_LIMIT;
  return {
    title: "Pennylane",
    limitText: `${limit} requests / ${windowMs / 1000} s per token`,
    allowedPerSecond: limit / (windowMs / 1000),
    maxPageSize: PENNYLANE_PAGE,
    loadMs: load.ms,
    url: server.url,
    provider: client(),
    newClient: client,
    time,
    traffic: () => {
      const stats = emulator.stats;
      return {
        calls: stats.totalRequests,
        rateLimited: stats.rateLimited,
        breakdown: byCount(stats.byEndpoint),
        busiestWindow: `${stats.maxRequestsInWindow} of ${limit} in ${windowMs / 1000} s`,
      };
    },
    resetTraffic: () => {
      emulator.resetStats();
      time.reset();
    },
    minimumBackfillCalls: (pages) => {
      const invoices = pages.flatMap((page) => page.items);
      const customers = new Set(invoices.map((invoice) => invoice.customerId)).size;
      const listPages = pagesOf(invoices.length, PENNYLANE_PAGE);
      const namePages = pagesOf(customers, PENNYLANE_PAGE);
      return {
        calls: listPages + namePages,
        formula: [
          `${listPages} = ceil(${formatCount(invoices.length)} invoices / ${PENNYLANE_PAGE}) pages of GET /customer_invoices`,
          `+ ${namePages} = ceil(${formatCount(customers)} distinct customers invoiced / ${PENNYLANE_PAGE}) pages of GET /customers`,
          "  (an invoice carries its customer's id only: the name is on the customer record)",
        ],
      };
    },
    recordPayment: (invoice, date) => {
      emulator.recordPayment(Number(invoice.id), {
        date,
        amountCents: invoice.remainingCents,
        label: `Virement ${invoice.number ?? invoice.id}`,
      });
    },
    close: () => server.close(),
  };
}

// ---- Sage Active -----------------------------------------------------------------------------

const SAGE_PAGE = 500;

async function sageActive(book: Book): Promise<ProviderUnderTest> {
  const emulator = new SageActiveEmulator();
  const load = timedSync(() => emulator.loadBook(book));
  peakRss.sample();
  const time = new TimeSplit();
  splitEmulatorTime(emulator, time);
  const server = await startSageActiveServer(emulator);
  const issued = emulator.issueTokens();
  const tokens = new MemoryTokenStore({
    accessToken: issued.access_token,
    refreshToken: issued.refresh_token ?? "",
    expiresAt: Date.now() + issued.expires_in * 1000,
    scope: issued.scope,
  });
  const { requestsPerMinute, maxConcurrentMutations } = SAGE_ACTIVE_LIMITS;
  const limiter = splitThrottleTime(
    new SlidingWindowLimiter({ limit: requestsPerMinute, windowMs: 60_000 }),
    time,
  );
  const mutationSlots = new Semaphore(maxConcurrentMutations);
  const client = () =>
    new SageActiveProvider({
      app: {
        apiUrl: server.apiUrl,
        authUrl: server.authUrl,
        clientId: SANDBOX_CREDENTIALS.clientId,
        clientSecret: SANDBOX_CREDENTIALS.clientSecret,
        apiKey: SANDBOX_CREDENTIALS.apiKey,
      },
      organizationId: emulator.defaultOrganizationId,
      tokens,
      limiter,
      mutationSlots,
    });
  return {
    title: "Sage Active",
    limitText: `${formatCount(requestsPerMinute)} requests / min, ${maxConcurrentMutations} mutations in parallel`,
    allowedPerSecond: requestsPerMinute / 60,
    maxPageSize: SAGE_PAGE,
    loadMs: load.ms,
    url: server.apiUrl,
    provider: client(),
    newClient: client,
    time,
    traffic: () => ({
      calls: emulator.stats.requests,
      rateLimited: emulator.stats.rateLimited,
      breakdown: byCount(emulator.stats.byOperation),
      busiestWindow: `${formatCount(emulator.stats.maxRequestsInWindow)} of ${formatCount(requestsPerMinute)} in 1 min`,
    }),
    resetTraffic: () => {
      emulator.resetStats();
      time.reset();
    },
    minimumBackfillCalls: (pages) => {
      const invoices = pages.flatMap((page) => page.items);
      let postingPages = 0;
      let letteredPages = 0;
      for (const page of pages) {
        const paid = page.items.filter((invoice) => invoice.payments.length > 0);
        // A payment group: the invoice's posting line and every line lettered with it.
        const lettered = paid.reduce((lines, invoice) => lines + 1 + invoice.payments.length, 0);
        postingPages += pagesOf(paid.length, SAGE_PAGE);
        letteredPages += pagesOf(lettered, SAGE_PAGE);
      }
      const readsTaxes = (emulator.stats.byOperation["taxes"] ?? 0) > 0;
      const anyPaid = invoices.some((invoice) => invoice.payments.length > 0);
      const settings = 1 + (anyPaid ? 1 : 0) + (readsTaxes ? 1 : 0);
      return {
        calls: pages.length + postingPages + letteredPages + settings,
        formula: [
          `${pages.length} = ceil(${formatCount(invoices.length)} invoices / ${SAGE_PAGE}) pages of salesInvoices`,
          `+ ${postingPages} pages of accountingEntries: per invoice page, ceil(paid invoices / ${SAGE_PAGE})`,
          `+ ${letteredPages} pages of accountingEntryPayments: per invoice page, ceil((paid invoices + their payments) / ${SAGE_PAGE})`,
          "  (Sage lists no payments: they are the lines lettered with the invoice's posting entry)",
          `+ ${settings} one-off reads of settings: currency${anyPaid ? ", payment accounts" : ""}${readsTaxes ? ", taxes" : ""}`,
        ],
      };
    },
    recordPayment: (invoice, date) => {
      emulator.recordPayment(invoice.id, { date, amountCents: invoice.remainingCents });
    },
    close: () => server.close(),
  };
}

// ---- the two measurements --------------------------------------------------------------------

type Spent = ReturnType<TimeSplit["snapshot"]>;

/** The wall time, and where it went. */
function timeRows(wallMs: number, spent: Spent): Row[] {
  return [
    ["wall time", formatMs(wallMs)],
    ["  inside the emulator", formatMs(spent.emulator), "(the real service has its own latency)"],
    ["  waiting for the throttle", formatMs(spent.throttle), "(nothing at the emulator meanwhile)"],
    ["  client and HTTP", formatMs(spent.client)],
  ];
}

async function backfill(target: ProviderUnderTest, book: Book): Promise<readonly Invoice[]> {
  target.resetTraffic();
  const run = await timed(async () => {
    const pages: InvoicePage[] = [];
    let cursor: string | null = null;
    do {
      const page: InvoicePage = await target.provider.listInvoices({
        cursor,
        limit: target.maxPageSize,
      });
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor !== null);
    return pages;
  });
  const spent = target.time.snapshot();
  const pages = run.value;
  const invoices = pages.flatMap((page) => page.items);
  const traffic = target.traffic();
  const minimum = target.minimumBackfillCalls(pages);
  const rate = target.allowedPerSecond;
  const floorMs = (minimum.calls / rate) * 1000;
  const expected = book.invoices.length;

  const rows: Row[] = [
    ["invoices fetched", checked(invoices.length, expected, "(the book's count)")],
    [
      "  distinct",
      checked(new Set(invoices.map((invoice) => invoice.id)).size, expected, "(the book's count)"),
    ],
    ["pages", formatCount(pages.length), `of up to ${target.maxPageSize}`],
    ["API calls made", formatCount(traffic.calls), "(per endpoint below)"],
    ["minimum calls for this data", formatCount(minimum.calls), "(formula below)"],
    ["calls / minimum", formatRatio(traffic.calls, minimum.calls)],
    ...timeRows(run.ms, spent),
    ["rate-limit floor", formatMs(floorMs), `= ${minimum.calls} minimum calls / ${rate} req/s`],
    [
      "wall time / floor",
      formatRatio(run.ms, floorMs),
      targetNote(`<= ${FLOOR_TARGET}x`, run.ms <= floorMs * FLOOR_TARGET),
    ],
    ["429s received", formatCount(traffic.rateLimited), targetNote("0", traffic.rateLimited === 0)],
    ["busiest window", traffic.busiestWindow],
  ];
  if (pages.every((page) => page.paymentsIncluded)) {
    const withPayments = invoices.filter((invoice) => invoice.payments.length > 0).length;
    rows.push(["invoices with payments", formatCount(withPayments), "(read with their page)"]);
  } else {
    // Not fetched here: the sync reads them in a background phase, at the limit.
    const needingPayments = invoices.filter((invoice) => invoice.paidCents !== 0).length;
    rows.push(
      ["payments in the list", "no", "(paymentsIncluded: false)"],
      ["invoices needing a payment call", formatCount(needingPayments), "(money received on them)"],
      [
        "  time for those calls at the limit",
        formatMs((needingPayments / rate) * 1000),
        `= ${formatCount(needingPayments)} calls / ${rate} req/s, the sync's background phase`,
      ],
    );
  }
  const emulatorMsPerCall = spent.emulator / Math.max(1, traffic.calls);
  const spacingMs = 1000 / rate;
  printTable(`${target.title}: backfill of the book`, rows, [
    `calls per endpoint: ${traffic.breakdown}`,
    "minimum calls:",
    ...minimum.formula.map((line) => `  ${line}`),
    ...(emulatorMsPerCall > spacingMs
      ? [
          `the emulator took ${formatMs(emulatorMsPerCall)} per call, more than the limit's spacing of ${formatMs(spacingMs)}:`,
          "  pages are read one after the other (each needs the previous cursor), so no client",
          "  can reach the floor against it; the calls and the throttle's share are the client's part",
        ]
      : []),
  ]);
  return invoices;
}

async function incrementalSync(
  target: ProviderUnderTest,
  backfilled: readonly Invoice[],
): Promise<void> {
  const syncJob = target.newClient();
  const { cursor: before } = await syncJob.listChanges(null);
  const payable = backfilled.filter(
    (invoice) =>
      !invoice.isDraft &&
      !invoice.isCreditNote &&
      !invoice.isCancelled &&
      invoice.remainingCents > 0,
  );
  const paid = pickDistinct(payable, CHANGED_INVOICES, seededRandom(PICK_SEED));
  const today = parisDateOf(new Date());
  for (const invoice of paid) target.recordPayment(invoice, today);
  const paidIds = new Set(paid.map((invoice) => invoice.id));

  target.resetTraffic();
  const feed = await timed(async () => {
    const changed = new Set<string>();
    let cursor = before;
    let rounds = 0;
    for (;;) {
      const page = await syncJob.listChanges(cursor, { limit: 1000 });
      rounds += 1;
      for (const change of page.changes)
        if (change.kind === "invoice" && change.operation === "upsert") changed.add(change.id);
      cursor = page.cursor;
      if (!page.hasMore) return { changed, rounds };
    }
  });
  const feedCalls = target.traffic().calls;
  const reads = await timed(async () => {
    const refreshed: Invoice[] = [];
    for (const id of feed.value.changed) refreshed.push(await syncJob.getInvoice(id));
    return refreshed;
  });
  const spent = target.time.snapshot();
  const traffic = target.traffic();
  const { changed, rounds } = feed.value;
  const missed = [...paidIds].filter((id) => !changed.has(id)).length;
  const unchanged = [...changed].filter((id) => !paidIds.has(id)).length;
  const settled = reads.value.filter(
    (invoice) => paidIds.has(invoice.id) && invoice.remainingCents === 0,
  ).length;
  const rate = target.allowedPerSecond;

  printTable(
    `${target.title}: incremental sync after ${CHANGED_INVOICES} payments`,
    [
      [
        "changed invoices seen",
        checked(changed.size, CHANGED_INVOICES, "distinct invoices"),
        `(${rounds} listChanges round${rounds === 1 ? "" : "s"})`,
      ],
      ["  paid but not reported", checked(missed, 0, "")],
      ["  reported but not paid", checked(unchanged, 0, "")],
      ["  read back as settled", checked(settled, paidIds.size, "settled invoices")],
      ["API calls: change feed", formatCount(feedCalls)],
      ["API calls: invoice reads", formatCount(traffic.calls - feedCalls), "(getInvoice each)"],
      ["API calls: total", formatCount(traffic.calls), "(per endpoint below)"],
      [
        "calls per change",
        (traffic.calls / Math.max(1, changed.size)).toFixed(2),
        "(target O(changes), whatever the book's size)",
      ],
      ["time: change feed", formatMs(feed.ms)],
      ["time: invoice reads", formatMs(reads.ms)],
      ...timeRows(feed.ms + reads.ms, spent),
      [
        "rate-limit floor for these calls",
        formatMs((traffic.calls / rate) * 1000),
        `= ${traffic.calls} calls / ${rate} req/s`,
      ],
      [
        "429s received",
        formatCount(traffic.rateLimited),
        targetNote("0", traffic.rateLimited === 0),
      ],
    ],
    [
      `calls per endpoint: ${traffic.breakdown}`,
      "the reads use a new client, as a scheduled sync job would: nothing cached from the backfill",
    ],
  );
}

async function benchmarkProvider(
  connect: (book: Book) => Promise<ProviderUnderTest>,
  book: Book,
): Promise<void> {
  const target = await connect(book);
  try {
    printTable(`${target.title} (${target.limitText})`, [
      ["emulator loaded with the book in", formatMs(target.loadMs), "(setup, not measured)"],
      ["served at", target.url],
    ]);
    const invoices = await backfill(target, book);
    await incrementalSync(target, invoices);
  } finally {
    await target.close();
  }
}

const PARTS = { pennylane, "sage-active": sageActive } as const;
type Part = keyof typeof PARTS;
const isPart = (name: string): name is Part => name in PARTS;

export const providersBenchmark: BenchmarkModule = {
  name: "providers",
  description: `provider clients: backfill of ${formatCount(BOOK_SIZE.invoices)} invoices, incremental sync of ${CHANGED_INVOICES} payments`,
  parts: Object.keys(PARTS),
  async run(parts) {
    const selected = (parts.length > 0 ? parts : Object.keys(PARTS)).filter(isPart);
    const today = parisDateOf(new Date());
    const generated = timedSync(() => generateBook({ ...BOOK_SIZE, today }));
    const book = generated.value;
    printTable("Seed book", [
      ["companies", formatCount(book.companies.length)],
      ["documents (invoices, credit notes, drafts)", formatCount(book.invoices.length)],
      ["as of", book.today],
      ["generated in", formatMs(generated.ms)],
      ["resident memory then", formatBytes(peakRss.sample())],
    ]);
    for (const part of selected) await benchmarkProvider(PARTS[part], book);
  },
};
