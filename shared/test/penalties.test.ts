import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type CalendarDate, addDays, fromEpochDay, halfYearOf, toEpochDay } from "../src/dates";
import {
  type LatePaymentPenaltiesInput,
  type PenaltyRate,
  assertContractualRateAllowed,
  computeLatePaymentPenalties,
  ECB_RATES,
  FIXED_RECOVERY_INDEMNITY_CENTS,
  FRENCH_LEGAL_INTEREST_RATES,
  legalInterestRateForHalfYear,
  penaltyRateFor,
  penaltyRateSchema,
  referenceRateForHalfYear,
} from "../src/penalties";

const b2b = (
  input: Omit<LatePaymentPenaltiesInput, "isBusinessCustomer" | "payments"> &
    Partial<Pick<LatePaymentPenaltiesInput, "payments">>,
): LatePaymentPenaltiesInput => ({ payments: [], isBusinessCustomer: true, ...input });

describe("the rate tables say where they come from and which version they are", () => {
  it("the ECB table is versioned, sourced and in chronological order", () => {
    expect(ECB_RATES.version).toBe("2026-01");
    expect(ECB_RATES.confirmedThrough).toBe("2026-01-01");
    expect(ECB_RATES.source).toContain("https://www.ecb.europa.eu/");
    const dates = ECB_RATES.changes.map((change) => change.effective);
    expect(dates).toEqual([...dates].sort());
    expect(ECB_RATES.changes).toHaveLength(19);
  });

  it("the legal interest table is versioned, sourced and in chronological order", () => {
    expect(FRENCH_LEGAL_INTEREST_RATES.version).toBe("2026-01");
    expect(FRENCH_LEGAL_INTEREST_RATES.source).toContain("L313-2");
    const keys = FRENCH_LEGAL_INTEREST_RATES.halfYears.map((rate) => rate.year * 2 + rate.half);
    expect(keys).toEqual([...keys].sort((a, b) => a - b));
  });
});

describe("the ECB reference rate of a half-year is the rate in force on 1 January or 1 July", () => {
  it.each([
    // year, half, ECB bp, provisional — and the change in force on the reference date
    [2016, 2, 0, false], // 2016-03-16: 0.00 %
    [2022, 2, 0, false], // 2022-07-01 is before the 2022-07-27 rise
    [2023, 1, 250, false], // 2022-12-21: 2.50 %
    [2023, 2, 400, false], // 2023-06-21: 4.00 %
    [2024, 1, 450, false], // 2023-09-20: 4.50 %
    [2024, 2, 425, false], // 2024-06-12: 4.25 %
    [2025, 1, 315, false], // 2024-12-18: 3.15 % (the 2.40 % of April 2025 does not apply to H1)
    [2025, 2, 215, false], // 2025-06-11: 2.15 %
    [2026, 1, 215, false], // 2026-01-01 is the last confirmed day
    [2026, 2, 215, true], // not confirmed yet: last known rate, provisional
    [2031, 1, 215, true],
  ] as const)("%i H%i: %i bp, provisional %s", (year, half, ecbBasisPoints, provisional) => {
    expect(referenceRateForHalfYear(year, half)).toEqual({ ecbBasisPoints, provisional });
  });

  it("a half-year before the table starts is refused with ECB_RATE_UNKNOWN", () => {
    expect(() => referenceRateForHalfYear(2016, 1)).toThrowError(
      expect.objectContaining({ code: "ECB_RATE_UNKNOWN" }),
    );
  });

  it.each([
    [2025.5, 1],
    [2025, 3],
    [999, 1],
  ])("%s H%s is refused with HALF_YEAR_INVALID", (year, half) => {
    expect(() => referenceRateForHalfYear(year, half as 1 | 2)).toThrowError(
      expect.objectContaining({ code: "HALF_YEAR_INVALID" }),
    );
  });
});

describe("the legal interest rate for professional creditors", () => {
  it.each([
    [2023, 1, 206, false],
    [2023, 2, 422, false],
    [2024, 1, 507, false],
    [2024, 2, 492, false],
    [2025, 1, 371, false],
    [2025, 2, 276, false],
    [2026, 1, 276, true],
    [2027, 2, 276, true],
  ] as const)("%i H%i: %i bp, provisional %s", (year, half, basisPoints, provisional) => {
    expect(legalInterestRateForHalfYear(year, half)).toEqual({ basisPoints, provisional });
  });

  it("a half-year before the table starts is refused with LEGAL_INTEREST_RATE_UNKNOWN", () => {
    expect(() => legalInterestRateForHalfYear(2022, 2)).toThrowError(
      expect.objectContaining({ code: "LEGAL_INTEREST_RATE_UNKNOWN" }),
    );
  });
});

describe("the penalty rate applying on a day", () => {
  it.each([
    // date, rate, bp, provisional
    ["2025-06-30", { kind: "ecb_plus_10" }, 1315, false], // 3.15 + 10
    ["2025-07-01", { kind: "ecb_plus_10" }, 1215, false], // 2.15 + 10
    ["2024-03-01", { kind: "ecb_plus_10" }, 1450, false], // 4.50 + 10
    ["2026-07-01", { kind: "ecb_plus_10" }, 1215, true],
    ["2025-08-01", { kind: "contractual", basisPoints: 900 }, 900, false],
    ["2026-09-01", { kind: "contractual", basisPoints: 900 }, 900, false],
  ] satisfies [CalendarDate, PenaltyRate, number, boolean][])(
    "on %s at %j: %i bp, provisional %s",
    (date, rate, basisPoints, provisional) => {
      expect(penaltyRateFor(date, rate)).toEqual({ basisPoints, provisional });
    },
  );

  it("defaults to ECB + 10 points", () => {
    expect(penaltyRateFor("2025-07-01")).toEqual({ basisPoints: 1215, provisional: false });
  });

  it.each([
    // date, contractual bp, minimum = 3 x legal rate of the half-year
    ["2025-08-01", 827, 828], // 2025 H2: 3 x 2.76 % = 8.28 %
    ["2024-02-01", 1500, 1521], // 2024 H1: 3 x 5.07 % = 15.21 %
    ["2026-03-01", 800, 828], // 2026 H1 not published: last known 2.76 %
  ] as const)(
    "a contractual rate of %s bp on %s is refused with PENALTY_RATE_BELOW_LEGAL_MINIMUM",
    (date, basisPoints, minimumBasisPoints) => {
      expect(() => penaltyRateFor(date, { kind: "contractual", basisPoints })).toThrowError(
        expect.objectContaining({
          code: "PENALTY_RATE_BELOW_LEGAL_MINIMUM",
          details: expect.objectContaining({ minimumBasisPoints }),
        }),
      );
    },
  );

  it("a contractual rate exactly at the minimum is allowed", () => {
    expect(() => assertContractualRateAllowed(828, "2025-08-01")).not.toThrow();
    expect(() => assertContractualRateAllowed(1521, "2024-02-01")).not.toThrow();
  });

  it("the refusal message names both rates in percent", () => {
    expect(() => assertContractualRateAllowed(1500, "2024-02-01")).toThrowError(
      /15\.00 % is below the legal minimum of 15\.21 %/,
    );
  });

  it.each([-1, 12.5, Number.NaN])("%s bp is refused with PENALTY_RATE_INVALID", (basisPoints) => {
    expect(() => assertContractualRateAllowed(basisPoints, "2025-08-01")).toThrowError(
      expect.objectContaining({ code: "PENALTY_RATE_INVALID" }),
    );
  });

  it("a penalty rate from settings is parsed at the boundary", () => {
    expect(penaltyRateSchema.parse({ kind: "contractual", basisPoints: 1200 })).toEqual({
      kind: "contractual",
      basisPoints: 1200,
    });
    expect(penaltyRateSchema.safeParse({ kind: "contractual", basisPoints: 12.5 }).success).toBe(
      false,
    );
    expect(penaltyRateSchema.safeParse({ kind: "ecb" }).success).toBe(false);
  });
});

describe("late-payment penalties on an invoice", () => {
  it("an invoice unpaid over a half-year boundary is charged each half-year's rate", () => {
    // Due 2025-06-15, EUR 12,000.00 unpaid on 2025-07-20: 35 days late.
    // 2025-06-16..2025-06-30: 15 days at 3.15 + 10 = 13.15 % (1315 bp)
    // 2025-07-01..2025-07-20: 20 days at 2.15 + 10 = 12.15 % (1215 bp)
    // 1,200,000 x (1315 x 15 + 1215 x 20) / (10,000 x 365)
    //   = 1,200,000 x 44,025 / 3,650,000 = 14,473.97... -> 14,474 cents
    const penalties = computeLatePaymentPenalties(
      b2b({ dueDate: "2025-06-15", grossCents: 1_200_000, today: "2025-07-20" }),
    );
    expect(penalties.periods).toEqual([
      {
        from: "2025-06-16",
        to: "2025-06-30",
        days: 15,
        principalCents: 1_200_000,
        rateBasisPoints: 1315,
        provisional: false,
      },
      {
        from: "2025-07-01",
        to: "2025-07-20",
        days: 20,
        principalCents: 1_200_000,
        rateBasisPoints: 1215,
        provisional: false,
      },
    ]);
    expect(penalties).toMatchObject({
      daysLate: 35,
      interestCents: 14_474,
      indemnityCents: 4000,
      totalCents: 18_474,
      provisional: false,
    });
  });

  it("interest is rounded once on the total, not per period", () => {
    // 10,074 x 1315 x 15 / 3,650,000 = 54.441 and 10,074 x 1215 x 20 / 3,650,000 = 67.068:
    // rounding each gives 54 + 67 = 121, the exact sum 121.509 rounds to 122.
    const penalties = computeLatePaymentPenalties(
      b2b({ dueDate: "2025-06-15", grossCents: 10_074, today: "2025-07-20" }),
    );
    expect(penalties.periods).toHaveLength(2);
    expect(penalties.interestCents).toBe(122);
  });

  it("half a cent of interest rounds up, away from zero", () => {
    // 54,750 x 1215 x 20 / 3,650,000 = 364.5 -> 365 (banker's rounding would give 364)
    const penalties = computeLatePaymentPenalties(
      b2b({ dueDate: "2025-06-30", grossCents: 54_750, today: "2025-07-20" }),
    );
    expect(penalties.interestCents).toBe(365);
  });

  it("a partial payment stops interest on its amount from the day after its date", () => {
    // Due 2025-03-31, EUR 10,000.00; EUR 4,000.00 paid on 2025-04-20; seen on 2025-05-10.
    // The payment day is still charged on the full amount (owed at the start of that day).
    // 2025-04-01..2025-04-20: 20 days on 1,000,000 at 1315 bp (2025 H1: 3.15 + 10)
    // 2025-04-21..2025-05-10: 10 + 10 = 20 days on 600,000 at 1315 bp
    // 1315 x (1,000,000 x 20 + 600,000 x 20) / 3,650,000 = 1315 x 32,000,000 / 3,650,000
    //   = 42,080,000,000 / 3,650,000 = 11,528.767... -> 11,529 cents.
    // (The old rule, 19 + 21 days, gave 11,385.) The EUR 40 indemnity is not reduced.
    const penalties = computeLatePaymentPenalties(
      b2b({
        dueDate: "2025-03-31",
        grossCents: 1_000_000,
        payments: [{ date: "2025-04-20", amountCents: 400_000 }],
        today: "2025-05-10",
      }),
    );
    expect(penalties.periods.map((p) => [p.from, p.to, p.days, p.principalCents])).toEqual([
      ["2025-04-01", "2025-04-20", 20, 1_000_000],
      ["2025-04-21", "2025-05-10", 20, 600_000],
    ]);
    expect(penalties).toMatchObject({
      daysLate: 40,
      interestCents: 11_529,
      indemnityCents: 4000,
      totalCents: 15_529,
    });
  });

  it("a payment before the due date reduces the principal from the first day late", () => {
    // 600,000 owed from 2025-04-01 to 2025-04-10: 600,000 x 1315 x 10 / 3,650,000 = 2,161.64 -> 2,162
    const penalties = computeLatePaymentPenalties(
      b2b({
        dueDate: "2025-03-31",
        grossCents: 1_000_000,
        payments: [{ date: "2025-03-20", amountCents: 400_000 }],
        today: "2025-04-10",
      }),
    );
    expect(penalties.periods).toEqual([
      expect.objectContaining({ from: "2025-04-01", to: "2025-04-10", principalCents: 600_000 }),
    ]);
    expect(penalties.interestCents).toBe(2162);
  });

  it("an invoice paid late owes interest up to and including its payment date and the indemnity, then stops", () => {
    // Due 2024-11-30, EUR 5,000.00 paid in full on 2024-12-20 (20 days late).
    // 2024 H2 rate: 4.25 + 10 = 14.25 %. Days charged 2024-12-01..2024-12-20: 20.
    // 500,000 x 1425 x 20 / 3,650,000 = 14,250,000,000 / 3,650,000 = 3,904.109... -> 3,904
    // cents, the same whatever "today" (the old rule, 19 days, gave 3,709).
    for (const today of ["2024-12-20", "2025-02-01", "2026-12-31"]) {
      const penalties = computeLatePaymentPenalties(
        b2b({
          dueDate: "2024-11-30",
          grossCents: 500_000,
          payments: [{ date: "2024-12-20", amountCents: 500_000 }],
          today,
        }),
      );
      expect(penalties).toMatchObject({
        daysLate: 20,
        interestCents: 3904,
        indemnityCents: 4000,
        totalCents: 7904,
        provisional: false,
      });
      expect(penalties.periods).toEqual([
        {
          from: "2024-12-01",
          to: "2024-12-20",
          days: 20,
          principalCents: 500_000,
          rateBasisPoints: 1425,
          provisional: false,
        },
      ]);
    }
  });

  it("an invoice due on 1 January and paid in full on 11 January owes 10 days of interest", () => {
    // Due 2026-01-01, EUR 10,000.00 paid in full on 2026-01-11: 2026-01-02..2026-01-11, 10 days.
    // 2026 H1 rate: 2.15 + 10 = 12.15 %, confirmed (the table is confirmed through 2026-01-01).
    // 1,000,000 x 1215 x 10 / 3,650,000 = 12,150,000,000 / 3,650,000 = 3,328.767... -> 3,329
    // cents (9 days would give 2,995.89 -> 2,996; 11 days 3,661.64 -> 3,662).
    for (const today of ["2026-01-11", "2026-02-01"]) {
      const penalties = computeLatePaymentPenalties(
        b2b({
          dueDate: "2026-01-01",
          grossCents: 1_000_000,
          payments: [{ date: "2026-01-11", amountCents: 1_000_000 }],
          today,
        }),
      );
      expect(penalties.periods).toEqual([
        {
          from: "2026-01-02",
          to: "2026-01-11",
          days: 10,
          principalCents: 1_000_000,
          rateBasisPoints: 1215,
          provisional: false,
        },
      ]);
      expect(penalties).toMatchObject({
        daysLate: 10,
        interestCents: 3329,
        indemnityCents: 4000,
        totalCents: 7329,
        provisional: false,
      });
    }
  });

  it("an invoice paid the day after its due date owes the indemnity and one day of interest", () => {
    // Due 2025-03-31, EUR 1,000.00 paid in full on 2025-04-01: that day is charged.
    // 100,000 x 1315 x 1 / 3,650,000 = 131,500,000 / 3,650,000 = 36.027... -> 36 cents.
    const penalties = computeLatePaymentPenalties(
      b2b({
        dueDate: "2025-03-31",
        grossCents: 100_000,
        payments: [{ date: "2025-04-01", amountCents: 100_000 }],
        today: "2025-05-01",
      }),
    );
    expect(penalties).toMatchObject({
      daysLate: 1,
      interestCents: 36,
      indemnityCents: 4000,
      totalCents: 4036,
    });
    expect(penalties.periods).toEqual([
      {
        from: "2025-04-01",
        to: "2025-04-01",
        days: 1,
        principalCents: 100_000,
        rateBasisPoints: 1315,
        provisional: false,
      },
    ]);
  });

  const zeros = {
    daysLate: 0,
    interestCents: 0,
    indemnityCents: 0,
    totalCents: 0,
    provisional: false,
    periods: [],
  };

  it.each([
    [
      "paid in full on the due date",
      b2b({
        dueDate: "2025-03-31",
        grossCents: 100_000,
        payments: [{ date: "2025-03-31", amountCents: 100_000 }],
        today: "2025-06-01",
      }),
    ],
    [
      "paid in two instalments before the due date",
      b2b({
        dueDate: "2025-03-31",
        grossCents: 100_000,
        payments: [
          { date: "2025-03-01", amountCents: 30_000 },
          { date: "2025-03-15", amountCents: 70_000 },
        ],
        today: "2025-06-01",
      }),
    ],
    [
      "still before its due date",
      b2b({ dueDate: "2025-03-31", grossCents: 100_000, today: "2025-03-10" }),
    ],
    ["on its due date", b2b({ dueDate: "2025-03-31", grossCents: 100_000, today: "2025-03-31" })],
    ["a credit note", b2b({ dueDate: "2025-03-31", grossCents: -50_000, today: "2025-06-01" })],
  ])("an invoice %s owes nothing", (_, input) => {
    expect(computeLatePaymentPenalties(input)).toEqual(zeros);
  });

  it("a payment dated after today is not counted yet", () => {
    const penalties = computeLatePaymentPenalties(
      b2b({
        dueDate: "2025-06-15",
        grossCents: 1_200_000,
        payments: [{ date: "2025-08-01", amountCents: 1_200_000 }],
        today: "2025-07-20",
      }),
    );
    expect(penalties.interestCents).toBe(14_474);
  });

  it("a reversed payment makes the principal owed again from the day after the reversal", () => {
    // Due 2025-03-31, 100,000 paid 2025-04-05, reversed 2025-04-10, seen 2025-04-20.
    // Owed at the start of each day: 100,000 on 04-01..04-05 (the payment counts from 04-06),
    // nothing on 04-06..04-10, 100,000 again from 04-11 (the day after the reversal).
    // Charged: 04-01..04-05 (5 days) and 04-11..04-20 (10 days) on 100,000 at 1315 bp:
    // 100,000 x 1315 x 15 / 3,650,000 = 1,972,500,000 / 3,650,000 = 540.41 -> 540
    // (the same 15 days in total as the old rule, so the periods are what tell them apart).
    const penalties = computeLatePaymentPenalties(
      b2b({
        dueDate: "2025-03-31",
        grossCents: 100_000,
        payments: [
          { date: "2025-04-05", amountCents: 100_000 },
          { date: "2025-04-10", amountCents: -100_000 },
        ],
        today: "2025-04-20",
      }),
    );
    expect(penalties.periods.map((p) => [p.from, p.to, p.days, p.principalCents])).toEqual([
      ["2025-04-01", "2025-04-05", 5, 100_000],
      ["2025-04-11", "2025-04-20", 10, 100_000],
    ]);
    expect(penalties).toMatchObject({ daysLate: 20, interestCents: 540 });
  });

  it("a consumer owes interest but no recovery indemnity", () => {
    const penalties = computeLatePaymentPenalties({
      dueDate: "2025-06-15",
      grossCents: 1_200_000,
      payments: [],
      today: "2025-07-20",
      isBusinessCustomer: false,
    });
    expect(penalties).toMatchObject({
      interestCents: 14_474,
      indemnityCents: 0,
      totalCents: 14_474,
    });
  });

  it("a debtor in insolvency proceedings is not charged the recovery indemnity", () => {
    const penalties = computeLatePaymentPenalties(
      b2b({
        dueDate: "2025-06-15",
        grossCents: 1_200_000,
        today: "2025-07-20",
        debtorInInsolvencyProceedings: true,
      }),
    );
    expect(penalties).toMatchObject({
      interestCents: 14_474,
      indemnityCents: 0,
      totalCents: 14_474,
    });
  });

  it("the indemnity is EUR 40 per invoice whatever the amount", () => {
    expect(FIXED_RECOVERY_INDEMNITY_CENTS).toBe(4000);
    const small = computeLatePaymentPenalties(
      b2b({ dueDate: "2025-06-15", grossCents: 1, today: "2025-06-16" }),
    );
    expect(small).toMatchObject({ interestCents: 0, indemnityCents: 4000, totalCents: 4000 });
  });

  it("a contractual rate is applied when it is at least 3 x the legal rate", () => {
    // 2025 H2 minimum 828 bp; 9.00 % on 1,200,000 from 2025-07-01 to 2025-07-20 (20 days):
    // 1,200,000 x 900 x 20 / 3,650,000 = 5,917.81 -> 5,918
    const penalties = computeLatePaymentPenalties(
      b2b({
        dueDate: "2025-06-30",
        grossCents: 1_200_000,
        today: "2025-07-20",
        rate: { kind: "contractual", basisPoints: 900 },
      }),
    );
    expect(penalties.periods).toEqual([
      expect.objectContaining({ days: 20, rateBasisPoints: 900, provisional: false }),
    ]);
    expect(penalties.interestCents).toBe(5918);
  });

  it("a contractual rate below the legal minimum is refused rather than silently applied", () => {
    expect(() =>
      computeLatePaymentPenalties(
        b2b({
          dueDate: "2024-06-15",
          grossCents: 1_200_000,
          today: "2024-07-20",
          rate: { kind: "contractual", basisPoints: 1000 },
        }),
      ),
    ).toThrowError(expect.objectContaining({ code: "PENALTY_RATE_BELOW_LEGAL_MINIMUM" }));
  });

  it("penalties running into an unpublished half-year are flagged provisional, not refused", () => {
    // 2026-06-16..06-30 at 2.15 + 10 (2026 H1 confirmed), 2026-07-01..07-10 provisional.
    // 100,000 x 1215 x 25 / 3,650,000 = 832.19 -> 832
    const penalties = computeLatePaymentPenalties(
      b2b({ dueDate: "2026-06-15", grossCents: 100_000, today: "2026-07-10" }),
    );
    expect(penalties.periods.map((p) => [p.from, p.rateBasisPoints, p.provisional])).toEqual([
      ["2026-06-16", 1215, false],
      ["2026-07-01", 1215, true],
    ]);
    expect(penalties).toMatchObject({ provisional: true, interestCents: 832 });
  });

  it("a large amount is charged to the exact cent, 365 days a year even in a leap year", () => {
    // EUR 1,234,567.89 due 2024-01-31, unpaid on 2024-03-01: 2024-02-01..2024-03-01 = 30 days
    // (February 2024 has 29). 2024 H1: 4.50 + 10 = 14.50 %.
    // 123,456,789 x 1450 x 30 / 3,650,000 = 5,370,370,321,500 / 3,650,000
    //   = 1,471,334.3346... -> 1,471,334 cents
    const penalties = computeLatePaymentPenalties(
      b2b({ dueDate: "2024-01-31", grossCents: 123_456_789, today: "2024-03-01" }),
    );
    expect(penalties).toMatchObject({
      daysLate: 30,
      interestCents: 1_471_334,
      totalCents: 1_475_334,
    });
  });

  it("amounts that are not integer cents are refused", () => {
    expect(() =>
      computeLatePaymentPenalties(
        b2b({ dueDate: "2025-01-31", grossCents: 10.5, today: "2025-03-01" }),
      ),
    ).toThrowError(expect.objectContaining({ code: "MONEY_NOT_INTEGER_CENTS" }));
    expect(() =>
      computeLatePaymentPenalties(
        b2b({
          dueDate: "2025-01-31",
          grossCents: 1000,
          payments: [{ date: "2025-02-01", amountCents: 0.1 }],
          today: "2025-03-01",
        }),
      ),
    ).toThrowError(expect.objectContaining({ code: "MONEY_NOT_INTEGER_CENTS" }));
  });
});

/**
 * Day-by-day reference: charge each late day on what is owed at its start, i.e. after the
 * payments dated strictly before it (a payment's own day is still charged), round once.
 * Payments after today are never subtracted since every charged day is on or before today.
 */
function referenceInterestCents(input: LatePaymentPenaltiesInput): bigint {
  let numerator = 0n;
  for (let day = toEpochDay(input.dueDate) + 1; day <= toEpochDay(input.today); day += 1) {
    const owed = input.payments.reduce(
      (sum, payment) => (toEpochDay(payment.date) < day ? sum - BigInt(payment.amountCents) : sum),
      BigInt(input.grossCents),
    );
    if (owed <= 0n) continue;
    const { year, half } = halfYearOf(fromEpochDay(day));
    const basisPoints = BigInt(referenceRateForHalfYear(year, half).ecbBasisPoints + 1000);
    numerator += owed * basisPoints;
  }
  const denominator = 3_650_000n;
  return (numerator * 2n + denominator) / (denominator * 2n);
}

const FIRST_DAY = toEpochDay("2016-07-01");
const LAST_DAY = toEpochDay("2027-12-31");
const dateArb = fc.integer({ min: FIRST_DAY, max: LAST_DAY }).map(fromEpochDay);

const invoiceArb = fc
  .record({
    dueDate: fc.integer({ min: FIRST_DAY, max: LAST_DAY - 400 }).map(fromEpochDay),
    grossCents: fc.integer({ min: 1, max: 1_000_000_000_000 }),
    paymentOffsets: fc.array(
      fc.record({
        offset: fc.integer({ min: -30, max: 400 }),
        share: fc.integer({ min: 1, max: 100 }),
      }),
      { maxLength: 4 },
    ),
    lateDays: fc.integer({ min: -10, max: 400 }),
    isBusinessCustomer: fc.boolean(),
  })
  .map(({ dueDate, grossCents, paymentOffsets, lateDays, isBusinessCustomer }) => ({
    dueDate,
    grossCents,
    payments: paymentOffsets.map(({ offset, share }) => ({
      date: addDays(dueDate, offset),
      // Shares of the gross in percent, computed exactly so the amounts stay integer cents.
      amountCents: Number((BigInt(grossCents) * BigInt(share)) / 100n),
    })),
    today: addDays(dueDate, lateDays),
    isBusinessCustomer,
  }));

describe("properties of late-payment interest", () => {
  it("is never negative", () => {
    fc.assert(
      fc.property(invoiceArb, (input) => {
        const penalties = computeLatePaymentPenalties(input);
        expect(penalties.interestCents).toBeGreaterThanOrEqual(0);
        expect(penalties.totalCents).toBe(penalties.interestCents + penalties.indemnityCents);
      }),
    );
  });

  it("never decreases as days go by", () => {
    fc.assert(
      fc.property(invoiceArb, fc.integer({ min: 1, max: 200 }), (input, moreDays) => {
        const earlier = computeLatePaymentPenalties(input);
        const later = computeLatePaymentPenalties({
          ...input,
          today: addDays(input.today, moreDays),
        });
        expect(later.interestCents).toBeGreaterThanOrEqual(earlier.interestCents);
        expect(later.totalCents).toBeGreaterThanOrEqual(earlier.totalCents);
      }),
    );
  });

  it("matches an exact day-by-day bigint computation to the cent", () => {
    fc.assert(
      fc.property(invoiceArb, (input) => {
        expect(BigInt(computeLatePaymentPenalties(input).interestCents)).toBe(
          referenceInterestCents(input),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("its periods cover each charged day once and add up to the exact interest", () => {
    fc.assert(
      fc.property(invoiceArb, (input) => {
        const { periods, interestCents } = computeLatePaymentPenalties(input);
        let numerator = 0n;
        for (const [index, period] of periods.entries()) {
          expect(period.days).toBe(toEpochDay(period.to) - toEpochDay(period.from) + 1);
          expect(halfYearOf(period.from)).toEqual(halfYearOf(period.to));
          const next = periods[index + 1];
          if (next) expect(next.from > period.to).toBe(true);
          numerator +=
            BigInt(period.principalCents) * BigInt(period.rateBasisPoints) * BigInt(period.days);
        }
        expect(BigInt(interestCents)).toBe((numerator * 2n + 3_650_000n) / 7_300_000n);
      }),
    );
  });

  it("any date from the second half of 2016 on has a rate", () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        expect(penaltyRateFor(date).basisPoints).toBeGreaterThanOrEqual(1000);
      }),
    );
  });
});
