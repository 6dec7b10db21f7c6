import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  completeLuhn,
  EU_VAT_FORMATS,
  formatSiren,
  formatSiret,
  frenchVatKey,
  frenchVatNumberFromSiren,
  luhnValid,
  normalizeIdentifier,
  parseCompanyIdentifier,
  sirenOfSiret,
  validateSiren,
  validateSiret,
  validateVatNumber,
} from "../src/identifiers";
import type { Result } from "../src/errors";

function errorCode<T>(result: Result<T>): string | null {
  return result.ok ? null : result.error.code;
}

function errorMessage<T>(result: Result<T>): string {
  if (result.ok) throw new Error("expected a refusal");
  return result.error.message;
}

const eightDigits = fc.stringMatching(/^\d{8}$/);
const validSiren = eightDigits.map(completeLuhn);

describe("Luhn helpers", () => {
  it.each([
    ["732829320", true],
    ["732829321", false],
    ["73282932000074", true],
    ["", false],
    ["7328 29320", false],
  ])("luhnValid(%j) is %s", (digits, expected) => {
    expect(luhnValid(digits)).toBe(expected);
  });

  it("completes a SIREN with its check digit", () => {
    expect(completeLuhn("73282932")).toBe("732829320");
  });

  it("computes the French VAT key of a SIREN", () => {
    expect(frenchVatKey("732829320")).toBe("44");
    expect(frenchVatNumberFromSiren("732829320")).toBe("FR44732829320");
  });
});

describe("normalizeIdentifier", () => {
  it.each([
    ["123 456 789", "123456789"],
    ["FR 44 732.829.320", "FR44732829320"],
    ["fr44-732-829-320", "FR44732829320"],
    ["732/829/320/00074", "73282932000074"],
    ["732\u00a0829\u00a0320", "732829320"],
    ["732\u202f829\u202f320", "732829320"],
    ["  nl 123456789 b01\t", "NL123456789B01"],
    ["FR\u201344\u2011732829320", "FR44732829320"],
  ])("%j becomes %j", (input, expected) => {
    expect(normalizeIdentifier(input)).toBe(expected);
  });

  it("is idempotent", () => {
    fc.assert(
      fc.property(fc.string(), (input) => {
        const once = normalizeIdentifier(input);
        expect(normalizeIdentifier(once)).toBe(once);
      }),
    );
  });
});

describe("formatting for display", () => {
  it("groups a SIREN by three and a SIRET's NIC apart", () => {
    expect(formatSiren("732829320")).toBe("732 829 320");
    expect(formatSiret("73282932000074")).toBe("732 829 320 00074");
  });
});

describe("validateSiren", () => {
  it.each([
    ["732829320", "732829320"],
    ["732 829 320", "732829320"],
    ["123 456 782", "123456782"],
    ["732.829.320", "732829320"],
    // La Poste's SIREN itself is an ordinary Luhn number; only its SIRETs are special.
    ["356 000 000", "356000000"],
  ])("accepts %j as SIREN %s", (input, siren) => {
    expect(validateSiren(input)).toEqual({ ok: true, value: siren });
  });

  it.each([
    ["", "IDENTIFIER_EMPTY"],
    [" \u00a0 ", "IDENTIFIER_EMPTY"],
    ["12345678", "SIREN_INVALID_FORMAT"],
    ["1234567890", "SIREN_INVALID_FORMAT"],
    ["73282932O", "SIREN_INVALID_FORMAT"],
    ["FR44732829320", "SIREN_INVALID_FORMAT"],
    ["732829321", "SIREN_INVALID_CHECKSUM"],
    ["123 456 789", "SIREN_INVALID_CHECKSUM"],
    ["723829320", "SIREN_INVALID_CHECKSUM"],
  ])("refuses %j with %s", (input, code) => {
    expect(errorCode(validateSiren(input))).toBe(code);
  });

  it("tells the user how many digits they typed", () => {
    expect(errorMessage(validateSiren("12345678"))).toBe('A SIREN has 9 digits; "12345678" has 8.');
  });

  it("says when a SIREN contains something other than digits", () => {
    expect(errorMessage(validateSiren("73282932O"))).toBe(
      'A SIREN has 9 digits and nothing else; "73282932O" contains other characters.',
    );
  });

  it("points at a mistyped digit when the check digit does not match", () => {
    expect(errorMessage(validateSiren(" 732 829 321 "))).toBe(
      '"732 829 321" is not a valid SIREN: its check digit does not match. Look for a mistyped or swapped digit.',
    );
  });

  it("accepts every 8 digits completed with their Luhn check digit", () => {
    fc.assert(
      fc.property(eightDigits, (partial) => {
        const siren = completeLuhn(partial);
        expect(validateSiren(siren)).toEqual({ ok: true, value: siren });
      }),
    );
  });

  it("refuses a valid SIREN with any single digit changed", () => {
    fc.assert(
      fc.property(
        validSiren,
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 1, max: 9 }),
        (siren, position, shift) => {
          const changed = (Number(siren[position]) + shift) % 10;
          const typo = `${siren.slice(0, position)}${changed}${siren.slice(position + 1)}`;
          expect(errorCode(validateSiren(typo))).toBe("SIREN_INVALID_CHECKSUM");
        },
      ),
    );
  });
});

describe("validateSiret", () => {
  it.each([
    ["73282932000074", "73282932000074"],
    ["732 829 320 00074", "73282932000074"],
    ["732 829 320 00082", "73282932000082"],
  ])("accepts %j", (input, siret) => {
    expect(validateSiret(input)).toEqual({ ok: true, value: siret });
  });

  it.each([
    ["", "IDENTIFIER_EMPTY"],
    ["7328293200007", "SIRET_INVALID_FORMAT"],
    ["732829320", "SIRET_INVALID_FORMAT"],
    ["7328293200007A", "SIRET_INVALID_FORMAT"],
    ["73282932000079", "SIRET_INVALID_CHECKSUM"],
    ["73282932000047", "SIRET_INVALID_CHECKSUM"],
  ])("refuses %j with %s", (input, code) => {
    expect(errorCode(validateSiret(input))).toBe(code);
  });

  it("explains that a SIRET is the SIREN followed by the NIC", () => {
    expect(errorMessage(validateSiret("732 829 320 0007"))).toBe(
      'A SIRET has 14 digits (the 9-digit SIREN followed by the 5-digit NIC); "732 829 320 0007" has 13.',
    );
    expect(errorMessage(validateSiret("7328293200007A"))).toBe(
      'A SIRET has 14 digits and nothing else; "7328293200007A" contains other characters.',
    );
    expect(errorMessage(validateSiret("73282932000079"))).toContain("check digit does not match");
  });

  it("accepts every 13 digits completed with their Luhn check digit, La Poste aside", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{13}$/), (partial) => {
        fc.pre(!partial.startsWith("356000000"));
        const siret = completeLuhn(partial);
        expect(validateSiret(siret)).toEqual({ ok: true, value: siret });
      }),
    );
  });

  describe("La Poste establishments (SIREN 356 000 000)", () => {
    const digitSum = (digits: string): number =>
      [...digits].reduce((sum, digit) => sum + Number(digit), 0);

    it("accepts a post office SIRET whose digits add up to a multiple of 5, though it fails Luhn", () => {
      const postOffice = "35600000012346";
      expect(digitSum(postOffice) % 5).toBe(0);
      expect(luhnValid(postOffice)).toBe(false);
      expect(validateSiret("356 000 000 12346")).toEqual({ ok: true, value: postOffice });
    });

    it("refuses a post office SIRET whose digit sum is not a multiple of 5", () => {
      const typo = "35600000012345";
      expect(digitSum(typo) % 5).not.toBe(0);
      expect(errorCode(validateSiret(typo))).toBe("SIRET_INVALID_CHECKSUM");
    });

    it("refuses a post office SIRET that only passes Luhn: the digit-sum rule replaces it", () => {
      const luhnOnly = "35600000000055";
      expect(luhnValid(luhnOnly)).toBe(true);
      expect(digitSum(luhnOnly) % 5).not.toBe(0);
      expect(errorCode(validateSiret(luhnOnly))).toBe("SIRET_INVALID_CHECKSUM");
    });

    it("accepts the head office SIRET, which is a plain Luhn number", () => {
      expect(validateSiret("356 000 000 00048")).toEqual({ ok: true, value: "35600000000048" });
    });

    it("accepts exactly the NICs whose 14 digits sum to a multiple of 5", () => {
      fc.assert(
        fc.property(fc.stringMatching(/^\d{5}$/), (nic) => {
          const siret = `356000000${nic}`;
          fc.pre(siret !== "35600000000048");
          expect(validateSiret(siret).ok).toBe(digitSum(siret) % 5 === 0);
        }),
      );
    });
  });

  it("gives the SIREN of an establishment", () => {
    expect(sirenOfSiret("73282932000074")).toBe("732829320");
    expect(sirenOfSiret("732 829 320 00074")).toBe("732829320");
  });
});

describe("validateVatNumber", () => {
  describe("French numbers", () => {
    it.each([
      ["FR44732829320", "FR44732829320", "732829320"],
      ["FR 44 732.829.320", "FR44732829320", "732829320"],
      ["fr40 303 265 045", "FR40303265045", "303265045"],
      ["FR23334175221", "FR23334175221", "334175221"],
      ["FR39356000000", "FR39356000000", "356000000"],
    ])("accepts %j with the right key", (input, vatNumber, siren) => {
      expect(validateVatNumber(input)).toEqual({
        ok: true,
        value: { countryCode: "FR", vatNumber, siren },
      });
    });

    it("refuses a numeric key that does not match the SIREN", () => {
      const result = validateVatNumber("FR 45 732 829 320");
      expect(errorCode(result)).toBe("VAT_NUMBER_INVALID_KEY");
      expect(errorMessage(result)).toBe(
        'The key of "FR 45 732 829 320" should be 44 for SIREN 732 829 320, not 45. Check the two digits after FR.',
      );
    });

    it("refuses a number whose SIREN part fails its check digit", () => {
      const result = validateVatNumber("FR84323140391");
      expect(errorCode(result)).toBe("VAT_NUMBER_INVALID_SIREN");
      expect(errorMessage(result)).toContain("323 140 391 is not a valid SIREN");
    });

    it.each(["FRK7399859412", "FR4Z123456782", "FRAB123456782"])(
      "accepts the new-style key of %s on its shape, with its SIREN",
      (input) => {
        const result = validateVatNumber(input);
        expect(result).toEqual({
          ok: true,
          value: { countryCode: "FR", vatNumber: input, siren: input.slice(4) },
        });
      },
    );

    it("accepts a new-style key on its shape alone but reports no SIREN when its digits fail Luhn", () => {
      expect(validateVatNumber("FRK7399859413")).toEqual({
        ok: true,
        value: { countryCode: "FR", vatNumber: "FRK7399859413", siren: null },
      });
    });

    it("accepts a Monaco-registered number (no SIREN) when its key matches", () => {
      const monaco = `FR${frenchVatKey("000123456")}000123456`;
      expect(validateVatNumber(monaco)).toEqual({
        ok: true,
        value: { countryCode: "FR", vatNumber: monaco, siren: null },
      });
      expect(errorCode(validateVatNumber("FR12000123456"))).toBe("VAT_NUMBER_INVALID_KEY");
    });

    it.each(["FR4473282932", "FR447328293201", "FRIO334175221", "FR44A32829320", "FR"])(
      "refuses %j with VAT_NUMBER_INVALID_FORMAT",
      (input) => {
        expect(errorCode(validateVatNumber(input))).toBe("VAT_NUMBER_INVALID_FORMAT");
      },
    );

    it("accepts the VAT number built from any valid SIREN", () => {
      fc.assert(
        fc.property(validSiren, (siren) => {
          const vatNumber = frenchVatNumberFromSiren(siren);
          const monegasque = siren.startsWith("000");
          expect(validateVatNumber(vatNumber)).toEqual({
            ok: true,
            value: { countryCode: "FR", vatNumber, siren: monegasque ? null : siren },
          });
        }),
      );
    });
  });

  describe("other EU member states", () => {
    it.each([
      ["ATU12345678", "AT"],
      ["BE0123456789", "BE"],
      ["BE 1234.567.890", "BE"],
      ["BG123456789", "BG"],
      ["BG1234567890", "BG"],
      ["CY12345678X", "CY"],
      ["CZ12345678", "CZ"],
      ["CZ1234567890", "CZ"],
      ["DE 123 456 789", "DE"],
      ["DK12 34 56 78", "DK"],
      ["EE123456789", "EE"],
      ["EL123456789", "EL"],
      ["ESX1234567X", "ES"],
      ["ESA12345678", "ES"],
      ["ES12345678Z", "ES"],
      ["FI12345678", "FI"],
      ["HR12345678901", "HR"],
      ["HU12345678", "HU"],
      ["IE1234567T", "IE"],
      ["IE1234567FA", "IE"],
      ["IE1S23456T", "IE"],
      ["IT12345678901", "IT"],
      ["LT123456789", "LT"],
      ["LT123456789012", "LT"],
      ["LU12345678", "LU"],
      ["LV12345678901", "LV"],
      ["MT12345678", "MT"],
      ["NL123456789B01", "NL"],
      ["PL1234567890", "PL"],
      ["PT123456789", "PT"],
      ["RO12", "RO"],
      ["RO1234567890", "RO"],
      ["SE123456789001", "SE"],
      ["SI12345678", "SI"],
      ["SK1234567890", "SK"],
      ["XI123456789", "XI"],
      ["XI123456789012", "XI"],
      ["XIGD123", "XI"],
      ["XIHA567", "XI"],
    ])("accepts %j for %s, without a SIREN", (input, countryCode) => {
      expect(validateVatNumber(input)).toEqual({
        ok: true,
        value: { countryCode, vatNumber: normalizeIdentifier(input), siren: null },
      });
    });

    it.each([
      "AT12345678",
      "BE2123456789",
      "BE012345678",
      "CY123456789",
      "DE12345678",
      "EL12345678",
      "ES123456789",
      "IE12345678",
      "NL123456789A01",
      "RO0123",
      "SE123456789012",
      "XI12345678",
      "XIGD567",
      "XIHA123",
    ])("refuses %j with VAT_NUMBER_INVALID_FORMAT", (input) => {
      expect(errorCode(validateVatNumber(input))).toBe("VAT_NUMBER_INVALID_FORMAT");
    });

    it("describes the expected shape for the country", () => {
      expect(errorMessage(validateVatNumber("DE12345678"))).toBe(
        'A VAT number from DE is DE followed by 9 digits; "DE12345678" does not match.',
      );
    });

    it("covers the 26 other member states and Northern Ireland", () => {
      expect(Object.keys(EU_VAT_FORMATS).sort()).toEqual(
        [
          "AT",
          "BE",
          "BG",
          "CY",
          "CZ",
          "DE",
          "DK",
          "EE",
          "EL",
          "ES",
          "FI",
          "HR",
          "HU",
          "IE",
          "IT",
          "LT",
          "LU",
          "LV",
          "MT",
          "NL",
          "PL",
          "PT",
          "RO",
          "SE",
          "SI",
          "SK",
          "XI",
        ].sort(),
      );
    });
  });

  describe("unknown prefixes", () => {
    it.each(["US123456789", "12345678901", "CH123456789", "GR123456789", "GB123456789"])(
      "refuses %j with VAT_NUMBER_UNKNOWN_COUNTRY",
      (input) => {
        expect(errorCode(validateVatNumber(input))).toBe("VAT_NUMBER_UNKNOWN_COUNTRY");
      },
    );

    it("tells a user who typed GR that Greece uses EL", () => {
      expect(errorMessage(validateVatNumber("GR123456789"))).toContain("start with EL, not GR");
    });

    it("tells a user who typed GB that Northern Ireland uses XI", () => {
      expect(errorMessage(validateVatNumber("GB123456789"))).toContain("XI prefix");
    });

    it("lists example prefixes for anything else", () => {
      expect(errorMessage(validateVatNumber("US123456789"))).toBe(
        '"US123456789" does not start with an EU country code. An EU VAT number starts with its country code, e.g. FR, DE, EL (Greece) or XI (Northern Ireland).',
      );
    });
  });

  it("refuses an empty VAT number with IDENTIFIER_EMPTY", () => {
    expect(errorCode(validateVatNumber(" "))).toBe("IDENTIFIER_EMPTY");
  });
});

describe("parseCompanyIdentifier (what a user typed in the search box)", () => {
  it.each([
    ["732 829 320", { kind: "siren", value: "732829320", siren: "732829320" }],
    ["732 829 320 00074", { kind: "siret", value: "73282932000074", siren: "732829320" }],
    ["35600000012346", { kind: "siret", value: "35600000012346", siren: "356000000" }],
    ["fr 44 732.829.320", { kind: "vat_number", value: "FR44732829320", siren: "732829320" }],
    ["FRK7399859412", { kind: "vat_number", value: "FRK7399859412", siren: "399859412" }],
    ["DE 123456789", { kind: "vat_number", value: "DE123456789", siren: null }],
    ["ESX1234567X", { kind: "vat_number", value: "ESX1234567X", siren: null }],
    ["XIGD123", { kind: "vat_number", value: "XIGD123", siren: null }],
  ])("reads %j", (input, expected) => {
    expect(parseCompanyIdentifier(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ["", "IDENTIFIER_EMPTY"],
    ["732829321", "SIREN_INVALID_CHECKSUM"],
    ["73282932000079", "SIRET_INVALID_CHECKSUM"],
    ["FR45732829320", "VAT_NUMBER_INVALID_KEY"],
    ["DE12345678", "VAT_NUMBER_INVALID_FORMAT"],
    ["GR123456789", "VAT_NUMBER_UNKNOWN_COUNTRY"],
    ["12345678", "IDENTIFIER_UNRECOGNISED"],
    ["1234567890", "IDENTIFIER_UNRECOGNISED"],
    ["ACME", "IDENTIFIER_UNRECOGNISED"],
    ["Boulangerie 2000", "IDENTIFIER_UNRECOGNISED"],
    ["Dupont & Fils", "IDENTIFIER_UNRECOGNISED"],
  ])("refuses %j with %s", (input, code) => {
    expect(errorCode(parseCompanyIdentifier(input))).toBe(code);
  });

  it("keeps what the user typed in the refusal message", () => {
    expect(errorMessage(parseCompanyIdentifier("732 829 321"))).toContain('"732 829 321"');
    expect(errorMessage(parseCompanyIdentifier("ACME"))).toBe(
      '"ACME" is neither a SIREN (9 digits), a SIRET (14 digits) nor a VAT number with its country code (e.g. FR44732829320).',
    );
  });
});
