/**
 * The cards' one fetcher: what it asks `hubspot.fetch` for, and what it makes of every kind
 * of answer (contract-valid, refused with an error body, broken, off the contract, none).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HttpResponse, http } from "msw";
import { setupServer } from "msw/node";
import { hubspot } from "@hubspot/ui-extensions";
import {
  BackendError,
  createDealInvoice,
  fetchCardInvoices,
  fetchInvoicePdfLink,
  fieldErrorsOf,
  invalidFieldsOf,
  updateSettings,
} from "../app/cards/utils/api.ts";
import { BACKEND_URL } from "../app/cards/utils/backend-url.ts";
import { routeHubSpotFetchToNetwork } from "./support/hubspot-fetch.ts";
import { createdInvoice, okView } from "./support/fixtures.ts";

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

const cardPath = `${BACKEND_URL}/v1/cards/invoices`;
const company = { objectType: "companies", objectId: "4101" } as const;

async function refusalOf(request: Promise<unknown>): Promise<BackendError> {
  const error = await request.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof BackendError))
    throw new Error(`Expected a BackendError, got ${String(error)}`);
  return error;
}

describe("what the fetcher asks HubSpot to send", () => {
  it("calls the configured backend with the card's query, the method and a timeout", async () => {
    const fetch = vi.spyOn(hubspot, "fetch").mockResolvedValue(Response.json(okView()));
    await fetchCardInvoices({
      ...company,
      page: 3,
      pageSize: 10,
      sort: "daysLate",
      order: "asc",
      refresh: true,
      locale: "fr-fr",
      teamIds: [12, 34],
    });
    const [url, options] = fetch.mock.calls[0] ?? [];
    const sent = new URL(String(url));
    expect(`${sent.origin}${sent.pathname}`).toBe(cardPath);
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      objectType: "companies",
      objectId: "4101",
      page: "3",
      pageSize: "10",
      sort: "daysLate",
      order: "asc",
      status: "all",
      refresh: "1",
      locale: "fr-fr",
      teamIds: "12,34",
    });
    expect(options).toEqual({ method: "GET", timeout: 15_000 });
  });

  it("sends a JSON object body, with more time to create an invoice than to read", async () => {
    const fetch = vi
      .spyOn(hubspot, "fetch")
      .mockResolvedValue(Response.json(createdInvoice(), { status: 201 }));
    await createDealInvoice("5501", { mode: "finalized" });
    expect(fetch).toHaveBeenCalledWith(`${BACKEND_URL}/v1/deals/5501/invoices`, {
      method: "POST",
      timeout: 30_000,
      body: { mode: "finalized" },
    });
  });

  it("escapes ids in paths", async () => {
    const fetch = vi
      .spyOn(hubspot, "fetch")
      .mockResolvedValue(
        Response.json({ url: "https://files.example/a.pdf", expiresAt: "2026-03-20T10:00:00Z" }),
      );
    await fetchInvoicePdfLink("inv/1?x");
    expect(fetch.mock.calls[0]?.[0]).toBe(`${BACKEND_URL}/v1/invoices/inv%2F1%3Fx/pdf-link`);
  });

  it("refuses a record that is not a HubSpot id with RECORD_UNSUPPORTED, without calling", async () => {
    const fetch = vi.spyOn(hubspot, "fetch");
    const error = await refusalOf(fetchCardInvoices({ objectType: "companies", objectId: "abc" }));
    expect(error.code).toBe("RECORD_UNSUPPORTED");
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("what the fetcher makes of the backend's answer", () => {
  it("returns a contract-valid answer as parsed by the contract", async () => {
    routeHubSpotFetchToNetwork();
    server.use(http.get(cardPath, () => HttpResponse.json(okView())));
    expect(await fetchCardInvoices(company)).toEqual(okView());
  });

  const refusals: {
    name: string;
    answer: () => Response;
    code: string;
    httpStatus: number | null;
  }[] = [
    {
      name: "an error body gives its code, status and details",
      answer: () =>
        HttpResponse.json(
          {
            error: {
              code: "DEAL_ALREADY_INVOICED",
              message: "This deal is already invoiced.",
              details: { invoiceId: "inv-900" },
            },
          },
          { status: 409 },
        ),
      code: "DEAL_ALREADY_INVOICED",
      httpStatus: 409,
    },
    {
      name: "a 5xx without an error body (a proxy page) is BACKEND_UNAVAILABLE",
      answer: () => new HttpResponse("<html>Bad gateway</html>", { status: 502 }),
      code: "BACKEND_UNAVAILABLE",
      httpStatus: 502,
    },
    {
      name: "a 4xx without an error body is BACKEND_RESPONSE_INVALID",
      answer: () => new HttpResponse(null, { status: 404 }),
      code: "BACKEND_RESPONSE_INVALID",
      httpStatus: 404,
    },
    {
      name: "a 200 off the contract is BACKEND_RESPONSE_INVALID, never shown as figures",
      answer: () => HttpResponse.json({ state: "ok", summary: { outstandingCents: 12.5 } }),
      code: "BACKEND_RESPONSE_INVALID",
      httpStatus: 200,
    },
    {
      name: "no answer at all is BACKEND_UNREACHABLE",
      answer: () => HttpResponse.error(),
      code: "BACKEND_UNREACHABLE",
      httpStatus: null,
    },
  ];

  it.each(refusals)("$name", async ({ answer, code, httpStatus }) => {
    routeHubSpotFetchToNetwork();
    server.use(http.get(cardPath, answer));
    const error = await refusalOf(fetchCardInvoices(company));
    expect({ code: error.code, httpStatus: error.httpStatus }).toEqual({ code, httpStatus });
  });

  it("keeps the details of a refusal: field errors of an invoice, fields of a settings change", async () => {
    routeHubSpotFetchToNetwork();
    const fieldErrors = [
      { field: "customer.siren", code: "CUSTOMER_SIREN_MISSING", message: "Add the SIREN." },
    ];
    server.use(
      http.post(`${BACKEND_URL}/v1/deals/5501/invoices`, () =>
        HttpResponse.json(
          {
            error: {
              code: "INVOICE_MANDATORY_MENTIONS_MISSING",
              message: "Mandatory mentions are missing.",
              details: { fieldErrors },
            },
          },
          { status: 422 },
        ),
      ),
      http.put(`${BACKEND_URL}/v1/settings`, () =>
        HttpResponse.json(
          {
            error: {
              code: "VALIDATION_FAILED",
              message: "Some fields are missing or invalid.",
              details: { fields: [{ field: "dunningLadder.0.offsetDays", message: "Too small" }] },
            },
          },
          { status: 400 },
        ),
      ),
    );
    expect(fieldErrorsOf(await refusalOf(createDealInvoice("5501", {})))).toEqual(fieldErrors);
    expect(invalidFieldsOf(await refusalOf(updateSettings({ invoiceMode: "draft" })))).toEqual([
      { field: "dunningLadder.0.offsetDays", message: "Too small" },
    ]);
  });
});
