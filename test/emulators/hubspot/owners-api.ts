/**
 * The owners API v3 (`/crm/v3/owners`, by id or by user id), in HubSpot's public shape. Not
 * among the provided specs: follows HubSpot's reference, and is not contract-checked.
 * https://developers.hubspot.com/docs/api-reference/crm-owners-v3/guide
 */
import { type ApiRoute, json } from "./api";
import { notFound, validationError } from "./errors";
import { renderOwner } from "./owners";

export const OWNERS_DEFAULT_PAGE_SIZE = 100;
export const OWNERS_MAX_PAGE_SIZE = 500;
const OWNER_SCOPES = ["crm.objects.owners.read"];

export const OWNER_ROUTES: readonly ApiRoute[] = [
  {
    method: "GET",
    path: "/crm/v3/owners",
    endpoint: () => "/crm/v3/owners",
    scopes: () => OWNER_SCOPES,
    handle(call) {
      const query = call.url.searchParams;
      const limit = Number(query.get("limit") ?? OWNERS_DEFAULT_PAGE_SIZE);
      if (!Number.isInteger(limit) || limit < 1 || limit > OWNERS_MAX_PAGE_SIZE) {
        throw validationError(`limit must be between 1 and ${OWNERS_MAX_PAGE_SIZE}.`);
      }
      const email = query.get("email") ?? undefined;
      const owners = call.portal.owners.list({
        archived: query.get("archived") === "true",
        ...(email === undefined ? {} : { email }),
      });
      const after = query.get("after");
      const start = after === null || !/^\d+$/.test(after) ? 0 : Number(after);
      const end = start + limit;
      return json({
        results: owners.slice(start, end).map(renderOwner),
        ...(end < owners.length
          ? { paging: { next: { after: String(end), link: `?after=${end}` } } }
          : {}),
      });
    },
  },
  {
    method: "GET",
    path: "/crm/v3/owners/:ownerId",
    endpoint: () => "/crm/v3/owners/{ownerId}",
    scopes: () => OWNER_SCOPES,
    handle(call) {
      const query = call.url.searchParams;
      const idProperty = query.get("idProperty") === "userId" ? "userId" : "id";
      const key = call.params.ownerId ?? "";
      const owner = call.portal.owners.find(key, {
        idProperty,
        archived: query.get("archived") === "true",
      });
      if (owner === undefined) throw notFound(`Owner not found: ${key}`, { [idProperty]: [key] });
      return json(renderOwner(owner));
    },
  },
];
