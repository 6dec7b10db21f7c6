/**
 * Our `VatCode`s and Sage Active's taxes, in one table.
 *
 * Sage takes no tax on a sales line: the rate comes from the line's product's tax group,
 * combined with the customer's situation (domestic, intra-EU business, export; reference
 * §4.4). So each code is invoiced through a generic service product of ours, in the tax
 * group whose tax has the rate below, created on first use when the organization has none:
 *
 * | VatCode               | product code | Sage tax (type, %) | charged for the right customer |
 * |-----------------------|--------------|--------------------|--------------------------------|
 * | FR_200                | ENC-TVA20    | TVA 20             | 20 %                           |
 * | FR_100                | ENC-TVA10    | TVA 10             | 10 %                           |
 * | FR_55                 | ENC-TVA55    | TVA 5.5            | 5.5 %                          |
 * | FR_21                 | ENC-TVA21    | TVA 2.1            | 2.1 %                          |
 * | FR_85                 | ENC-TVA85    | DOM 8.5            | 8.5 %                          |
 * | FR_1_75               | ENC-TVA175   | DOM 1.75           | 1.75 %                         |
 * | FR_1_05               | ENC-TVA105   | DOM 1.05           | 1.05 %                         |
 * | FR_130                | ENC-TVA130   | TVA 13             | 13 %                           |
 * | FR_09                 | ENC-TVA09    | TVA 0.9            | 0.9 %                          |
 * | FR_196                | ENC-TVA196   | TVA 19.6           | 19.6 %                         |
 * | intracom_100/85/55/21 | ENC-IC10/…   | TVA (DOM) 10/…     | 0 % (intra-EU customer)        |
 * | exempt                | ENC-EXO      | TVA 0              | 0 %                            |
 * | extracom              | ENC-EXPORT   | TVA 0              | 0 %                            |
 * | crossborder           | ENC-259      | TVA 0              | 0 %                            |
 * | FR_*_construction     | ENC-AUTO20/… | TVA 0              | 0 % (reverse charge)           |
 *
 * Intra-EU codes use the group of their French rate so that Sage applies its own intra-EU
 * treatment (and reporting) to the VIES customer; the other zero-charge codes use a 0 %
 * tax. Whatever Sage decides, the client checks the rate it applied against the code's
 * charged rate before numbering the invoice (lifecycle.ts). A tenant can point any code at
 * a product of its own instead (`productIds` option).
 *
 * Reading back, a line of one of our products maps to its code when the rate agrees; any
 * other line maps by rate and customer situation (`vatCodeOfSageLine`).
 */
import { type VatCode, chargedRateOf, parseDecimal, pow10, vatCodeForRate } from "@encaisse/shared";

export interface SageTaxTarget {
  readonly productCode: string;
  readonly productName: string;
  readonly taxType: "TVA" | "DOM";
  /** The rate of the Sage tax whose group the product belongs to, in basis points. */
  readonly groupBasisPoints: number;
}

const standard = (code: string, basisPoints: number, taxType: "TVA" | "DOM" = "TVA") => ({
  productCode: `ENC-${code}`,
  productName: `Prestation TVA ${basisPoints / 100} %`,
  taxType,
  groupBasisPoints: basisPoints,
});

const zeroRated = (code: string, productName: string) => ({
  productCode: `ENC-${code}`,
  productName,
  taxType: "TVA" as const,
  groupBasisPoints: 0,
});

export const SAGE_TAX_TARGETS: Readonly<Record<VatCode, SageTaxTarget>> = {
  FR_200: standard("TVA20", 2000),
  FR_100: standard("TVA10", 1000),
  FR_55: standard("TVA55", 550),
  FR_21: standard("TVA21", 210),
  FR_85: standard("TVA85", 850, "DOM"),
  FR_1_75: standard("TVA175", 175, "DOM"),
  FR_1_05: standard("TVA105", 105, "DOM"),
  FR_130: standard("TVA130", 1300),
  FR_09: standard("TVA09", 90),
  FR_196: standard("TVA196", 1960),
  intracom_100: { ...standard("IC10", 1000), productName: "Prestation intracommunautaire 10 %" },
  intracom_85: {
    ...standard("IC85", 850, "DOM"),
    productName: "Prestation intracommunautaire 8,5 %",
  },
  intracom_55: { ...standard("IC55", 550), productName: "Prestation intracommunautaire 5,5 %" },
  intracom_21: { ...standard("IC21", 210), productName: "Prestation intracommunautaire 2,1 %" },
  exempt: zeroRated("EXO", "Prestation exonérée de TVA"),
  extracom: zeroRated("EXPORT", "Prestation hors UE"),
  crossborder: zeroRated("259", "Prestation hors de France (art. 259-1 CGI)"),
  FR_200_construction: zeroRated("AUTO20", "Prestation en autoliquidation 20 %"),
  FR_100_construction: zeroRated("AUTO10", "Prestation en autoliquidation 10 %"),
  FR_85_construction: zeroRated("AUTO85", "Prestation en autoliquidation 8,5 %"),
};

/** A Sage percentage ("20", "5.5", "0.9") in basis points, exactly; null if not whole bp. */
export function percentageToBasisPoints(percentage: string): number | null {
  const value = parseDecimal(percentage);
  const scaled = value.units * 100n;
  const divisor = pow10(value.scale);
  if (scaled % divisor !== 0n) return null;
  return Number(scaled / divisor);
}

export type CustomerSituation = "domestic" | "intra_eu" | "export";

const EUROPEAN_UNION = new Set(
  "AT BE BG CY CZ DE DK EE EL ES FI GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI".split(" "),
);
/** France, its overseas departments and Monaco are inside French VAT. */
const DOMESTIC = new Set(["FR", "MC", "GP", "MQ", "GF", "RE", "YT"]);

/** From the customer snapshot a Sage invoice carries (country, VAT number). */
export function customerSituation(
  countryAcronym: string | null,
  vatNumber: string | null,
): CustomerSituation {
  const country = (countryAcronym ?? "FR").toUpperCase();
  if (DOMESTIC.has(country)) return "domestic";
  if (EUROPEAN_UNION.has(country)) return vatNumber ? "intra_eu" : "domestic";
  return "export";
}

const INTRA_EU_BY_RATE: Readonly<Record<number, VatCode>> = {
  1000: "intracom_100",
  850: "intracom_85",
  550: "intracom_55",
  210: "intracom_21",
};

export interface SageLineTaxFacts {
  /** What Sage charged, in basis points. */
  readonly chargedBasisPoints: number;
  readonly productCode: string | null;
  /** The rate of the product's tax group, when known (for zero-charged intra-EU lines). */
  readonly groupBasisPoints: number | null;
  readonly situation: CustomerSituation;
}

const CODE_BY_PRODUCT = new Map(
  (Object.entries(SAGE_TAX_TARGETS) as [VatCode, SageTaxTarget][]).map(([code, target]) => [
    target.productCode.toUpperCase(),
    code,
  ]),
);

/** The code of a line Sage computed. Throws VAT_RATE_UNKNOWN for a rate France does not have. */
export function vatCodeOfSageLine(facts: SageLineTaxFacts): VatCode {
  const ours = facts.productCode ? CODE_BY_PRODUCT.get(facts.productCode.toUpperCase()) : undefined;
  if (ours && chargedRateOf(ours) === facts.chargedBasisPoints) return ours;
  if (facts.chargedBasisPoints > 0) return vatCodeForRate(facts.chargedBasisPoints);
  switch (facts.situation) {
    case "domestic":
      return "exempt";
    case "export":
      return "extracom";
    case "intra_eu":
      return (
        (facts.groupBasisPoints === null ? undefined : INTRA_EU_BY_RATE[facts.groupBasisPoints]) ??
        "crossborder"
      );
  }
}

export function taxTargetOf(code: VatCode): SageTaxTarget {
  return SAGE_TAX_TARGETS[code];
}
