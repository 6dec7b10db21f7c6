import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addDays,
  assertCalendarDate,
  assertWithinLmeCeiling,
  calendarDateSchema,
  daysBetween,
  dueDateFor,
  endOfMonth,
  formatAge,
  formatDate,
  fromEpochDay,
  halfYearOf,
  isCalendarDate,
  lmeCeiling,
  maxDate,
  parisDateOf,
  startOfMonth,
  toEpochDay,
  compareDates,
} from "../src";

describe("the Paris calendar date of an instant", () => {
  it.each([
    // 00:30 in Paris on the 1st is still the 1st, in winter (UTC+1) and summer (UTC+2).
    ["2026-02-28T23:30:00Z", "2026-03-01"],
    ["2026-06-30T22:30:00Z", "2026-07-01"],
    ["2026-06-30T21:59:59Z", "2026-06-30"],
    ["2026-12-31T23:00:00Z", "2027-01-01"],
    ["2026-03-29T00:59:59Z", "2026-03-29"],
    ["2026-01-15T12:00:00Z", "2026-01-15"],
  ])("%s is %s in Paris", (instant, date) => {
    expect(parisDateOf(new Date(instant))).toBe(date);
  });

  it("refuses an invalid instant", () => {
    expect(() => parisDateOf(new Date("nope"))).toThrowError(
      expect.objectContaining({ code: "DATE_INVALID" }),
    );
  });
});

describe("calendar dates", () => {
  it.each(["2026-02-29", "2026-13-01", "2026-04-31", "26-01-01", "2026-1-1", ""])(
    "%j is not a calendar date",
    (text) => {
      expect(isCalendarDate(text)).toBe(false);
      expect(calendarDateSchema.safeParse(text).success).toBe(false);
      expect(() => assertCalendarDate(text)).toThrowError(
        expect.objectContaining({ code: "DATE_INVALID" }),
      );
    },
  );

  it("accepts leap days", () => {
    expect(isCalendarDate("2028-02-29")).toBe(true);
  });

  it.each([
    ["2026-01-31", 1, "2026-02-01"],
    ["2026-02-28", 1, "2026-03-01"],
    ["2028-02-28", 1, "2028-02-29"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2026-12-31", 365, "2027-12-31"],
  ])("%s + %i days is %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it.each([
    ["2026-01-15", "2026-01-31"],
    ["2026-02-01", "2026-02-28"],
    ["2028-02-10", "2028-02-29"],
    ["2026-12-31", "2026-12-31"],
  ])("the end of the month of %s is %s", (date, expected) => {
    expect(endOfMonth(date)).toBe(expected);
    expect(startOfMonth(date)).toBe(`${date.slice(0, 7)}-01`);
  });

  it("counts days across a daylight-saving change exactly", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysBetween("2026-10-24", "2026-10-26")).toBe(2);
  });

  it("epoch days round-trip for any date", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -100_000, max: 100_000 }),
        (day) => toEpochDay(fromEpochDay(day)) === day,
      ),
    );
  });

  it("adding then subtracting days is the identity", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40_000 }),
        fc.integer({ min: -5000, max: 5000 }),
        (start, days) => {
          const date = fromEpochDay(start);
          return (
            addDays(addDays(date, days), -days) === date &&
            daysBetween(date, addDays(date, days)) === days
          );
        },
      ),
    );
  });

  it("compares and picks the latest date", () => {
    expect(compareDates("2026-01-01", "2026-01-02")).toBe(-1);
    expect(compareDates("2026-01-02", "2026-01-01")).toBe(1);
    expect(compareDates("2026-01-01", "2026-01-01")).toBe(0);
    expect(maxDate("2026-01-01", "2026-03-01", "2026-02-01")).toBe("2026-03-01");
  });

  it("knows the half-year of a date", () => {
    expect(halfYearOf("2026-06-30")).toEqual({ year: 2026, half: 1 });
    expect(halfYearOf("2026-07-01")).toEqual({ year: 2026, half: 2 });
  });
});

describe("due dates from payment terms", () => {
  it.each([
    ["2026-01-31", "upon_receipt", "2026-01-31"],
    ["2026-01-31", "30_days", "2026-03-02"],
    ["2026-01-15", "60_days", "2026-03-16"],
    ["2026-01-15", "15_days", "2026-01-30"],
    // 45 days end of month from 2026-01-31: +45 days = 2026-03-17, end of that month.
    ["2026-01-31", "45_days_end_of_month", "2026-03-31"],
    ["2026-01-10", "45_days_end_of_month", "2026-02-28"],
    ["2026-01-31", "30_days_end_of_month", "2026-03-31"],
    ["2026-12-15", "30_days_end_of_month", "2027-01-31"],
  ])("an invoice of %s on %s terms is due %s", (issue, terms, due) => {
    expect(dueDateFor(issue, terms)).toBe(due);
  });

  it.each([
    // end of the issue month, then + N days
    ["2026-01-10", "45_days_end_of_month", "2026-03-17"],
    ["2026-01-31", "30_days_end_of_month", "2026-03-02"],
  ])("under the end-of-month-then-days reading, %s on %s is due %s", (issue, terms, due) => {
    expect(dueDateFor(issue, terms, "end_of_month_then_days")).toBe(due);
  });

  it("refuses terms longer than the LME allows", () => {
    expect(() => dueDateFor("2026-01-15", "90_days")).toThrowError(
      expect.objectContaining({ code: "PAYMENT_TERMS_EXCEED_LEGAL_MAXIMUM" }),
    );
  });

  it("refuses unknown terms", () => {
    expect(() => dueDateFor("2026-01-15", "next_tuesday")).toThrowError(
      expect.objectContaining({ code: "PAYMENT_TERMS_INVALID" }),
    );
  });

  it("refuses a due date before the invoice date", () => {
    expect(() => assertWithinLmeCeiling("2026-01-15", "2026-01-14")).toThrowError(
      expect.objectContaining({ code: "PAYMENT_TERMS_INVALID" }),
    );
  });

  it("the legal ceiling is the later of 60 days and 45 days end of month", () => {
    // 2026-01-17: +60 = 2026-03-18; +45 = 2026-03-03 -> end of month 2026-03-31; EOM + 45 = 2026-03-17.
    expect(lmeCeiling("2026-01-17")).toBe("2026-03-31");
    // 2026-02-27: +60 = 2026-04-28; +45 = 2026-04-13 -> 2026-04-30; EOM(02-28) + 45 = 2026-04-14.
    expect(lmeCeiling("2026-02-27")).toBe("2026-04-30");
  });

  it("every supported term from any date is within the legal ceiling", () => {
    const terms = [
      "upon_receipt",
      "7_days",
      "30_days",
      "45_days",
      "60_days",
      "30_days_end_of_month",
      "45_days_end_of_month",
    ];
    fc.assert(
      fc.property(
        fc.integer({ min: 19_000, max: 25_000 }),
        fc.constantFrom(...terms),
        fc.constantFrom("days_then_end_of_month" as const, "end_of_month_then_days" as const),
        (day, term, convention) => {
          const issue = fromEpochDay(day);
          const due = dueDateFor(issue, term, convention);
          return due >= issue && due <= lmeCeiling(issue);
        },
      ),
    );
  });
});

describe("display", () => {
  it("formats dates per locale", () => {
    expect(formatDate("2026-03-01", "fr-FR")).toBe("01/03/2026");
    expect(formatDate("2026-03-01", "en-US")).toBe("3/1/26");
    expect(formatDate("2026-03-01", "fr-FR", "medium")).toBe("1 mars 2026");
  });

  it.each([
    [0, "en-US", "now"],
    [45, "en-US", "45 sec. ago"],
    [180, "en-US", "3 min. ago"],
    [180, "fr-FR", "il y a 3\u00a0min"],
    [7200, "en-US", "2 hr. ago"],
    [172_800, "fr-FR", "avant-hier"],
  ])("an age of %i s in %s reads %j", (seconds, locale, text) => {
    expect(formatAge(seconds, locale)).toBe(text);
  });
});
