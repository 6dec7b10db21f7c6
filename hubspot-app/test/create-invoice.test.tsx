/**
 * Billing a won deal from its Invoices card, against the backend's own app over emulated
 * HubSpot and Pennylane: the preview, the field errors before anything is sent, the
 * draft-or-finalized choice, the confirmation, one invoice whatever the clicks, and the
 * invoice a deal already has.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  Alert,
  Button,
  Flex,
  LoadingButton,
  StatusTag,
  Table,
  Text,
  Link,
  ToggleGroup,
} from "@hubspot/ui-extensions";
import { chargedRateOf, formatDate, formatMoney } from "@encaisse/shared";
import {
  type InvoicePreviewResponse,
  createInvoiceResponseSchema,
  invoicePreviewResponseSchema,
} from "@encaisse/shared/contracts";
import { type BackendHarness, PORTAL_ID, startBackendHarness } from "../../test/backend/harness";
import { cardsOf } from "../../test/backend/card-support";
import {
  createInvoice,
  newCompany,
  newWonDeal,
  pennylaneInvoicesOfDeal,
  previewInvoice,
  seededFrenchCompany,
} from "../../test/backend/invoice-support";
import { InvoicesCard } from "../app/cards/InvoicesCard.tsx";
import { type BackendCall, callsTo, routeHubSpotFetchToBackend } from "./support/hubspot-fetch.ts";
import { crmRenderer } from "./support/render.tsx";
import { FIRST_VIEW, bodyRows, fire, textOf } from "./support/rendered.ts";

const money = (cents: number) => formatMoney(cents, "EUR", "fr-FR");
const percent = (basisPoints: number) =>
  new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 2 }).format(
    basisPoints / 10_000,
  );

describe("creating the invoice of a deal from its card", () => {
  let harness: BackendHarness;
  let calls: BackendCall[];
  const taken = new Set<string>();
  const wonDealOfFrenchCompany = () => newWonDeal(harness, seededFrenchCompany(harness, taken));
  const invoicePosts = (dealId: string) => callsTo(calls, "POST", `/v1/deals/${dealId}/invoices`);

  async function backendPreview(dealId: string): Promise<InvoicePreviewResponse> {
    const answer = await previewInvoice(harness, dealId);
    expect(answer.status).toBe(200);
    return invoicePreviewResponseSchema.parse(answer.body);
  }

  function renderDeal(dealId: string) {
    const renderer = crmRenderer("crm.record.tab", {
      objectType: "deals",
      objectId: Number(dealId),
    });
    renderer.render(<InvoicesCard context={renderer.context} />);
    return renderer;
  }

  async function renderReadyDeal(dealId: string) {
    const renderer = renderDeal(dealId);
    await renderer.waitFor(
      () => expect(renderer.maybeFind(Table, { testId: "preview-lines" })).not.toBeNull(),
      FIRST_VIEW,
    );
    return renderer;
  }

  beforeAll(async () => {
    harness = await startBackendHarness();
    cardsOf(harness).configure({ refreshBudgetMs: 25_000 });
    // What the install does: the deal properties the invoice is written back to.
    await harness.backend.crm(PORTAL_ID).ensureEncaisseProperties();
  }, 60_000);
  beforeEach(() => {
    calls = routeHubSpotFetchToBackend(harness);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    harness.pennylane.faults.reset();
  });
  afterAll(async () => {
    await cardsOf(harness).refresher.idle();
    await harness.close();
  });

  it("previews the invoice from the deal's line items: customer, each line with its VAT, totals and due date", async () => {
    const dealId = wonDealOfFrenchCompany();
    const { find, findByTestId } = await renderReadyDeal(dealId);
    const preview = await backendPreview(dealId);
    if (preview.state !== "ready")
      throw new Error(`Expected a ready preview, got ${preview.state}`);

    expect(bodyRows(findByTestId(Table, "preview-lines"))).toEqual(
      preview.lines.map((line) => [
        line.label,
        new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 6 }).format(
          line.quantity as `${number}`,
        ),
        new Intl.NumberFormat("fr-FR", {
          style: "currency",
          currency: "EUR",
          minimumFractionDigits: 2,
          maximumFractionDigits: 6,
        }).format(line.unitPriceExclTax as `${number}`),
        percent(chargedRateOf(line.vatCode)),
        money(line.netCents),
        money(line.vatCents),
        money(line.grossCents),
      ]),
    );
    expect(find(Text, { testId: "total-gross" }).text).toBe(money(preview.grossCents));
    expect(find(Text, { testId: "due-date" }).text).toBe(formatDate(preview.dueDate));
    expect(find(Text, { testId: "billed-to" }).text).toBe(preview.customer.name);
    expect(findByTestId(ToggleGroup, "invoice-mode").props.value).toBe(preview.mode);
    expect(invoicePosts(dealId)).toHaveLength(0);
  });

  it("shows the missing SIREN and billing address as field errors, sends nothing and offers no Create button", async () => {
    const companyId = newCompany(harness, { siren: null, address: null, zip: null, city: null });
    const dealId = newWonDeal(harness, companyId);
    const { find, maybeFind, waitFor } = renderDeal(dealId);
    await waitFor(
      () => expect(maybeFind(Alert, { testId: "field-errors" })).not.toBeNull(),
      FIRST_VIEW,
    );

    const alert = find(Alert, { testId: "field-errors" });
    expect(alert.props.title).toBe("À compléter avant de facturer");
    expect(textOf(alert.find(Text, { testId: "field-customer.siren" }))).toMatch(
      /^SIREN de l'entreprise: .*\(CUSTOMER_SIREN_MISSING\)$/,
    );
    expect(textOf(alert.find(Text, { testId: "field-customer.billingAddress" }))).toMatch(
      /^Adresse de facturation: .*\(CUSTOMER_ADDRESS_MISSING\)$/,
    );
    expect(maybeFind(Button, { testId: "create" })).toBeNull();
    expect(invoicePosts(dealId)).toHaveLength(0);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);
  });

  it("creates a finalized invoice once confirmed, then shows its number, its status and the link the software gives", async () => {
    const dealId = wonDealOfFrenchCompany();
    const { find, findByTestId, maybeFind, waitFor } = await renderReadyDeal(dealId);
    const preview = await backendPreview(dealId);
    if (preview.state !== "ready")
      throw new Error(`Expected a ready preview, got ${preview.state}`);

    fire(findByTestId(ToggleGroup, "invoice-mode"), "onChange", "finalized");
    findByTestId(Button, "create").trigger("onClick");
    const confirmation = textOf(findByTestId(Flex, "confirmation").find(Text));
    expect(confirmation).toBe(
      `Créer une facture définitive de ${money(preview.grossCents)} pour ${preview.customer.name}\u00a0?`,
    );
    expect(invoicePosts(dealId)).toHaveLength(0);

    findByTestId(LoadingButton, "confirm").trigger("onClick");
    expect(findByTestId(LoadingButton, "confirm").props).toMatchObject({
      loading: true,
      disabled: true,
    });
    await waitFor(
      () => expect(maybeFind(Text, { testId: "invoice-number" })).not.toBeNull(),
      FIRST_VIEW,
    );

    const [stored] = pennylaneInvoicesOfDeal(harness, dealId);
    expect(stored).toMatchObject({ draft: false });
    expect(find(Text, { testId: "invoice-number" }).text).toBe(stored?.number);
    expect(find(StatusTag, { testId: "invoice-status" }).text).toBe("À payer");
    const already = await backendPreview(dealId);
    if (already.state !== "already_invoiced")
      throw new Error(`Expected the invoice, got ${already.state}`);
    expect(maybeFind(Link, { testId: "invoice-link" })?.props.href ?? null).toEqual(
      already.invoice.webUrl === null ? null : { url: already.invoice.webUrl, external: true },
    );
    expect(invoicePosts(dealId).map((call) => call.body)).toEqual([{ mode: "finalized" }]);
  });

  it("a double click on Confirm sends one request and bills the deal once", async () => {
    const dealId = wonDealOfFrenchCompany();
    const { findByTestId, maybeFind, waitFor } = await renderReadyDeal(dealId);
    findByTestId(Button, "create").trigger("onClick");
    const confirm = findByTestId(LoadingButton, "confirm");
    confirm.trigger("onClick");
    confirm.trigger("onClick");
    await waitFor(
      () => expect(maybeFind(Text, { testId: "invoice-number" })).not.toBeNull(),
      FIRST_VIEW,
    );

    expect(invoicePosts(dealId)).toHaveLength(1);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
    // Draft, the tenant's default: no number yet.
    expect(findByTestId(Text, "invoice-number").text).toBe("Brouillon");
    expect(maybeFind(LoadingButton, { testId: "confirm" })).toBeNull();
  });

  it("cancelling the confirmation sends nothing", async () => {
    const dealId = wonDealOfFrenchCompany();
    const { findByTestId, maybeFind } = await renderReadyDeal(dealId);
    findByTestId(Button, "create").trigger("onClick");
    findByTestId(Button, "cancel").trigger("onClick");
    expect(maybeFind(LoadingButton, { testId: "confirm" })).toBeNull();
    expect(findByTestId(Button, "create")).toBeDefined();
    expect(invoicePosts(dealId)).toHaveLength(0);
  });

  it("a deal already invoiced shows that invoice, with no way to bill it again", async () => {
    const dealId = wonDealOfFrenchCompany();
    const first = await createInvoice(harness, dealId, { mode: "finalized" });
    const { invoice } = createInvoiceResponseSchema.parse(first.body);

    const { find, maybeFind, waitFor } = renderDeal(dealId);
    await waitFor(
      () => expect(maybeFind(Text, { testId: "invoice-number" })).not.toBeNull(),
      FIRST_VIEW,
    );
    expect(find(Text, (node) => node.text === "Cette affaire est déjà facturée")).toBeDefined();
    expect(find(Text, { testId: "invoice-number" }).text).toBe(invoice.number);
    expect(maybeFind(Button, { testId: "create" })).toBeNull();
    expect(invoicePosts(dealId)).toHaveLength(0);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });

  it("when Pennylane fails during the creation, says why with its code, and a new confirmation succeeds", async () => {
    const dealId = wonDealOfFrenchCompany();
    const { find, findByTestId, maybeFind, waitFor } = await renderReadyDeal(dealId);
    harness.pennylane.faults.serverErrorRate = 1;
    findByTestId(Button, "create").trigger("onClick");
    findByTestId(LoadingButton, "confirm").trigger("onClick");
    await waitFor(
      () => expect(maybeFind(Alert, { testId: "create-failed" })).not.toBeNull(),
      FIRST_VIEW,
    );
    const failure = find(Alert, { testId: "create-failed" });
    expect(failure.props.title).toBe("La facture n'a pas été créée");
    expect(textOf(failure)).toMatch(/\(PROVIDER_[A-Z_]+\)/);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toEqual([]);

    harness.pennylane.faults.reset();
    findByTestId(Button, "create").trigger("onClick");
    findByTestId(LoadingButton, "confirm").trigger("onClick");
    await waitFor(
      () => expect(maybeFind(Text, { testId: "invoice-number" })).not.toBeNull(),
      FIRST_VIEW,
    );
    expect(invoicePosts(dealId)).toHaveLength(2);
    expect(pennylaneInvoicesOfDeal(harness, dealId)).toHaveLength(1);
  });
});
