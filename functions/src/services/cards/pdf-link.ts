/**
 * `GET /v1/invoices/:invoiceId/pdf-link`: a fresh link to the invoice's PDF, asked of the
 * provider each time (provider links expire: Pennylane's after 30 minutes) and never stored.
 */
import { parisDateOf } from "@encaisse/shared";
import type { z } from "zod";
import type { pdfLinkResponseSchema } from "@encaisse/shared/contracts";
import type { Backend } from "../../backend";
import type { HubSpotCaller } from "../../http/hubspot-auth";
import { requireProvider, requireTenantInvoice } from "./tenant-invoice";

export type PdfLinkResponse = z.infer<typeof pdfLinkResponseSchema>;

export async function invoicePdfLink(
  backend: Backend,
  caller: HubSpotCaller,
  invoiceId: string,
): Promise<PdfLinkResponse> {
  const tenant = await backend.tenant(caller.portalId);
  const provider = await requireProvider(backend, tenant);
  await requireTenantInvoice(backend.repos, {
    tenantId: tenant.tenantId,
    provider: provider.provider,
    invoiceId,
    today: parisDateOf(new Date(backend.clock.now())),
  });
  const link = await provider.getPdfLink(invoiceId);
  return { url: link.url, expiresAt: link.expiresAt };
}
