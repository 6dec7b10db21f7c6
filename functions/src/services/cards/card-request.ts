/**
 * What the card sends with `GET /v1/cards/invoices`, on top of the shared contract: two
 * optional hints taken from the card's `context.user`, since `hubspot.fetch` allows no
 * custom header and HubSpot signs only the portal, user id, email and app id.
 *
 * - `locale` (`context.user.locale`, e.g. "en-us"): the language of match explanations.
 *   French unless it (or, failing it, an `Accept-Language` header) starts with "en": the
 *   product speaks to French companies first.
 * - `teamIds` (`context.user.teams`, ids joined with commas): whether amounts are shown.
 *   A display preference the card honours, not a security boundary (see amounts.ts).
 */
import { z } from "zod";
import { cardInvoicesQuerySchema } from "@encaisse/shared/contracts";
import type { CardLocale } from "./match";

export const cardRequestSchema = cardInvoicesQuerySchema.extend({
  locale: z.string().max(35).optional(),
  teamIds: z
    .string()
    .max(2_000)
    .regex(/^(\d{1,20}(,\d{1,20})*)?$/, "Expected HubSpot team ids separated by commas.")
    .optional()
    .transform((value) => (value ? value.split(",") : [])),
});
export type CardRequest = z.infer<typeof cardRequestSchema>;

export function cardLocale(
  locale: string | undefined,
  acceptLanguage: string | undefined,
): CardLocale {
  const hint = locale ?? acceptLanguage ?? "";
  return /^\s*en\b/i.test(hint) ? "en" : "fr";
}
