/**
 * The CRM objects API v3, one generic set of routes for every object type:
 * list / create / read / update / archive, the batch endpoints (at most 100 inputs, 400
 * beyond), and search. Paths take the object type by name or by id (`/crm/v3/objects/0-3`).
 * https://developers.hubspot.com/docs/api-reference/crm-companies-v3/guide
 */
import { type ApiCall, type ApiRoute, json, noContent, parseWith } from "./api";
import { compareIds, requireAssociationType } from "./associations";
import { HubSpotHttpError, validationError } from "./errors";
import { type CrmObjectType, OBJECT_TYPES, resolveObjectType } from "./object-types";
import type { CrmRecord, PropertyValues } from "./objects";
import type { Portal } from "./portal";
import { type RecordView, renderRecord } from "./render";
import {
  type CreateInput,
  batchArchiveSchema,
  batchCreateSchema,
  batchReadSchema,
  batchUpdateSchema,
  createInputSchema,
  updateInputSchema,
} from "./request-bodies";
import { parseSearchRequest, runSearch } from "./search";

export const BATCH_LIMIT = 100;
export const LIST_DEFAULT_PAGE_SIZE = 10;
export const LIST_MAX_PAGE_SIZE = 100;

/** The object type a path names, or HubSpot's own 400 for anything else. */
export function objectTypeOf(segment: string | undefined): CrmObjectType {
  const type = resolveObjectType(segment ?? "");
  if (type === null) throw validationError(`Unable to infer object type from: ${segment ?? ""}`);
  return type;
}

const iso = (ms: number) => new Date(ms).toISOString();

interface BatchError {
  readonly status: "error";
  readonly category: string;
  readonly message: string;
  readonly context: Record<string, string[]>;
  readonly errors: never[];
  readonly links: Record<string, string>;
}

const missingIdsError = (
  type: CrmObjectType,
  verb: string,
  ids: readonly string[],
): BatchError => ({
  status: "error",
  category: "OBJECT_NOT_FOUND",
  message: `Could not ${verb} some ${OBJECT_TYPES[type].singular.toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
  context: { ids: [...ids] },
  errors: [],
  links: {},
});

export function batchResponse<T>(
  results: readonly T[],
  atMs: number,
  errors: readonly BatchError[] = [],
) {
  return {
    status: "COMPLETE",
    results,
    ...(errors.length === 0 ? {} : { numErrors: errors.length, errors }),
    requestedAt: iso(atMs),
    startedAt: iso(atMs),
    completedAt: iso(atMs),
  };
}

function checkBatchSize(inputs: readonly unknown[]): void {
  if (inputs.length > BATCH_LIMIT) {
    throw new HubSpotHttpError(
      400,
      "VALIDATION_ERROR",
      `Batch input exceeds the limit of ${BATCH_LIMIT} inputs (${inputs.length} provided).`,
      {
        errors: [
          {
            message: `size must be between 0 and ${BATCH_LIMIT}`,
            in: "inputs",
            code: "INVALID_INPUT",
          },
        ],
      },
    );
  }
}

function viewOf(call: ApiCall): RecordView {
  const properties = call.list("properties");
  const associations = call
    .list("associations")
    .map((segment) => resolveObjectType(segment, { singular: true }))
    .filter((type): type is CrmObjectType => type !== null);
  return { properties: properties.length === 0 ? null : properties, associations };
}

const archivedFlag = (call: ApiCall) => call.url.searchParams.get("archived") === "true";

/** Finds a record by id or by a unique property (`idProperty`), as reads and updates allow. */
function lookup(
  portal: Portal,
  type: CrmObjectType,
  key: string,
  idProperty: string | null,
  archived = false,
): CrmRecord | undefined {
  if (idProperty === null || idProperty === "hs_object_id")
    return portal.objects.get(type, key, { archived });
  const definition = portal.properties.get(type, idProperty);
  if (definition === undefined || !definition.hasUniqueValue) {
    throw validationError(`${idProperty} is not a unique identifier property for ${type}.`);
  }
  const record = portal.objects.findByUnique(type, idProperty, key);
  return record?.archived === archived ? record : undefined;
}

interface PlannedAssociation {
  readonly toType: CrmObjectType;
  readonly toId: string;
  readonly typeId: number;
}

/** Checks the associations of a create body before anything is written. */
function planAssociations(
  portal: Portal,
  type: CrmObjectType,
  input: CreateInput,
): PlannedAssociation[] {
  return (input.associations ?? []).flatMap((association) =>
    association.types.map((spec) => {
      const definition = requireAssociationType(spec.associationTypeId, type);
      if (portal.objects.get(definition.to, association.to.id) === undefined) {
        throw validationError(
          `Cannot associate to ${definition.to} ${association.to.id}: no such record (association type ${spec.associationTypeId}).`,
        );
      }
      return { toType: definition.to, toId: association.to.id, typeId: definition.typeId };
    }),
  );
}

function createRecords(
  call: ApiCall,
  type: CrmObjectType,
  inputs: readonly CreateInput[],
): CrmRecord[] {
  const plans = inputs.map((input) => planAssociations(call.portal, type, input));
  const records = call.portal.objects.createMany(
    type,
    inputs.map((input) => input.properties),
  );
  records.forEach((record, index) => {
    for (const plan of plans[index] ?? []) {
      call.portal.associate(
        { type, id: record.id },
        { type: plan.toType, id: plan.toId },
        plan.typeId,
      );
    }
  });
  call.countWrites(records.length);
  return records;
}

const objectsPath = "/crm/v3/objects/:objectType";
const endpointFor = (suffix: string) => (params: Readonly<Record<string, string>>) =>
  `/crm/v3/objects/${objectTypeOf(params.objectType)}${suffix}`;
const readScopes = (params: Readonly<Record<string, string>>) =>
  OBJECT_TYPES[objectTypeOf(params.objectType)].readScopes;
const writeScopes = (params: Readonly<Record<string, string>>) =>
  OBJECT_TYPES[objectTypeOf(params.objectType)].writeScopes;

export const OBJECT_ROUTES: readonly ApiRoute[] = [
  {
    method: "GET",
    path: objectsPath,
    endpoint: endpointFor(""),
    scopes: readScopes,
    handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const limit = Number(call.url.searchParams.get("limit") ?? LIST_DEFAULT_PAGE_SIZE);
      if (!Number.isInteger(limit) || limit < 1 || limit > LIST_MAX_PAGE_SIZE) {
        throw validationError(`limit must be between 1 and ${LIST_MAX_PAGE_SIZE}.`);
      }
      const after = call.url.searchParams.get("after");
      const records = call.portal.objects.all(type, { archived: archivedFlag(call) });
      const start =
        after === null ? 0 : records.findIndex((record) => compareIds(record.id, after) >= 0);
      const page = start < 0 ? [] : records.slice(start, start + limit);
      const next = start < 0 ? undefined : records[start + limit];
      const view = viewOf(call);
      return json({
        results: page.map((record) => renderRecord(call.portal, record, view)),
        ...(next === undefined
          ? {}
          : { paging: { next: { after: next.id, link: `?after=${next.id}` } } }),
      });
    },
  },
  {
    method: "POST",
    path: objectsPath,
    endpoint: endpointFor(""),
    scopes: writeScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        createInputSchema,
        await call.body(),
        "SimplePublicObjectInputForCreate",
      );
      const [record] = createRecords(call, type, [input]);
      if (record === undefined) throw new Error("create produced no record");
      return json(
        renderRecord(call.portal, record, { properties: [...record.values.keys()] }),
        201,
      );
    },
  },
  {
    method: "GET",
    path: `${objectsPath}/:objectId`,
    endpoint: endpointFor("/{objectId}"),
    scopes: readScopes,
    handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const key = call.params.objectId ?? "";
      const record = lookup(
        call.portal,
        type,
        key,
        call.url.searchParams.get("idProperty"),
        archivedFlag(call),
      );
      if (record === undefined) return json(notFoundBody(key), 404);
      return json(renderRecord(call.portal, record, viewOf(call)));
    },
  },
  {
    method: "PATCH",
    path: `${objectsPath}/:objectId`,
    endpoint: endpointFor("/{objectId}"),
    scopes: writeScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const key = call.params.objectId ?? "";
      const input = parseWith(updateInputSchema, await call.body(), "SimplePublicObjectInput");
      const record = lookup(call.portal, type, key, call.url.searchParams.get("idProperty"));
      if (record === undefined) return json(notFoundBody(key), 404);
      call.portal.objects.update(type, record, input.properties);
      call.countWrites(1);
      return json(renderRecord(call.portal, record, { properties: [...record.values.keys()] }));
    },
  },
  {
    method: "DELETE",
    path: `${objectsPath}/:objectId`,
    endpoint: endpointFor("/{objectId}"),
    scopes: writeScopes,
    handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const record = call.portal.objects.get(type, call.params.objectId ?? "");
      // Archiving is idempotent on HubSpot: an unknown or already archived id is still a 204.
      if (record !== undefined) {
        call.portal.archive(record);
        call.countWrites(1);
      }
      return noContent();
    },
  },
  {
    method: "POST",
    path: `${objectsPath}/batch/read`,
    endpoint: endpointFor("/batch/read"),
    scopes: readScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        batchReadSchema,
        await call.body(),
        "BatchReadInputSimplePublicObjectId",
      );
      checkBatchSize(input.inputs);
      const view: RecordView = {
        properties:
          input.properties === undefined || input.properties.length === 0 ? null : input.properties,
      };
      const found: CrmRecord[] = [];
      const missing: string[] = [];
      for (const { id } of input.inputs) {
        const record = lookup(call.portal, type, id, input.idProperty ?? null, archivedFlag(call));
        if (record === undefined) missing.push(id);
        else if (!found.includes(record)) found.push(record);
      }
      const errors = missing.length === 0 ? [] : [missingIdsError(type, "read", missing)];
      const results = found.map((record) => renderRecord(call.portal, record, view));
      return json(batchResponse(results, call.nowMs(), errors), errors.length === 0 ? 200 : 207);
    },
  },
  {
    method: "POST",
    path: `${objectsPath}/batch/create`,
    endpoint: endpointFor("/batch/create"),
    scopes: writeScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        batchCreateSchema,
        await call.body(),
        "BatchInputSimplePublicObjectBatchInputForCreate",
      );
      checkBatchSize(input.inputs);
      const records = createRecords(call, type, input.inputs);
      const results = records.map((record) =>
        renderRecord(call.portal, record, { properties: [...record.values.keys()] }),
      );
      return json(batchResponse(results, call.nowMs()), 201);
    },
  },
  {
    method: "POST",
    path: `${objectsPath}/batch/update`,
    endpoint: endpointFor("/batch/update"),
    scopes: writeScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        batchUpdateSchema,
        await call.body(),
        "BatchInputSimplePublicObjectBatchInput",
      );
      checkBatchSize(input.inputs);
      const ids = input.inputs.map((entry) => entry.id);
      const duplicates = ids.filter((id, index) => ids.indexOf(id) !== index);
      if (duplicates.length > 0) {
        const listed = [...new Set(duplicates)].join(", ");
        throw validationError(
          `Duplicate IDs found in batch input: [${listed}]. IDs must be unique.`,
        );
      }
      const missing: string[] = [];
      const changes: { record: CrmRecord; input: PropertyValues }[] = [];
      for (const entry of input.inputs) {
        const record = lookup(call.portal, type, entry.id, entry.idProperty ?? null);
        if (record === undefined) missing.push(entry.id);
        else changes.push({ record, input: entry.properties });
      }
      const updated = call.portal.objects.updateMany(type, changes);
      call.countWrites(updated.length);
      const errors = missing.length === 0 ? [] : [missingIdsError(type, "update", missing)];
      const results = updated.map((record) =>
        renderRecord(call.portal, record, { properties: [...record.values.keys()] }),
      );
      return json(batchResponse(results, call.nowMs(), errors), errors.length === 0 ? 200 : 207);
    },
  },
  {
    method: "POST",
    path: `${objectsPath}/batch/upsert`,
    endpoint: endpointFor("/batch/upsert"),
    scopes: writeScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        batchUpdateSchema,
        await call.body(),
        "BatchInputSimplePublicObjectBatchInputUpsert",
      );
      checkBatchSize(input.inputs);
      const updates: { record: CrmRecord; input: PropertyValues }[] = [];
      const creates: PropertyValues[] = [];
      for (const entry of input.inputs) {
        const idProperty = entry.idProperty ?? null;
        const existing = lookup(call.portal, type, entry.id, idProperty);
        if (existing !== undefined) updates.push({ record: existing, input: entry.properties });
        else if (idProperty === null || idProperty === "hs_object_id") {
          throw validationError(
            `No ${OBJECT_TYPES[type].singular} with ID ${entry.id} to update; give an idProperty to create by unique value.`,
          );
        } else creates.push({ ...entry.properties, [idProperty]: entry.id });
      }
      const written = call.portal.objects.upsertMany(type, { updates, creates });
      const results = [
        ...written.updated.map((record) => ({ record, created: false })),
        ...written.created.map((record) => ({ record, created: true })),
      ];
      call.countWrites(results.length);
      return json(
        batchResponse(
          results.map(({ record, created }) => ({
            ...renderRecord(call.portal, record, { properties: [...record.values.keys()] }),
            new: created,
          })),
          call.nowMs(),
        ),
      );
    },
  },
  {
    method: "POST",
    path: `${objectsPath}/batch/archive`,
    endpoint: endpointFor("/batch/archive"),
    scopes: writeScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        batchArchiveSchema,
        await call.body(),
        "BatchInputSimplePublicObjectId",
      );
      checkBatchSize(input.inputs);
      let archived = 0;
      for (const { id } of input.inputs) {
        const record = call.portal.objects.get(type, id);
        if (record === undefined) continue;
        call.portal.archive(record);
        archived += 1;
      }
      call.countWrites(archived);
      return noContent();
    },
  },
  {
    method: "POST",
    path: `${objectsPath}/search`,
    endpoint: endpointFor("/search"),
    scopes: readScopes,
    search: true,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const request = parseSearchRequest(await call.body());
      const page = runSearch(call.portal, type, request);
      return json({
        total: page.total,
        results: page.records.map((record) =>
          renderRecord(call.portal, record, { properties: request.properties }),
        ),
        ...(page.nextAfter === null
          ? {}
          : { paging: { next: { after: page.nextAfter, link: `?after=${page.nextAfter}` } } }),
      });
    },
  },
];

function notFoundBody(id: string) {
  return new HubSpotHttpError(
    404,
    "OBJECT_NOT_FOUND",
    "Object not found.  objectId are usually numeric.",
    {
      context: { id: [id] },
    },
  ).body;
}
