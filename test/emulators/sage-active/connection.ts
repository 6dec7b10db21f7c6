/**
 * Hot Chocolate connections as Sage Active serves them (§2.3-2.5 of the reference):
 * `where` filters, `order` sorts and cursor paging (default 20, at most 500 per page,
 * HC0051 beyond). The filter and sort inputs are interpreted through the schema types, so
 * any field the SDL declares filterable works without per-entity code.
 *
 * Choices, as SQL Server (Sage's store) behaves: string comparisons ignore case (eq and in
 * too, not only contains/startsWith/endsWith), negated operators are true on null fields,
 * nulls sort first in ascending order, and the default order is creation order.
 */
import {
  getNamedType,
  GraphQLEnumType,
  GraphQLError,
  GraphQLInputObjectType,
  GraphQLObjectType,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
} from "graphql";
import { compareDecimals } from "./decimals";
import { instantOf } from "./scalars";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 500;

export interface ConnectionArgs {
  readonly first?: number | null;
  readonly after?: string | null;
  readonly last?: number | null;
  readonly before?: string | null;
  readonly where?: Readonly<Record<string, unknown>> | null;
  readonly order?: readonly Readonly<Record<string, unknown>>[] | null;
}

export interface Connection<T> {
  readonly nodes: readonly T[];
  readonly edges: readonly { readonly cursor: string; readonly node: T }[];
  readonly pageInfo: {
    readonly hasNextPage: boolean;
    readonly hasPreviousPage: boolean;
    readonly startCursor: string | null;
    readonly endCursor: string | null;
  };
  readonly totalCount: number;
}

type ValueKind = "string" | "uuid" | "dateTime" | "decimal" | "int" | "boolean" | "enum";

type FilterValue = Readonly<Record<string, unknown>>;

function kindOfOperationInput(typeName: string): ValueKind {
  switch (typeName) {
    case "StringOperationFilterInput":
      return "string";
    case "UuidOperationFilterInput":
      return "uuid";
    case "DateTimeOperationFilterInput":
      return "dateTime";
    case "DecimalOperationFilterInput":
      return "decimal";
    case "IntOperationFilterInput":
      return "int";
    case "BooleanOperationFilterInput":
      return "boolean";
    default:
      return "enum";
  }
}

function kindOfOutputType(type: GraphQLNamedType): ValueKind {
  if (type instanceof GraphQLEnumType) return "enum";
  switch (type.name) {
    case "UUID":
      return "uuid";
    case "DateTime":
      return "dateTime";
    case "Decimal":
      return "decimal";
    case "Int":
      return "int";
    case "Boolean":
      return "boolean";
    default:
      return "string";
  }
}

function fold(value: unknown): string {
  return String(value).toLocaleLowerCase("fr-FR");
}

/** Orders two non-null values of a kind. */
function compareNonNull(kind: ValueKind, a: unknown, b: unknown): number {
  switch (kind) {
    case "decimal":
      return compareDecimals(String(a), String(b));
    case "int":
      return Number(a) - Number(b);
    case "dateTime":
      return instantOf(String(a)) - instantOf(String(b));
    case "boolean":
      return Number(a) - Number(b);
    case "string":
    case "uuid": {
      const left = fold(a);
      const right = fold(b);
      return left < right ? -1 : left > right ? 1 : 0;
    }
    case "enum":
      return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
}

function isEqual(kind: ValueKind, field: unknown, operand: unknown): boolean {
  if (operand === null || operand === undefined) return field === null || field === undefined;
  if (field === null || field === undefined) return false;
  return compareNonNull(kind, field, operand) === 0;
}

function compares(
  kind: ValueKind,
  field: unknown,
  operand: unknown,
  accept: (order: number) => boolean,
): boolean {
  if (field === null || field === undefined || operand === null || operand === undefined)
    return false;
  return accept(compareNonNull(kind, field, operand));
}

function textTest(
  field: unknown,
  operand: unknown,
  test: (text: string, part: string) => boolean,
): boolean {
  if (field === null || field === undefined || operand === null || operand === undefined)
    return false;
  return test(fold(field), fold(operand));
}

function matchesOperations(
  type: GraphQLInputObjectType,
  kind: ValueKind,
  operations: FilterValue,
  field: unknown,
): boolean {
  return Object.entries(operations).every(([operator, operand]) => {
    switch (operator) {
      case "and":
        return (operand as FilterValue[]).every((nested) =>
          matchesOperations(type, kind, nested, field),
        );
      case "or":
        return (operand as FilterValue[]).some((nested) =>
          matchesOperations(type, kind, nested, field),
        );
      case "eq":
        return isEqual(kind, field, operand);
      case "neq":
        return !isEqual(kind, field, operand);
      case "in":
        return (
          (operand as unknown[] | null)?.some((candidate) => isEqual(kind, field, candidate)) ??
          false
        );
      case "nin":
        return !(
          (operand as unknown[] | null)?.some((candidate) => isEqual(kind, field, candidate)) ??
          false
        );
      case "gt":
        return compares(kind, field, operand, (order) => order > 0);
      case "gte":
        return compares(kind, field, operand, (order) => order >= 0);
      case "lt":
        return compares(kind, field, operand, (order) => order < 0);
      case "lte":
        return compares(kind, field, operand, (order) => order <= 0);
      case "contains":
        return textTest(field, operand, (text, part) => text.includes(part));
      case "ncontains":
        return !textTest(field, operand, (text, part) => text.includes(part));
      case "startsWith":
        return textTest(field, operand, (text, part) => text.startsWith(part));
      case "nstartsWith":
        return !textTest(field, operand, (text, part) => text.startsWith(part));
      case "endsWith":
        return textTest(field, operand, (text, part) => text.endsWith(part));
      case "nendsWith":
        return !textTest(field, operand, (text, part) => text.endsWith(part));
      default:
        throw new GraphQLError(`The operator ${operator} is not supported on ${type.name}.`);
    }
  });
}

function inputFieldType(type: GraphQLInputObjectType, key: string): GraphQLInputObjectType {
  const field = type.getFields()[key];
  const named = field ? getNamedType(field.type) : undefined;
  if (!(named instanceof GraphQLInputObjectType)) {
    throw new GraphQLError(`The field ${key} of ${type.name} is not a filter input.`);
  }
  return named;
}

/** Whether `row` satisfies a Hot Chocolate `where` value of input type `type`. */
export function matchesFilter(
  type: GraphQLInputObjectType,
  filter: FilterValue,
  row: unknown,
): boolean {
  const record = row as Readonly<Record<string, unknown>>;
  return Object.entries(filter).every(([key, value]) => {
    if (value === null || value === undefined) return true;
    if (key === "and")
      return (value as FilterValue[]).every((nested) => matchesFilter(type, nested, row));
    if (key === "or")
      return (value as FilterValue[]).some((nested) => matchesFilter(type, nested, row));
    const fieldType = inputFieldType(type, key);
    const fieldValue = record[key];
    const operations = value as FilterValue;
    if (fieldType.name.startsWith("ListFilterInputTypeOf")) {
      return matchesList(fieldType, operations, fieldValue);
    }
    if (fieldType.name.endsWith("OperationFilterInput")) {
      return matchesOperations(
        fieldType,
        kindOfOperationInput(fieldType.name),
        operations,
        fieldValue,
      );
    }
    return (
      fieldValue !== null &&
      fieldValue !== undefined &&
      matchesFilter(fieldType, operations, fieldValue)
    );
  });
}

function matchesList(
  type: GraphQLInputObjectType,
  operations: FilterValue,
  field: unknown,
): boolean {
  const items = Array.isArray(field) ? (field as unknown[]) : [];
  return Object.entries(operations).every(([operator, operand]) => {
    if (operand === null || operand === undefined) return true;
    if (operator === "any") return operand === true ? items.length > 0 : items.length === 0;
    const elementType = inputFieldType(type, operator);
    const matches = (item: unknown) => matchesFilter(elementType, operand as FilterValue, item);
    if (operator === "some") return items.some(matches);
    if (operator === "all") return items.every(matches);
    if (operator === "none") return !items.some(matches);
    throw new GraphQLError(`The list operator ${operator} is not supported.`);
  });
}

interface SortKey {
  readonly path: readonly string[];
  readonly kind: ValueKind;
  readonly descending: boolean;
}

function sortKeys(
  nodeType: GraphQLObjectType,
  order: FilterValue,
  prefix: readonly string[] = [],
): SortKey[] {
  return Object.entries(order).flatMap(([key, direction]): SortKey[] => {
    if (direction === null || direction === undefined) return [];
    const field = nodeType.getFields()[key];
    if (!field) throw new GraphQLError(`${nodeType.name} cannot be sorted by ${key}.`);
    const named = getNamedType(field.type);
    if (typeof direction === "string") {
      return [
        { path: [...prefix, key], kind: kindOfOutputType(named), descending: direction === "DESC" },
      ];
    }
    if (!(named instanceof GraphQLObjectType))
      throw new GraphQLError(`${key} is not an object to sort through.`);
    return sortKeys(named, direction as FilterValue, [...prefix, key]);
  });
}

function valueAt(row: unknown, path: readonly string[]): unknown {
  let current: unknown = row;
  for (const key of path) {
    if (current === null || current === undefined) return null;
    current = (current as Readonly<Record<string, unknown>>)[key];
  }
  return current;
}

export function sortRows<T>(
  rows: readonly T[],
  nodeType: GraphQLObjectType,
  order: readonly FilterValue[],
): T[] {
  const keys = order.flatMap((entry) => sortKeys(nodeType, entry));
  if (keys.length === 0) return [...rows];
  const decorated = rows.map((row) => ({ row, values: keys.map((key) => valueAt(row, key.path)) }));
  decorated.sort((a, b) => {
    for (const [index, key] of keys.entries()) {
      const left = a.values[index];
      const right = b.values[index];
      const leftNull = left === null || left === undefined;
      const rightNull = right === null || right === undefined;
      // Nulls first in ascending order, as SQL Server sorts them.
      const result =
        leftNull || rightNull
          ? leftNull === rightNull
            ? 0
            : leftNull
              ? -1
              : 1
          : compareNonNull(key.kind, left, right);
      if (result !== 0) return key.descending ? -result : result;
    }
    return 0;
  });
  return decorated.map(({ row }) => row);
}

export function encodeCursor(index: number): string {
  return Buffer.from(String(index), "utf8").toString("base64");
}

function decodeCursor(cursor: string): number {
  const text = Buffer.from(cursor, "base64").toString("utf8");
  if (!/^\d+$/.test(text) || encodeCursor(Number(text)) !== cursor) {
    throw new GraphQLError("The cursor is not valid.", { extensions: { cursor } });
  }
  return Number(text);
}

function checkPageSize(argument: "first" | "last", requested: number | null | undefined): void {
  if (requested === null || requested === undefined) return;
  if (requested < 0) {
    throw new GraphQLError(
      `The requested number of values per page must be at least 0 (${argument}).`,
    );
  }
  if (requested > MAX_PAGE_SIZE) {
    throw new GraphQLError("The maximum allowed items per page were exceeded.", {
      extensions: { code: "HC0051", requestedItems: requested, maxAllowedItems: MAX_PAGE_SIZE },
    });
  }
}

/** Slices an already filtered and sorted list into a page. */
export function pageOf<T>(rows: readonly T[], args: ConnectionArgs): Connection<T> {
  checkPageSize("first", args.first);
  checkPageSize("last", args.last);
  const total = rows.length;
  let start = 0;
  let end = total;
  if (args.after !== null && args.after !== undefined)
    start = Math.min(total, decodeCursor(args.after) + 1);
  if (args.before !== null && args.before !== undefined)
    end = Math.min(end, decodeCursor(args.before));
  end = Math.max(start, end);
  const noBoundary = (args.first ?? null) === null && (args.last ?? null) === null;
  const first = noBoundary ? DEFAULT_PAGE_SIZE : args.first;
  if (first !== null && first !== undefined) end = Math.min(end, start + first);
  if (args.last !== null && args.last !== undefined) start = Math.max(start, end - args.last);
  const nodes = rows.slice(start, end);
  const edges = nodes.map((node, offset) => ({ cursor: encodeCursor(start + offset), node }));
  return {
    nodes,
    edges,
    pageInfo: {
      hasNextPage: end < total,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: total,
  };
}

/**
 * Filters, sorts and pages `rows` for the connection field being resolved; the filter,
 * sort and node types are read from the field's definition in the schema.
 */
export function connectionOf<T>(
  rows: readonly T[],
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
): Connection<T> {
  const field = info.parentType.getFields()[info.fieldName];
  if (!field) throw new Error(`Unknown field ${info.fieldName}.`);
  const connectionType = getNamedType(field.type);
  const nodesField =
    connectionType instanceof GraphQLObjectType ? connectionType.getFields().nodes : undefined;
  const nodeType = nodesField ? getNamedType(nodesField.type) : undefined;
  if (!(nodeType instanceof GraphQLObjectType))
    throw new Error(`${info.fieldName} is not a connection.`);
  let selected = [...rows];
  const whereArgument = field.args.find((argument) => argument.name === "where");
  const whereType = whereArgument ? getNamedType(whereArgument.type) : undefined;
  if (args.where && whereType instanceof GraphQLInputObjectType) {
    const where = args.where;
    selected = selected.filter((row) => matchesFilter(whereType, where, row));
  }
  if (args.order && args.order.length > 0) selected = sortRows(selected, nodeType, args.order);
  return pageOf(selected, args);
}
