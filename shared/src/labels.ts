/**
 * What an invoice status is called, in the words the card and the extension show. No zod
 * here: the extension imports this entry (`@encaisse/shared/labels`) on its own.
 */
import type { InvoiceStatus } from "./model";

export type LabelLanguage = "fr" | "en";

export const INVOICE_STATUS_LABELS: Readonly<
  Record<LabelLanguage, Readonly<Record<InvoiceStatus, string>>>
> = {
  fr: {
    draft: "Brouillon",
    open: "À payer",
    partially_paid: "Partiellement payée",
    paid: "Payée",
    overdue: "En retard",
    cancelled: "Annulée",
    credit_note: "Avoir",
  },
  en: {
    draft: "Draft",
    open: "Open",
    partially_paid: "Partially paid",
    paid: "Paid",
    overdue: "Overdue",
    cancelled: "Cancelled",
    credit_note: "Credit note",
  },
};
