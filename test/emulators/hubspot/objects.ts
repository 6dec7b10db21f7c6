/**
 * A portal's CRM records, one generic store for every object type. Writes go through the
 * rules HubSpot applies: unknown properties and bad values are refused together in one 400,
 * calculated properties are read-only, unique properties stay unique (409), engagements need
 * `hs_timestamp`, and HubSpot's own bookkeeping is kept (`hs_object_id`, create and
 * last-modified dates, a line item's net `amount` and what it copies from its product).
 */
import {
  HubSpotHttpError,
  type PropertyProblem,
  invalidProperties,
  validationError,
} from "./errors";
import { ZERO, decimalOf, formatDecimal, lessPercent, multiply, subtract } from "./decimals";
import { compareIds } from "./associations";
import { OBJECT_TYPES, type CrmObjectType } from "./object-types";
import type { PropertyCatalog } from "./properties";
import { type RawValue, normalizeValue } from "./property-values";

export interface CrmRecord {
  readonly id: string;
  readonly type: CrmObjectType;
  /** Only properties that have a value; everything is text, as HubSpot stores it. */
  readonly values: Map<string, string>;
  readonly createdAtMs: number;
  updatedAtMs: number;
  archived: boolean;
  archivedAtMs: number | null;
}

export type PropertyValues = Readonly<Record<string, RawValue>>;

export interface WriteOptions {
  /** When the write happens (the seed back-dates records); defaults to now. */
  readonly atMs?: number;
  /** The seed may set calculated properties (last activity dates), which the API refuses. */
  readonly allowReadOnly?: boolean;
}

type Normalized = Map<string, string | null>;

const iso = (ms: number) => new Date(ms).toISOString();

export class CrmObjects {
  private readonly records = new Map<CrmObjectType, Map<string, CrmRecord>>();

  constructor(
    private readonly portalId: number,
    private readonly catalog: PropertyCatalog,
    private readonly isOwner: (ownerId: string) => boolean,
    private readonly nextId: () => number,
    private readonly nowMs: () => number,
  ) {}

  get(
    type: CrmObjectType,
    id: string,
    options: { archived?: boolean } = {},
  ): CrmRecord | undefined {
    const record = this.tableOf(type).get(id);
    return record !== undefined && record.archived === (options.archived ?? false)
      ? record
      : undefined;
  }

  /** The live record whose unique property `name` holds `value`. */
  findByUnique(type: CrmObjectType, name: string, value: string): CrmRecord | undefined {
    if (name === "hs_object_id") return this.get(type, value);
    const wanted = uniqueKey(name, value);
    return this.all(type).find((record) => {
      const held = record.values.get(name);
      return held !== undefined && uniqueKey(name, held) === wanted;
    });
  }

  /** Live (or archived) records of a type, in id order. */
  all(type: CrmObjectType, options: { archived?: boolean } = {}): CrmRecord[] {
    const archived = options.archived ?? false;
    return [...this.tableOf(type).values()]
      .filter((record) => record.archived === archived)
      .sort((a, b) => compareIds(a.id, b.id));
  }

  count(type: CrmObjectType): number {
    return this.all(type).length;
  }

  /** Checks a whole batch before writing any of it, as HubSpot's batch endpoints do. */
  createMany(
    type: CrmObjectType,
    inputs: readonly PropertyValues[],
    options: WriteOptions = {},
  ): CrmRecord[] {
    const prepared = inputs.map((input) => this.prepareCreate(type, input, options));
    this.checkUniqueWithinBatch(type, prepared);
    return prepared.map((values) => this.insert(type, values, options));
  }

  create(type: CrmObjectType, input: PropertyValues, options: WriteOptions = {}): CrmRecord {
    const [record] = this.createMany(type, [input], options);
    if (record === undefined) throw new Error("create produced no record");
    return record;
  }

  updateMany(
    type: CrmObjectType,
    changes: readonly { readonly record: CrmRecord; readonly input: PropertyValues }[],
    options: WriteOptions = {},
  ): CrmRecord[] {
    const prepared = changes.map(({ record, input }) => ({
      record,
      values: this.normalize(type, input, { ...options, existing: record }),
    }));
    this.checkUniqueWithinBatch(
      type,
      prepared.map((change) => change.values),
    );
    return prepared.map(({ record, values }) => this.apply(record, values, options));
  }

  update(
    type: CrmObjectType,
    record: CrmRecord,
    input: PropertyValues,
    options: WriteOptions = {},
  ): CrmRecord {
    const [updated] = this.updateMany(type, [{ record, input }], options);
    if (updated === undefined) throw new Error("update produced no record");
    return updated;
  }

  /** Updates and creates of one upsert batch, all checked before any is written. */
  upsertMany(
    type: CrmObjectType,
    batch: {
      readonly updates: readonly { readonly record: CrmRecord; readonly input: PropertyValues }[];
      readonly creates: readonly PropertyValues[];
    },
    options: WriteOptions = {},
  ): { updated: CrmRecord[]; created: CrmRecord[] } {
    const updates = batch.updates.map(({ record, input }) => ({
      record,
      values: this.normalize(type, input, { ...options, existing: record }),
    }));
    const creates = batch.creates.map((input) => this.prepareCreate(type, input, options));
    this.checkUniqueWithinBatch(type, [...updates.map((update) => update.values), ...creates]);
    return {
      updated: updates.map(({ record, values }) => this.apply(record, values, options)),
      created: creates.map((values) => this.insert(type, values, options)),
    };
  }

  archive(record: CrmRecord): void {
    if (record.archived) return;
    const now = this.nowMs();
    record.archived = true;
    record.archivedAtMs = now;
    record.updatedAtMs = now;
  }

  /** Sets calculated values (activity dates) without the API's read-only rule. */
  touch(
    record: CrmRecord,
    values: Readonly<Record<string, string>>,
    atMs: number = this.nowMs(),
  ): void {
    for (const [name, value] of Object.entries(values)) record.values.set(name, value);
    record.updatedAtMs = Math.max(record.updatedAtMs, atMs);
    this.stamp(record);
  }

  private prepareCreate(
    type: CrmObjectType,
    input: PropertyValues,
    options: WriteOptions,
  ): Normalized {
    const values = this.normalize(type, input, options);
    const missing = OBJECT_TYPES[type].requiredOnCreate.filter(
      (name) => (values.get(name) ?? null) === null,
    );
    if (missing.length > 0) {
      throw new HubSpotHttpError(
        400,
        "VALIDATION_ERROR",
        `Error creating ${OBJECT_TYPES[type].singular.toUpperCase()}. Some required properties were not set.`,
        { context: { properties: missing } },
      );
    }
    if (type === "line_items") this.copyFromProduct(values);
    if (type === "deals" && !values.has("pipeline")) values.set("pipeline", "default");
    if (type === "tasks" && !values.has("hs_task_status"))
      values.set("hs_task_status", "NOT_STARTED");
    return values;
  }

  private insert(type: CrmObjectType, values: Normalized, options: WriteOptions): CrmRecord {
    const atMs = options.atMs ?? this.nowMs();
    const record: CrmRecord = {
      id: String(this.nextId()),
      type,
      values: new Map(),
      createdAtMs: atMs,
      updatedAtMs: atMs,
      archived: false,
      archivedAtMs: null,
    };
    this.tableOf(type).set(record.id, record);
    return this.apply(record, values, options);
  }

  private apply(record: CrmRecord, values: Normalized, options: WriteOptions): CrmRecord {
    const wasCompleted = record.values.get("hs_task_status") === "COMPLETED";
    for (const [name, value] of values) {
      if (value === null) record.values.delete(name);
      else record.values.set(name, value);
    }
    record.updatedAtMs = Math.max(record.updatedAtMs, options.atMs ?? this.nowMs());
    if (
      record.type === "tasks" &&
      !wasCompleted &&
      record.values.get("hs_task_status") === "COMPLETED"
    ) {
      record.values.set("hs_task_completion_date", iso(record.updatedAtMs));
    }
    if (record.type === "line_items") this.computeNetAmount(record);
    this.stamp(record);
    return record;
  }

  private stamp(record: CrmRecord): void {
    const definition = OBJECT_TYPES[record.type];
    record.values.set("hs_object_id", record.id);
    record.values.set(definition.createdProperty, iso(record.createdAtMs));
    record.values.set(definition.lastModifiedProperty, iso(record.updatedAtMs));
  }

  /** Validates and normalizes every value, refusing the write with all problems at once. */
  private normalize(
    type: CrmObjectType,
    input: PropertyValues,
    options: WriteOptions & { existing?: CrmRecord },
  ): Normalized {
    const problems: PropertyProblem[] = [];
    const values: Normalized = new Map();
    for (const [name, raw] of Object.entries(input)) {
      const definition = this.catalog.get(type, name);
      if (definition === undefined) {
        problems.push({
          name,
          error: "PROPERTY_DOESNT_EXIST",
          message: `Property "${name}" does not exist`,
        });
        continue;
      }
      if (definition.readOnlyValue && options.allowReadOnly !== true) {
        problems.push({
          name,
          error: "READ_ONLY_VALUE",
          message: `${name} is a read only property; its value cannot be set.`,
        });
        continue;
      }
      const normalized = normalizeValue(definition, raw, this.isOwner);
      if (!normalized.ok) problems.push(normalized.problem);
      else values.set(name, normalized.value);
    }
    if (problems.length > 0) throw invalidProperties(this.portalId, problems);
    this.checkUniqueAgainstStore(type, values, options.existing);
    return values;
  }

  private checkUniqueAgainstStore(
    type: CrmObjectType,
    values: Normalized,
    existing: CrmRecord | undefined,
  ): void {
    for (const [name, value] of values) {
      if (value === null || this.catalog.get(type, name)?.hasUniqueValue !== true) continue;
      const holder = this.findByUnique(type, name, value);
      if (holder !== undefined && holder.id !== existing?.id)
        throw duplicateValue(type, name, value, holder.id);
    }
  }

  private checkUniqueWithinBatch(type: CrmObjectType, batch: readonly Normalized[]): void {
    const seen = new Set<string>();
    for (const values of batch) {
      for (const [name, value] of values) {
        if (value === null || this.catalog.get(type, name)?.hasUniqueValue !== true) continue;
        const key = `${name}\u0000${uniqueKey(name, value)}`;
        if (seen.has(key)) {
          throw validationError(
            `Duplicate values for unique property ${name} in batch input: ${value}`,
          );
        }
        seen.add(key);
      }
    }
  }

  /** A line item made from a product takes the product's values it was not given. */
  private copyFromProduct(values: Normalized): void {
    const productId = values.get("hs_product_id");
    if (productId === undefined || productId === null) return;
    const product = this.get("products", productId);
    if (product === undefined) {
      throw validationError(`Product with ID ${productId} does not exist.`, [
        {
          message: `Product with ID ${productId} does not exist.`,
          code: "INVALID_PRODUCT_ID",
          in: "hs_product_id",
        },
      ]);
    }
    for (const [name, value] of product.values) {
      const onLineItem = this.catalog.get("line_items", name);
      if (onLineItem === undefined || onLineItem.readOnlyValue || values.has(name)) continue;
      values.set(name, value);
    }
  }

  /** HubSpot's net price: quantity x unit price, less the percentage discount, less the unit discount. */
  private computeNetAmount(record: CrmRecord): void {
    const quantity = decimalOf(record.values.get("quantity") ?? "");
    const price = decimalOf(record.values.get("price") ?? "");
    if (quantity === null || price === null) {
      record.values.delete("amount");
      return;
    }
    const percent = decimalOf(record.values.get("hs_discount_percentage") ?? "0") ?? ZERO;
    const unitDiscount = decimalOf(record.values.get("discount") ?? "0") ?? ZERO;
    const unitNet = subtract(lessPercent(price, percent), unitDiscount);
    record.values.set("amount", formatDecimal(multiply(quantity, unitNet)));
  }

  private tableOf(type: CrmObjectType): Map<string, CrmRecord> {
    let table = this.records.get(type);
    if (table === undefined) {
      table = new Map();
      this.records.set(type, table);
    }
    return table;
  }
}

/** Emails are unique whatever their case. */
const uniqueKey = (name: string, value: string) => (name === "email" ? value.toLowerCase() : value);

function duplicateValue(type: CrmObjectType, name: string, value: string, existingId: string) {
  const message =
    type === "contacts" && name === "email"
      ? `Contact already exists. Existing ID: ${existingId}`
      : `A ${OBJECT_TYPES[type].singular} with ${name} "${value}" already exists. Existing ID: ${existingId}`;
  return new HubSpotHttpError(409, "CONFLICT", message);
}
