/**
 * Which accounting customer is this HubSpot company? Matches on legal identifiers first,
 * then on the reference we stored, then on the email domain; never on a bare name, which
 * homonyms and trading names make unreliable.
 */
import {
  formatSiren,
  formatSiret,
  normalizeIdentifier,
  sirenOfSiret,
  validateSiren,
  validateSiret,
  validateVatNumber,
} from "./identifiers";
import type { VatNumber } from "./identifiers";
import type { Customer } from "./model";

export type MatchReason = "siret" | "siren" | "vat_number" | "external_reference" | "email_domain";

export interface MatchTarget {
  readonly siren?: string | null;
  readonly siret?: string | null;
  readonly vatNumber?: string | null;
  readonly externalReference?: string | null;
  readonly emails?: readonly string[];
  /** The company's website or domain, e.g. "www.acme.fr". */
  readonly domain?: string | null;
  /** Only breaks ties between equally strong matches. */
  readonly name?: string | null;
}

export interface CustomerMatch {
  readonly customer: Customer;
  /** 0-100, fixed per reason: see MATCH_CONFIDENCE. */
  readonly confidence: number;
  readonly reason: MatchReason;
  /** The normalized value both sides share: "732829320", "acme.fr". */
  readonly matchedValue: string;
  /** Safe to link without asking the user: strong and unambiguous. */
  readonly autoLink: boolean;
}

/** Strongest first; a candidate is ranked by the first reason it meets. */
export const MATCH_CONFIDENCE: Readonly<Record<MatchReason, number>> = {
  siret: 100,
  siren: 95,
  vat_number: 90,
  external_reference: 85,
  email_domain: 50,
};

/** Below this, a match is only ever offered to the user, never linked on its own. */
export const AUTO_LINK_MIN_CONFIDENCE = 85;

/** Consumer mailboxes: sharing one says nothing about being the same company. */
export const FREE_MAIL_DOMAINS: readonly string[] = [
  "gmail.com",
  "googlemail.com",
  "yahoo.fr",
  "yahoo.com",
  "hotmail.fr",
  "hotmail.com",
  "outlook.fr",
  "outlook.com",
  "live.fr",
  "live.com",
  "msn.com",
  "orange.fr",
  "wanadoo.fr",
  "free.fr",
  "sfr.fr",
  "neuf.fr",
  "bbox.fr",
  "laposte.net",
  "icloud.com",
  "me.com",
  "gmx.fr",
  "gmx.com",
  "protonmail.com",
  "proton.me",
  "aol.com",
  "numericable.fr",
];
const freeMailDomains: ReadonlySet<string> = new Set(FREE_MAIL_DOMAINS);

/** "https://www.Acme.fr/contact" -> "acme.fr"; null for free-mail and empty domains. */
function companyDomain(raw: string): string | null {
  const host = raw
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, "")
    .replace(/[/?#:].*$/, "")
    .replace(/^www\./, "")
    .replace(/\.$/, "");
  return host === "" || freeMailDomains.has(host) ? null : host;
}

/** "Compta ACME <compta@acme.fr>" -> "acme.fr". */
function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  return at === -1 ? null : companyDomain(email.slice(at + 1).replace(/>\s*$/, ""));
}

const present = <T>(value: T | null): value is T => value !== null;

function validValue(
  value: string | null | undefined,
  validate: typeof validateSiren,
): string | null {
  if (value === null || value === undefined) return null;
  const result = validate(value);
  return result.ok ? result.value : null;
}

function validVatNumber(value: string | null | undefined): VatNumber | null {
  if (value === null || value === undefined) return null;
  const result = validateVatNumber(value);
  return result.ok ? result.value : null;
}

function trimmedOrNull(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? "";
  return trimmed === "" ? null : trimmed;
}

/** What the target is known by, validated: an invalid identifier is dropped, not matched. */
interface TargetKeys {
  readonly siret: string | null;
  readonly sirens: ReadonlySet<string>;
  readonly vatNumber: string | null;
  readonly externalReference: string | null;
  readonly domains: ReadonlySet<string>;
}

function targetKeys(target: MatchTarget): TargetKeys {
  const siret = validValue(target.siret, validateSiret);
  const vat = validVatNumber(target.vatNumber);
  const sirens = [
    validValue(target.siren, validateSiren),
    siret === null ? null : sirenOfSiret(siret),
    vat?.siren ?? null,
  ];
  const domains = [
    ...(target.emails ?? []).map(emailDomain),
    target.domain ? companyDomain(target.domain) : null,
  ];
  return {
    siret,
    sirens: new Set(sirens.filter(present)),
    vatNumber: vat?.vatNumber ?? null,
    externalReference: trimmedOrNull(target.externalReference),
    domains: new Set(domains.filter(present)),
  };
}

function candidateSirens(customer: Customer): string[] {
  const fromSiret = customer.siret === null ? null : sirenOfSiret(customer.siret);
  return [customer.siren, fromSiret].filter(present);
}

/** The strongest reason this candidate is the target, with the value they share. */
function strongestReason(
  keys: TargetKeys,
  customer: Customer,
): { reason: MatchReason; matchedValue: string } | null {
  if (
    keys.siret !== null &&
    customer.siret !== null &&
    normalizeIdentifier(customer.siret) === keys.siret
  ) {
    return { reason: "siret", matchedValue: keys.siret };
  }
  const siren = candidateSirens(customer).find((candidate) => keys.sirens.has(candidate));
  if (siren !== undefined) return { reason: "siren", matchedValue: siren };
  if (
    keys.vatNumber !== null &&
    customer.vatNumber !== null &&
    normalizeIdentifier(customer.vatNumber) === keys.vatNumber
  ) {
    return { reason: "vat_number", matchedValue: keys.vatNumber };
  }
  if (
    keys.externalReference !== null &&
    trimmedOrNull(customer.externalReference) === keys.externalReference
  ) {
    return { reason: "external_reference", matchedValue: keys.externalReference };
  }
  const domain = customer.emails
    .map(emailDomain)
    .filter(present)
    .find((candidate) => keys.domains.has(candidate));
  if (domain !== undefined) return { reason: "email_domain", matchedValue: domain };
  return null;
}

/** Lowercase, no accents, no punctuation: "Société Générale S.A." -> "societe generale s a". */
function comparableName(name: string): string {
  return name
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** Edit distance: how many characters to insert, delete or replace to go from one to the other. */
function editDistance(from: string, to: string): number {
  let previous = Array.from({ length: to.length + 1 }, (_, index) => index);
  for (let i = 1; i <= from.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= to.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (from[i - 1] === to[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[to.length] ?? 0;
}

/**
 * Ranks the candidates that share an identifier or a company email domain with the
 * target, best first. A name alone never matches; among equally confident candidates the
 * closer name comes first, then the order the candidates were given in.
 */
export function matchCustomer(
  target: MatchTarget,
  candidates: readonly Customer[],
): CustomerMatch[] {
  const keys = targetKeys(target);
  const targetName = trimmedOrNull(target.name);
  const comparableTargetName = targetName === null ? null : comparableName(targetName);
  const seen = new Set<string>();
  const scored: {
    customer: Customer;
    reason: MatchReason;
    matchedValue: string;
    confidence: number;
    nameDistance: number;
  }[] = [];
  for (const customer of candidates) {
    // A provider listing the same customer twice must not make the match look ambiguous.
    const identity = `${customer.provider}:${customer.providerId}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const match = strongestReason(keys, customer);
    if (match === null) continue;
    scored.push({
      customer,
      ...match,
      confidence: MATCH_CONFIDENCE[match.reason],
      nameDistance:
        comparableTargetName === null
          ? 0
          : editDistance(comparableTargetName, comparableName(customer.name)),
    });
  }
  // Array.prototype.sort is stable, so equal candidates keep the caller's order.
  scored.sort((a, b) => b.confidence - a.confidence || a.nameDistance - b.nameDistance);
  const top = scored[0];
  const unambiguous =
    top !== undefined &&
    top.confidence >= AUTO_LINK_MIN_CONFIDENCE &&
    scored.filter((match) => match.confidence === top.confidence).length === 1;
  return scored.map(({ customer, confidence, reason, matchedValue }, index) => ({
    customer,
    confidence,
    reason,
    matchedValue,
    autoLink: unambiguous && index === 0,
  }));
}

const REASON_LABELS: Readonly<Record<"fr" | "en", Readonly<Record<MatchReason, string>>>> = {
  fr: {
    siret: "Même SIRET",
    siren: "Même SIREN",
    vat_number: "Même numéro de TVA",
    external_reference: "Même référence externe",
    email_domain: "Même domaine e-mail",
  },
  en: {
    siret: "Same SIRET",
    siren: "Same SIREN",
    vat_number: "Same VAT number",
    external_reference: "Same external reference",
    email_domain: "Same email domain",
  },
};

/** "Même SIREN (732 829 320)": why a candidate is listed, for the card. */
export function explainMatch(match: CustomerMatch, locale: "fr" | "en"): string {
  const value =
    match.reason === "siren"
      ? formatSiren(match.matchedValue)
      : match.reason === "siret"
        ? formatSiret(match.matchedValue)
        : match.matchedValue;
  return `${REASON_LABELS[locale][match.reason]} (${value})`;
}
