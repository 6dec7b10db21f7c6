import { describe, expect, it } from "vitest";
import {
  cardInvoicesQuerySchema,
  createTaskRequestSchema,
  endpoints,
  errorBodySchema,
  errorStatus,
  extensionContextQuerySchema,
  pairRequestSchema,
  pathFor,
  settingsSchema,
} from "../src/contracts";
import { DEFAULT_DUNNING_LADDER, DomainError, fail, ok, unwrap } from "../src";

describe("the error body and its HTTP status", () => {
  it("maps known codes to their status and unknown ones to 400", () => {
    expect(errorStatus("SIGNATURE_INVALID")).toBe(401);
    expect(errorStatus("CUSTOMER_SIREN_MISSING")).toBe(422);
    expect(errorStatus("PROVIDER_RATE_LIMITED")).toBe(503);
    expect(errorStatus("INTERNAL")).toBe(500);
    expect(errorStatus("SOMETHING_NEW")).toBe(400);
    expect(errorStatus("toString")).toBe(400);
  });

  it("a domain error serialises to the one error body", () => {
    const error = new DomainError("SIREN_INVALID_CHECKSUM", "Bad SIREN.", { input: "123" });
    expect(errorBodySchema.parse({ error: error.toBody() })).toEqual({
      error: { code: "SIREN_INVALID_CHECKSUM", message: "Bad SIREN.", details: { input: "123" } },
    });
    expect(new DomainError("X_Y", "m").toBody()).toEqual({ code: "X_Y", message: "m" });
    expect(errorBodySchema.safeParse({ error: { code: "lower", message: "m" } }).success).toBe(
      false,
    );
  });

  it("results carry a value or an error", () => {
    expect(unwrap(ok(3))).toBe(3);
    expect(() => unwrap(fail("NOPE", "no"))).toThrowError(
      expect.objectContaining({ code: "NOPE" }),
    );
  });
});

describe("endpoint contracts", () => {
  it("every path is versioned", () => {
    for (const endpoint of Object.values(endpoints)) expect(endpoint.path).toMatch(/^\/v1\//);
  });

  it("fills path templates and refuses a missing parameter", () => {
    expect(pathFor("createInvoice", { dealId: "42" })).toBe("/v1/deals/42/invoices");
    expect(pathFor("invoicePdfLink", { invoiceId: "a/b" })).toBe("/v1/invoices/a%2Fb/pdf-link");
    expect(() => pathFor("createInvoice")).toThrow('Missing path parameter "dealId"');
  });

  it("the card query has sane defaults and refuses a non-numeric record id", () => {
    expect(
      cardInvoicesQuerySchema.parse({ objectType: "companies", objectId: "123" }),
    ).toMatchObject({
      page: 1,
      pageSize: 10,
      sort: "issueDate",
      order: "desc",
      refresh: "0",
    });
    expect(
      cardInvoicesQuerySchema.safeParse({ objectType: "companies", objectId: "12 OR 1=1" }).success,
    ).toBe(false);
    expect(
      cardInvoicesQuerySchema.safeParse({ objectType: "tickets", objectId: "1" }).success,
    ).toBe(false);
    expect(
      cardInvoicesQuerySchema.safeParse({ objectType: "deals", objectId: "1", pageSize: "500" })
        .success,
    ).toBe(false);
  });

  it("the extension context needs something to look up", () => {
    expect(extensionContextQuerySchema.safeParse({ provider: "pennylane" }).success).toBe(false);
    expect(
      extensionContextQuerySchema.safeParse({ provider: "pennylane", invoiceNumber: "F-2026-001" })
        .success,
    ).toBe(true);
  });

  it("pairing codes are read forgivingly (case, spaces)", () => {
    expect(pairRequestSchema.parse({ code: " ab12cd34 " })).toEqual({ code: "AB12CD34" });
    expect(pairRequestSchema.safeParse({ code: "AB12" }).success).toBe(false);
  });

  it("a task needs a subject and a real date", () => {
    expect(
      createTaskRequestSchema.safeParse({ companyId: "1", subject: "", dueDate: "2026-11-23" })
        .success,
    ).toBe(false);
    expect(
      createTaskRequestSchema.safeParse({ companyId: "1", subject: "Call", dueDate: "2026-02-30" })
        .success,
    ).toBe(false);
  });

  it("settings accept the default dunning ladder", () => {
    const settings = settingsSchema.parse({
      invoiceMode: "draft",
      autoInvoiceOnDealWon: false,
      wonStageIds: ["closedwon"],
      dunningLadder: DEFAULT_DUNNING_LADDER,
      dunningByEmail: false,
      amountsVisibleToTeamIds: null,
      defaultVatCode: "FR_200",
      defaultPaymentTerms: "30_days",
      endOfMonthConvention: "days_then_end_of_month",
      freshnessWindowSeconds: 300,
      digestEnabled: true,
    });
    expect(settings.dunningLadder).toHaveLength(4);
  });
});
