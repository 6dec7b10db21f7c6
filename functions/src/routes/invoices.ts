/**
 * Invoice from a deal (flow 2), called by the deal card with `hubspot.fetch`. Both routes sit
 * behind the signed-v3 middleware (app.ts): the tenant is the portal HubSpot signed and the
 * actor the HubSpot user it named. Inputs are parsed with the shared contracts first, so bad
 * input is refused (VALIDATION_FAILED) before anything is read or written.
 *
 * - `GET  /v1/deals/:dealId/invoice-preview`  what the invoice would be (or why not yet)
 * - `POST /v1/deals/:dealId/invoices`         create it, exactly once per deal: 201 when this
 *   request created it, 200 with `created: false` when the deal was already invoiced
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { z } from "zod";
import { DomainError } from "@encaisse/shared";
import { createInvoiceRequestSchema } from "@encaisse/shared/contracts";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";
import { createInvoiceForDeal } from "../services/invoicing/create-invoice";
import { previewInvoiceForDeal } from "../services/invoicing/preview";

const dealParamsSchema = z.object({
  dealId: z.string().regex(/^\d{1,20}$/, "Expected a numeric HubSpot deal id."),
});

export function invoiceRoutes(backend: Backend): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();

  routes.get("/v1/deals/:dealId/invoice-preview", async (c) => {
    const { dealId } = dealParamsSchema.parse({ dealId: c.req.param("dealId") });
    // The same overrides as the create, so the card can preview what it is about to send.
    const overrides = createInvoiceRequestSchema.parse({
      mode: c.req.query("mode"),
      operationNature: c.req.query("operationNature"),
    });
    const tenant = await backend.tenant(c.get("hubspotCaller").portalId);
    return c.json(await previewInvoiceForDeal(backend, { tenant, dealId, ...overrides }));
  });

  routes.post("/v1/deals/:dealId/invoices", async (c) => {
    const receivedAt = backend.clock.now();
    const { dealId } = dealParamsSchema.parse({ dealId: c.req.param("dealId") });
    const overrides = createInvoiceRequestSchema.parse(jsonBody(c));
    const caller = c.get("hubspotCaller");
    const tenant = await backend.tenant(caller.portalId);
    const answer = await createInvoiceForDeal(backend, {
      tenant,
      dealId,
      actorUserId: caller.userId,
      ...overrides,
      receivedAt,
    });
    return c.json(answer, answer.created ? 201 : 200);
  });

  return routes;
}

/** The body the signature was checked over; no body means no overrides. */
function jsonBody(c: Context<AppEnv>): unknown {
  const raw = c.get("rawBody");
  if (raw.trim() === "") return {};
  try {
    return JSON.parse(raw);
  } catch {
    throw new DomainError("VALIDATION_FAILED", "The request body is not valid JSON.", {
      fields: [{ field: "", message: "Expected a JSON object." }],
    });
  }
}
