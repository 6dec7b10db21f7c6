/**
 * French VAT rates, the Pennylane codes we use as the normalized vocabulary, and the legal
 * mention an invoice must carry when no French VAT is charged (CGI art. 278 et seq.,
 * 293 B, 262 I, 262 ter I, 283-2, 259-1).
 *
 * A code says what is *charged* on the line (`chargedBasisPoints`) and, for reverse-charge
 * and exempt codes, why nothing is: the mention then required on the invoice.
 */
import { z } from "zod";
import { DomainError } from "./errors";

export type VatTreatment =
  | "standard"
  | "exempt"
  | "intra_eu_reverse_charge"
  | "export"
  | "cross_border_services"
  | "domestic_reverse_charge";

export type OperationNature = "goods" | "services" | "mixed";

interface VatCodeDefinition {
  /** What the line is charged, in basis points (20 % = 2000). */
  readonly chargedBasisPoints: number;
  /** The French rate the code refers to, for reverse charge (the customer self-assesses it). */
  readonly nominalBasisPoints: number;
  readonly treatment: VatTreatment;
  readonly territory: "metropole" | "corse" | "dom" | "any";
}

const standard = (
  basisPoints: number,
  territory: VatCodeDefinition["territory"],
): VatCodeDefinition => ({
  chargedBasisPoints: basisPoints,
  nominalBasisPoints: basisPoints,
  treatment: "standard",
  territory,
});
const reverse = (nominalBasisPoints: number, treatment: VatTreatment): VatCodeDefinition => ({
  chargedBasisPoints: 0,
  nominalBasisPoints,
  treatment,
  territory: "any",
});

/** French codes of Pennylane's `vat_rate` enum (official OpenAPI, customer invoice lines). */
export const VAT_CODES = {
  FR_200: standard(2000, "metropole"),
  FR_100: standard(1000, "metropole"),
  FR_55: standard(550, "metropole"),
  FR_21: standard(210, "metropole"),
  FR_85: standard(850, "dom"),
  FR_1_75: standard(175, "dom"),
  FR_1_05: standard(105, "dom"),
  FR_130: standard(1300, "corse"),
  FR_100_construction: reverse(1000, "domestic_reverse_charge"),
  FR_85_construction: reverse(850, "domestic_reverse_charge"),
  FR_200_construction: reverse(2000, "domestic_reverse_charge"),
  FR_09: standard(90, "corse"),
  FR_196: standard(1960, "metropole"),
  exempt: reverse(0, "exempt"),
  intracom_100: reverse(1000, "intra_eu_reverse_charge"),
  intracom_85: reverse(850, "intra_eu_reverse_charge"),
  intracom_55: reverse(550, "intra_eu_reverse_charge"),
  intracom_21: reverse(210, "intra_eu_reverse_charge"),
  extracom: reverse(0, "export"),
  crossborder: reverse(0, "cross_border_services"),
} as const satisfies Record<string, VatCodeDefinition>;

export type VatCode = keyof typeof VAT_CODES;
export const vatCodeSchema = z.enum(Object.keys(VAT_CODES) as [VatCode, ...VatCode[]]);

/** The rates in force in metropolitan France, for pickers and defaults. */
export const FRENCH_VAT_RATES_BASIS_POINTS = [2000, 1000, 550, 210] as const;

export const DEFAULT_VAT_CODE: VatCode = "FR_200";

export function vatCodeDefinition(code: VatCode): VatCodeDefinition {
  return VAT_CODES[code];
}

export function isVatCode(value: string): value is VatCode {
  return Object.hasOwn(VAT_CODES, value);
}

export function chargedRateOf(code: VatCode): number {
  return VAT_CODES[code].chargedBasisPoints;
}

/**
 * The standard code charging `basisPoints` (2000 -> FR_200). Rates shared by two territories
 * (2.1 % exists in metropolitan France, Corsica and DOM) resolve to the metropolitan code
 * unless a territory is given. Throws VAT_RATE_UNKNOWN for a rate France does not have.
 */
export function vatCodeForRate(
  basisPoints: number,
  territory: VatCodeDefinition["territory"] = "metropole",
): VatCode {
  const codes = (Object.keys(VAT_CODES) as VatCode[]).filter((code) => {
    const definition = VAT_CODES[code];
    return definition.treatment === "standard" && definition.chargedBasisPoints === basisPoints;
  });
  const preferred = codes.find((code) => VAT_CODES[code].territory === territory) ?? codes[0];
  if (preferred === undefined) {
    throw new DomainError(
      "VAT_RATE_UNKNOWN",
      `${basisPoints / 100} % is not a French VAT rate (20, 10, 5.5, 2.1; 8.5 and others in DOM and Corsica).`,
      { basisPoints },
    );
  }
  return preferred;
}

/** Parses a percentage as typed or stored in a CRM ("20", "5.5", "5,5", "20%") to a code. */
export function vatCodeForPercentage(text: string): VatCode {
  const match = /^\s*(\d{1,2})(?:[.,](\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!match) {
    throw new DomainError(
      "VAT_RATE_UNKNOWN",
      `"${text}" is not a VAT percentage (e.g. 20 or 5.5).`,
      {
        input: text,
      },
    );
  }
  const [, whole = "0", fraction = ""] = match;
  return vatCodeForRate(Number(whole) * 100 + Number(fraction.padEnd(2, "0")));
}

const MENTIONS: Record<Exclude<VatTreatment, "standard">, Record<OperationNature, string>> = {
  exempt: {
    goods: "TVA non applicable, art. 293 B du CGI",
    services: "TVA non applicable, art. 293 B du CGI",
    mixed: "TVA non applicable, art. 293 B du CGI",
  },
  intra_eu_reverse_charge: {
    goods: "Exonération de TVA, article 262 ter I du CGI",
    services: "Autoliquidation",
    mixed:
      "Exonération de TVA, article 262 ter I du CGI ; autoliquidation pour les prestations de services",
  },
  export: {
    goods: "Exonération de TVA, article 262 I du CGI",
    services: "TVA non applicable, article 259-1 du CGI",
    mixed: "Exonération de TVA, article 262 I du CGI ; TVA non applicable, article 259-1 du CGI",
  },
  cross_border_services: {
    goods: "TVA non applicable, article 259-1 du CGI",
    services: "TVA non applicable, article 259-1 du CGI",
    mixed: "TVA non applicable, article 259-1 du CGI",
  },
  domestic_reverse_charge: {
    goods: "Autoliquidation, article 283-2 nonies du CGI",
    services: "Autoliquidation, article 283-2 nonies du CGI",
    mixed: "Autoliquidation, article 283-2 nonies du CGI",
  },
};

/**
 * The mention an invoice must print for a line with this code, or null when French VAT is
 * charged normally. Reverse-charge mentions also require the customer's VAT number.
 */
export function legalMentionFor(code: VatCode, nature: OperationNature): string | null {
  const { treatment } = VAT_CODES[code];
  return treatment === "standard" ? null : MENTIONS[treatment][nature];
}

export function requiresCustomerVatNumber(code: VatCode): boolean {
  const { treatment } = VAT_CODES[code];
  return treatment === "intra_eu_reverse_charge" || treatment === "domestic_reverse_charge";
}
