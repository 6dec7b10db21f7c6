/**
 * Invoice from a deal: what one click on "Create invoice" costs in calls to the accounting
 * software and to HubSpot, per endpoint, next to the fewest calls the APIs' contracts allow.
 *
 * The real app runs in process with HubSpot, Pennylane and Sage Active emulated (msw, the
 * published rate limits enforced), as in the backend tests; 20 deals are invoiced one after
 * the other, as reps click:
 *
 * - 8 deals of companies not linked yet, whose customer exists (found by SIREN, then linked);
 * - 4 more deals of those companies, linked by then, as drafts;
 * - 4 deals of linked companies, finalized (numbered) at once;
 * - 4 deals of companies the accounting software does not know (the customer is created);
 * - then a second click on each of the 20, which must cost nothing.
 *
 * Figures are printed, never asserted; a category above its minimum says MISSED and the
 * footnotes say where the extra calls come from.
 */
import { generateBook } from "../fixtures/generate";
import { type BackendHarness, PORTAL_ID, startBackendHarness } from "../backend/harness";
import {
  createInvoice,
  newCompany,
  newWonDeal,
  seededFrenchCompany,
  seededWonDeal,
} from "../backend/invoice-support";
import { type BenchmarkModule, type Row, formatMs, printTable, targetNote } from "./support";

type ProviderPart = "pennylane" | "sage-active";
type Term = readonly [call: string, count: number];

interface Category {
  readonly title: string;
  readonly deals: number;
  readonly mode: "draft" | "finalized";
  /** The deal of one click, made (or picked from the seed) before the clock starts. */
  readonly dealFor: (harness: BackendHarness) => string;
  /** The fewest provider requests one invoice of this category needs, term by term. */
  readonly providerMinimum: readonly Term[];
}

interface ProviderFacts {
  readonly name: string;
  /** Requests to the provider, and the breakdown to print (endpoints or GraphQL root fields). */
  readonly requests: (harness: BackendHarness) => number;
  readonly breakdown: (harness: BackendHarness) => Readonly<Record<string, number>>;
  readonly breakdownTitle: string;
  readonly lookupInvoice: Term;
  readonly createInvoice: readonly Term[];
  readonly numberInvoice: readonly Term[];
  readonly findCustomer: Term;
  readonly createCustomer: Term;
  /** Where the calls above the minimum come from. */
  readonly extraCalls: readonly string[];
}

/**
 * The deal read can carry both association lists (`associations=` on the v3 object read);
 * the line items come in one batch read, the company in one read, the write in one batch.
 */
const HUBSPOT_MINIMUM: readonly Term[] = [
  ["GET /crm/v3/objects/deals/{id}?associations=companies,line_items", 1],
  ["POST /crm/v3/objects/line_items/batch/read", 1],
  ["GET /crm/v3/objects/companies/{id}", 1],
  ["POST /crm/v3/objects/deals/batch/update", 1],
];

const HUBSPOT_EXTRA_CALLS = [
  "HubSpot: the client reads the deal's companies and line items through two v4 association",
  "  calls (functions/src/hubspot/crm.ts getDealForInvoicing) where `associations=companies,",
  "  line_items` on the deal read would carry both: 2 requests per invoice above the minimum.",
];

const PROVIDERS: Readonly<Record<ProviderPart, ProviderFacts>> = {
  pennylane: {
    name: "Pennylane",
    requests: (harness) => harness.pennylane.stats.totalRequests,
    breakdown: (harness) => harness.pennylane.stats.byEndpoint,
    breakdownTitle: "by endpoint",
    lookupInvoice: ["GET /customer_invoices?filter=external_reference", 1],
    // The POST's answer carries the number, amounts and status.
    createInvoice: [["POST /customer_invoices", 1]],
    // `draft: false` in the same POST numbers it.
    numberInvoice: [],
    findCustomer: ["GET /customers?filter=reg_no", 1],
    createCustomer: ["POST /company_customers", 1],
    extraCalls: [
      "Pennylane, every invoice: a GET /customers after the POST, where the client reads back the",
      "  name of the customer we just billed (providers/pennylane/invoices.ts withCustomerName).",
      "Pennylane, first invoice of a company: the matcher asks GET /customers twice, by reg_no and",
      "  by external_reference (the API has no OR filter); the second is moot once the SIREN matched.",
      "Pennylane, new customer: the create looks our reference up again (GET /customers) right",
      "  after the matcher looked for it.",
      "The deal's invoice is looked up once, by the provider's find-or-create (createInvoice looks",
      "  the reference up before posting); the backend adds no look-up of its own.",
    ],
  },
  "sage-active": {
    name: "Sage Active",
    requests: (harness) => harness.sage.stats.requests,
    breakdown: (harness) => harness.sage.stats.byOperation,
    breakdownTitle: "GraphQL root fields, by name",
    lookupInvoice: ["salesInvoices (by externalReference)", 1],
    // The mutation answers the id only: one read gives totals, status and number.
    createInvoice: [
      ["createSalesInvoice", 1],
      ["salesInvoices (by id)", 1],
    ],
    numberInvoice: [
      ["closeSalesInvoice", 1],
      ["postSalesInvoice", 1],
    ],
    findCustomer: ["customers (by SIREN)", 1],
    createCustomer: ["createCustomer", 1],
    extraCalls: [
      "Sage Active, every invoice: reference data of the organization (the VAT products, one per",
      "  VAT code of the deal, created on first use; its currency; for numbering, the sales",
      "  journal). The client caches it, but the backend builds a client per request",
      "  (functions/src/backend.ts provider()), so every invoice reads it again; a cache per",
      "  organization would bring these to zero. Not counted in the minimum.",
      "Sage Active, numbering: the client reads the invoice after close and after post (the",
      "  minimum reads it once, at the end).",
      "Sage Active, customers: the matcher and the create each look the customer up by SIREN and",
      "  by code.",
    ],
  },
};

function categories(facts: ProviderFacts, taken: Set<string>): Category[] {
  const linked: string[] = [];
  const invoiceMinimum = [facts.lookupInvoice, ...facts.createInvoice];
  const linkedCompany = (harness: BackendHarness) =>
    newWonDeal(harness, linked.shift() ?? seededFrenchCompany(harness, taken));
  return [
    {
      title: "company not linked yet, customer found by SIREN",
      deals: 8,
      mode: "draft",
      dealFor: (harness) => {
        const { dealId, companyId } = seededWonDeal(harness, taken);
        linked.push(companyId);
        return dealId;
      },
      providerMinimum: [facts.findCustomer, ...invoiceMinimum],
    },
    {
      title: "company already linked, draft",
      deals: 4,
      mode: "draft",
      dealFor: linkedCompany,
      providerMinimum: invoiceMinimum,
    },
    {
      title: "company already linked, finalized",
      deals: 4,
      mode: "finalized",
      dealFor: linkedCompany,
      providerMinimum: [...invoiceMinimum, ...facts.numberInvoice],
    },
    {
      title: "new company, customer created",
      deals: 4,
      mode: "draft",
      dealFor: (harness) => newWonDeal(harness, newCompany(harness)),
      providerMinimum: [facts.findCustomer, facts.createCustomer, ...invoiceMinimum],
    },
  ];
}

interface Snapshot {
  readonly providerRequests: number;
  readonly providerBreakdown: Readonly<Record<string, number>>;
  readonly hubspot: Readonly<Record<string, number>>;
  readonly hubspotRateLimited: number;
}

function snapshot(harness: BackendHarness, facts: ProviderFacts): Snapshot {
  return {
    providerRequests: facts.requests(harness),
    providerBreakdown: { ...facts.breakdown(harness) },
    hubspot: { ...harness.hubspot.stats.byEndpoint },
    hubspotRateLimited: harness.hubspot.stats.rateLimited,
  };
}

function difference(
  after: Readonly<Record<string, number>>,
  before: Readonly<Record<string, number>>,
): [string, number][] {
  return Object.entries(after)
    .map(([key, count]): [string, number] => [key, count - (before[key] ?? 0)])
    .filter(([, delta]) => delta > 0)
    .sort((a, b) => b[1] - a[1]);
}

const perInvoice = (count: number, invoices: number) => (count / invoices).toFixed(2);
const sumOf = (terms: readonly Term[]) => terms.reduce((sum, [, count]) => sum + count, 0);
const describeTerms = (terms: readonly Term[]) =>
  terms.map(([call, count]) => `${count} x ${call}`).join(" + ");

async function measure(part: ProviderPart): Promise<void> {
  const facts = PROVIDERS[part];
  const harness = await startBackendHarness({
    provider: part === "pennylane" ? "pennylane" : "sage_active",
    book: generateBook({ companies: 30, invoices: 300 }),
  });
  try {
    // What the install does: the deal properties the invoices are written to.
    await harness.backend.crm(PORTAL_ID).ensureEncaisseProperties();
    const taken = new Set<string>();
    const invoiced: string[] = [];
    for (const category of categories(facts, taken)) {
      const deals = Array.from({ length: category.deals }, () => category.dealFor(harness));
      const before = snapshot(harness, facts);
      const start = performance.now();
      for (const dealId of deals) {
        const answer = await createInvoice(harness, dealId, { mode: category.mode });
        if (answer.status !== 201) {
          throw new Error(`Deal ${dealId}: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
        invoiced.push(dealId);
      }
      const ms = performance.now() - start;
      const after = snapshot(harness, facts);
      const count = deals.length;
      const providerCalls = (after.providerRequests - before.providerRequests) / count;
      const hubspotCalls = difference(after.hubspot, before.hubspot);
      const hubspotTotal = hubspotCalls.reduce((sum, [, calls]) => sum + calls, 0) / count;
      const providerMinimum = sumOf(category.providerMinimum);
      const hubspotMinimum = sumOf(HUBSPOT_MINIMUM);
      const rows: Row[] = [
        [
          `${facts.name} requests`,
          providerCalls.toFixed(2),
          `minimum ${providerMinimum}; ${targetNote("minimum", providerCalls <= providerMinimum)}`,
        ],
        [`  ${facts.breakdownTitle}:`, ""],
        ...difference(after.providerBreakdown, before.providerBreakdown).map(
          ([key, calls]): Row => [`    ${key}`, perInvoice(calls, count)],
        ),
        [
          "HubSpot requests",
          hubspotTotal.toFixed(2),
          `minimum ${hubspotMinimum}; ${targetNote("minimum", hubspotTotal <= hubspotMinimum)}`,
        ],
        ...hubspotCalls.map(([key, calls]): Row => [`    ${key}`, perInvoice(calls, count)]),
        ["HubSpot 429s", String(after.hubspotRateLimited - before.hubspotRateLimited)],
        ["wall time per invoice", formatMs(ms / count)],
      ];
      printTable(
        `${facts.name}: ${category.title} (${count} invoices, ${category.mode}), per invoice`,
        rows,
        [
          `minimum ${facts.name}: ${describeTerms(category.providerMinimum)}`,
          `minimum HubSpot: ${describeTerms(HUBSPOT_MINIMUM)}`,
        ],
      );
    }

    const before = snapshot(harness, facts);
    for (const dealId of invoiced) {
      const answer = await createInvoice(harness, dealId);
      if (answer.status !== 200) throw new Error(`Second click on ${dealId}: ${answer.status}`);
    }
    const after = snapshot(harness, facts);
    const providerAgain = after.providerRequests - before.providerRequests;
    const hubspotAgain = difference(after.hubspot, before.hubspot).reduce((s, [, n]) => s + n, 0);
    printTable(
      `${facts.name}: second click on each of the ${invoiced.length} deals (already invoiced)`,
      [
        [`${facts.name} requests`, String(providerAgain), targetNote("0", providerAgain === 0)],
        ["HubSpot requests", String(hubspotAgain), targetNote("0", hubspotAgain === 0)],
      ],
      ["answered from the deal's idempotency key, created: false"],
    );
    console.log("");
    console.log("Where the calls above the minimum come from:");
    for (const line of [...facts.extraCalls, ...HUBSPOT_EXTRA_CALLS]) console.log(`  ${line}`);
    console.log(
      "  Wall time is mostly waiting for the published rate limits (Pennylane 25 requests / 5 s;",
    );
    console.log(
      "  HubSpot 110 / 10 s): at these rates every call above the minimum costs latency.",
    );
  } finally {
    await harness.close();
  }
}

export const invoicesBenchmark: BenchmarkModule = {
  name: "invoices",
  description:
    "invoice from a deal: provider and HubSpot calls per invoice, against the minimum the contracts allow",
  parts: ["pennylane", "sage-active"],
  async run(parts) {
    const chosen = parts.length > 0 ? parts : this.parts;
    for (const part of chosen) await measure(part as ProviderPart);
  },
};
