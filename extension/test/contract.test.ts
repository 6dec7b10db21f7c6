import {
  endpoints,
  errorBodySchema,
  extensionContextQuerySchema,
  pairRequestSchema,
} from "@encaisse/shared/contracts";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { contextParameters, normalizedPairingCode } from "../src/api/client";
import contract from "../src/api/contract.generated.json";
import { firstMismatch } from "../src/api/json-schema";
import { CONTRACT_FILE, contractText } from "../scripts/contract";
import { LEMOINE_CONTEXT } from "./helpers/backend";

// The extension checks answers with JSON Schemas generated from the shared zod contract, so
// that zod stays out of its bundles. These tests hold the two in step.
describe("the contract the extension checks answers against", () => {
  it("is the one generated from the shared schemas today", () => {
    expect(readFileSync(CONTRACT_FILE, "utf8")).toBe(contractText());
  });

  const answers: [keyof typeof contract.endpoints, unknown][] = [
    ["extensionContext", LEMOINE_CONTEXT],
    ["extensionContext", { ...LEMOINE_CONTEXT, owner: null, openDeals: [] }],
    ["extensionContext", { ...LEMOINE_CONTEXT, receivables: null }],
    ["extensionContext", { state: "not_found" }],
    ["extensionContext", { state: "not_matched", candidates: [] }],
    ["extensionContext", { state: "ok" }],
    ["extensionContext", { ...LEMOINE_CONTEXT, company: { ...LEMOINE_CONTEXT.company, id: "x" } }],
    [
      "extensionContext",
      { ...LEMOINE_CONTEXT, receivables: { ...LEMOINE_CONTEXT.receivables, overdueCents: 1.5 } },
    ],
    [
      "extensionContext",
      { ...LEMOINE_CONTEXT, company: { ...LEMOINE_CONTEXT.company, url: "not a url" } },
    ],
    ["extensionContext", { state: "unknown" }],
    ["extensionContext", null],
    ["pairExtension", { token: `ext_${"a".repeat(43)}`, portalId: "4455", userEmail: null }],
    ["pairExtension", { token: "short", portalId: "4455", userEmail: null }],
    ["pairExtension", { token: `ext_${"a".repeat(43)}`, portalId: "4455" }],
    ["extensionSearch", { results: [{ companyId: "1", name: null, domain: null, siren: null }] }],
    ["extensionSearch", { results: [{ companyId: "1", name: 3, domain: null, siren: null }] }],
    ["extensionSearch", { results: "none" }],
    ["extensionNote", { id: "n1", url: "https://app.hubspot.com/x" }],
    ["extensionTask", { id: "t1" }],
  ];

  it.each(answers)("accepts a %s answer exactly when zod does: %j", (name, answer) => {
    const zodAccepts = endpoints[name].response.safeParse(answer).success;
    expect(firstMismatch(contract.endpoints[name].response, answer) === null).toBe(zodAccepts);
  });

  it.each([
    [{ error: { code: "RATE_LIMITED", message: "Later." } }],
    [{ error: { code: "rate", message: "Later." } }],
    [{ error: { code: "X", message: "" } }],
    [{ message: "nope" }],
  ])("reads an error body exactly when zod does: %j", (body) => {
    expect(firstMismatch(contract.errorBody, body) === null).toBe(
      errorBodySchema.safeParse(body).success,
    );
  });

  it.each(["ABCD2345", " abcd2345 ", "abc", "ABCD-2345", "ABCD23456"])(
    "normalizes pairing code %j as the backend does",
    (code) => {
      const expected = pairRequestSchema.safeParse({ code });
      if (expected.success) expect(normalizedPairingCode(code)).toBe(expected.data.code);
      else expect(() => normalizedPairingCode(code)).toThrow();
    },
  );

  it.each([
    { provider: "pennylane", customerId: "42" },
    { provider: "sage_active", invoiceNumber: "FA00231" },
    { provider: "pennylane", siren: "732 829 320" },
    { provider: "pennylane", siren: "12345" },
    { provider: "pennylane" },
    { provider: "pennylane", invoiceId: "x".repeat(101) },
    { hubspotCompanyId: "9001" },
    { provider: "sage_active", hubspotCompanyId: "9001" },
    { hubspotCompanyId: "acme" },
    { hubspotCompanyId: "9001", customerId: "42" },
    { customerId: "42" },
  ] as const)("sends context query %j only when the backend would accept it", (query) => {
    const expected = extensionContextQuerySchema.safeParse(query);
    if (expected.success) expect(contextParameters(query)).toEqual(expected.data);
    else expect(() => contextParameters(query)).toThrow();
  });
});
