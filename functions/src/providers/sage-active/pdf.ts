/**
 * Invoice PDFs. Sage Active exposes no download URL: `documentPdfPreview` answers the PDF
 * itself, base64-encoded (reference §4.7). `getPdfLink` therefore returns a `data:` URL
 * carrying the document; the route serving it to a browser should stream `getPdf`'s bytes
 * instead of handing out a multi-megabyte link.
 */
import type { Clock } from "../../net/clock";
import { ProviderError } from "../errors";
import type { PdfLink } from "../provider";
import type { SageGraphql } from "./graphql";
import { SALES_INVOICE_PDF } from "./queries";
import { invoicePdfDataSchema } from "./schemas";

/** How long a rendered PDF is offered before asking Sage again (it reflects the invoice then). */
const PDF_LINK_LIFETIME_MS = 30 * 60_000;

export interface InvoicePdf {
  readonly contentType: "application/pdf";
  readonly bytes: Uint8Array;
}

export async function fetchInvoicePdf(
  graphql: SageGraphql,
  invoiceId: string,
): Promise<InvoicePdf> {
  const data = await graphql.run(SALES_INVOICE_PDF, { id: invoiceId }, invoicePdfDataSchema);
  const bytes = Buffer.from(data.documentPdfPreview.pdfPreview, "base64");
  if (bytes.subarray(0, 5).toString("latin1") !== "%PDF-") {
    throw new ProviderError(
      "PROVIDER_RESPONSE_INVALID",
      "Sage Active returned something that is not a PDF.",
      {
        provider: "sage_active",
        details: { invoiceId },
      },
    );
  }
  return { contentType: "application/pdf", bytes: new Uint8Array(bytes) };
}

export async function invoicePdfLink(
  graphql: SageGraphql,
  clock: Clock,
  invoiceId: string,
): Promise<PdfLink> {
  const pdf = await fetchInvoicePdf(graphql, invoiceId);
  return {
    url: `data:${pdf.contentType};base64,${Buffer.from(pdf.bytes).toString("base64")}`,
    expiresAt: new Date(clock.now() + PDF_LINK_LIFETIME_MS).toISOString(),
  };
}
