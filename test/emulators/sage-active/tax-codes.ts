/**
 * How the emulator decides the VAT of a sales line, in one table.
 *
 * Sage Active has no tax input on sales lines (§4.4): the tax comes from the product's tax
 * group combined with the customer's situation (domestic, intra-EU business with a VAT
 * number, or outside the EU). Each emulated tax group below lists, for each situation, the
 * code of our normalized vocabulary (`VatCode`, shared/src/vat.ts) whose charged rate the
 * line gets. Group codes and names are the emulator's own; a real organization has its own
 * tax groups, which the client discovers with `taxGroups` / `products`.
 *
 * | group  | rate    | domestic | intra-EU (VIES)  | export   |
 * |--------|---------|----------|------------------|----------|
 * | TVA20  | 20 %    | FR_200   | crossborder (*)  | extracom |
 * | TVA10  | 10 %    | FR_100   | intracom_100     | extracom |
 * | TVA55  | 5.5 %   | FR_55    | intracom_55      | extracom |
 * | TVA21  | 2.1 %   | FR_21    | intracom_21      | extracom |
 * | TVA85  | 8.5 %   | FR_85    | intracom_85      | extracom |
 * | TVA175 | 1.75 %  | FR_1_75  | crossborder (*)  | extracom |
 * | TVA105 | 1.05 %  | FR_1_05  | crossborder (*)  | extracom |
 * | TVA13  | 13 %    | FR_130   | crossborder (*)  | extracom |
 * | TVA09  | 0.9 %   | FR_09    | crossborder (*)  | extracom |
 * | TVA196 | 19.6 %  | FR_196   | crossborder (*)  | extracom |
 * | EXO    | 0 %     | exempt   | exempt           | exempt   |
 *
 * (*) The normalized vocabulary (Pennylane's enum) has no intra-EU code at these rates;
 * `crossborder` charges nothing as well, which is all the totals depend on.
 */
import { VAT_CODES, type VatCode } from "@encaisse/shared";

export type CustomerSituation = "domestic" | "vies" | "export";

export interface SageTaxGroupDefinition {
  readonly code: string;
  readonly name: string;
  readonly taxType: "TVA" | "DOM";
  readonly vatTaxation: "TAXABLE" | "NOT_TAXABLE";
  readonly codes: Readonly<Record<CustomerSituation, VatCode>>;
}

const INTRACOM_BY_RATE: Readonly<Record<number, VatCode>> = {
  1000: "intracom_100",
  850: "intracom_85",
  550: "intracom_55",
  210: "intracom_21",
};

function taxable(
  code: string,
  domestic: VatCode,
  name: string,
  taxType: "TVA" | "DOM" = "TVA",
): SageTaxGroupDefinition {
  const rate = VAT_CODES[domestic].chargedBasisPoints;
  return {
    code,
    name,
    taxType,
    vatTaxation: "TAXABLE",
    codes: { domestic, vies: INTRACOM_BY_RATE[rate] ?? "crossborder", export: "extracom" },
  };
}

export const SAGE_TAX_GROUPS: readonly SageTaxGroupDefinition[] = [
  taxable("TVA20", "FR_200", "TVA taux normal 20 %"),
  taxable("TVA10", "FR_100", "TVA taux intermédiaire 10 %"),
  taxable("TVA55", "FR_55", "TVA taux réduit 5,5 %"),
  taxable("TVA21", "FR_21", "TVA taux particulier 2,1 %"),
  taxable("TVA85", "FR_85", "TVA DOM 8,5 %", "DOM"),
  taxable("TVA175", "FR_1_75", "TVA DOM 1,75 %", "DOM"),
  taxable("TVA105", "FR_1_05", "TVA DOM 1,05 %", "DOM"),
  taxable("TVA13", "FR_130", "TVA Corse 13 %"),
  taxable("TVA09", "FR_09", "TVA Corse 0,9 %"),
  taxable("TVA196", "FR_196", "TVA ancien taux normal 19,6 %"),
  {
    code: "EXO",
    name: "Exonéré",
    taxType: "TVA",
    vatTaxation: "NOT_TAXABLE",
    codes: { domestic: "exempt", vies: "exempt", export: "exempt" },
  },
];

export const DEFAULT_TAX_GROUP_CODE = "TVA20";

/** The VAT code a line of a product in `group` gets for a customer in `situation`. */
export function vatCodeFor(group: SageTaxGroupDefinition, situation: CustomerSituation): VatCode {
  return group.codes[situation];
}

/**
 * The tax group whose products carry `code` (used to load a book whose lines already say
 * their code): the group of the same French rate, EXO for codes charging nothing at 0 %.
 */
export function taxGroupCodeFor(code: VatCode): string {
  const nominal = VAT_CODES[code].nominalBasisPoints;
  const group = SAGE_TAX_GROUPS.find(
    (candidate) =>
      VAT_CODES[candidate.codes.domestic].nominalBasisPoints === nominal &&
      candidate.code !== "EXO",
  );
  return group?.code ?? "EXO";
}

const EUROPEAN_UNION = new Set([
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
  "GR",
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
]);

/** France, its overseas departments and Monaco are domestic for French VAT. */
const DOMESTIC = new Set(["FR", "MC", "GP", "MQ", "GF", "RE", "YT"]);

export function customerSituation(
  countryAcronym: string | null,
  vatNumber: string | null,
): CustomerSituation {
  const country = (countryAcronym ?? "FR").toUpperCase();
  if (DOMESTIC.has(country)) return "domestic";
  if (EUROPEAN_UNION.has(country)) return vatNumber ? "vies" : "domestic";
  return "export";
}

export function isEuropeanUnionCountry(countryAcronym: string): boolean {
  return EUROPEAN_UNION.has(countryAcronym.toUpperCase());
}
