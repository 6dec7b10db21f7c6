/**
 * The card API's latency, server side and in-process: the real app (`app.request`) over the
 * embedded store, with HubSpot and Pennylane emulated by msw, for a customer with 200
 * invoices (a book of one customer and 200 documents).
 *
 * 1. fresh: ~200 card views while the read model is within the freshness window. Target
 *    p95 < 50 ms, and no provider call at all.
 * 2. stale: card views of data older than the window, against Pennylane answering 80 ms
 *    late: provider calls per view and p50/p95. Views are paced to Pennylane's published
 *    25 requests / 5 s, so the figures are a view's own cost and not the throttle's queue.
 *
 * Before either, a first view links the company and syncs the customer (its figures are
 * printed too: listing the invoices and asking each paid one for its payments).
 * Figures are printed, never asserted.
 */
import { parisDateOf } from "@encaisse/shared";
import { cardInvoicesResponseSchema } from "@encaisse/shared/contracts";
import { cardContextOf } from "../../functions/src/services/cards/context";
import { type BackendHarness, PORTAL_ID, startBackendHarness } from "../backend/harness";
import { generateBook } from "../fixtures/generate";
import {
  type BenchmarkModule,
  type Row,
  checked,
  formatCount,
  formatMs,
  printTable,
  targetNote,
  timed,
} from "./support";

const INVOICES = 200;
const FRESH_VIEWS = 200;
const STALE_VIEWS = 40;
const PROVIDER_LATENCY_MS = 80;
const FRESH_P95_TARGET_MS = 50;
/** Pennylane's 25 requests / 5 s, as a pace for views of 3 requests. */
const STALE_VIEW_PACE_MS = 650;

interface World {
  readonly harness: BackendHarness;
  readonly companyId: string;
  readonly customerId: string;
}

let requestNumber = 0;

/** One card view as HubSpot sends it; the (ignored) `call` keeps signatures distinct. */
async function view(
  world: Pick<World, "harness" | "companyId">,
  extra: Record<string, string> = {},
): Promise<{ ms: number; stale: boolean; state: string }> {
  requestNumber += 1;
  const query = new URLSearchParams({
    objectType: "companies",
    objectId: world.companyId,
    call: String(requestNumber),
    ...extra,
  });
  const { value: response, ms } = await timed(() =>
    world.harness.signedFetch("GET", `/v1/cards/invoices?${query.toString()}`),
  );
  const body = cardInvoicesResponseSchema.parse(await response.json());
  return { ms, state: body.state, stale: body.state === "ok" && body.freshness.stale };
}

function percentile(sortedMs: readonly number[], share: number): number {
  const index = Math.min(sortedMs.length - 1, Math.ceil(share * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? 0;
}

function latencyRows(samples: readonly number[], p95Target?: number): Row[] {
  const sorted = [...samples].sort((a, b) => a - b);
  const p95 = percentile(sorted, 0.95);
  const note =
    p95Target === undefined ? undefined : targetNote(`< ${p95Target} ms`, p95 < p95Target);
  return [
    ["p50", formatMs(percentile(sorted, 0.5))],
    note === undefined ? ["p95", formatMs(p95)] : ["p95", formatMs(p95), note],
    ["max", formatMs(sorted.at(-1) ?? 0)],
  ];
}

const breakdown = (
  before: Readonly<Record<string, number>>,
  after: Readonly<Record<string, number>>,
) =>
  Object.entries(after)
    .map(([endpoint, count]) => [endpoint, count - (before[endpoint] ?? 0)] as const)
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1])
    .map(([endpoint, count]) => `${endpoint} ${formatCount(count)}`)
    .join(", ");

/** The harness with the 200-invoice customer linked and synced by a first card view. */
async function linkedAndSynced(): Promise<World> {
  const book = generateBook({ companies: 1, invoices: INVOICES, today: parisDateOf(new Date()) });
  const harness = await startBackendHarness({ book });
  const companyId = harness.companyIds[book.companies[0]?.key ?? ""] ?? "";
  const cards = cardContextOf(harness.backend);
  // The first sync asks every paid invoice for its payments, at Pennylane's pace: let it finish.
  cards.configure({ refreshBudgetMs: 600_000 });
  const calls = harness.pennylane.stats.totalRequests;
  const first = await view({ harness, companyId }, { pageSize: "100" });
  await cards.refresher.idle();
  cards.configure({ refreshBudgetMs: 2_000 });
  const link = await harness.backend.repos.customerLinks.byCompany(PORTAL_ID, companyId);
  if (link === null || first.state !== "ok") throw new Error("The company was not linked.");
  printTable(`First view of the customer (link, then sync of ${INVOICES} documents)`, [
    ["wall time", formatMs(first.ms)],
    ["provider calls", formatCount(harness.pennylane.stats.totalRequests - calls)],
    ["matched by", link.matchedBy],
  ]);
  return { harness, companyId, customerId: link.providerCustomerId };
}

async function fresh(): Promise<void> {
  const world = await linkedAndSynced();
  const { harness } = world;
  try {
    for (let warmUp = 0; warmUp < 10; warmUp += 1) await view(world);
    const providerCalls = harness.pennylane.stats.totalRequests;
    const hubspotCalls = harness.hubspot.stats.totalRequests;
    const samples: number[] = [];
    let stale = 0;
    for (let index = 0; index < FRESH_VIEWS; index += 1) {
      const measured = await view(world);
      samples.push(measured.ms);
      if (measured.stale) stale += 1;
    }
    printTable(
      `Fresh read model: ${FRESH_VIEWS} card views (page of 10, summary over ${INVOICES} documents)`,
      [
        ...latencyRows(samples, FRESH_P95_TARGET_MS),
        [
          "provider calls",
          checked(harness.pennylane.stats.totalRequests - providerCalls, 0, "provider calls"),
        ],
        ["HubSpot calls", formatCount(harness.hubspot.stats.totalRequests - hubspotCalls)],
        ["views served stale", checked(stale, 0, "stale views")],
      ],
      ["in-process: signed request -> app.request -> JSON, embedded store (PGlite)"],
    );
  } finally {
    await cardContextOf(harness.backend).refresher.idle();
    await harness.close();
  }
}

async function stale(): Promise<void> {
  const world = await linkedAndSynced();
  const { harness } = world;
  const cards = cardContextOf(harness.backend);
  try {
    // Let the first sync's requests leave Pennylane's 5-second window before measuring.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    harness.pennylane.faults.latencyMs = PROVIDER_LATENCY_MS;
    const before = harness.pennylane.stats;
    const samples: number[] = [];
    let servedStale = 0;
    for (let index = 0; index < STALE_VIEWS; index += 1) {
      // Synced an hour ago: older than the default 5-minute window.
      await harness.backend.repos.readModel.markFresh(
        PORTAL_ID,
        "pennylane",
        world.customerId,
        new Date(Date.now() - 3_600_000),
      );
      const started = performance.now();
      const measured = await view(world);
      samples.push(measured.ms);
      if (measured.stale) servedStale += 1;
      await cards.refresher.idle();
      const pause = STALE_VIEW_PACE_MS - (performance.now() - started);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
    const after = harness.pennylane.stats;
    const calls = after.totalRequests - before.totalRequests;
    printTable(
      `Stale read model, Pennylane ${PROVIDER_LATENCY_MS} ms late: ${STALE_VIEWS} card views, nothing changed since`,
      [
        ...latencyRows(samples),
        ["provider calls per view", (calls / STALE_VIEWS).toFixed(1)],
        ["views served stale (budget 2 s exceeded)", formatCount(servedStale)],
      ],
      [
        `calls: ${breakdown(before.byEndpoint, after.byEndpoint)}`,
        `views paced ${STALE_VIEW_PACE_MS} ms apart (Pennylane allows 25 requests / 5 s per token)`,
      ],
    );

    // One payment arrived since the last sync: one more call, for that invoice's payments.
    const open = [...harness.pennylane.ledger.invoices.values()].find(
      (invoice) =>
        !invoice.draft &&
        !invoice.creditNote &&
        harness.pennylane.ledger.stateOf(invoice).remainingWithTaxCents > 100,
    );
    if (open !== undefined) {
      harness.pennylane.recordPayment(open.id, {
        date: parisDateOf(new Date()),
        amountCents: 100,
        label: "Virement",
      });
      await harness.backend.repos.readModel.markFresh(
        PORTAL_ID,
        "pennylane",
        world.customerId,
        new Date(Date.now() - 3_600_000),
      );
      const beforePayment = harness.pennylane.stats;
      const measured = await view(world);
      const afterPayment = harness.pennylane.stats;
      printTable(
        "Stale view after one payment was recorded in Pennylane",
        [
          ["latency", formatMs(measured.ms)],
          ["provider calls", formatCount(afterPayment.totalRequests - beforePayment.totalRequests)],
        ],
        [`calls: ${breakdown(beforePayment.byEndpoint, afterPayment.byEndpoint)}`],
      );
    }
  } finally {
    harness.pennylane.faults.reset();
    await cards.refresher.idle();
    await harness.close();
  }
}

const PARTS: Readonly<Record<string, () => Promise<void>>> = { fresh, stale };

export const cardsBenchmark: BenchmarkModule = {
  name: "cards",
  description: `card API latency for a customer with ${INVOICES} invoices: fresh read model, stale with Pennylane ${PROVIDER_LATENCY_MS} ms late`,
  parts: Object.keys(PARTS),
  async run(parts) {
    for (const part of parts.length > 0 ? parts : Object.keys(PARTS)) await PARTS[part]?.();
  },
};
