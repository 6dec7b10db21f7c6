/**
 * The three custom scalars of the Sage Active schema, with Hot Chocolate's semantics
 * (documented at the top of schema.graphql):
 * - UUID: hyphenated GUID strings, answered in lower case;
 * - DateTime: a calendar date or an ISO date-time with seconds and offset; answered as an
 *   ISO date-time with milliseconds (or as a bare date when the emulator is asked to, to
 *   exercise lenient client parsing);
 * - Decimal: JSON numbers and number literals only (Hot Chocolate refuses strings); held
 *   inside the emulator as exact decimal strings, never as floats.
 */
import { GraphQLError, Kind, type GraphQLScalarTypeConfig, type ValueNode } from "graphql";

export type DateOutput = "date-time" | "date";

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,7})?([Zz]|[+-]\d{2}:\d{2})$/;
const NUMBER_TEXT_PATTERN = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}

function validCalendarParts(year: string, month: string, day: string): boolean {
  const y = Number(year);
  const m = Number(month);
  const d = Number(day);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** True for the DateTime forms Sage accepts: "2025-02-10" or "2025-02-10T08:30:00Z". */
export function isSageDateTime(value: string): boolean {
  const date = DATE_PATTERN.exec(value);
  if (date) return validCalendarParts(date[1] ?? "", date[2] ?? "", date[3] ?? "");
  const dateTime = DATE_TIME_PATTERN.exec(value);
  if (!dateTime) return false;
  const [, y = "", m = "", d = "", hh = "", mm = "", ss = ""] = dateTime;
  return validCalendarParts(y, m, d) && Number(hh) < 24 && Number(mm) < 60 && Number(ss) < 60;
}

/** Milliseconds since the epoch of a DateTime value; a bare date is midnight UTC. */
export function instantOf(value: string): number {
  return Date.parse(value);
}

/** The date part of a DateTime value: Sage ignores the time of "date" fields. */
export function datePartOf(value: string): string {
  return value.slice(0, 10);
}

/**
 * The exact decimal written by a JSON number or a GraphQL number literal ("150.10",
 * "1e-7", "-2"), as a plain decimal string ("150.10", "0.0000001", "-2"). Exponents are
 * shifted on the digits, never computed in floating point.
 */
export function decimalFromNumberText(text: string): string {
  const match = NUMBER_TEXT_PATTERN.exec(text);
  if (!match) throw new TypeError(`"${text}" is not a number.`);
  const [, sign = "", whole = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  let digits = `${whole}${fraction}`;
  let pointAt = whole.length + exponent;
  if (pointAt <= 0) {
    digits = `${"0".repeat(1 - pointAt)}${digits}`;
    pointAt = 1;
  } else if (pointAt > digits.length) {
    digits = digits.padEnd(pointAt, "0");
  }
  const integerPart = digits.slice(0, pointAt).replace(/^0+(?=\d)/, "");
  const fractionPart = digits.slice(pointAt);
  const body = fractionPart === "" ? integerPart : `${integerPart}.${fractionPart}`;
  return /^[0.]+$/.test(body) ? body : `${sign}${body}`;
}

function decimalFromNumber(value: number): string {
  if (!Number.isFinite(value)) throw new TypeError(`Decimal cannot represent ${value}.`);
  // String(number) is the shortest text that reads back as the same double, i.e. the
  // decimal the client wrote for any amount of up to 15 significant digits.
  return decimalFromNumberText(String(value));
}

function parseDecimalInput(value: unknown): string {
  if (typeof value === "number") return decimalFromNumber(value);
  throw new TypeError(
    `Decimal cannot parse ${JSON.stringify(value)}: send a JSON number (Hot Chocolate's DecimalType refuses strings).`,
  );
}

function serializeDecimal(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && NUMBER_TEXT_PATTERN.test(value)) return Number(value);
  throw new TypeError(`Decimal cannot serialize ${JSON.stringify(value)}.`);
}

function literalError(type: string, node: ValueNode): GraphQLError {
  return new GraphQLError(
    `${type} cannot parse the literal ${node.kind === Kind.STRING ? `"${node.value}"` : node.kind}.`,
    {
      nodes: node,
    },
  );
}

export function uuidScalar(): Omit<GraphQLScalarTypeConfig<string, string>, "name"> {
  const parse = (value: unknown): string => {
    if (typeof value === "string" && isUuid(value)) return value.toLowerCase();
    throw new TypeError(
      `UUID cannot parse ${JSON.stringify(value)}: expected a GUID like 3f2504e0-4f89-11d3-9a0c-0305e82c3301.`,
    );
  };
  return {
    serialize: (value) => parse(value),
    parseValue: parse,
    parseLiteral: (node) => {
      if (node.kind === Kind.STRING && isUuid(node.value)) return node.value.toLowerCase();
      throw literalError("UUID", node);
    },
  };
}

const REMEMBERED_DATE_TIMES = 100_000;

export function dateTimeScalar(
  dateOutput: DateOutput,
): Omit<GraphQLScalarTypeConfig<string, string>, "name"> {
  const parse = (value: unknown): string => {
    if (typeof value === "string" && isSageDateTime(value)) return value;
    throw new TypeError(
      `DateTime cannot parse ${JSON.stringify(value)}: expected "YYYY-MM-DD" or an ISO 8601 date-time with seconds and offset.`,
    );
  };
  const serialize = (value: unknown): string => {
    if (typeof value !== "string" || !isSageDateTime(value)) {
      throw new TypeError(`DateTime cannot serialize ${JSON.stringify(value)}.`);
    }
    if (DATE_PATTERN.test(value)) return dateOutput === "date" ? value : `${value}T00:00:00.000Z`;
    return new Date(value).toISOString();
  };
  // Every page answers thousands of timestamps, most of them answered before.
  const serialized = new Map<string, string>();
  return {
    serialize: (value) => {
      const known = typeof value === "string" ? serialized.get(value) : undefined;
      if (known !== undefined) return known;
      const text = serialize(value);
      if (serialized.size >= REMEMBERED_DATE_TIMES) serialized.clear();
      serialized.set(value as string, text);
      return text;
    },
    parseValue: parse,
    parseLiteral: (node) => {
      if (node.kind === Kind.STRING && isSageDateTime(node.value)) return node.value;
      throw literalError("DateTime", node);
    },
  };
}

export function decimalScalar(): Omit<GraphQLScalarTypeConfig<string, number>, "name"> {
  return {
    serialize: serializeDecimal,
    parseValue: parseDecimalInput,
    parseLiteral: (node) => {
      if (node.kind === Kind.INT || node.kind === Kind.FLOAT)
        return decimalFromNumberText(node.value);
      throw literalError("Decimal", node);
    },
  };
}
