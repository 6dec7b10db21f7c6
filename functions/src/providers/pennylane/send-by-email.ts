/**
 * POST /customer_invoices/{id}/send_by_email — Pennylane emails a finalized invoice to the
 * customer's invoicing addresses (no `recipients`: the customer's own), with the PDF.
 * https://pennylane.readme.io/reference/sendbyemailcustomerinvoice
 *
 * 204 means the email is on its way; 409 means the PDF is still being generated (a just
 * finalized invoice). A write, so never retried blindly: a 5xx may hide a sent email.
 */
import { z } from "zod";
import type { PennylaneApi } from "./api";

export async function sendInvoiceByEmail(api: PennylaneApi, invoiceId: string): Promise<void> {
  await api.write(
    "POST",
    `customer_invoices/${encodeURIComponent(invoiceId)}/send_by_email`,
    z.null(),
  );
}
