import { describe, expect, it } from "vitest";
import {
  chargedRateOf,
  isVatCode,
  legalMentionFor,
  requiresCustomerVatNumber,
  vatCodeDefinition,
  vatCodeForPercentage,
  vatCodeForRate,
  vatCodeSchema,
} from "../src";

describe("French VAT rates and their provider codes", () => {
  it.each([
    [2000, "FR_200"],
    [1000, "FR_100"],
    [550, "FR_55"],
    [210, "FR_21"],
    [850, "FR_85"],
  ] as const)("%i bp is %s", (basisPoints, code) => {
    expect(vatCodeForRate(basisPoints)).toBe(code);
    expect(chargedRateOf(code)).toBe(basisPoints);
  });

  it("resolves a shared rate to the territory's code", () => {
    expect(vatCodeForRate(90, "corse")).toBe("FR_09");
    expect(vatCodeForRate(2000, "dom")).toBe("FR_200");
  });

  it.each([
    ["20", "FR_200"],
    ["20 %", "FR_200"],
    ["5,5", "FR_55"],
    ["5.5%", "FR_55"],
    ["2.1", "FR_21"],
    ["10", "FR_100"],
  ] as const)("a percentage typed as %j is %s", (text, code) => {
    expect(vatCodeForPercentage(text)).toBe(code);
  });

  it.each([1900, 700, 2100])("%i bp is not a French rate", (basisPoints) => {
    expect(() => vatCodeForRate(basisPoints)).toThrowError(
      expect.objectContaining({ code: "VAT_RATE_UNKNOWN" }),
    );
  });

  it.each(["twenty", "7", "120"])("%j is not a VAT percentage", (text) => {
    expect(() => vatCodeForPercentage(text)).toThrowError(
      expect.objectContaining({ code: "VAT_RATE_UNKNOWN" }),
    );
  });

  it("every code is one Pennylane accepts", () => {
    // The codes are the `vat_rate` enum values of the official Pennylane spec.
    for (const code of vatCodeSchema.options) expect(isVatCode(code)).toBe(true);
    expect(isVatCode("FR_999")).toBe(false);
    expect(isVatCode("toString")).toBe(false);
  });
});

describe("legal mentions when no French VAT is charged", () => {
  it("a standard rate needs no mention", () => {
    expect(legalMentionFor("FR_200", "services")).toBeNull();
  });

  it.each([
    ["exempt", "services", "TVA non applicable, art. 293 B du CGI"],
    ["intracom_100", "goods", "Exonération de TVA, article 262 ter I du CGI"],
    ["intracom_100", "services", "Autoliquidation"],
    ["extracom", "goods", "Exonération de TVA, article 262 I du CGI"],
    ["crossborder", "services", "TVA non applicable, article 259-1 du CGI"],
    ["FR_200_construction", "services", "Autoliquidation, article 283-2 nonies du CGI"],
  ] as const)("%s on %s requires %j", (code, nature, mention) => {
    expect(legalMentionFor(code, nature)).toBe(mention);
    expect(chargedRateOf(code)).toBe(0);
  });

  it("reverse charge requires the customer's VAT number", () => {
    expect(requiresCustomerVatNumber("intracom_100")).toBe(true);
    expect(requiresCustomerVatNumber("FR_100_construction")).toBe(true);
    expect(requiresCustomerVatNumber("FR_200")).toBe(false);
    expect(requiresCustomerVatNumber("exempt")).toBe(false);
  });

  it("keeps the nominal rate of a reverse-charged line", () => {
    expect(vatCodeDefinition("intracom_55").nominalBasisPoints).toBe(550);
  });
});
