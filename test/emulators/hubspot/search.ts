/**
 * CRM search (`POST /crm/v3/objects/{type}/search`) as HubSpot runs it: filter groups are
 * ORed, the filters inside a group ANDed (at most 5 groups, 6 filters each, 18 in all); one
 * sort; `query` matches word prefixes in the type's searchable properties; pages of at most
 * 200; and no paging past the 10,000th result (`paging.next` still points there, and asking
 * for it is a 400, which is what a client looping on `paging.next` meets on HubSpot).
 *
 * Comparisons follow the property's type: exact decimals for numbers, instants for dates,
 * case-insensitive text otherwise. A negative operator (NEQ, NOT_IN, NOT_CONTAINS_TOKEN)
 * also matches records without a value. `associations.<singular>` filters by associated id.
 */
import { z } from "zod";
import { compareIds } from "./associations";
import { compareDecimals, decimalOf } from "./decimals";
import { type ErrorDetail, validationError } from "./errors";
import { type CrmObjectType, OBJECT_TYPES, objectTypeBySingular } from "./object-types";
import type { CrmRecord } from "./objects";
import type { Portal } from "./portal";
import type { PropertyDefinition } from "./properties";
import { instantOf } from "./property-values";

export const SEARCH_MAX_PAGE_SIZE = 200;
export const SEARCH_MAX_RESULTS = 10_000;
export const SEARCH_DEFAULT_PAGE_SIZE = 10;
const MAX_FILTER_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;

const OPERATORS = [
  "EQ",
  "NEQ",
  "LT",
  "LTE",
  "GT",
  "GTE",
  "BETWEEN",
  "IN",
  "NOT_IN",
  "HAS_PROPERTY",
  "NOT_HAS_PROPERTY",
  "CONTAINS_TOKEN",
  "NOT_CONTAINS_TOKEN",
] as const;
type Operator = (typeof OPERATORS)[number];

const filterSchema = z.object({
  propertyName: z.string().min(1),
  operator: z.enum(OPERATORS),
  value: z.union([z.string(), z.number(), z.boolean()]).optional(),
  highValue: z.union([z.string(), z.number()]).optional(),
  values: z.array(z.union([z.string(), z.number()])).optional(),
});

const sortSchema = z.union([
  z.string().min(1),
  z.object({
    propertyName: z.string().min(1),
    direction: z.enum(["ASCENDING", "DESCENDING"]).default("ASCENDING"),
  }),
]);

const searchRequestSchema = z.object({
  filterGroups: z.array(z.object({ filters: z.array(filterSchema) })).default([]),
  sorts: z.array(sortSchema).default([]),
  query: z.string().max(3000).optional(),
  properties: z.array(z.string()).optional(),
  limit: z.number().int().min(0).optional(),
  after: z.union([z.string(), z.number()]).optional(),
});

interface Filter {
  readonly propertyName: string;
  readonly operator: Operator;
  readonly value: string | undefined;
  readonly highValue: string | undefined;
  readonly values: readonly string[];
}

export interface SearchRequest {
  readonly filterGroups: readonly (readonly Filter[])[];
  readonly sort: { readonly propertyName: string; readonly descending: boolean } | null;
  readonly query: string | null;
  readonly properties: readonly string[] | null;
  readonly limit: number;
  readonly offset: number;
}

export interface SearchPage {
  readonly total: number;
  readonly records: readonly CrmRecord[];
  /** The `after` of the next page; past 10,000 asking for it is refused. */
  readonly nextAfter: string | null;
}

const text = (value: string | number | boolean | undefined) =>
  value === undefined ? undefined : String(value);

export function parseSearchRequest(body: unknown): SearchRequest {
  const parsed = searchRequestSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const errors: ErrorDetail[] = parsed.error.issues.map((issue) => ({
      message: issue.message,
      in: issue.path.join("."),
    }));
    throw validationError(
      "Invalid input JSON: the search request does not match PublicObjectSearchRequest.",
      errors,
    );
  }
  const request = parsed.data;
  if (request.filterGroups.length > MAX_FILTER_GROUPS) {
    throw validationError(
      `Too many filter groups: ${request.filterGroups.length} (at most ${MAX_FILTER_GROUPS}).`,
    );
  }
  const filterCount = request.filterGroups.reduce((sum, group) => sum + group.filters.length, 0);
  if (
    request.filterGroups.some((group) => group.filters.length > MAX_FILTERS_PER_GROUP) ||
    filterCount > MAX_FILTERS
  ) {
    throw validationError(
      `Too many filters: at most ${MAX_FILTERS_PER_GROUP} per group and ${MAX_FILTERS} in all (${filterCount} given).`,
    );
  }
  if (request.sorts.length > 1) throw validationError("Only one sort is allowed per search.");
  const limit = request.limit ?? SEARCH_DEFAULT_PAGE_SIZE;
  if (limit > SEARCH_MAX_PAGE_SIZE) {
    throw validationError(`limit must be at most ${SEARCH_MAX_PAGE_SIZE} (got ${limit}).`);
  }
  const after = text(request.after) ?? "0";
  const offset = after === "" ? 0 : /^\d+$/.test(after) ? Number(after) : Number.NaN;
  if (!Number.isSafeInteger(offset))
    throw validationError(`after must be a paging cursor from a previous page (got "${after}").`);
  if (offset >= SEARCH_MAX_RESULTS) {
    throw validationError(
      `Search results are limited to ${SEARCH_MAX_RESULTS} records: paging past them is not possible (after=${offset}). Narrow the filters instead.`,
    );
  }
  const [sort] = request.sorts;
  return {
    filterGroups: request.filterGroups.map((group) =>
      group.filters.map((filter) => ({
        propertyName: filter.propertyName,
        operator: filter.operator,
        value: text(filter.value),
        highValue: text(filter.highValue),
        values: (filter.values ?? []).map(String),
      })),
    ),
    sort:
      sort === undefined
        ? null
        : typeof sort === "string"
          ? { propertyName: sort.replace(/^-/, ""), descending: sort.startsWith("-") }
          : { propertyName: sort.propertyName, descending: sort.direction === "DESCENDING" },
    query: request.query === undefined || request.query.trim() === "" ? null : request.query,
    properties:
      request.properties === undefined || request.properties.length === 0
        ? null
        : request.properties,
    limit,
    offset,
  };
}

export function runSearch(portal: Portal, type: CrmObjectType, request: SearchRequest): SearchPage {
  const matchers = request.filterGroups.map((group) =>
    group.map((filter) => matcherFor(portal, type, filter)),
  );
  const queryTerms = request.query === null ? [] : tokensOf(request.query);
  const matching = portal.objects
    .all(type)
    .filter(
      (record) =>
        (matchers.length === 0 ||
          matchers.some((group) => group.every((matches) => matches(record)))) &&
        queryTerms.every((term) =>
          OBJECT_TYPES[type].queryProperties.some((name) =>
            tokensOf(record.values.get(name) ?? "").some((token) => token.startsWith(term)),
          ),
        ),
    );
  if (request.sort !== null) sortRecords(portal, type, matching, request.sort);
  const end = Math.min(request.offset + request.limit, SEARCH_MAX_RESULTS, matching.length);
  return {
    total: matching.length,
    records: matching.slice(request.offset, end),
    nextAfter: end < matching.length ? String(end) : null,
  };
}

type Matcher = (record: CrmRecord) => boolean;

function matcherFor(portal: Portal, type: CrmObjectType, filter: Filter): Matcher {
  const associationMatch = /^associations\.(.+)$/.exec(filter.propertyName);
  if (associationMatch !== null) {
    const toType = objectTypeBySingular(associationMatch[1] ?? "");
    if (toType === null)
      throw validationError(`Unknown association filter ${filter.propertyName}.`);
    const wanted = new Set(
      filter.value === undefined ? filter.values : [filter.value, ...filter.values],
    );
    const associatedIds = (record: CrmRecord) =>
      portal.associations.list(type, record.id, toType).map((a) => a.toId);
    if (filter.operator === "EQ" || filter.operator === "IN") {
      return (record) => associatedIds(record).some((id) => wanted.has(id));
    }
    if (filter.operator === "NEQ" || filter.operator === "NOT_IN") {
      return (record) => !associatedIds(record).some((id) => wanted.has(id));
    }
    throw validationError(
      `Operator ${filter.operator} is not supported on ${filter.propertyName}.`,
    );
  }
  const definition = portal.properties.get(type, filter.propertyName);
  if (definition === undefined) {
    throw validationError(
      `Unable to find property ${filter.propertyName} for object type ${type}.`,
    );
  }
  const compare = comparatorFor(definition);
  const valueOf = (record: CrmRecord) => record.values.get(filter.propertyName);
  const need = (value: string | undefined): string => {
    if (value === undefined)
      throw validationError(
        `Operator ${filter.operator} needs a value for ${filter.propertyName}.`,
      );
    return value;
  };
  switch (filter.operator) {
    case "HAS_PROPERTY":
      return (record) => valueOf(record) !== undefined;
    case "NOT_HAS_PROPERTY":
      return (record) => valueOf(record) === undefined;
    case "EQ":
    case "NEQ": {
      const wanted = need(filter.value);
      const equal = (record: CrmRecord) => {
        const held = valueOf(record);
        return held !== undefined && compare(held, wanted) === 0;
      };
      return filter.operator === "EQ" ? equal : (record) => !equal(record);
    }
    case "LT":
    case "LTE":
    case "GT":
    case "GTE": {
      const wanted = need(filter.value);
      const accept = {
        LT: (c: number) => c < 0,
        LTE: (c: number) => c <= 0,
        GT: (c: number) => c > 0,
        GTE: (c: number) => c >= 0,
      }[filter.operator];
      return (record) => {
        const held = valueOf(record);
        return held !== undefined && accept(compare(held, wanted));
      };
    }
    case "BETWEEN": {
      const low = need(filter.value);
      const high = need(filter.highValue);
      return (record) => {
        const held = valueOf(record);
        return held !== undefined && compare(held, low) >= 0 && compare(held, high) <= 0;
      };
    }
    case "IN":
    case "NOT_IN": {
      if (filter.values.length === 0)
        throw validationError(
          `Operator ${filter.operator} needs values for ${filter.propertyName}.`,
        );
      const inList = (record: CrmRecord) => {
        const held = valueOf(record);
        return held !== undefined && filter.values.some((value) => compare(held, value) === 0);
      };
      return filter.operator === "IN" ? inList : (record) => !inList(record);
    }
    case "CONTAINS_TOKEN":
    case "NOT_CONTAINS_TOKEN": {
      const pattern = tokenPattern(need(filter.value));
      const contains = (record: CrmRecord) => pattern(valueOf(record) ?? "");
      return filter.operator === "CONTAINS_TOKEN" ? contains : (record) => !contains(record);
    }
  }
}

type Comparator = (held: string, wanted: string) => number;

function comparatorFor(definition: PropertyDefinition): Comparator {
  if (definition.type === "number") {
    return (held, wanted) => {
      const a = decimalOf(held);
      const b = decimalOf(wanted);
      if (b === null)
        throw validationError(`${wanted} is not a number, so it cannot filter ${definition.name}.`);
      return a === null ? -1 : compareDecimals(a, b);
    };
  }
  if (definition.type === "date" || definition.type === "datetime") {
    return (held, wanted) => {
      const a = instantOf(held);
      const b = instantOf(wanted);
      if (b === null)
        throw validationError(`${wanted} is not a date, so it cannot filter ${definition.name}.`);
      return a === null ? -1 : Math.sign(a - b);
    };
  }
  return (held, wanted) => held.toLowerCase().localeCompare(wanted.toLowerCase());
}

function sortRecords(
  portal: Portal,
  type: CrmObjectType,
  records: CrmRecord[],
  sort: { readonly propertyName: string; readonly descending: boolean },
): void {
  const definition = portal.properties.get(type, sort.propertyName);
  if (definition === undefined) {
    throw validationError(
      `Unable to sort on ${sort.propertyName}: no such property for object type ${type}.`,
    );
  }
  const compare = sort.propertyName === "hs_object_id" ? compareIds : comparatorFor(definition);
  records.sort((a, b) => {
    const held = a.values.get(sort.propertyName);
    const other = b.values.get(sort.propertyName);
    // Records without a value come last, whichever the direction.
    if (held === undefined || other === undefined) {
      return held === other ? compareIds(a.id, b.id) : held === undefined ? 1 : -1;
    }
    const order = compare(held, other);
    return order === 0 ? compareIds(a.id, b.id) : sort.descending ? -order : order;
  });
}

function tokensOf(value: string): string[] {
  return value
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== "");
}

/** CONTAINS_TOKEN: a token equal to the value, `*` matching any run of characters. */
function tokenPattern(value: string): (held: string) => boolean {
  const wanted = value
    .toLowerCase()
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "");
  if (/[^a-z0-9*]/.test(wanted)) {
    // A phrase: its words must appear in order.
    const phrase = tokensOf(wanted).join(" ");
    return (held) => ` ${tokensOf(held).join(" ")} `.includes(` ${phrase} `);
  }
  const expression = new RegExp(`^${wanted.split("*").map(escapeRegExp).join(".*")}$`);
  return (held) => tokensOf(held).some((token) => expression.test(token));
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
