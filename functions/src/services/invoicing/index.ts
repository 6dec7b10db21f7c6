/** Invoice from a deal (flow 2): start at create-invoice.ts. */
export {
  type CreateInvoiceForDealRequest,
  type DealInvoicingOptions,
  type InvoicingStep,
  createInvoiceForDeal,
} from "./create-invoice";
export { type PreviewInvoiceForDealRequest, previewInvoiceForDeal } from "./preview";
export { dealPropertiesOf, writeInvoiceToDeal } from "./deal-write-back";
export { DEFAULT_OPERATION_NATURE, type InvoiceMode, type InvoiceOverrides } from "./draft";
export {
  DEFAULT_EXACTLY_ONCE_TIMING,
  type ExactlyOnceTiming,
  dealInvoiceKey,
} from "./exactly-once";
export { invoiceSummaryOf } from "./summary";
