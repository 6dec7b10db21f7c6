/**
 * Checks a value against the JSON Schema subset zod's `toJSONSchema` writes for the
 * extension's endpoints (contract.generated.json). Unknown properties are allowed, as zod
 * allows (and strips) them; an unsupported keyword makes the schema fail closed.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

const KNOWN = new Set([
  "type",
  "const",
  "enum",
  "pattern",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "format",
  "properties",
  "required",
  "additionalProperties",
  "propertyNames",
  "items",
  "anyOf",
  "oneOf",
]);

function typeMatches(type: string, value: unknown): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "string":
    case "boolean":
      return typeof value === type;
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "integer":
      return Number.isInteger(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

function isUri(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** The path of the first mismatch ("" for the root), or null when the value fits. */
export function firstMismatch(schema: JsonSchema, value: unknown, path = ""): string | null {
  for (const keyword of Object.keys(schema)) if (!KNOWN.has(keyword)) return `${path}#${keyword}`;
  const s = schema as {
    type?: string | string[];
    const?: unknown;
    enum?: unknown[];
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    format?: string;
    properties?: Record<string, JsonSchema>;
    required?: string[];
    items?: JsonSchema;
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
  };
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((type) => typeMatches(type, value))) return path;
  }
  if ("const" in s && value !== s.const) return path;
  if (s.enum && !s.enum.includes(value)) return path;
  if (typeof value === "string") {
    if (s.pattern !== undefined && !new RegExp(s.pattern, "u").test(value)) return path;
    if (s.minLength !== undefined && value.length < s.minLength) return path;
    if (s.maxLength !== undefined && value.length > s.maxLength) return path;
    if (s.format === "uri" && !isUri(value)) return path;
  }
  if (typeof value === "number") {
    if (s.minimum !== undefined && value < s.minimum) return path;
    if (s.maximum !== undefined && value > s.maximum) return path;
  }
  if (typeMatches("object", value)) {
    const object = value as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in object)) return `${path}.${key}`;
    for (const [key, property] of Object.entries(s.properties ?? {})) {
      if (key in object && object[key] !== undefined) {
        const mismatch = firstMismatch(property, object[key], `${path}.${key}`);
        if (mismatch !== null) return mismatch;
      }
    }
  }
  if (Array.isArray(value) && s.items) {
    for (const [index, item] of value.entries()) {
      const mismatch = firstMismatch(s.items, item, `${path}[${index}]`);
      if (mismatch !== null) return mismatch;
    }
  }
  if (s.anyOf && !s.anyOf.some((option) => firstMismatch(option, value, path) === null)) {
    return path;
  }
  if (
    s.oneOf &&
    s.oneOf.filter((option) => firstMismatch(option, value, path) === null).length !== 1
  ) {
    return path;
  }
  return null;
}
