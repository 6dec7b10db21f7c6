/**
 * Our references in Sage Active's short fields.
 *
 * Sage keeps a sales invoice's `externalReference` to 20 characters and a customer's `code`
 * to 17, while our references read `hubspot-deal-123456789012`. Known prefixes are
 * compacted to three letters followed by the digits, which is deterministic and reversible:
 *
 * | ours                    | in Sage        |
 * |-------------------------|----------------|
 * | `hubspot-deal-<n>`      | `HSD<n>`       |
 * | `hubspot-company-<n>`   | `HSC<n>`       |
 * | `hubspot-contact-<n>`   | `HSP<n>`       |
 * | anything else that fits (letters, digits, `.`, `_`, `/`, `-`) | itself |
 *
 * A reference that cannot fit is refused before anything is sent
 * (SAGE_REFERENCE_TOO_LONG): truncating would make two deals share an invoice.
 */
import { DomainError } from "@encaisse/shared";

export const SAGE_INVOICE_REFERENCE_MAX_LENGTH = 20;
export const SAGE_CUSTOMER_CODE_MAX_LENGTH = 17;

const COMPACT_FORMS = [
  { ours: "hubspot-deal-", sage: "HSD" },
  { ours: "hubspot-company-", sage: "HSC" },
  { ours: "hubspot-contact-", sage: "HSP" },
] as const;

// Sage compares strings without case, so "hsd12" would collide with "HSD12".
const LOOKS_COMPACT = /^(HSD|HSC|HSP)\d+$/i;
const PASS_THROUGH = /^[A-Za-z0-9._/-]+$/;

/** The reference to store in Sage for `ours`, at most `maxLength` characters. */
export function toSageReference(ours: string, maxLength: number): string {
  for (const form of COMPACT_FORMS) {
    const digits = ours.startsWith(form.ours) ? ours.slice(form.ours.length) : null;
    if (digits !== null && /^\d+$/.test(digits)) {
      const compact = `${form.sage}${digits}`;
      if (compact.length <= maxLength) return compact;
      throw tooLong(ours, compact, maxLength);
    }
  }
  if (PASS_THROUGH.test(ours) && !LOOKS_COMPACT.test(ours) && ours.length <= maxLength) {
    return ours;
  }
  throw tooLong(ours, null, maxLength);
}

/** Our reference from what Sage stores; references we did not write come back unchanged. */
export function fromSageReference(stored: string | null | undefined): string | null {
  if (stored === null || stored === undefined || stored.trim() === "") return null;
  const match = /^(HSD|HSC|HSP)(\d+)$/.exec(stored.trim());
  if (!match) return stored;
  const form = COMPACT_FORMS.find((candidate) => candidate.sage === match[1]);
  return form ? `${form.ours}${match[2] ?? ""}` : stored;
}

function tooLong(ours: string, compact: string | null, maxLength: number): DomainError {
  return new DomainError(
    "SAGE_REFERENCE_TOO_LONG",
    `The reference "${ours}" cannot be stored in Sage Active, which keeps at most ${maxLength} characters (letters, digits, . _ / -).`,
    { reference: ours, compact, maxLength },
  );
}
