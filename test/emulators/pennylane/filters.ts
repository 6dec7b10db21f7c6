/**
 * The `filter` query parameter: a JSON-encoded array of `{ field, operator, value }`, with the
 * fields and operators each endpoint's parameter description lists in the official spec.
 * Anything else (form-style `filter[0][field]=`, an unknown field, an operator the field does
 * not support, a value of the wrong kind) is refused with 400.
 */
import { isCalendarDate } from "@encaisse/shared";
import { badRequest } from "./errors";

export const FILTER_OPERATORS = [
  "eq",
  "not_eq",
  "lt",
  "lteq",
  "gt",
  "gteq",
  "in",
  "not_in",
  "start_with",
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

type FieldKind = "integer" | "date" | "string" | "boolean";

export interface FilterableField {
  readonly kind: FieldKind;
  readonly operators: readonly FilterOperator[];
}

export type FilterTable = Readonly<Record<string, FilterableField>>;

const COMPARABLE: readonly FilterOperator[] = [
  "lt",
  "lteq",
  "gt",
  "gteq",
  "eq",
  "not_eq",
  "in",
  "not_in",
];
const integer = (operators = COMPARABLE): FilterableField => ({ kind: "integer", operators });
const text = (operators: readonly FilterOperator[]): FilterableField => ({
  kind: "string",
  operators,
});

/** GET /customer_invoices (spec: parameter `filter` of getCustomerInvoices). */
export const CUSTOMER_INVOICE_FILTERS: FilterTable = {
  id: integer(),
  date: { kind: "date", operators: COMPARABLE },
  customer_id: integer(),
  billing_subscription_id: integer(),
  quote_id: integer(),
  invoice_number: text(["eq", "not_eq", "in", "not_in"]),
  draft: { kind: "boolean", operators: ["eq"] },
  credit_note: { kind: "boolean", operators: ["eq"] },
  external_reference: text(["eq"]),
  category_id: integer(["in"]),
};

/** GET /customers (spec: parameter `filter` of getCustomers). */
export const CUSTOMER_FILTERS: FilterTable = {
  id: integer(),
  customer_type: text(["eq", "not_eq"]),
  ledger_account_id: integer(["eq", "not_eq"]),
  name: text(["start_with", "eq"]),
  external_reference: text(["start_with", "eq", "not_eq", "in", "not_in"]),
  reg_no: text(["eq", "not_eq", "in", "not_in"]),
  emails: text(["in"]),
};

/** GET /products (spec: parameter `filter` of getProducts). */
export const PRODUCT_FILTERS: FilterTable = {
  id: integer(),
  label: text(["eq", "in"]),
  reference: text(["eq", "in"]),
  external_reference: text(["eq", "not_eq", "in", "not_in"]),
};

type Scalar = number | string | boolean;

export interface FilterCondition {
  readonly field: string;
  readonly operator: FilterOperator;
  /** One value, or the set for `in` / `not_in`. */
  readonly values: readonly Scalar[];
}

/** A row's value for a field: a scalar, null when unset, or a list (emails, categories). */
export type RowValue = Scalar | null | readonly Scalar[];

const invalid = (message: string) => badRequest(message, "filter", "ValidateError");

function parseScalar(field: string, kind: FieldKind, raw: unknown): Scalar {
  switch (kind) {
    case "integer":
      if (typeof raw === "number" && Number.isSafeInteger(raw)) return raw;
      if (typeof raw === "string" && /^-?\d{1,15}$/.test(raw)) return Number(raw);
      throw invalid(`filter value for ${field} must be an integer (got ${JSON.stringify(raw)})`);
    case "date":
      if (typeof raw === "string" && isCalendarDate(raw)) return raw;
      throw badRequest(
        `filter value for ${field} must be a date YYYY-MM-DD (got ${JSON.stringify(raw)})`,
        "filter",
        "InvalidDateFormat",
      );
    case "boolean":
      if (raw === true || raw === "true") return true;
      if (raw === false || raw === "false") return false;
      throw invalid(`filter value for ${field} must be true or false (got ${JSON.stringify(raw)})`);
    case "string":
      if (typeof raw === "string") return raw;
      if (typeof raw === "number") return String(raw);
      throw invalid(`filter value for ${field} must be a string (got ${JSON.stringify(raw)})`);
  }
}

function parseValues(
  field: string,
  definition: FilterableField,
  operator: FilterOperator,
  raw: unknown,
): Scalar[] {
  if (operator === "in" || operator === "not_in") {
    const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(",") : null;
    if (list === null) throw invalid(`filter value for ${field} ${operator} must be a list`);
    return list.map((item: unknown) => parseScalar(field, definition.kind, item));
  }
  if (Array.isArray(raw))
    throw invalid(`filter value for ${field} ${operator} must be a single value`);
  return [parseScalar(field, definition.kind, raw)];
}

/** Parses `filter` (already URL-decoded). Undefined or empty means no condition. */
export function parseFilter(raw: string | undefined, table: FilterTable): FilterCondition[] {
  if (raw === undefined || raw.trim() === "") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw invalid(
      'filter must be a JSON-encoded array, e.g. [{"field":"id","operator":"eq","value":"42"}]',
    );
  }
  if (!Array.isArray(parsed)) throw invalid("filter must be a JSON array of conditions");
  return parsed.map((entry: unknown, index) => {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) {
      throw invalid(`filter[${index}] must be an object with field, operator and value`);
    }
    const { field, operator, value, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) throw invalid(`filter[${index}] has unknown keys: ${extra.join(", ")}`);
    if (typeof field !== "string" || !Object.hasOwn(table, field)) {
      throw invalid(
        `filter on field ${JSON.stringify(field)} is not supported here (available: ${Object.keys(table).join(", ")})`,
      );
    }
    const definition = table[field] as FilterableField;
    if (
      typeof operator !== "string" ||
      !definition.operators.includes(operator as FilterOperator)
    ) {
      throw invalid(
        `operator ${JSON.stringify(operator)} is not supported on ${field} (available: ${definition.operators.join(", ")})`,
      );
    }
    if (value === undefined) throw invalid(`filter[${index}] has no value`);
    const op = operator as FilterOperator;
    return { field, operator: op, values: parseValues(field, definition, op, value) };
  });
}

function compare(a: Scalar, b: Scalar): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function scalarMatches(rowValue: Scalar, condition: FilterCondition): boolean {
  const [first] = condition.values;
  switch (condition.operator) {
    case "in":
      return condition.values.some((value) => value === rowValue);
    case "not_in":
      return condition.values.every((value) => value !== rowValue);
    case "start_with":
      return (
        typeof first === "string" && String(rowValue).toLowerCase().startsWith(first.toLowerCase())
      );
  }
  if (first === undefined) return false;
  const order = compare(rowValue, first);
  switch (condition.operator) {
    case "eq":
      return order === 0;
    case "not_eq":
      return order !== 0;
    case "lt":
      return order < 0;
    case "lteq":
      return order <= 0;
    case "gt":
      return order > 0;
    case "gteq":
      return order >= 0;
  }
}

/** SQL semantics: an unset value matches no condition, not even `not_eq`. */
export function matchesFilter(
  conditions: readonly FilterCondition[],
  valueOf: (field: string) => RowValue,
): boolean {
  return conditions.every((condition) => {
    const rowValue = valueOf(condition.field);
    if (rowValue === null) return false;
    if (Array.isArray(rowValue)) {
      return rowValue.some((item: Scalar) => scalarMatches(item, condition));
    }
    return scalarMatches(rowValue as Scalar, condition);
  });
}
