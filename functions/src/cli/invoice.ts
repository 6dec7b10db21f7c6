/**
 * `encaisse invoice create`: creates the invoice of a won deal through the very service the
 * card's button calls, so the same checks (mandatory mentions, customer matching) and the
 * same exactly-once guarantee apply: running it twice gives the same invoice.
 */
import { formatMoney } from "@encaisse/shared";
import type { CreateInvoiceResponse } from "@encaisse/shared/contracts";
import type { Command } from "./command";
import { hubspotIdOption } from "./command";
import { EXIT_OK, UsageError, progress } from "./io";
import { withBackend } from "./open";

export const invoiceCreateCommand: Command = {
  path: ["invoice", "create"],
  summary: "create the invoice of a deal, as the card's button does",
  usage: `Usage: encaisse invoice create --portal <id> --deal <id> [--finalize | --draft]

Reads the deal and its line items in HubSpot, finds or creates the customer in the
accounting software, checks the French mandatory mentions and creates the invoice, then
writes its number and status back to the deal. Once per deal: a second run answers with
the invoice already made.

Options:
  --portal <id>  the tenant's HubSpot portal id
  --deal <id>    the HubSpot deal id
  --finalize     create it finalized (numbered), whatever the tenant's setting
  --draft        create it as a draft, whatever the tenant's setting`,
  options: {
    portal: { type: "string" },
    deal: { type: "string" },
    finalize: { type: "boolean" },
    draft: { type: "boolean" },
  },
  async run(values, io) {
    const portalId = hubspotIdOption(this, values, "portal");
    const dealId = hubspotIdOption(this, values, "deal");
    if (values.finalize === true && values.draft === true) {
      throw new UsageError("--finalize and --draft contradict each other: pick one.", this.usage);
    }
    const mode =
      values.finalize === true ? "finalized" : values.draft === true ? "draft" : undefined;
    const answer = await withBackend(io, async (backend) => {
      const tenant = await backend.tenant(portalId);
      progress(
        io,
        `creating the invoice of deal ${dealId} in ${tenant.activeProvider ?? "the accounting software"}`,
      );
      // Loaded on demand: the other commands start without the invoicing machinery.
      const { createInvoiceForDeal } = await import("../services/invoicing");
      // No HubSpot user behind an operator's command: the audit entry has no actor.
      return createInvoiceForDeal(backend, { tenant, dealId, actorUserId: null, mode });
    });
    io.out(describeAnswer(dealId, answer));
    return EXIT_OK;
  },
};

function describeAnswer(dealId: string, answer: CreateInvoiceResponse): string {
  const { invoice } = answer;
  const what = invoice.number ? `invoice ${invoice.number}` : `draft invoice ${invoice.id}`;
  const verb = answer.created ? "Created" : "Already invoiced:";
  const link = invoice.webUrl ? `\n${invoice.webUrl}` : "";
  return `${verb} ${what} for deal ${dealId}: ${formatMoney(invoice.grossCents, invoice.currency, "en-GB")} incl. VAT, due ${invoice.dueDate} (${invoice.status}).${link}`;
}
