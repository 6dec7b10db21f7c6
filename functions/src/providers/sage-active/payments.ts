/**
 * Payments of invoices. Sage has no "sales payments" list (reference §5.2): a settlement
 * books a bank (or cash) entry whose customer line is matched — "lettered", one `matchId`
 * per group — with the customer line of the invoice's posting entry. So an invoice's
 * payments are the other lines of its match group: posting entry -> its customer line's
 * `matchId` -> every line carrying that `matchId`, minus the posting entry's own.
 * Two queries per page of invoices, whatever the page size.
 */
import { type Payment, type PaymentMethod, parseCents } from "@encaisse/shared";
import { ProviderError } from "../errors";
import type { SageGraphql } from "./graphql";
import { collectPages } from "./pagination";
import { MATCHED_ENTRY_LINES, POSTING_ENTRIES_OF_INVOICES } from "./queries";
import type { PaymentAccountKind, SageReferenceData } from "./reference-data";
import {
  matchedEntryLinesDataSchema,
  postingEntriesDataSchema,
  type SageMatchedEntryPayment,
} from "./schemas";

/** Ids per `in` filter: keeps each query well under Sage's complexity limit. */
const IDS_PER_QUERY = 100;

function chunks<T>(values: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let index = 0; index < values.length; index += size) {
    result.push(values.slice(index, index + size));
  }
  return result;
}

type MatchedLine = NonNullable<SageMatchedEntryPayment["accountingEntryLine"]>;

function methodOf(
  entry: MatchedLine["accountingEntry"],
  accounts: ReadonlyMap<string, PaymentAccountKind>,
): PaymentMethod {
  // A credit note's posting entry lettered against the invoice.
  if (entry?.sourceType === "SALES") return "credit_note";
  const kind = entry?.journalTypeId ? accounts.get(entry.journalTypeId) : undefined;
  if (kind === "CASH") return "cash";
  // Sage records bank receipts without their means (transfer, card, direct debit…).
  if (kind === "BANK_ACCOUNT") return "transfer";
  return "other";
}

function toPayment(
  line: MatchedLine,
  accounts: ReadonlyMap<string, PaymentAccountKind>,
): Payment | null {
  const amountCents = parseCents(line.creditAmount ?? "0") - parseCents(line.debitAmount ?? "0");
  if (amountCents === 0) return null;
  const entry = line.accountingEntry;
  if (!entry?.date) {
    throw new ProviderError(
      "PROVIDER_RESPONSE_INVALID",
      "A Sage Active payment came without a date.",
      {
        provider: "sage_active",
        details: { accountingEntryLineId: line.id },
      },
    );
  }
  return {
    id: line.id,
    date: entry.date,
    amountCents,
    method: methodOf(entry, accounts),
    label: line.description ?? entry.description ?? entry.documentNumber ?? null,
  };
}

/** Payments per invoice id (every id present, possibly with no payment), oldest first. */
export async function paymentsOfInvoices(
  graphql: SageGraphql,
  referenceData: SageReferenceData,
  invoiceIds: readonly string[],
): Promise<Map<string, Payment[]>> {
  const payments = new Map<string, Payment[]>(invoiceIds.map((id) => [id, []]));
  const invoiceOfMatch = new Map<string, string>();
  const postingLineIds = new Set<string>();
  for (const ids of chunks([...new Set(invoiceIds)], IDS_PER_QUERY)) {
    const entries = await collectPages(
      async (after) =>
        (
          await graphql.run(
            POSTING_ENTRIES_OF_INVOICES,
            { invoiceIds: ids, first: 500, after },
            postingEntriesDataSchema,
          )
        ).accountingEntries,
    );
    for (const entry of entries) {
      const invoiceId = entry.salesInvoice?.id;
      for (const line of entry.accountingEntryLines ?? []) {
        postingLineIds.add(line.id);
        const matchId = line.accountingEntryPayment?.matchId;
        if (invoiceId && matchId) invoiceOfMatch.set(matchId, invoiceId);
      }
    }
  }
  if (invoiceOfMatch.size === 0) return payments;
  const accounts = await referenceData.paymentAccounts();
  for (const matchIds of chunks([...invoiceOfMatch.keys()], IDS_PER_QUERY)) {
    const matched = await collectPages(
      async (after) =>
        (
          await graphql.run(
            MATCHED_ENTRY_LINES,
            { matchIds, first: 500, after },
            matchedEntryLinesDataSchema,
          )
        ).accountingEntryPayments,
    );
    for (const node of matched) {
      const line = node.accountingEntryLine;
      const invoiceId = node.matchId ? invoiceOfMatch.get(node.matchId) : undefined;
      if (!line || !invoiceId || postingLineIds.has(line.id)) continue;
      const payment = toPayment(line, accounts);
      if (payment) payments.get(invoiceId)?.push(payment);
    }
  }
  for (const list of payments.values()) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : 1));
  }
  return payments;
}
