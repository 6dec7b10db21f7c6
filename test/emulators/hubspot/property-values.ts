/**
 * What HubSpot does to a value written to a property: everything is stored and returned as a
 * string; numbers must be numbers, booleans "true"/"false", enumerations one of the options
 * (`;`-separated for checkboxes), owners an existing owner id, dates midnight UTC (returned as
 * "YYYY-MM-DD") and datetimes epoch milliseconds or ISO 8601 (returned as ISO 8601). An empty
 * string or null clears the value.
 */
import type { PropertyProblem } from "./errors";
import type { PropertyDefinition } from "./properties";

export type RawValue = string | number | boolean | null;

export type NormalizedValue =
  | { readonly ok: true; readonly value: string | null }
  | { readonly ok: false; readonly problem: PropertyProblem };

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT_PATTERN =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const EPOCH_MS_PATTERN = /^-?\d{1,15}$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DAY_MS = 86_400_000;

const problem = (
  name: string,
  error: PropertyProblem["error"],
  message: string,
): NormalizedValue => ({
  ok: false,
  problem: { name, error, message },
});

/** Epoch ms of a datetime input, or null when it is not one HubSpot accepts. */
export function instantOf(text: string): number | null {
  if (EPOCH_MS_PATTERN.test(text)) return Number(text);
  if (DATE_PATTERN.test(text) || ISO_INSTANT_PATTERN.test(text)) {
    const ms = Date.parse(DATE_PATTERN.test(text) ? `${text}T00:00:00Z` : text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}

export function normalizeValue(
  definition: PropertyDefinition,
  raw: RawValue,
  isOwner: (ownerId: string) => boolean,
): NormalizedValue {
  if (raw === null) return { ok: true, value: null };
  const text = typeof raw === "string" ? raw : String(raw);
  if (text === "") return { ok: true, value: null };
  const { name } = definition;
  switch (definition.type) {
    case "number":
      return NUMBER_PATTERN.test(text.trim())
        ? { ok: true, value: text.trim() }
        : problem(name, "INVALID_FLOAT", `${text} was not a valid number.`);
    case "bool": {
      const lower = text.toLowerCase();
      return lower === "true" || lower === "false"
        ? { ok: true, value: lower }
        : problem(name, "INVALID_BOOLEAN", `${text} was not a valid boolean (true or false).`);
    }
    case "date": {
      const ms = instantOf(text);
      if (ms === null) return problem(name, "INVALID_DATE", `${text} was not a valid date.`);
      if (ms % DAY_MS !== 0) {
        const at = new Date(ms);
        return problem(
          name,
          "INVALID_DATE",
          `${text} is at ${at.getUTCHours()}:${at.getUTCMinutes()}:${at.getUTCSeconds()}.${at.getUTCMilliseconds()} UTC, not midnight!`,
        );
      }
      return { ok: true, value: new Date(ms).toISOString().slice(0, 10) };
    }
    case "datetime": {
      const ms = instantOf(text);
      return ms === null
        ? problem(
            name,
            "INVALID_DATETIME",
            `${text} was not a valid datetime (epoch milliseconds or ISO 8601).`,
          )
        : { ok: true, value: new Date(ms).toISOString() };
    }
    case "enumeration":
      return normalizeEnumeration(definition, text, isOwner);
    case "string":
    case "phone_number":
      if (
        definition.name === "email" &&
        definition.objectType === "contacts" &&
        !EMAIL_PATTERN.test(text)
      ) {
        return problem(name, "INVALID_EMAIL", `Email address ${text} is invalid`);
      }
      return { ok: true, value: text };
  }
}

function normalizeEnumeration(
  definition: PropertyDefinition,
  text: string,
  isOwner: (ownerId: string) => boolean,
): NormalizedValue {
  if (definition.referencesOwners) {
    return isOwner(text)
      ? { ok: true, value: text }
      : problem(definition.name, "INVALID_OWNER_ID", `${text} is not a valid owner id`);
  }
  const allowed = new Set(definition.options.map((option) => option.value));
  const chosen = definition.fieldType === "checkbox" ? text.split(";") : [text];
  const unknown = chosen.find((value) => !allowed.has(value));
  if (unknown === undefined) return { ok: true, value: text };
  const listed = definition.options
    .map((option) => `label: "${option.label}"\nvalue: "${option.value}"`)
    .join(", ");
  return problem(
    definition.name,
    "INVALID_OPTION",
    `${unknown} was not one of the allowed options: [${listed}]`,
  );
}
