/**
 * Hot Chocolate connections as Sage Active serves them (§2.3-2.5 of the reference):
 * `where` filters, `order` sorts and cursor paging (default 20, at most 500 per page,
 * HC0051 beyond). The filter and sort inputs are interpreted through the schema types, so
 * any field the SDL declares filterable works without per-entity code.
 *
 * Choices, as SQL Server (Sage's store) behaves: string comparisons ignore case (eq and in
 * too, not only contains/startsWith/endsWith), negated operators are true on null fields,
 * nulls sort first in ascending order, and the default order is creation order.
 *
 * A connection is served over thousands of records: `where` and `order` are compiled once
 * per query and read the fields they name through `LazyRow`s, straight off the records
 * where a row shape knows how, so views are built only for the page returned.
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

/** How a connection shows its records, and which of the view's fields it can read without it. */
export interface RowShape<R> {
  /** The record as the API shows it. */
  readonly view: (record: R) => object;
  /**
   * Fields of the view read straight off the record. Each answers exactly what the view
   * holds; a link to another record answers a `LazyRow` of it (or null).
   */
  readonly fields?: Readonly<Record<string, (record: R) => unknown>>;
}

/** A record in a connection, its view built only when a field outside its shape is read. */
export class LazyRow<R = unknown> {
  private built: Readonly<Record<string, unknown>> | undefined;

  constructor(
    readonly record: R,
    private readonly shape: RowShape<R>,
  ) {}

  field(key: string): unknown {
    const fields = this.shape.fields;
    const read = fields !== undefined && Object.hasOwn(fields, key) ? fields[key] : undefined;
    return read === undefined ? this.view()[key] : read(this.record);
  }

  view(): Readonly<Record<string, unknown>> {
    this.built ??= this.shape.view(this.record) as Readonly<Record<string, unknown>>;
    return this.built;
  }
}

/** A linked record as a filter or a sort reads it. */
export function linkedRow<R extends object>(
  record: R | undefined,
  shape: RowShape<R>,
): LazyRow<R> | null {
  return record === undefined ? null : new LazyRow(record, shape);
}

type IdReader<R> = (record: R) => string | null;

/**
 * The records behind a connection field, and how a `where` naming ids narrows them before
 * any row is read: an id field (`id: { eq }`, `customerId: { in }`) or a link's id
 * (`salesInvoice: { id: { in } }`), compared on the record or looked up. Ids are lower-case
 * UUIDs (records.ts), so a folded operand equals the id it matches.
 */
export interface RowSource<R> {
  /** Every record, in creation order (a connection's default order). */
  readonly records: () => Iterable<R>;
  readonly shape: RowShape<R>;
  /** UUID fields of the view, read off the record. */
  readonly idFields?: Readonly<Record<string, IdReader<R>>>;
  /** Links of the view, by the id of the record each points to. */
  readonly links?: Readonly<Record<string, IdReader<R>>>;
  /**
   * Lookups by the ids an id field or a link names: every record holding one of them is
   * among those answered (the rest of the filter still runs on them).
   */
  readonly find?: Readonly<Record<string, (ids: ReadonlySet<string>) => Iterable<R>>>;
  /**
   * Puts found records back in creation order. Without it they are picked out of a pass
   * over `records`, which costs little when records are stored, much when they are built.
   */
  readonly inCreationOrder?: (found: readonly R[]) => R[];
}

const shownAsIs: RowShape<object> = { view: (row) => row };

/** Rows already shaped as the API shows them (reference data, small lists). */
export function plainRows(rows: readonly object[]): RowSource<object> {
  return { records: () => rows, shape: shownAsIs };
}

/** A field of a row, whether a `LazyRow` or an object of a view. */
function fieldOf(row: unknown, key: string): unknown {
  if (row instanceof LazyRow) return row.field(key);
  return (row as Readonly<Record<string, unknown>>)[key];
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

const NON_ASCII = /[^\p{ASCII}]/u;

function fold(value: unknown): string {
  const text = String(value);
  // French case mapping is plain ASCII case mapping on ASCII text (ids, codes, dates), and
  // the locale-aware path costs several times more on every row of a query.
  return NON_ASCII.test(text) ? text.toLocaleLowerCase("fr-FR") : text.toLowerCase();
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
  return Object.entries(filter).every(([key, value]) => {
    if (value === null || value === undefined) return true;
    if (key === "and")
      return (value as FilterValue[]).every((nested) => matchesFilter(type, nested, row));
    if (key === "or")
      return (value as FilterValue[]).some((nested) => matchesFilter(type, nested, row));
    const fieldType = inputFieldType(type, key);
    const fieldValue = fieldOf(row, key);
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

// ---- compiled filters: the same semantics, with operands prepared once per query ----------

type Predicate = (value: unknown) => boolean;

const isPresent = (value: unknown) => value !== null && value !== undefined;

function isFilterObject(value: unknown): value is FilterValue {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Folded texts and parsed instants of the values rows hold: the same ids and timestamps are
 * compared by query after query. Bounded, since values come and go with the records.
 */
const foldedTexts = new Map<string, string>();
const instants = new Map<string, number>();
const REMEMBERED_VALUES = 100_000;

function remembered<V>(memory: Map<string, V>, text: string, compute: (text: string) => V): V {
  const known = memory.get(text);
  if (known !== undefined) return known;
  if (memory.size >= REMEMBERED_VALUES) memory.clear();
  const value = compute(text);
  memory.set(text, value);
  return value;
}

/**
 * A value reduced to what `compareNonNull` compares, so an operand is folded or parsed once
 * rather than at every row: `compareComparable(kind, comparable(kind, a), comparable(kind, b))`
 * is `compareNonNull(kind, a, b)`.
 */
function comparable(kind: ValueKind, value: unknown): string | number {
  switch (kind) {
    case "string":
    case "uuid":
      return remembered(foldedTexts, String(value), fold);
    case "enum":
    case "decimal":
      return String(value);
    case "dateTime":
      return remembered(instants, String(value), instantOf);
    case "int":
    case "boolean":
      return Number(value);
  }
}

function compareComparable(kind: ValueKind, a: string | number, b: string | number): number {
  switch (kind) {
    case "decimal":
      return compareDecimals(String(a), String(b));
    case "int":
    case "boolean":
    case "dateTime":
      return (a as number) - (b as number);
    case "string":
    case "uuid":
    case "enum":
      return a < b ? -1 : a > b ? 1 : 0;
  }
}

function equalTo(kind: ValueKind, operand: unknown): Predicate {
  if (!isPresent(operand)) return (field) => !isPresent(field);
  const target = comparable(kind, operand);
  return (field) =>
    isPresent(field) && compareComparable(kind, comparable(kind, field), target) === 0;
}

function memberOf(kind: ValueKind, candidates: readonly unknown[]): Predicate {
  if (kind === "string" || kind === "uuid" || kind === "enum") {
    // Equality on these kinds is equality of the comparable text, so a set answers it.
    const acceptsNull = candidates.some((candidate) => !isPresent(candidate));
    const texts = new Set(
      candidates.filter(isPresent).map((candidate) => comparable(kind, candidate)),
    );
    return (field) => (isPresent(field) ? texts.has(comparable(kind, field)) : acceptsNull);
  }
  const tests = candidates.map((candidate) => equalTo(kind, candidate));
  return (field) => tests.some((test) => test(field));
}

function ordered(kind: ValueKind, operand: unknown, accept: (order: number) => boolean): Predicate {
  if (!isPresent(operand)) return () => false;
  const target = comparable(kind, operand);
  return (field) =>
    isPresent(field) && accept(compareComparable(kind, comparable(kind, field), target));
}

function textMatch(operand: unknown, test: (text: string, part: string) => boolean): Predicate {
  if (!isPresent(operand)) return () => false;
  const part = fold(operand);
  return (field) => isPresent(field) && test(fold(field), part);
}

const not =
  (predicate: Predicate): Predicate =>
  (value) =>
    !predicate(value);

function compileOperation(
  type: GraphQLInputObjectType,
  kind: ValueKind,
  operator: string,
  operand: unknown,
): Predicate {
  switch (operator) {
    case "eq":
      return equalTo(kind, operand);
    case "neq":
      return not(equalTo(kind, operand));
    case "in":
    case "nin": {
      if (Array.isArray(operand) || !isPresent(operand)) {
        const member = Array.isArray(operand) ? memberOf(kind, operand) : () => false;
        return operator === "in" ? member : not(member);
      }
      break;
    }
    case "gt":
      return ordered(kind, operand, (order) => order > 0);
    case "gte":
      return ordered(kind, operand, (order) => order >= 0);
    case "lt":
      return ordered(kind, operand, (order) => order < 0);
    case "lte":
      return ordered(kind, operand, (order) => order <= 0);
    case "contains":
      return textMatch(operand, (text, part) => text.includes(part));
    case "ncontains":
      return not(textMatch(operand, (text, part) => text.includes(part)));
    case "startsWith":
      return textMatch(operand, (text, part) => text.startsWith(part));
    case "nstartsWith":
      return not(textMatch(operand, (text, part) => text.startsWith(part)));
    case "endsWith":
      return textMatch(operand, (text, part) => text.endsWith(part));
    case "nendsWith":
      return not(textMatch(operand, (text, part) => text.endsWith(part)));
  }
  // Nested and/or, and anything unexpected: as interpreted, errors included.
  return (field) => matchesOperations(type, kind, { [operator]: operand }, field);
}

function compileCondition(type: GraphQLInputObjectType, key: string, value: unknown): Predicate {
  const interpreted: Predicate = (row) => matchesFilter(type, { [key]: value }, row);
  if (key === "and" || key === "or") {
    if (!Array.isArray(value) || !value.every(isFilterObject)) return interpreted;
    const nested = value.map((entry) => compileFilter(type, entry));
    return key === "and"
      ? (row) => nested.every((test) => test(row))
      : (row) => nested.some((test) => test(row));
  }
  let fieldType: GraphQLInputObjectType;
  try {
    fieldType = inputFieldType(type, key);
  } catch {
    return interpreted;
  }
  if (fieldType.name.startsWith("ListFilterInputTypeOf") || !isFilterObject(value))
    return interpreted;
  if (fieldType.name.endsWith("OperationFilterInput")) {
    const kind = kindOfOperationInput(fieldType.name);
    const tests = Object.entries(value).map(([operator, operand]) =>
      compileOperation(fieldType, kind, operator, operand),
    );
    return (row) => {
      const field = fieldOf(row, key);
      return tests.every((test) => test(field));
    };
  }
  const nested = compileFilter(fieldType, value);
  return (row) => {
    const field = fieldOf(row, key);
    return isPresent(field) && nested(field);
  };
}

/** `matchesFilter(type, filter, row)` as one function of the row, prepared once per query. */
export function compileFilter(type: GraphQLInputObjectType, filter: FilterValue): Predicate {
  const tests = Object.entries(filter)
    .filter(([, value]) => isPresent(value))
    .map(([key, value]) => compileCondition(type, key, value));
  return (row) => tests.every((test) => test(row));
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
    current = fieldOf(current, key);
  }
  return current;
}

/** Orders two non-null comparables of a kind, as `compareNonNull` orders the values. */
function comparatorOf(kind: ValueKind): (a: string | number, b: string | number) => number {
  switch (kind) {
    case "decimal":
      return (a, b) => compareDecimals(String(a), String(b));
    case "int":
    case "boolean":
    case "dateTime":
      return (a, b) => (a as number) - (b as number);
    case "string":
    case "uuid":
    case "enum":
      return (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  }
}

export function sortRows<T>(
  rows: readonly T[],
  nodeType: GraphQLObjectType,
  order: readonly FilterValue[],
): T[] {
  const keys = order.flatMap((entry) => sortKeys(nodeType, entry));
  if (keys.length === 0) return [...rows];
  // Each row's values are read, folded or parsed once, not at every comparison.
  const byKey = keys.map((key) => {
    const column = rows.map((row) => {
      const value = valueAt(row, key.path);
      return isPresent(value) ? comparable(key.kind, value) : null;
    });
    const compare = comparatorOf(key.kind);
    const sign = key.descending ? -1 : 1;
    return (a: number, b: number): number => {
      const left = column[a] ?? null;
      const right = column[b] ?? null;
      // Nulls first in ascending order, as SQL Server sorts them.
      const result =
        left === null || right === null
          ? left === right
            ? 0
            : left === null
              ? -1
              : 1
          : compare(left, right);
      return result === 0 ? 0 : sign * result;
    };
  });
  const positions = rows.map((_row, index) => index);
  positions.sort((a, b) => {
    for (const compare of byKey) {
      const result = compare(a, b);
      if (result !== 0) return result;
    }
    return 0;
  });
  return positions.map((index) => rows[index] as T);
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

/** Slices an already filtered and sorted list into a page, showing only the page's rows. */
export function pageOf<T, U = T>(
  rows: readonly T[],
  args: ConnectionArgs,
  show: (row: T) => U = (row) => row as unknown as U,
): Connection<U> {
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
  const nodes = rows.slice(start, end).map(show);
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

/** The folded ids an operation filter restricts a UUID to, or null when it names no list. */
function idsNamedBy(condition: unknown): ReadonlySet<string> | null {
  if (!isFilterObject(condition)) return null;
  const operators = Object.keys(condition);
  if (operators.length !== 1) return null;
  const operand = condition[operators[0] as string];
  if (operators[0] === "eq" && typeof operand === "string") return new Set([fold(operand)]);
  if (
    operators[0] === "in" &&
    Array.isArray(operand) &&
    operand.every((candidate) => typeof candidate === "string")
  )
    return new Set(operand.map(fold));
  return null;
}

function entryOf<V>(table: Readonly<Record<string, V>> | undefined, key: string): V | undefined {
  return table !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;
}

interface IdRestriction<R> {
  readonly key: string;
  readonly ids: ReadonlySet<string>;
  readonly read: IdReader<R>;
}

/** The id conditions of a `where` that name ids, each with the reader that checks it. */
function idRestrictions<R>(source: RowSource<R>, where: FilterValue): IdRestriction<R>[] {
  return Object.entries(where).flatMap(([key, condition]) => {
    const field = entryOf(source.idFields, key);
    if (field !== undefined) {
      const ids = idsNamedBy(condition);
      return ids === null ? [] : [{ key, ids, read: field }];
    }
    const link = entryOf(source.links, key);
    if (link !== undefined && isFilterObject(condition) && Object.keys(condition).length === 1) {
      const ids = idsNamedBy(condition.id);
      return ids === null ? [] : [{ key, ids, read: link }];
    }
    return [];
  });
}

/**
 * The records a `where` can match: every record, less those an id it names rules out. The
 * whole filter still runs on what remains, so this only saves reading the others.
 */
function candidateRows<R>(source: RowSource<R>, where: FilterValue | null | undefined): R[] {
  const restrictions = where ? idRestrictions(source, where) : [];
  const holdsNamedIds = (record: R) =>
    restrictions.every(({ ids, read }) => {
      const id = read(record);
      return id !== null && ids.has(id);
    });
  const lookup = restrictions.find(({ key }) => entryOf(source.find, key) !== undefined);
  if (lookup === undefined) {
    const rows: R[] = [];
    for (const record of source.records()) if (holdsNamedIds(record)) rows.push(record);
    return rows;
  }
  const find = entryOf(source.find, lookup.key);
  const found = new Set<R>();
  for (const record of find?.(lookup.ids) ?? []) if (holdsNamedIds(record)) found.add(record);
  if (found.size === 0) return [];
  if (source.inCreationOrder) return source.inCreationOrder([...found]);
  const rows: R[] = [];
  for (const record of source.records()) if (found.has(record)) rows.push(record);
  return rows;
}

/**
 * Filters, sorts and pages the rows of `source` for the connection field being resolved;
 * the filter, sort and node types are read from the field's definition in the schema.
 */
export function connectionOf<R>(
  source: RowSource<R>,
  args: ConnectionArgs,
  info: GraphQLResolveInfo,
): Connection<object> {
  const field = info.parentType.getFields()[info.fieldName];
  if (!field) throw new Error(`Unknown field ${info.fieldName}.`);
  const connectionType = getNamedType(field.type);
  const nodesField =
    connectionType instanceof GraphQLObjectType ? connectionType.getFields().nodes : undefined;
  const nodeType = nodesField ? getNamedType(nodesField.type) : undefined;
  if (!(nodeType instanceof GraphQLObjectType))
    throw new Error(`${info.fieldName} is not a connection.`);
  const whereArgument = field.args.find((argument) => argument.name === "where");
  const whereType = whereArgument ? getNamedType(whereArgument.type) : undefined;
  const filtering = args.where && whereType instanceof GraphQLInputObjectType;
  let selected = candidateRows(source, filtering ? args.where : null).map(
    (record) => new LazyRow(record, source.shape),
  );
  if (args.where && whereType instanceof GraphQLInputObjectType) {
    const matches = compileFilter(whereType, args.where);
    selected = selected.filter(matches);
  }
  if (args.order && args.order.length > 0) selected = sortRows(selected, nodeType, args.order);
  return pageOf(selected, args, (row) => row.view());
}
