/**
 * The card API (flow 1): what the HubSpot record cards call with `hubspot.fetch`. Every
 * route sits behind the signed-v3 middleware (app.ts), so the caller and its portal come
 * from `hubspotCaller`; inputs are parsed with the shared contracts before anything runs,
 * so bad input is refused with VALIDATION_FAILED and writes nothing.
 *
 * - `GET  /v1/cards/invoices`                  the customer's invoices behind a record
 * - `POST /v1/cards/links`                     confirm a company <-> customer link
 * - `GET  /v1/invoices/:invoiceId/pdf-link`    a fresh PDF link from the provider
 * - `POST|DELETE /v1/invoices/:invoiceId/dunning-pause`   hold or resume the dunning plan
 */
import { Hono } from "hono";
import type { Context } from "hono";
import { DomainError } from "@encaisse/shared";
import { confirmLinkRequestSchema, dunningPauseRequestSchema } from "@encaisse/shared/contracts";
import type { AppEnv } from "../app";
import type { Backend } from "../backend";
import { cardInvoices } from "../services/cards/card-invoices";
import { cardLocale, cardRequestSchema } from "../services/cards/card-request";
import { confirmLink } from "../services/cards/confirm-link";
import { type CardOptions, cardContextOf } from "../services/cards/context";
import { pauseDunning, resumeDunning } from "../services/cards/dunning-pauses";
import { invoicePdfLink } from "../services/cards/pdf-link";
import { invoiceIdSchema } from "../services/cards/tenant-invoice";

export function cardRoutes(backend: Backend, options: Partial<CardOptions> = {}): Hono<AppEnv> {
  const cards = cardContextOf(backend, options);
  const routes = new Hono<AppEnv>();

  routes.get("/v1/cards/invoices", async (c) => {
    const request = cardRequestSchema.parse(c.req.query());
    const locale = cardLocale(request.locale, c.req.header("accept-language"));
    return c.json(
      await cardInvoices(backend, cards, { caller: c.get("hubspotCaller"), request, locale }),
    );
  });

  routes.post("/v1/cards/links", async (c) => {
    const request = confirmLinkRequestSchema.parse(jsonBody(c));
    return c.json(await confirmLink(backend, cards, c.get("hubspotCaller"), request));
  });

  routes.get("/v1/invoices/:invoiceId/pdf-link", async (c) => {
    const invoiceId = invoiceIdSchema.parse(c.req.param("invoiceId"));
    return c.json(await invoicePdfLink(backend, c.get("hubspotCaller"), invoiceId));
  });

  routes.post("/v1/invoices/:invoiceId/dunning-pause", async (c) => {
    const invoiceId = invoiceIdSchema.parse(c.req.param("invoiceId"));
    const request = dunningPauseRequestSchema.parse(jsonBody(c));
    return c.json(await pauseDunning(backend, c.get("hubspotCaller"), invoiceId, request));
  });

  routes.delete("/v1/invoices/:invoiceId/dunning-pause", async (c) => {
    const invoiceId = invoiceIdSchema.parse(c.req.param("invoiceId"));
    return c.json(await resumeDunning(backend, c.get("hubspotCaller"), invoiceId));
  });

  return routes;
}

/** The body the signature was checked over (the middleware kept it), as JSON. */
function jsonBody(c: Context<AppEnv>): unknown {
  const raw = c.get("rawBody");
  try {
    return JSON.parse(raw === "" ? "null" : raw);
  } catch {
    throw new DomainError("VALIDATION_FAILED", "The request body is not valid JSON.", {
      fields: [{ field: "", message: "Expected a JSON object." }],
    });
  }
}
