/**
 * How the invoice table's sorting and pagination map onto the API's `sort`, `order` and
 * `page` parameters, and which tag colour a status or a risk level takes.
 */
import type { InvoiceStatus, PaymentRisk } from "@encaisse/shared";
import type { CardInvoicesQuery } from "@encaisse/shared/contracts";

export type InvoiceSort = CardInvoicesQuery["sort"];
export type SortOrder = CardInvoicesQuery["order"];
export type SortDirection = "ascending" | "descending" | "none";

export interface InvoiceOrder {
  readonly sort: InvoiceSort;
  readonly order: SortOrder;
}

/** Newest first, as the API does by default. */
export const DEFAULT_INVOICE_ORDER: InvoiceOrder = { sort: "issueDate", order: "desc" };

export function sortDirectionOf(column: InvoiceSort, current: InvoiceOrder): SortDirection {
  if (column !== current.sort) return "none";
  return current.order === "asc" ? "ascending" : "descending";
}

/** Clearing a column's sort goes back to the default order. */
export function orderAfterSortChange(column: InvoiceSort, direction: SortDirection): InvoiceOrder {
  if (direction === "none") return DEFAULT_INVOICE_ORDER;
  return { sort: column, order: direction === "ascending" ? "asc" : "desc" };
}

export function pageCountOf(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

export type TagVariant = "danger" | "warning" | "info" | "success" | "default";

const STATUS_VARIANTS: Record<InvoiceStatus, TagVariant> = {
  overdue: "danger",
  partially_paid: "warning",
  open: "info",
  paid: "success",
  draft: "default",
  cancelled: "default",
  credit_note: "info",
};

export function statusVariant(status: InvoiceStatus): TagVariant {
  return STATUS_VARIANTS[status];
}

const RISK_VARIANTS: Record<PaymentRisk, TagVariant> = {
  low: "success",
  medium: "warning",
  high: "danger",
};

export function riskVariant(risk: PaymentRisk): TagVariant {
  return RISK_VARIANTS[risk];
}
