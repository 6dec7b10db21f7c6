/**
 * French company identifiers: SIREN (9 digits), SIRET (14 digits), intra-EU VAT numbers.
 */
import { fail, ok } from "./errors";
import type { Result } from "./errors";

/** Luhn check over a string of digits (SIREN, SIRET). */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let index = 0; index < digits.length; index += 1) {
    let digit = Number(digits[digits.length - 1 - index]);
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** Appends the Luhn check digit: completeLuhn("73282932") -> "732829320". */
export function completeLuhn(partial: string): string {
  for (let digit = 0; digit <= 9; digit += 1) {
    const candidate = `${partial}${digit}`;
    if (luhnValid(candidate)) return candidate;
  }
  /* c8 ignore next */
  throw new Error("unreachable: one check digit always completes a Luhn number");
}

/** The 2-digit key of a French VAT number: (12 + 3 x (SIREN mod 97)) mod 97. */
export function frenchVatKey(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return String(key).padStart(2, "0");
}

/** "732829320" -> "FR44732829320". */
export function frenchVatNumberFromSiren(siren: string): string {
  return `FR${frenchVatKey(siren)}${siren}`;
}

// People paste identifiers the way invoices print them: "732 829 320", "732.829.320",
// "FR 44-732829320". \s already covers the no-break spaces (U+00A0, U+202F) that French
// number formatting inserts; the Unicode dashes come from word processors.
const SEPARATORS = /[\s.\-\u2010-\u2015\u2212/]/g;

/** "fr 44 732.829.320" -> "FR44732829320". */
export function normalizeIdentifier(input: string): string {
  return input.replace(SEPARATORS, "").toUpperCase();
}

/** "732829320" -> "732 829 320", the way the INSEE register prints it. */
export function formatSiren(siren: string): string {
  return `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6, 9)}`;
}

/** "73282932000074" -> "732 829 320 00074". */
export function formatSiret(siret: string): string {
  return `${formatSiren(siret.slice(0, 9))} ${siret.slice(9)}`;
}

const digitCount = (text: string): number => text.replace(/\D/g, "").length;

function emptyIdentifier<T>(what: string): Result<T> {
  return fail("IDENTIFIER_EMPTY", `The ${what} is empty: type or paste it.`);
}

export function validateSiren(input: string): Result<string> {
  const siren = normalizeIdentifier(input);
  if (siren === "") return emptyIdentifier("SIREN");
  if (!/^\d{9}$/.test(siren)) {
    const message = /^\d+$/.test(siren)
      ? `A SIREN has 9 digits; "${input.trim()}" has ${siren.length}.`
      : `A SIREN has 9 digits and nothing else; "${input.trim()}" contains other characters.`;
    return fail("SIREN_INVALID_FORMAT", message, { input, digits: digitCount(siren) });
  }
  if (!luhnValid(siren)) {
    return fail(
      "SIREN_INVALID_CHECKSUM",
      `"${input.trim()}" is not a valid SIREN: its check digit does not match. Look for a mistyped or swapped digit.`,
      { input },
    );
  }
  return ok(siren);
}

// La Poste registers its thousands of post offices under one SIREN; their NICs were
// numbered before the Luhn rule and only keep "sum of the 14 digits is a multiple of 5".
// The head office SIRET predates that exception and is a plain Luhn number.
const LA_POSTE_SIREN = "356000000";
const LA_POSTE_HEAD_OFFICE_SIRET = "35600000000048";

function siretChecksumValid(siret: string): boolean {
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== LA_POSTE_HEAD_OFFICE_SIRET) {
    const digitSum = [...siret].reduce((sum, digit) => sum + Number(digit), 0);
    return digitSum % 5 === 0;
  }
  return luhnValid(siret);
}

export function validateSiret(input: string): Result<string> {
  const siret = normalizeIdentifier(input);
  if (siret === "") return emptyIdentifier("SIRET");
  if (!/^\d{14}$/.test(siret)) {
    const message = /^\d+$/.test(siret)
      ? `A SIRET has 14 digits (the 9-digit SIREN followed by the 5-digit NIC); "${input.trim()}" has ${siret.length}.`
      : `A SIRET has 14 digits and nothing else; "${input.trim()}" contains other characters.`;
    return fail("SIRET_INVALID_FORMAT", message, { input, digits: digitCount(siret) });
  }
  if (!siretChecksumValid(siret)) {
    return fail(
      "SIRET_INVALID_CHECKSUM",
      `"${input.trim()}" is not a valid SIRET: its check digit does not match. Look for a mistyped or swapped digit.`,
      { input },
    );
  }
  return ok(siret);
}

/** The SIREN of the company that owns the establishment: the first 9 digits. */
export function sirenOfSiret(siret: string): string {
  return normalizeIdentifier(siret).slice(0, 9);
}

interface VatFormat {
  readonly pattern: RegExp;
  /** Completes "A VAT number from XX is XX followed by …". */
  readonly shape: string;
}

/**
 * National parts of EU VAT numbers as VIES documents them (VIES FAQ, "VAT number
 * structure"). France is checked separately, down to its key.
 */
export const EU_VAT_FORMATS: Readonly<Record<string, VatFormat>> = {
  AT: { pattern: /^U\d{8}$/, shape: "U and 8 digits" },
  // Belgian numbers starting with 1 are issued since 2023, once the 0 range ran out.
  BE: { pattern: /^[01]\d{9}$/, shape: "10 digits starting with 0 or 1" },
  BG: { pattern: /^\d{9,10}$/, shape: "9 or 10 digits" },
  CY: { pattern: /^\d{8}[A-Z]$/, shape: "8 digits and a letter" },
  CZ: { pattern: /^\d{8,10}$/, shape: "8 to 10 digits" },
  DE: { pattern: /^\d{9}$/, shape: "9 digits" },
  DK: { pattern: /^\d{8}$/, shape: "8 digits" },
  EE: { pattern: /^\d{9}$/, shape: "9 digits" },
  EL: { pattern: /^\d{9}$/, shape: "9 digits" },
  // First and last characters may be letters or digits, never both digits.
  ES: {
    pattern: /^(?:[A-Z]\d{7}[A-Z0-9]|\d{8}[A-Z])$/,
    shape: "9 characters: 7 digits between a letter or digit at each end, not both digits",
  },
  FI: { pattern: /^\d{8}$/, shape: "8 digits" },
  HR: { pattern: /^\d{11}$/, shape: "11 digits" },
  HU: { pattern: /^\d{8}$/, shape: "8 digits" },
  IE: {
    pattern: /^(?:\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$/,
    shape: "8 or 9 characters such as 1234567T, 1234567FA or 1S23456T",
  },
  IT: { pattern: /^\d{11}$/, shape: "11 digits" },
  LT: { pattern: /^(?:\d{9}|\d{12})$/, shape: "9 or 12 digits" },
  LU: { pattern: /^\d{8}$/, shape: "8 digits" },
  LV: { pattern: /^\d{11}$/, shape: "11 digits" },
  MT: { pattern: /^\d{8}$/, shape: "8 digits" },
  NL: { pattern: /^\d{9}B\d{2}$/, shape: "9 digits, the letter B and 2 digits" },
  PL: { pattern: /^\d{10}$/, shape: "10 digits" },
  PT: { pattern: /^\d{9}$/, shape: "9 digits" },
  RO: { pattern: /^[1-9]\d{1,9}$/, shape: "2 to 10 digits, not starting with 0" },
  SE: { pattern: /^\d{10}01$/, shape: "12 digits ending in 01" },
  SI: { pattern: /^\d{8}$/, shape: "8 digits" },
  SK: { pattern: /^\d{10}$/, shape: "10 digits" },
  // Northern Ireland traders keep EU VAT numbers for goods, in the former GB shapes.
  XI: {
    pattern: /^(?:\d{9}|\d{12}|GD[0-4]\d{2}|HA[5-9]\d{2})$/,
    shape: "9 or 12 digits, or GD or HA and 3 digits",
  },
};

// Prefixes people reach for that VIES does not use, with what to type instead.
const MISTAKEN_VAT_PREFIXES: Readonly<Record<string, string>> = {
  GR: "Greek VAT numbers start with EL, not GR.",
  GB: "UK VAT numbers are no longer EU VAT numbers; Northern Ireland traders use the XI prefix.",
};

// Key characters of new-style French VAT numbers: letters I and O are never issued.
const FRENCH_VAT_NUMBER = /^[0-9A-HJ-NP-Z]{2}\d{9}$/;

export interface VatNumber {
  readonly countryCode: string;
  /** Normalized, with its country prefix: "FR44732829320". */
  readonly vatNumber: string;
  /** The SIREN inside a French VAT number; null for other countries. */
  readonly siren: string | null;
}

function validateFrenchVatNumber(input: string, vatNumber: string): Result<VatNumber> {
  const national = vatNumber.slice(2);
  if (!FRENCH_VAT_NUMBER.test(national)) {
    return fail(
      "VAT_NUMBER_INVALID_FORMAT",
      `A French VAT number is FR, a 2-character key and the 9-digit SIREN (e.g. FR44732829320); "${input.trim()}" does not match.`,
      { input, countryCode: "FR" },
    );
  }
  const key = national.slice(0, 2);
  const sirenPart = national.slice(2);
  // Companies registered in Monaco get a French VAT number without a SIREN: 000 + 6 digits.
  const isMonegasque = sirenPart.startsWith("000");
  if (!/^\d{2}$/.test(key)) {
    // New-style keys (with a letter) are rare and not computed by the formula above; VIES
    // is the authority for those, so only the shape is checked here.
    const siren = !isMonegasque && luhnValid(sirenPart) ? sirenPart : null;
    return ok({ countryCode: "FR", vatNumber, siren });
  }
  if (!isMonegasque && !luhnValid(sirenPart)) {
    return fail(
      "VAT_NUMBER_INVALID_SIREN",
      `The last 9 digits of a French VAT number are the SIREN, and ${formatSiren(sirenPart)} is not a valid SIREN. Check the digits after the key.`,
      { input, siren: sirenPart },
    );
  }
  const expectedKey = frenchVatKey(sirenPart);
  if (key !== expectedKey) {
    return fail(
      "VAT_NUMBER_INVALID_KEY",
      `The key of "${input.trim()}" should be ${expectedKey} for SIREN ${formatSiren(sirenPart)}, not ${key}. Check the two digits after FR.`,
      { input, key, expectedKey },
    );
  }
  return ok({ countryCode: "FR", vatNumber, siren: isMonegasque ? null : sirenPart });
}

export function validateVatNumber(input: string): Result<VatNumber> {
  const vatNumber = normalizeIdentifier(input);
  if (vatNumber === "") return emptyIdentifier("VAT number");
  const countryCode = vatNumber.slice(0, 2);
  if (countryCode === "FR") return validateFrenchVatNumber(input, vatNumber);
  const format = EU_VAT_FORMATS[countryCode];
  if (format === undefined) {
    const hint =
      MISTAKEN_VAT_PREFIXES[countryCode] ??
      "An EU VAT number starts with its country code, e.g. FR, DE, EL (Greece) or XI (Northern Ireland).";
    return fail(
      "VAT_NUMBER_UNKNOWN_COUNTRY",
      `"${input.trim()}" does not start with an EU country code. ${hint}`,
      { input, countryCode },
    );
  }
  if (!format.pattern.test(vatNumber.slice(2))) {
    return fail(
      "VAT_NUMBER_INVALID_FORMAT",
      `A VAT number from ${countryCode} is ${countryCode} followed by ${format.shape}; "${input.trim()}" does not match.`,
      { input, countryCode },
    );
  }
  return ok({ countryCode, vatNumber, siren: null });
}

export interface CompanyIdentifier {
  readonly kind: "siren" | "siret" | "vat_number";
  /** Normalized: digits only for SIREN and SIRET, with the country prefix for VAT numbers. */
  readonly value: string;
  readonly siren: string | null;
}

// Past its prefix every VIES shape is digits with at most 2 letters (or + *), so this tells
// "DE123456789" or "ESX1234567X" apart from a company name typed in the same box.
function looksLikeVatNumber(normalized: string): boolean {
  const digits = digitCount(normalized);
  return /^[A-Z]{2}[0-9A-Z+*]+$/.test(normalized) && digits >= 2 && digits >= normalized.length - 4;
}

/** Reads what a user typed in a search box: a SIREN, a SIRET or a VAT number. */
export function parseCompanyIdentifier(input: string): Result<CompanyIdentifier> {
  const normalized = normalizeIdentifier(input);
  if (normalized === "") return emptyIdentifier("identifier");
  if (/^\d{9}$/.test(normalized)) {
    const siren = validateSiren(input);
    return siren.ok ? ok({ kind: "siren", value: siren.value, siren: siren.value }) : siren;
  }
  if (/^\d{14}$/.test(normalized)) {
    const siret = validateSiret(input);
    return siret.ok
      ? ok({ kind: "siret", value: siret.value, siren: sirenOfSiret(siret.value) })
      : siret;
  }
  if (looksLikeVatNumber(normalized)) {
    const vat = validateVatNumber(input);
    return vat.ok
      ? ok({ kind: "vat_number", value: vat.value.vatNumber, siren: vat.value.siren })
      : vat;
  }
  return fail(
    "IDENTIFIER_UNRECOGNISED",
    `"${input.trim()}" is neither a SIREN (9 digits), a SIRET (14 digits) nor a VAT number with its country code (e.g. FR44732829320).`,
    { input },
  );
}
