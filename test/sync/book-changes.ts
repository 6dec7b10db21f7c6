/**
 * Changes made in the accounting software while Encaisse is not looking: money arriving,
 * a draft deleted, a credit note cancelling an invoice, an invoice created from a deal.
 */
import type { Invoice } from "@encaisse/shared";
import type { SyncHarness } from "./harness";
import { parisToday } from "./harness";

/** Unpaid, finalized invoices of distinct customers first (so several companies move). */
export function unpaidInvoices(truth: readonly Invoice[], count: number): Invoice[] {
  const unpaid = truth.filter(
    (invoice) =>
      invoice.remainingCents > 0 &&
      (invoice.status === "open" ||
        invoice.status === "overdue" ||
        invoice.status === "partially_paid"),
  );
  const seen = new Set<string>();
  const spread = unpaid.filter((invoice) => {
    if (seen.has(invoice.customerId)) return false;
    seen.add(invoice.customerId);
    return true;
  });
  return [...spread, ...unpaid.filter((invoice) => !spread.includes(invoice))].slice(0, count);
}

export function payInFull(h: SyncHarness, invoice: Invoice): void {
  const date = parisToday();
  if (h.providerName === "pennylane") {
    h.pennylane.recordPayment(Number(invoice.id), {
      date,
      amountCents: invoice.remainingCents,
      label: `Virement ${invoice.number ?? invoice.id}`,
    });
  } else {
    h.sage.recordPayment(invoice.id, { date, amountCents: invoice.remainingCents });
  }
}

/** Pennylane only: a finalized invoice, optionally filed under our reference for a deal. */
export function createPennylaneInvoice(
  h: SyncHarness,
  input: { customerId: string; unitPrice: string; quantity: number; externalReference?: string },
): number {
  const today = parisToday();
  const record = h.pennylane.ledger.createInvoice({
    date: today,
    deadline: today,
    customer_id: Number(input.customerId),
    draft: false,
    currency: "EUR",
    ...(input.externalReference ? { external_reference: input.externalReference } : {}),
    invoice_lines: [
      {
        label: "Prestation de conseil",
        quantity: input.quantity,
        raw_currency_unit_price: input.unitPrice,
        unit: "piece",
        vat_rate: "FR_200",
      },
    ],
  });
  return record.id;
}
