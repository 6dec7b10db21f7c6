import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  centsToDecimalString,
  DomainError,
  divideRoundHalfUp,
  formatMoney,
  minorUnitDigits,
  parseCents,
  parseDecimal,
  parseLocalizedAmount,
  sumCents,
  toSafeCents,
} from "../src";

describe("parsing provider decimal strings into cents", () => {
  it.each([
    ["1234.567800", 123457],
    ["1234.564999", 123456],
    ["0.1", 10],
    ["0.10", 10],
    ["-0.1", -10],
    ["12,5", 1250],
    ["+3", 300],
    ["0.005", 1],
    ["-0.005", -1],
    ["0.004999", 0],
    ["  42.00 ", 4200],
    ["9007199254740.99", 900719925474099],
  ])("%s is %i cents", (input, cents) => {
    expect(parseCents(input)).toBe(cents);
  });

  it.each(["", "abc", "1.2.3", "1e3", "1 234.5", "--1", "12.", ".5", "1,234.56", "NaN"])(
    "%j is refused with MONEY_INVALID_FORMAT",
    (input) => {
      expect(() => parseCents(input)).toThrowError(
        expect.objectContaining({ code: "MONEY_INVALID_FORMAT" }),
      );
    },
  );

  it("keeps every digit of a provider amount exactly", () => {
    expect(parseDecimal("1234.567800")).toEqual({ units: 1234567800n, scale: 6 });
    expect(parseDecimal("-0.1")).toEqual({ units: -1n, scale: 1 });
  });

  it("refuses an amount too large to be exact as cents", () => {
    expect(() => parseCents("99999999999999999999")).toThrowError(
      expect.objectContaining({ code: "MONEY_OUT_OF_RANGE" }),
    );
    expect(() => toSafeCents(-(2n ** 60n))).toThrow(DomainError);
  });

  it("0.1 + 0.2 is exactly 30 cents", () => {
    expect(sumCents([parseCents("0.1"), parseCents("0.2")])).toBe(30);
    expect(centsToDecimalString(parseCents("0.1") + parseCents("0.2"))).toBe("0.30");
  });
});

describe("rounding half away from zero", () => {
  it.each([
    [5n, 10n, 1n],
    [4n, 10n, 0n],
    [15n, 10n, 2n],
    [-5n, 10n, -1n],
    [-15n, 10n, -2n],
    [5n, -10n, -1n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
  ])("%i / %i rounds to %i", (numerator, denominator, expected) => {
    expect(divideRoundHalfUp(numerator, denominator)).toBe(expected);
  });

  it("refuses to divide by zero", () => {
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
  });
});

describe("canonical decimal strings for providers", () => {
  it.each([
    [123456, "1234.56"],
    [-5, "-0.05"],
    [0, "0.00"],
    [100, "1.00"],
    [-123456, "-1234.56"],
  ])("%i cents is %s", (cents, text) => {
    expect(centsToDecimalString(cents)).toBe(text);
  });

  it("uses the currency's minor units", () => {
    expect(minorUnitDigits("EUR")).toBe(2);
    expect(minorUnitDigits("JPY")).toBe(0);
    expect(centsToDecimalString(1500, 0)).toBe("1500");
  });

  it("refuses a non-integer amount of cents", () => {
    expect(() => centsToDecimalString(1.5)).toThrowError(
      expect.objectContaining({ code: "MONEY_NOT_INTEGER_CENTS" }),
    );
  });

  it("refuses an unknown currency", () => {
    expect(() => minorUnitDigits("EURO")).toThrowError(
      expect.objectContaining({ code: "CURRENCY_UNKNOWN" }),
    );
  });
});

describe("formatting amounts per locale", () => {
  const narrowNbsp = "\u202f";
  it("formats French amounts with a comma and narrow spaces", () => {
    expect(formatMoney(123456789, "EUR", "fr-FR")).toBe(
      `1${narrowNbsp}234${narrowNbsp}567,89\u00a0€`,
    );
  });
  it("formats US English amounts with a dot and commas", () => {
    expect(formatMoney(123456789, "EUR", "en-US")).toBe("€1,234,567.89");
    expect(formatMoney(-5, "EUR", "en-US")).toBe("-€0.05");
  });
  it("formats amounts beyond float precision exactly", () => {
    expect(formatMoney(900719925474099, "EUR", "en-US")).toBe("€9,007,199,254,740.99");
  });
});

describe("parsing amounts typed by users", () => {
  it.each([
    ["1 234,56 €", "fr-FR", 123456],
    ["1\u202f234,56\u00a0€", "fr-FR", 123456],
    ["12,5", "fr-FR", 1250],
    ["12.5", "fr-FR", 1250],
    ["−12,50 €", "fr-FR", -1250],
    ["€1,234.56", "en-US", 123456],
    ["1,234", "en-US", 123400],
    ["EUR 99.99", "en-US", 9999],
  ])("%j in %s is %i cents", (input, locale, cents) => {
    expect(parseLocalizedAmount(input, locale)).toBe(cents);
  });

  it.each([
    ["", "fr-FR"],
    ["€", "en-US"],
    ["1,2,3", "fr-FR"],
  ])("%j in %s is refused", (input, locale) => {
    expect(() => parseLocalizedAmount(input, locale)).toThrowError(
      expect.objectContaining({ code: "MONEY_INVALID_FORMAT" }),
    );
  });

  it("round-trips any amount through format and parse, in French and English", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -10_000_000_000_000, max: 10_000_000_000_000 }),
        fc.constantFrom("fr-FR", "en-US", "en-GB"),
        (cents, locale) =>
          parseLocalizedAmount(formatMoney(cents, "EUR", locale), locale) === cents,
      ),
    );
  });

  it("round-trips any amount through the canonical provider string", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        (cents) => {
          return parseCents(centsToDecimalString(cents)) === cents;
        },
      ),
    );
  });
});
