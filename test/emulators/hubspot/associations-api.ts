/**
 * The associations API v4: list a record's associations to a type (paged, 500 per page),
 * create default or labelled associations, remove them, and the batch endpoints (read,
 * create, associate default, archive). Ids are strings and a missing label is left out, as the
 * spec declares them (HubSpot itself sends numeric ids and `"label": null`; clients should
 * accept both).
 * https://developers.hubspot.com/docs/api-reference/crm-associations-v4/guide
 */
import { type ApiCall, type ApiRoute, json, noContent, parseWith } from "./api";
import { associationType, defaultAssociationType, requireAssociationType } from "./associations";
import { validationError } from "./errors";
import { type CrmObjectType, OBJECT_TYPES, resolveObjectType } from "./object-types";
import { batchResponse } from "./objects-api";
import {
  associationBatchArchiveSchema,
  associationBatchCreateSchema,
  associationBatchDefaultSchema,
  associationBatchReadSchema,
  labelledAssociationSchema,
} from "./request-bodies";

export const ASSOCIATIONS_PAGE_SIZE = 500;
export const ASSOCIATIONS_BATCH_LIMIT = 1_000;

function typeOf(segment: string | undefined): CrmObjectType {
  const type = resolveObjectType(segment ?? "", { singular: true });
  if (type === null) throw validationError(`Unable to infer object type from: ${segment ?? ""}`);
  return type;
}

function checkBatchSize(inputs: readonly unknown[]): void {
  if (inputs.length > ASSOCIATIONS_BATCH_LIMIT) {
    throw validationError(
      `Batch input exceeds the limit of ${ASSOCIATIONS_BATCH_LIMIT} inputs (${inputs.length} provided).`,
      [
        {
          message: `size must be between 0 and ${ASSOCIATIONS_BATCH_LIMIT}`,
          in: "inputs",
          code: "INVALID_INPUT",
        },
      ],
    );
  }
}

const associationTypes = (typeIds: readonly number[]) =>
  typeIds.map((typeId) => {
    const label = associationType(typeId)?.label ?? null;
    return { category: "HUBSPOT_DEFINED", typeId, ...(label === null ? {} : { label }) };
  });

function labelsBetween(
  call: ApiCall,
  from: { type: CrmObjectType; id: string },
  to: { type: CrmObjectType; id: string },
) {
  const labels = [...call.portal.associations.typesBetween(from, to)]
    .map((typeId) => associationType(typeId)?.label ?? null)
    .filter((label): label is string => label !== null);
  return {
    fromObjectTypeId: OBJECT_TYPES[from.type].objectTypeId,
    fromObjectId: from.id,
    toObjectTypeId: OBJECT_TYPES[to.type].objectTypeId,
    toObjectId: to.id,
    labels: [...new Set(labels)],
  };
}

/** Creates the unlabeled association both ways and describes it as HubSpot does. */
function associateDefault(
  call: ApiCall,
  from: { type: CrmObjectType; id: string },
  to: { type: CrmObjectType; id: string },
) {
  const definition = defaultAssociationType(from.type, to.type);
  if (definition === undefined)
    throw validationError(`${from.type} cannot be associated with ${to.type}.`);
  call.portal.associate(from, to, definition.typeId);
  const spec = (typeId: number) => ({
    associationCategory: "HUBSPOT_DEFINED",
    associationTypeId: typeId,
  });
  return [
    { from: { id: from.id }, to: { id: to.id }, associationSpec: spec(definition.typeId) },
    { from: { id: to.id }, to: { id: from.id }, associationSpec: spec(definition.inverseTypeId) },
  ];
}

function pageOf<T>(items: readonly T[], after: string | null | undefined, limit: number) {
  const start = after === null || after === undefined || !/^\d+$/.test(after) ? 0 : Number(after);
  const end = start + limit;
  return {
    items: items.slice(start, end),
    next: end < items.length ? { after: String(end), link: `?after=${end}` } : null,
  };
}

const fromReadScopes = (params: Readonly<Record<string, string>>) =>
  OBJECT_TYPES[typeOf(params.objectType ?? params.fromObjectType)].readScopes;
const fromWriteScopes = (params: Readonly<Record<string, string>>) =>
  OBJECT_TYPES[typeOf(params.objectType ?? params.fromObjectType)].writeScopes;

const recordPath = "/crm/v4/objects/:objectType/:objectId/associations";
const batchPath = "/crm/v4/associations/:fromObjectType/:toObjectType/batch";
const batchEndpoint = (action: string) => (params: Readonly<Record<string, string>>) =>
  `/crm/v4/associations/${typeOf(params.fromObjectType)}/${typeOf(params.toObjectType)}/batch/${action}`;

export const ASSOCIATION_ROUTES: readonly ApiRoute[] = [
  {
    method: "GET",
    path: `${recordPath}/:toObjectType`,
    endpoint: (params) =>
      `/crm/v4/objects/${typeOf(params.objectType)}/{objectId}/associations/${typeOf(params.toObjectType)}`,
    scopes: fromReadScopes,
    handle(call) {
      const fromType = typeOf(call.params.objectType);
      const toType = typeOf(call.params.toObjectType);
      const limit = Number(call.url.searchParams.get("limit") ?? ASSOCIATIONS_PAGE_SIZE);
      if (!Number.isInteger(limit) || limit < 1 || limit > ASSOCIATIONS_PAGE_SIZE) {
        throw validationError(`limit must be between 1 and ${ASSOCIATIONS_PAGE_SIZE}.`);
      }
      const associated = call.portal.associations.list(
        fromType,
        call.params.objectId ?? "",
        toType,
      );
      const page = pageOf(associated, call.url.searchParams.get("after"), limit);
      return json({
        results: page.items.map((item) => ({
          toObjectId: item.toId,
          associationTypes: associationTypes(item.typeIds),
        })),
        ...(page.next === null ? {} : { paging: { next: page.next } }),
      });
    },
  },
  {
    method: "PUT",
    path: `${recordPath}/:toObjectType/:toObjectId`,
    endpoint: (params) =>
      `/crm/v4/objects/${typeOf(params.objectType)}/{objectId}/associations/${typeOf(params.toObjectType)}/{toObjectId}`,
    scopes: fromWriteScopes,
    async handle(call) {
      const from = { type: typeOf(call.params.objectType), id: call.params.objectId ?? "" };
      const to = { type: typeOf(call.params.toObjectType), id: call.params.toObjectId ?? "" };
      const specs = parseWith(labelledAssociationSchema, await call.body(), "AssociationSpec[]");
      for (const spec of specs) requireAssociationType(spec.associationTypeId, from.type, to.type);
      for (const spec of specs) call.portal.associate(from, to, spec.associationTypeId);
      return json(labelsBetween(call, from, to), 201);
    },
  },
  {
    method: "PUT",
    path: `${recordPath}/default/:toObjectType/:toObjectId`,
    endpoint: (params) =>
      `/crm/v4/objects/${typeOf(params.objectType)}/{objectId}/associations/default/${typeOf(params.toObjectType)}/{toObjectId}`,
    scopes: fromWriteScopes,
    handle(call) {
      const from = { type: typeOf(call.params.objectType), id: call.params.objectId ?? "" };
      const to = { type: typeOf(call.params.toObjectType), id: call.params.toObjectId ?? "" };
      return json(batchResponse(associateDefault(call, from, to), call.nowMs()));
    },
  },
  {
    method: "DELETE",
    path: `${recordPath}/:toObjectType/:toObjectId`,
    endpoint: (params) =>
      `/crm/v4/objects/${typeOf(params.objectType)}/{objectId}/associations/${typeOf(params.toObjectType)}/{toObjectId}`,
    scopes: fromWriteScopes,
    handle(call) {
      call.portal.associations.remove(
        { type: typeOf(call.params.objectType), id: call.params.objectId ?? "" },
        { type: typeOf(call.params.toObjectType), id: call.params.toObjectId ?? "" },
      );
      return noContent();
    },
  },
  {
    method: "POST",
    path: `${batchPath}/read`,
    endpoint: batchEndpoint("read"),
    scopes: fromReadScopes,
    async handle(call) {
      const fromType = typeOf(call.params.fromObjectType);
      const toType = typeOf(call.params.toObjectType);
      const input = parseWith(
        associationBatchReadSchema,
        await call.body(),
        "BatchInputPublicFetchAssociationsBatchRequest",
      );
      checkBatchSize(input.inputs);
      const results = [];
      const errors = [];
      for (const { id, after } of input.inputs) {
        const page = pageOf(
          call.portal.associations.list(fromType, id, toType),
          after,
          ASSOCIATIONS_PAGE_SIZE,
        );
        if (page.items.length === 0) {
          errors.push({
            status: "error" as const,
            category: "OBJECT_NOT_FOUND",
            message: `No ${OBJECT_TYPES[toType].singular} is associated with ${OBJECT_TYPES[fromType].singular} ${id}.`,
            context: { fromObjectId: [id] },
            errors: [] as never[],
            links: {},
          });
          continue;
        }
        results.push({
          from: { id },
          to: page.items.map((item) => ({
            toObjectId: item.toId,
            associationTypes: associationTypes(item.typeIds),
          })),
          ...(page.next === null ? {} : { paging: { next: page.next } }),
        });
      }
      return json(batchResponse(results, call.nowMs(), errors), errors.length === 0 ? 200 : 207);
    },
  },
  {
    method: "POST",
    path: `${batchPath}/create`,
    endpoint: batchEndpoint("create"),
    scopes: fromWriteScopes,
    async handle(call) {
      const fromType = typeOf(call.params.fromObjectType);
      const toType = typeOf(call.params.toObjectType);
      const input = parseWith(
        associationBatchCreateSchema,
        await call.body(),
        "BatchInputPublicAssociationMultiPost",
      );
      checkBatchSize(input.inputs);
      for (const entry of input.inputs) {
        for (const spec of entry.types)
          requireAssociationType(spec.associationTypeId, fromType, toType);
        call.portal.requireRecord(fromType, entry.from.id);
        call.portal.requireRecord(toType, entry.to.id);
      }
      const results = input.inputs.map((entry) => {
        const from = { type: fromType, id: entry.from.id };
        const to = { type: toType, id: entry.to.id };
        for (const spec of entry.types) call.portal.associate(from, to, spec.associationTypeId);
        return labelsBetween(call, from, to);
      });
      return json(batchResponse(results, call.nowMs()), 201);
    },
  },
  {
    method: "POST",
    path: `${batchPath}/associate/default`,
    endpoint: batchEndpoint("associate/default"),
    scopes: fromWriteScopes,
    async handle(call) {
      const fromType = typeOf(call.params.fromObjectType);
      const toType = typeOf(call.params.toObjectType);
      const input = parseWith(
        associationBatchDefaultSchema,
        await call.body(),
        "BatchInputPublicDefaultAssociationMultiPost",
      );
      checkBatchSize(input.inputs);
      for (const entry of input.inputs) {
        call.portal.requireRecord(fromType, entry.from.id);
        call.portal.requireRecord(toType, entry.to.id);
      }
      const results = input.inputs.flatMap((entry) =>
        associateDefault(
          call,
          { type: fromType, id: entry.from.id },
          { type: toType, id: entry.to.id },
        ),
      );
      return json(batchResponse(results, call.nowMs()));
    },
  },
  {
    method: "POST",
    path: `${batchPath}/archive`,
    endpoint: batchEndpoint("archive"),
    scopes: fromWriteScopes,
    async handle(call) {
      const fromType = typeOf(call.params.fromObjectType);
      const toType = typeOf(call.params.toObjectType);
      const input = parseWith(
        associationBatchArchiveSchema,
        await call.body(),
        "BatchInputPublicAssociationMultiArchive",
      );
      checkBatchSize(input.inputs);
      for (const entry of input.inputs) {
        for (const to of entry.to) {
          call.portal.associations.remove(
            { type: fromType, id: entry.from.id },
            { type: toType, id: to.id },
          );
        }
      }
      return noContent();
    },
  },
];
