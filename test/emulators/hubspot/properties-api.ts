/**
 * The properties API v3: list, create, read, update and archive property definitions and
 * property groups per object type, plus batch read and batch create. An app creates its group
 * and properties on install; doing it twice answers 409, as HubSpot does.
 * https://developers.hubspot.com/docs/api-reference/crm-properties-v3/guide
 */
import { type ApiRoute, json, noContent, parseWith } from "./api";
import { HubSpotHttpError } from "./errors";
import { OBJECT_TYPES } from "./object-types";
import { objectTypeOf } from "./objects-api";
import { batchResponse } from "./objects-api";
import type { PropertyDefinition } from "./properties";
import { renderGroup, renderProperty } from "./properties";
import {
  propertyBatchCreateSchema,
  propertyBatchReadSchema,
  propertyCreateSchema,
  propertyGroupCreateSchema,
  propertyGroupUpdateSchema,
  propertyUpdateSchema,
} from "./request-bodies";

const propertiesPath = "/crm/v3/properties/:objectType";
const endpointFor = (suffix: string) => (params: Readonly<Record<string, string>>) =>
  `/crm/v3/properties/${objectTypeOf(params.objectType)}${suffix}`;
const schemaReadScopes = (params: Readonly<Record<string, string>>) => {
  const definition = OBJECT_TYPES[objectTypeOf(params.objectType)];
  return [...definition.readScopes, ...definition.schemaReadScopes];
};
const schemaWriteScopes = (params: Readonly<Record<string, string>>) =>
  OBJECT_TYPES[objectTypeOf(params.objectType)].schemaWriteScopes;

const withOptionOrder = <
  T extends {
    options?: readonly {
      displayOrder?: number;
      hidden: boolean;
      label: string;
      value: string;
      description?: string;
    }[];
  },
>(
  input: T,
) => ({
  ...input,
  options: input.options?.map((option, index) => ({
    ...option,
    displayOrder: option.displayOrder ?? index,
  })),
});

export const PROPERTY_ROUTES: readonly ApiRoute[] = [
  {
    method: "GET",
    path: `${propertiesPath}/groups`,
    endpoint: endpointFor("/groups"),
    scopes: schemaReadScopes,
    handle(call) {
      const type = objectTypeOf(call.params.objectType);
      return json({ results: call.portal.properties.groups(type).map(renderGroup) });
    },
  },
  {
    method: "POST",
    path: `${propertiesPath}/groups`,
    endpoint: endpointFor("/groups"),
    scopes: schemaWriteScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(propertyGroupCreateSchema, await call.body(), "PropertyGroupCreate");
      return json(renderGroup(call.portal.properties.createGroup(type, input)), 201);
    },
  },
  {
    method: "GET",
    path: `${propertiesPath}/groups/:groupName`,
    endpoint: endpointFor("/groups/{groupName}"),
    scopes: schemaReadScopes,
    handle(call) {
      const type = objectTypeOf(call.params.objectType);
      return json(renderGroup(call.portal.properties.group(type, call.params.groupName ?? "")));
    },
  },
  {
    method: "PATCH",
    path: `${propertiesPath}/groups/:groupName`,
    endpoint: endpointFor("/groups/{groupName}"),
    scopes: schemaWriteScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const patch = parseWith(propertyGroupUpdateSchema, await call.body(), "PropertyGroupUpdate");
      return json(
        renderGroup(call.portal.properties.updateGroup(type, call.params.groupName ?? "", patch)),
      );
    },
  },
  {
    method: "DELETE",
    path: `${propertiesPath}/groups/:groupName`,
    endpoint: endpointFor("/groups/{groupName}"),
    scopes: schemaWriteScopes,
    handle(call) {
      call.portal.properties.archiveGroup(
        objectTypeOf(call.params.objectType),
        call.params.groupName ?? "",
      );
      return noContent();
    },
  },
  {
    method: "POST",
    path: `${propertiesPath}/batch/read`,
    endpoint: endpointFor("/batch/read"),
    scopes: schemaReadScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        propertyBatchReadSchema,
        await call.body(),
        "BatchReadInputPropertyName",
      );
      const found = input.inputs
        .map(({ name }) => call.portal.properties.get(type, name))
        .filter((definition): definition is PropertyDefinition => definition !== undefined);
      return json(batchResponse(found.map(renderProperty), call.nowMs()));
    },
  },
  {
    method: "POST",
    path: `${propertiesPath}/batch/create`,
    endpoint: endpointFor("/batch/create"),
    scopes: schemaWriteScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(
        propertyBatchCreateSchema,
        await call.body(),
        "BatchInputPropertyCreate",
      );
      const created: PropertyDefinition[] = [];
      const errors = [];
      for (const property of input.inputs) {
        try {
          created.push(call.portal.properties.create(type, withOptionOrder(property)));
        } catch (error) {
          if (!(error instanceof HubSpotHttpError)) throw error;
          errors.push({
            status: "error" as const,
            category: error.body.category,
            message: error.body.message,
            context: { name: [property.name] },
            errors: [] as never[],
            links: {},
          });
        }
      }
      return json(
        batchResponse(created.map(renderProperty), call.nowMs(), errors),
        errors.length === 0 ? 201 : 207,
      );
    },
  },
  {
    method: "GET",
    path: propertiesPath,
    endpoint: endpointFor(""),
    scopes: schemaReadScopes,
    handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const archived = call.url.searchParams.get("archived") === "true";
      const wanted = call.list("properties");
      const definitions = call.portal.properties
        .list(type, { archived })
        .filter((definition) => wanted.length === 0 || wanted.includes(definition.name));
      return json({ results: definitions.map(renderProperty) });
    },
  },
  {
    method: "POST",
    path: propertiesPath,
    endpoint: endpointFor(""),
    scopes: schemaWriteScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const input = parseWith(propertyCreateSchema, await call.body(), "PropertyCreate");
      return json(renderProperty(call.portal.properties.create(type, withOptionOrder(input))), 201);
    },
  },
  {
    method: "GET",
    path: `${propertiesPath}/:propertyName`,
    endpoint: endpointFor("/{propertyName}"),
    scopes: schemaReadScopes,
    handle(call) {
      const type = objectTypeOf(call.params.objectType);
      return json(
        renderProperty(call.portal.properties.require(type, call.params.propertyName ?? "")),
      );
    },
  },
  {
    method: "PATCH",
    path: `${propertiesPath}/:propertyName`,
    endpoint: endpointFor("/{propertyName}"),
    scopes: schemaWriteScopes,
    async handle(call) {
      const type = objectTypeOf(call.params.objectType);
      const patch = parseWith(propertyUpdateSchema, await call.body(), "PropertyUpdate");
      return json(
        renderProperty(
          call.portal.properties.update(
            type,
            call.params.propertyName ?? "",
            withOptionOrder(patch),
          ),
        ),
      );
    },
  },
  {
    method: "DELETE",
    path: `${propertiesPath}/:propertyName`,
    endpoint: endpointFor("/{propertyName}"),
    scopes: schemaWriteScopes,
    handle(call) {
      call.portal.properties.archive(
        objectTypeOf(call.params.objectType),
        call.params.propertyName ?? "",
      );
      return noContent();
    },
  },
];
