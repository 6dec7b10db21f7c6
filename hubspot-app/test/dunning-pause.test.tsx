/**
 * Holding and resuming the dunning plan of a late invoice from its details on the Invoices
 * tab, against the backend's own app over emulated HubSpot and Pennylane: what the rep
 * clicks is what the backend stores, and what the card shows is what the backend answers.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import {
  Alert,
  Button,
  DateInput,
  Flex,
  LoadingButton,
  Table,
  Text,
  TextArea,
  ToggleGroup,
} from "@hubspot/ui-extensions";
import { addDays, formatDate } from "@encaisse/shared";
import type { CardInvoice } from "@encaisse/shared/contracts";
import { generateBook } from "../../test/fixtures/generate";
import { type BackendHarness, PORTAL_ID, startBackendHarness } from "../../test/backend/harness";
import {
  cardsOf,
  companiesWithSiren,
  distinct,
  getCard,
  seedCompany,
  today,
} from "../../test/backend/card-support";
import { InvoicesCard } from "../app/cards/InvoicesCard.tsx";
import { type BackendCall, callsTo, routeHubSpotFetchToBackend } from "./support/hubspot-fetch.ts";
import { type RecordOptions, crmRenderer } from "./support/render.tsx";
import { FIRST_VIEW, bodyRows, fire, textOf } from "./support/rendered.ts";

const BOOK = generateBook({ companies: 16, invoices: 200 });

/** A calendar date as HubSpot's DateInput hands it over: months count from 0. */
const picked = (date: string) => {
  const [year, month, day] = date.split("-").map(Number);
  return { year: year ?? 0, month: (month ?? 1) - 1, date: day ?? 0 };
};

describe("pausing dunning from an invoice's details", () => {
  let harness: BackendHarness;
  let calls: BackendCall[];
  let candidates: string[];

  const pausesOf = async (invoiceId: string) =>
    (await harness.backend.repos.dunning.pauses(PORTAL_ID, "pennylane", [invoiceId])).get(
      invoiceId,
    ) ?? [];

  /** A company of its own per test, whose first page shows a late invoice never paused. */
  async function lateInvoice(): Promise<{ companyId: string; invoice: CardInvoice }> {
    while (candidates.length > 0) {
      const [key, ...rest] = candidates;
      candidates = rest;
      const companyId = harness.companyIds[key ?? ""] ?? "";
      const answer = await getCard(harness, { objectType: "companies", objectId: companyId });
      if (answer.state !== "ok") continue;
      const invoice = answer.invoices.items.find(
        (item) => item.status === "overdue" && item.dunning?.pausedBy === null,
      );
      if (invoice) return { companyId, invoice };
    }
    throw new Error("The book ran out of companies with a late invoice.");
  }

  async function openDetails(companyId: string, invoiceId: string, options: RecordOptions = {}) {
    const renderer = crmRenderer("crm.record.tab", { objectId: Number(companyId), ...options });
    renderer.render(<InvoicesCard context={renderer.context} />);
    await renderer.waitFor(() => expect(renderer.maybeFind(Table)).not.toBeNull(), FIRST_VIEW);
    renderer.findByTestId(Button, `details-${invoiceId}`).trigger("onClick");
    await renderer.waitFor(() =>
      expect(
        renderer.maybeFind(Flex, { testId: "dunning-pause-form" }) ??
          renderer.maybeFind(Flex, { testId: "dunning-pause" }),
      ).not.toBeNull(),
    );
    return renderer;
  }

  beforeAll(async () => {
    harness = await startBackendHarness({ book: BOOK });
    cardsOf(harness).configure({ refreshBudgetMs: 25_000 });
    candidates = companiesWithSiren(harness, 5).filter(
      (key) => seedCompany(harness, key).address.countryCode === "FR",
    );
  }, 60_000);
  beforeEach(() => {
    calls = routeHubSpotFetchToBackend(harness);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await cardsOf(harness).refresher.idle();
    await harness.close();
  });

  it("a dispute is stored by the backend, then shown on the invoice and in the table", async () => {
    const { companyId, invoice } = await lateInvoice();
    const { find, findByTestId, maybeFind, waitFor } = await openDetails(companyId, invoice.id);
    expect(findByTestId(ToggleGroup, "pause-reason").props.value).toBe("dispute");
    expect(
      findByTestId(ToggleGroup, "pause-reason").props.options.map((option) => option.label),
    ).toEqual(["Litige", "Promesse de paiement"]);
    fire(findByTestId(TextArea, "pause-note"), "onChange", "Le client conteste la livraison.");

    findByTestId(LoadingButton, "pause-dunning").trigger("onClick");
    expect(findByTestId(LoadingButton, "pause-dunning").props).toMatchObject({
      loading: true,
      disabled: true,
    });
    await waitFor(() => expect(maybeFind(Text, { testId: "dunning-paused" })).not.toBeNull());

    expect(
      callsTo(calls, "POST", `/v1/invoices/${invoice.id}/dunning-pause`).map((c) => c.body),
    ).toEqual([{ kind: "dispute", note: "Le client conteste la livraison." }]);
    expect(await pausesOf(invoice.id)).toEqual([
      { kind: "dispute", since: today(), resolvedOn: null },
    ]);
    expect(find(Text, { testId: "dunning-paused" }).text).toBe(
      `Relances suspendues depuis le ${formatDate(today())}\u00a0: Litige`,
    );
    expect(maybeFind(Text, { testId: "dunning-paused-until" })).toBeNull();
    expect(maybeFind(Flex, { testId: "dunning-pause-form" })).toBeNull();
    expect(textOf(findByTestId(LoadingButton, "resume-dunning"))).toBe("Reprendre les relances");
    // The card reloads its view: the table's dunning column says the same as the details.
    await waitFor(() =>
      expect(
        bodyRows(findByTestId(Table, "invoice-table")).find(
          (row) => row[0] === invoice.number,
        )?.[7],
      ).toBe("Suspendue\u00a0: litige"),
    );
  });

  it("resuming ends the pause in the backend and offers to pause again", async () => {
    const { companyId, invoice } = await lateInvoice();
    const paused = await harness.signedFetch(
      "POST",
      distinct(`/v1/invoices/${invoice.id}/dunning-pause`),
      { kind: "dispute" },
    );
    expect(paused.status).toBe(200);
    const { findByTestId, maybeFind, waitFor } = await openDetails(companyId, invoice.id);
    expect(maybeFind(Text, { testId: "dunning-paused" })).not.toBeNull();

    findByTestId(LoadingButton, "resume-dunning").trigger("onClick");
    expect(findByTestId(LoadingButton, "resume-dunning").props).toMatchObject({
      loading: true,
      disabled: true,
    });
    await waitFor(() => expect(maybeFind(Flex, { testId: "dunning-pause-form" })).not.toBeNull());

    expect(maybeFind(Text, { testId: "dunning-paused" })).toBeNull();
    expect(callsTo(calls, "DELETE", `/v1/invoices/${invoice.id}/dunning-pause`)).toHaveLength(1);
    expect(await pausesOf(invoice.id)).toEqual([
      { kind: "dispute", since: today(), resolvedOn: today() },
    ]);
    const afterwards = await getCard(harness, { objectType: "companies", objectId: companyId });
    expect(
      afterwards.state === "ok" &&
        afterwards.invoices.items.find((item) => item.id === invoice.id)?.dunning?.pausedBy,
    ).toBeNull();
  });

  it("a promise to pay dated in the past is refused by the backend, with its code, and nothing is stored", async () => {
    const { companyId, invoice } = await lateInvoice();
    const { find, findByTestId, maybeFind, waitFor } = await openDetails(companyId, invoice.id);
    fire(findByTestId(ToggleGroup, "pause-reason"), "onChange", "promise_to_pay");
    await waitFor(() => expect(maybeFind(DateInput, { testId: "promise-until" })).not.toBeNull());
    // No date yet: nothing to send.
    expect(findByTestId(LoadingButton, "pause-dunning").props.disabled).toBe(true);

    const yesterday = addDays(today(), -1);
    fire(findByTestId(DateInput, "promise-until"), "onChange", picked(yesterday));
    await waitFor(() =>
      expect(findByTestId(LoadingButton, "pause-dunning").props.disabled).toBe(false),
    );
    findByTestId(LoadingButton, "pause-dunning").trigger("onClick");
    await waitFor(() =>
      expect(maybeFind(Alert, { testId: "dunning-pause-failed" })).not.toBeNull(),
    );

    expect(
      callsTo(calls, "POST", `/v1/invoices/${invoice.id}/dunning-pause`).map((c) => c.body),
    ).toEqual([{ kind: "promise_to_pay", until: yesterday }]);
    const alert = find(Alert, { testId: "dunning-pause-failed" });
    expect(alert.props.title).toBe("Les relances n'ont pas été suspendues");
    expect(textOf(alert)).toBe(
      "La date promise doit être aujourd'hui ou plus tard. (VALIDATION_FAILED)",
    );
    expect(findByTestId(DateInput, "promise-until").props).toMatchObject({
      error: true,
      validationMessage: "La date promise doit être aujourd'hui ou plus tard.",
    });
    expect(await pausesOf(invoice.id)).toEqual([]);
    expect(maybeFind(Text, { testId: "dunning-paused" })).toBeNull();
  });

  it("speaks English to an English-speaking rep: a promise to pay shown with its date", async () => {
    const { companyId, invoice } = await lateInvoice();
    const { find, findByTestId, maybeFind, waitFor } = await openDetails(companyId, invoice.id, {
      locale: "en-gb",
    });
    const reasons = findByTestId(ToggleGroup, "pause-reason");
    expect(reasons.props.label).toBe("Pause dunning because of");
    expect(reasons.props.options.map((option) => option.label)).toEqual([
      "Dispute",
      "Promise to pay",
    ]);
    expect(textOf(findByTestId(LoadingButton, "pause-dunning"))).toBe("Pause dunning");

    fire(reasons, "onChange", "promise_to_pay");
    await waitFor(() => expect(maybeFind(DateInput, { testId: "promise-until" })).not.toBeNull());
    expect(findByTestId(DateInput, "promise-until").props.label).toBe("Payment promised by");
    const until = addDays(today(), 10);
    fire(findByTestId(DateInput, "promise-until"), "onChange", picked(until));
    await waitFor(() =>
      expect(findByTestId(LoadingButton, "pause-dunning").props.disabled).toBe(false),
    );
    findByTestId(LoadingButton, "pause-dunning").trigger("onClick");
    await waitFor(() => expect(maybeFind(Text, { testId: "dunning-paused" })).not.toBeNull());

    expect(await pausesOf(invoice.id)).toEqual([{ kind: "promise_to_pay", since: today(), until }]);
    expect(find(Text, { testId: "dunning-paused" }).text).toBe(
      `Dunning paused since ${formatDate(today(), "en-GB")}: Promise to pay`,
    );
    expect(find(Text, { testId: "dunning-paused-until" }).text).toBe(
      `Until ${formatDate(until, "en-GB")}`,
    );
    expect(textOf(findByTestId(LoadingButton, "resume-dunning"))).toBe("Resume dunning");
  });
});
