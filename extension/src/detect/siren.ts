/**
 * SIREN / SIRET as printed on a page ("SIREN : 552 100 554", "SIRET 552 100 554 00013").
 * The checksum is the Luhn key INSEE uses; the backend validates again, this only keeps page
 * noise (a phone number, an IBAN fragment) from becoming a search.
 */
import { luhnValid } from "@encaisse/shared/identifiers";

const LABELLED_NUMBER = /\bSIRE([NT])\b\s*(?:n[°º]\s*)?:?\s*(\d(?:[\s\u00a0\u202f.]?\d){8,13})/i;

/** The SIREN printed in a text, from a SIREN or a SIRET label; null when none checks out. */
export function sirenIn(text: string): string | null {
  const match = LABELLED_NUMBER.exec(text);
  if (!match) return null;
  const digits = (match[2] ?? "").replace(/\D/g, "");
  if (match[1]?.toUpperCase() === "T" && digits.length === 14) {
    return luhnValid(digits) ? digits.slice(0, 9) : null;
  }
  const siren = digits.slice(0, 9);
  return siren.length === 9 && luhnValid(siren) ? siren : null;
}
