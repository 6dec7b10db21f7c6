import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { computeInvoiceAmounts, computeLineAmounts, parseCents, sumCents } from "../src";

describe("line amounts", () => {
  it.each([
    // quantity, unit price, VAT bp, discount, net, vat, gross
    ["1", "100", 2000, undefined, 10000, 2000, 12000],
    ["3", "19.99", 2000, undefined, 5997, 1199, 7196], // VAT 11.994 -> 11.99
    ["1.5", "450", 2000, undefined, 67500, 13500, 81000],
    ["1", "0.125", 2000, undefined, 13, 3, 16], // 0.125 -> 0.13; VAT 0.026 -> 0.03
    ["7", "12.345", 550, undefined, 8642, 475, 9117], // 86.415 -> 86.42; VAT 4.7531 -> 4.75
    ["2", "100", 2000, "10", 18000, 3600, 21600],
    ["1", "99.99", 2000, "12.5", 8749, 1750, 10499], // 87.49125 -> 87.49; VAT 17.498 -> 17.50
    ["1", "1234.567800", 1000, undefined, 123457, 12346, 135803],
    ["-1", "100", 2000, undefined, -10000, -2000, -12000],
    ["1", "0.005", 2000, undefined, 1, 0, 1],
    ["1", "500", 0, undefined, 50000, 0, 50000],
  ])(
    "%s x %s at %i bp (discount %s) = %i + %i = %i",
    (quantity, unitPriceExclTax, rate, discount, net, vat, gross) => {
      expect(
        computeLineAmounts({
          quantity,
          unitPriceExclTax,
          vatRateBasisPoints: rate,
          discountPercent: discount,
        }),
      ).toEqual({ netCents: net, vatCents: vat, grossCents: gross });
    },
  );

  it("refuses a discount outside 0-100 %", () => {
    for (const discountPercent of ["-1", "100.01", "150"]) {
      expect(() =>
        computeLineAmounts({
          quantity: "1",
          unitPriceExclTax: "10",
          vatRateBasisPoints: 2000,
          discountPercent,
        }),
      ).toThrowError(expect.objectContaining({ code: "DISCOUNT_OUT_OF_RANGE" }));
    }
  });

  it("refuses a fractional or negative VAT rate", () => {
    for (const vatRateBasisPoints of [-1, 5.5]) {
      expect(() =>
        computeLineAmounts({ quantity: "1", unitPriceExclTax: "10", vatRateBasisPoints }),
      ).toThrowError(expect.objectContaining({ code: "VAT_RATE_INVALID" }));
    }
  });
});

describe("invoice amounts", () => {
  it("sums a multi-rate invoice per line and breaks VAT down per rate", () => {
    const amounts = computeInvoiceAmounts([
      { quantity: "3", unitPriceExclTax: "19.99", vatRateBasisPoints: 2000 },
      { quantity: "7", unitPriceExclTax: "12.345", vatRateBasisPoints: 550 },
      { quantity: "1", unitPriceExclTax: "0.125", vatRateBasisPoints: 2000 },
      { quantity: "2", unitPriceExclTax: "40", vatRateBasisPoints: 1000 },
    ]);
    expect(amounts.vatBreakdown).toEqual([
      { vatRateBasisPoints: 2000, netCents: 5997 + 13, vatCents: 1199 + 3 },
      { vatRateBasisPoints: 1000, netCents: 8000, vatCents: 800 },
      { vatRateBasisPoints: 550, netCents: 8642, vatCents: 475 },
    ]);
    expect(amounts.netCents).toBe(5997 + 13 + 8000 + 8642);
    expect(amounts.vatCents).toBe(1199 + 3 + 800 + 475);
    expect(amounts.grossCents).toBe(amounts.netCents + amounts.vatCents);
  });

  it("rounds per line, not on the total (three lines of 0.125 are 0.39, not 0.38)", () => {
    const line = { quantity: "1", unitPriceExclTax: "0.125", vatRateBasisPoints: 0 };
    expect(computeInvoiceAmounts([line, line, line]).netCents).toBe(39);
  });

  const lineArbitrary = fc.record({
    quantity: fc.integer({ min: -50, max: 500 }).map((q) => String(q)),
    unitPriceExclTax: fc
      .tuple(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 999_999 }))
      .map(([whole, micro]) => `${whole}.${String(micro).padStart(6, "0")}`),
    vatRateBasisPoints: fc.constantFrom(2000, 1000, 550, 210, 850, 0),
    discountPercent: fc.option(fc.integer({ min: 0, max: 100 }).map(String), { nil: undefined }),
  });

  it("the sum of the lines always equals the invoice total, to the cent", () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { minLength: 1, maxLength: 30 }), (lines) => {
        const invoice = computeInvoiceAmounts(lines);
        const perLine = lines.map((line) => computeLineAmounts(line));
        return (
          invoice.grossCents === sumCents(perLine.map((l) => l.grossCents)) &&
          invoice.netCents === sumCents(invoice.vatBreakdown.map((b) => b.netCents)) &&
          invoice.vatCents === sumCents(invoice.vatBreakdown.map((b) => b.vatCents)) &&
          invoice.grossCents === invoice.netCents + invoice.vatCents
        );
      }),
    );
  });

  it("never drifts by a cent from an exact rational computation", () => {
    fc.assert(
      fc.property(lineArbitrary, (line) => {
        const { netCents } = computeLineAmounts(line);
        // Exact cents x 10^6 = quantity x price in micro-euros x (100 - d).
        const exactCentsTimes1e6 =
          BigInt(line.quantity) *
          BigInt(line.unitPriceExclTax.replace(".", "")) *
          BigInt(100 - Number(line.discountPercent ?? "0"));
        // |net - exact| <= 0.5 cent  <=>  |net x 10^6 - exact x 10^6| <= 500 000
        const difference = BigInt(netCents) * 1_000_000n - exactCentsTimes1e6;
        const absolute = difference < 0n ? -difference : difference;
        return absolute <= 500_000n;
      }),
    );
  });

  it("parses provider strings into the same totals the lines give", () => {
    const { grossCents } = computeLineAmounts({
      quantity: "2",
      unitPriceExclTax: "0.1",
      vatRateBasisPoints: 0,
    });
    expect(grossCents).toBe(parseCents("0.2"));
  });
});
