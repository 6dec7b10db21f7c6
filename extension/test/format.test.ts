import { describe, expect, it } from "vitest";
import { formatsFor } from "../src/panel/format";
import { languageOf } from "../src/panel/i18n";

describe("amounts in the panel", () => {
  it("go from cents to an exact decimal, never through a float", () => {
    const en = formatsFor("en-US");
    expect(en.money(-5, "EUR")).toBe("-€0.05");
    expect(en.money(700, "JPY")).toBe("¥700");
    // The largest safe integer of cents keeps its last cent (a float division would not).
    expect(en.money(9_007_199_254_740_991, "EUR")).toBe("€90,071,992,547,409.91");
  });

  it("read the French and English ways, with the currency's own decimals", () => {
    expect(formatsFor("fr-FR").money(123456, "EUR")).toBe("1\u202f234,56\u00a0€");
    expect(formatsFor("en-GB").money(123456, "EUR")).toBe("€1,234.56");
    expect(formatsFor("en-GB").money(123456, "JPY")).toBe("JP¥123,456");
    expect(formatsFor("fr-FR").money(9_007_199_254_740_991, "EUR")).toBe(
      "90\u202f071\u202f992\u202f547\u202f409,91\u00a0€",
    );
  });

  it("show calendar dates as dates, whatever the time zone", () => {
    expect(formatsFor("fr-FR").date("2026-03-01")).toBe("1 mars 2026");
    expect(formatsFor("en-GB").days(1)).toBe("1 day");
  });
});

describe("the panel's language", () => {
  it.each([
    ["fr", "fr"],
    ["fr-CA", "fr"],
    ["en-US", "en"],
    ["de-DE", "en"],
    [undefined, "en"],
  ] as const)("%s -> %s", (browser, language) => {
    expect(languageOf(browser)).toBe(language);
  });
});
