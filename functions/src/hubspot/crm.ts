/**
 * HubSpot CRM reads and writes for one installed account (portal), on `@hubspot/api-client`
 * with its own retries and limiter off: every request goes through our limiter (110
 * requests / 10 s per account, search 5 / s on its own key) and `withRetries`, and every
 * failure becomes one `HubSpotError`. Methods return the small types of `mapping.ts`.
 * https://developers.hubspot.com/docs/api/crm/understanding-the-crm
 */
import { Client } from "@hubspot/api-client";
import type {
  FilterGroup,
  FilterOperatorEnum,
} from "@hubspot/api-client/lib/codegen/crm/companies";
import type { AssociationSpecAssociationCategoryEnum } from "@hubspot/api-client/lib/codegen/crm/objects/tasks";
import type {
  PropertyCreate,
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from "@hubspot/api-client/lib/codegen/crm/properties";
import { z } from "zod";
import {
  type CalendarDate,
  DomainError,
  type DealLineItem,
  formatSiren,
  normalizeIdentifier,
} from "@encaisse/shared";
import { type Clock, systemClock } from "../net/clock";
import { type RateLimiter, SlidingWindowLimiter } from "../net/rate-limit";
import { DEFAULT_RETRY_POLICY, type RetryPolicy, withRetries } from "../net/retry";
import { HubSpotError, HubSpotTimeout, toHubSpotError } from "./errors";
import {
  type BatchUpdateResult,
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  type CompanySearchResult,
  type CreatedEngagement,
  type CrmCompany,
  type CrmContact,
  type CrmDeal,
  type CrmObject,
  type CrmOwner,
  DEAL_PROPERTIES,
  type DealForInvoicing,
  LINE_ITEM_PROPERTIES,
  PRODUCT_PROPERTIES,
  type PropertyUpdate,
  byPositionOnDeal,
  companyPropertyNames,
  crmObjectSchema,
  ownerSchema,
  parisInstantAt,
  propertyOf,
  recordUrl,
  toCrmCompany,
  toCrmContact,
  toCrmDeal,
  toCrmOwner,
  toDealLineItem,
} from "./mapping";
import {
  type EnsurePropertiesReport,
  type PropertyAdmin,
  type PropertyDefinition,
  ensureEncaisseProperties,
} from "./properties";

/** Published limits for marketplace (OAuth) apps, per installed account. */
export const HUBSPOT_LIMITS = {
  requests: { limit: 110, windowMs: 10_000 },
  search: { limit: 5, windowMs: 1_000 },
  batchSize: 100,
  searchPageSize: 200,
  associationsPageSize: 500,
} as const;

/** One pair per process, shared by every `HubSpotCrm` so that all calls to a portal count together. */
export function createHubSpotLimiters(clock: Clock = systemClock): {
  limiter: RateLimiter;
  searchLimiter: RateLimiter;
} {
  return {
    limiter: new SlidingWindowLimiter({ ...HUBSPOT_LIMITS.requests, clock }),
    searchLimiter: new SlidingWindowLimiter({ ...HUBSPOT_LIMITS.search, clock }),
  };
}

/**
 * HUBSPOT_DEFINED association type ids used when creating engagements, in one table.
 * https://developers.hubspot.com/docs/api/crm/associations/association-details
 */
export const ASSOCIATION_TYPE_IDS = {
  taskToCompany: 192,
  taskToDeal: 216,
  taskToContact: 204,
  noteToCompany: 190,
  /** Labelled "Primary" on reads. */
  primaryContactToCompany: 1,
  primaryDealToCompany: 5,
} as const;

const HUBSPOT_DEFINED = "HUBSPOT_DEFINED" as AssociationSpecAssociationCategoryEnum;

export interface HubSpotCrmOptions {
  readonly portalId: string;
  /** `HUBSPOT_API_URL`. */
  readonly baseUrl: string;
  /** `HUBSPOT_APP_URL`, for record links (default https://app.hubspot.com). */
  readonly appUrl?: string;
  /** A valid access token for this portal (see `HubSpotOAuth.crmAuth`). */
  readonly accessToken: () => Promise<string>;
  /** After a 401: refresh so the request can be replayed once. */
  readonly onUnauthorized?: (rejectedAccessToken: string) => Promise<void>;
  /** 110 requests / 10 s, keyed by portal id. */
  readonly limiter: RateLimiter;
  /** 5 searches / s; defaults to a limiter of this instance only. */
  readonly searchLimiter?: RateLimiter;
  readonly clock?: Clock;
  /** The company property holding the SIREN (default "siren"). */
  readonly sirenProperty?: string;
  readonly retryPolicy?: RetryPolicy;
  readonly random?: () => number;
  /** Per request; the api-client itself never times out. */
  readonly timeoutMs?: number;
  /**
   * Told once per request that got through the limiter, when it is over: metrics (the
   * marketplace certification wants errors under 5 % of requests) and tests.
   */
  readonly onRequest?: (event: HubSpotRequestEvent) => void;
}

export interface HubSpotRequestEvent {
  readonly portalId: string;
  /** "companies.getById", "deals.batchRead"… never ids or values. */
  readonly operation: string;
  /** "ok" or the error code the request ended with. */
  readonly outcome: string;
  readonly durationMs: number;
}

export interface NewTask {
  readonly companyId: string;
  readonly dealId?: string;
  readonly contactId?: string;
  readonly ownerId: string | null;
  readonly subject: string;
  readonly body: string;
  readonly dueDate: CalendarDate;
}

export interface NewOwnerTask {
  readonly ownerId: string;
  readonly subject: string;
  readonly body: string;
  readonly dueDate: CalendarDate;
}

export interface NewNote {
  readonly companyId: string;
  readonly body: string;
  readonly ownerId?: string | null;
}

export interface HubSpotCrmStats {
  requests: number;
  retries: number;
  rateLimited: number;
}

type Crm = Client["crm"];

/** How a request may be repeated: reads and batch updates are safe, creates are not. */
type Safety = "idempotent" | "create";

const associationPageSchema = z.object({
  results: z.array(
    z.object({
      toObjectId: z.union([z.string(), z.number()]).transform(String),
      associationTypes: z
        .array(z.object({ typeId: z.number(), label: z.string().nullish() }))
        .default([]),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});

const batchResultSchema = z.object({
  results: z.array(crmObjectSchema),
  errors: z
    .array(z.object({ context: z.record(z.string(), z.array(z.string())).nullish() }))
    .nullish(),
});

const searchResultSchema = z.object({ results: z.array(crmObjectSchema) });
const objectPageSchema = z.object({
  results: z.array(crmObjectSchema),
  paging: z.object({ next: z.object({ after: z.string() }).nullish() }).nullish(),
});
const createdSchema = z.object({ id: z.string().min(1) });
const namedSchema = z.object({ results: z.array(z.object({ name: z.string() })) });

interface Association {
  readonly id: string;
  readonly primary: boolean;
}

export class HubSpotCrm {
  readonly portalId: string;
  readonly stats: HubSpotCrmStats = { requests: 0, retries: 0, rateLimited: 0 };
  private readonly client: Client;
  private readonly clock: Clock;
  private readonly searchLimiter: RateLimiter;
  private readonly sirenProperty: string;
  private readonly appUrl: string;

  constructor(private readonly options: HubSpotCrmOptions) {
    this.portalId = options.portalId;
    this.clock = options.clock ?? systemClock;
    this.sirenProperty = options.sirenProperty ?? "siren";
    this.appUrl = options.appUrl ?? "https://app.hubspot.com";
    this.searchLimiter =
      options.searchLimiter ??
      new SlidingWindowLimiter({ ...HUBSPOT_LIMITS.search, clock: this.clock });
    // Retries 0 and no limiterOptions: the api-client's retries ignore Retry-After and its
    // limiter knows nothing of other processes; ours do both.
    this.client = new Client({
      basePath: options.baseUrl.replace(/\/+$/, ""),
      numberOfApiCallRetries: 0,
    });
  }

  // ------------------------------------------------------------ companies

  async getCompany(companyId: string): Promise<CrmCompany> {
    const company = await this.call("companies.getById", "idempotent", (crm) =>
      crm.companies.basicApi.getById(companyId, companyPropertyNames(this.sirenProperty)),
    );
    return toCrmCompany(
      this.parse("companies.getById", crmObjectSchema, company),
      this.sirenProperty,
    );
  }

  /**
   * One page of 100 companies (HubSpot's most per list call), in id order, with what
   * identifies them: name, domain, SIREN, SIRET and VAT number. `after` is null for the
   * first page; the answer's `after` is null after the last.
   */
  async listCompanyIdentifiers(
    after: string | null = null,
  ): Promise<{ readonly companies: CrmCompany[]; readonly after: string | null }> {
    const properties = [
      COMPANY_PROPERTIES.name,
      COMPANY_PROPERTIES.domain,
      COMPANY_PROPERTIES.siret,
      COMPANY_PROPERTIES.vatNumber,
      this.sirenProperty,
    ];
    const answer = await this.call("companies.getPage", "idempotent", (crm) =>
      crm.companies.basicApi.getPage(
        HUBSPOT_LIMITS.batchSize,
        after ?? undefined,
        properties,
        undefined,
        undefined,
        false,
      ),
    );
    const page = this.parse("companies.getPage", objectPageSchema, answer);
    return {
      companies: page.results.map((object) => toCrmCompany(object, this.sirenProperty)),
      after: page.paging?.next?.after ?? null,
    };
  }

  /** The company of a contact or a deal: its primary company, else the first associated one. */
  async companyOf(objectType: "contacts" | "deals", objectId: string): Promise<string | null> {
    const companies = await this.associations(objectType, objectId, "companies", {
      untilPrimary: true,
    });
    return (companies.find((company) => company.primary) ?? companies[0])?.id ?? null;
  }

  /**
   * Name, domain or SIREN/SIRET typed in a search box. Identifiers are matched exactly on the
   * SIREN property (as typed or grouped "732 829 320"); anything else is HubSpot's free-text
   * search (name, domain, phone, website).
   */
  async searchCompanies(query: string, limit = 10): Promise<CompanySearchResult[]> {
    const identifier = normalizeIdentifier(query);
    const siren = /^\d{9}$|^\d{14}$/.test(identifier) ? identifier.slice(0, 9) : null;
    const eq = "EQ" as FilterOperatorEnum;
    const filterGroups: FilterGroup[] =
      siren === null
        ? []
        : [siren, formatSiren(siren)].map((value) => ({
            filters: [{ propertyName: this.sirenProperty, operator: eq, value }],
          }));
    const answer = await this.call(
      "companies.search",
      "idempotent",
      (crm) =>
        crm.companies.searchApi.doSearch({
          ...(siren === null ? { query: query.trim() } : {}),
          filterGroups,
          properties: [COMPANY_PROPERTIES.name, COMPANY_PROPERTIES.domain, this.sirenProperty],
          sorts: [],
          limit: Math.min(Math.max(limit, 1), HUBSPOT_LIMITS.searchPageSize),
          after: "0",
        }),
      { search: true },
    );
    return this.parse("companies.search", searchResultSchema, answer).results.map((object) => {
      const company = toCrmCompany(object, this.sirenProperty);
      return { id: company.id, name: company.name, domain: company.domain, siren: company.siren };
    });
  }

  // ------------------------------------------------------------ deals

  async getDealForInvoicing(dealId: string): Promise<DealForInvoicing> {
    const [dealObject, companyId, lineItemIds] = await Promise.all([
      this.call("deals.getById", "idempotent", (crm) =>
        crm.deals.basicApi.getById(dealId, Object.values(DEAL_PROPERTIES)),
      ),
      this.companyOf("deals", dealId),
      this.associations("deals", dealId, "line_items").then((items) =>
        items.map((item) => item.id),
      ),
    ]);
    const deal = toCrmDeal(this.parse("deals.getById", crmObjectSchema, dealObject));
    const lineItems = await this.batchRead(
      "line_items",
      lineItemIds,
      Object.values(LINE_ITEM_PROPERTIES),
    );
    const productIds = lineItems
      .filter((item) => propertyOf(item, LINE_ITEM_PROPERTIES.vatCode) === null)
      .map((item) => propertyOf(item, LINE_ITEM_PROPERTIES.productId))
      .filter((id): id is string => id !== null);
    const products = await this.batchRead(
      "products",
      [...new Set(productIds)],
      [PRODUCT_PROPERTIES.vatCode],
    );
    const productVatCodes = new Map<string, string>();
    for (const product of products) {
      const vatCode = propertyOf(product, PRODUCT_PROPERTIES.vatCode);
      if (vatCode !== null) productVatCodes.set(product.id, vatCode);
    }
    const order = new Map(lineItemIds.map((id, index) => [id, index]));
    const sorted = [...lineItems].sort(
      (a, b) => byPositionOnDeal(a, b) || (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
    );
    return {
      deal,
      companyId,
      lineItems: sorted.map((item): DealLineItem => toDealLineItem(item, productVatCodes)),
    };
  }

  /** The deal's own properties (its current stage among them), without line items or company. */
  async getDeal(dealId: string): Promise<CrmDeal> {
    const deal = await this.call("deals.getById", "idempotent", (crm) =>
      crm.deals.basicApi.getById(dealId, Object.values(DEAL_PROPERTIES)),
    );
    return toCrmDeal(this.parse("deals.getById", crmObjectSchema, deal));
  }

  /** Deals of the company that are neither won nor lost, soonest close date first. */
  async openDealsOfCompany(companyId: string): Promise<CrmDeal[]> {
    const ids = (await this.associations("companies", companyId, "deals")).map((deal) => deal.id);
    const deals = await this.batchRead("deals", ids, Object.values(DEAL_PROPERTIES));
    return deals
      .map(toCrmDeal)
      .filter((deal) => !deal.closed)
      .sort((a, b) => (a.closeDate ?? "9999").localeCompare(b.closeDate ?? "9999"));
  }

  async contactsOfCompany(companyId: string, limit = 10): Promise<CrmContact[]> {
    const wanted = Math.min(Math.max(limit, 0), HUBSPOT_LIMITS.batchSize);
    if (wanted === 0) return [];
    const ids = (await this.associations("companies", companyId, "contacts", { atMost: wanted }))
      .slice(0, wanted)
      .map((contact) => contact.id);
    const contacts = await this.batchRead("contacts", ids, Object.values(CONTACT_PROPERTIES));
    const order = new Map(ids.map((id, index) => [id, index]));
    return contacts
      .sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
      .map(toCrmContact);
  }

  async getOwner(ownerId: string): Promise<CrmOwner> {
    if (!/^\d{1,15}$/.test(ownerId)) {
      throw new HubSpotError("NOT_FOUND", "This HubSpot owner does not exist.", {
        operation: "owners.getById",
      });
    }
    const owner = await this.call("owners.getById", "idempotent", (crm) =>
      crm.owners.ownersApi.getById(Number(ownerId), "id", false),
    );
    return toCrmOwner(this.parse("owners.getById", ownerSchema, owner));
  }

  // ------------------------------------------------------------ engagements

  async createTask(task: NewTask): Promise<CreatedEngagement> {
    const ids = ASSOCIATION_TYPE_IDS;
    const associations = [
      { id: task.companyId, typeId: ids.taskToCompany },
      ...(task.dealId ? [{ id: task.dealId, typeId: ids.taskToDeal }] : []),
      ...(task.contactId ? [{ id: task.contactId, typeId: ids.taskToContact }] : []),
    ];
    const created = await this.call("tasks.create", "create", (crm) =>
      crm.objects.tasks.basicApi.create({
        properties: {
          hs_task_subject: task.subject,
          hs_task_body: task.body,
          hs_timestamp: parisInstantAt(task.dueDate, 9),
          hs_task_status: "NOT_STARTED",
          hs_task_type: "TODO",
          ...(task.ownerId ? { hubspot_owner_id: task.ownerId } : {}),
        },
        associations: associations.map(({ id, typeId }) => ({
          to: { id },
          types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: typeId }],
        })),
      }),
    );
    return this.engagement("tasks.create", created, task.companyId);
  }

  /** A to-do for one owner about no record in particular (a digest of several companies). */
  async createOwnerTask(task: NewOwnerTask): Promise<{ id: string }> {
    const created = await this.call("tasks.create", "create", (crm) =>
      crm.objects.tasks.basicApi.create({
        properties: {
          hs_task_subject: task.subject,
          hs_task_body: task.body,
          hs_timestamp: parisInstantAt(task.dueDate, 8),
          hs_task_status: "NOT_STARTED",
          hs_task_type: "TODO",
          hubspot_owner_id: task.ownerId,
        },
        associations: [],
      }),
    );
    return { id: this.parse("tasks.create", createdSchema, created).id };
  }

  async createNote(note: NewNote): Promise<CreatedEngagement> {
    const created = await this.call("notes.create", "create", (crm) =>
      crm.objects.notes.basicApi.create({
        properties: {
          hs_note_body: note.body,
          hs_timestamp: new Date(this.clock.now()).toISOString(),
          ...(note.ownerId ? { hubspot_owner_id: note.ownerId } : {}),
        },
        associations: [
          {
            to: { id: note.companyId },
            types: [
              {
                associationCategory: HUBSPOT_DEFINED,
                associationTypeId: ASSOCIATION_TYPE_IDS.noteToCompany,
              },
            ],
          },
        ],
      }),
    );
    return this.engagement("notes.create", created, note.companyId);
  }

  private engagement(operation: string, created: unknown, companyId: string): CreatedEngagement {
    const { id } = this.parse(operation, createdSchema, created);
    return { id, url: this.recordUrl("companies", companyId) };
  }

  recordUrl(objectType: "companies" | "contacts" | "deals", id: string): string {
    return recordUrl(this.appUrl, this.portalId, objectType, id);
  }

  // ------------------------------------------------------------ batch writes

  updateCompanies(rows: readonly PropertyUpdate[]): Promise<BatchUpdateResult> {
    return this.batchUpdate("companies", rows);
  }

  updateDeals(rows: readonly PropertyUpdate[]): Promise<BatchUpdateResult> {
    return this.batchUpdate("deals", rows);
  }

  /** Chunks of 100; a record listed twice is written once, with its last values. */
  private async batchUpdate(
    objectType: "companies" | "deals",
    rows: readonly PropertyUpdate[],
  ): Promise<BatchUpdateResult> {
    const merged = new Map<string, Record<string, string>>();
    for (const row of rows) merged.set(row.id, { ...merged.get(row.id), ...row.properties });
    const inputs = [...merged].map(([id, properties]) => ({ id, properties }));
    let calls = 0;
    let updated = 0;
    const failedIds: string[] = [];
    for (const chunk of chunks(inputs, HUBSPOT_LIMITS.batchSize)) {
      const operation = `${objectType}.batchUpdate`;
      calls += 1;
      const answer = await this.call(operation, "idempotent", (crm) =>
        objectType === "companies"
          ? crm.companies.batchApi.update({ inputs: chunk })
          : crm.deals.batchApi.update({ inputs: chunk }),
      );
      const result = this.parse(operation, batchResultSchema, answer);
      updated += result.results.length;
      for (const error of result.errors ?? []) failedIds.push(...(error.context?.ids ?? []));
    }
    return { calls, updated, failedIds };
  }

  // ------------------------------------------------------------ properties

  /** Creates the "Encaisse" group and properties that are missing; safe to run at every install. */
  ensureEncaisseProperties(): Promise<EnsurePropertiesReport> {
    return ensureEncaisseProperties(this.propertyAdmin());
  }

  private propertyAdmin(): PropertyAdmin {
    const names = (operation: string, answer: unknown) =>
      new Set(this.parse(operation, namedSchema, answer).results.map((item) => item.name));
    // Creating twice is harmless (HubSpot answers 409, which counts as done), so these
    // creates may be retried after a 5xx.
    const createOrExisting = async (operation: string, send: (crm: Crm) => Promise<unknown>) => {
      try {
        await this.call(operation, "idempotent", send);
      } catch (error) {
        if (error instanceof HubSpotError && error.httpStatus === 409) return;
        throw error;
      }
    };
    return {
      groupNames: async (objectType) =>
        names(
          "properties.groups.getAll",
          await this.call("properties.groups.getAll", "idempotent", (crm) =>
            crm.properties.groupsApi.getAll(objectType),
          ),
        ),
      propertyNames: async (objectType) =>
        names(
          "properties.getAll",
          await this.call("properties.getAll", "idempotent", (crm) =>
            crm.properties.coreApi.getAll(objectType, false),
          ),
        ),
      createGroup: (objectType, group) =>
        createOrExisting("properties.groups.create", (crm) =>
          crm.properties.groupsApi.create(objectType, { ...group }),
        ),
      createProperty: (objectType, property) =>
        createOrExisting("properties.create", (crm) =>
          crm.properties.coreApi.create(objectType, toPropertyCreate(property)),
        ),
    };
  }

  // ------------------------------------------------------------ plumbing

  /** Records associated to one record, page after page until `atMost` (all by default). */
  private async associations(
    fromType: string,
    fromId: string,
    toType: string,
    options: { atMost?: number; untilPrimary?: boolean } = {},
  ): Promise<Association[]> {
    const atMost = options.atMost ?? Number.POSITIVE_INFINITY;
    const found: Association[] = [];
    let after: string | undefined;
    const operation = `associations.${fromType}.${toType}`;
    do {
      const cursor = after;
      const page = this.parse(
        operation,
        associationPageSchema,
        await this.call(operation, "idempotent", (crm) =>
          crm.associations.v4.basicApi.getPage(
            fromType,
            fromId,
            toType,
            cursor,
            HUBSPOT_LIMITS.associationsPageSize,
          ),
        ),
      );
      for (const result of page.results) {
        found.push({
          id: result.toObjectId,
          primary: result.associationTypes.some(
            (type) =>
              type.label === "Primary" ||
              type.typeId === ASSOCIATION_TYPE_IDS.primaryContactToCompany ||
              type.typeId === ASSOCIATION_TYPE_IDS.primaryDealToCompany,
          ),
        });
      }
      after = page.paging?.next?.after ?? undefined;
      if (options.untilPrimary === true && found.some((association) => association.primary)) break;
    } while (after !== undefined && found.length < atMost);
    return found;
  }

  /** Batch reads in chunks of 100; records deleted meanwhile are simply absent. */
  private async batchRead(
    objectType: "line_items" | "products" | "deals" | "contacts",
    ids: readonly string[],
    properties: string[],
  ): Promise<CrmObject[]> {
    const objects: CrmObject[] = [];
    for (const chunk of chunks(ids, HUBSPOT_LIMITS.batchSize)) {
      const operation = `${objectType}.batchRead`;
      const input = { inputs: chunk.map((id) => ({ id })), properties, propertiesWithHistory: [] };
      const answer = await this.call(operation, "idempotent", (crm) => {
        switch (objectType) {
          case "line_items":
            return crm.lineItems.batchApi.read(input, false);
          case "products":
            return crm.products.batchApi.read(input, false);
          case "deals":
            return crm.deals.batchApi.read(input, false);
          case "contacts":
            return crm.contacts.batchApi.read(input, false);
        }
      });
      objects.push(...this.parse(operation, batchResultSchema, answer).results);
    }
    return objects;
  }

  private parse<S extends z.ZodType>(operation: string, schema: S, value: unknown): z.infer<S> {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    throw new HubSpotError(
      "HUBSPOT_RESPONSE_INVALID",
      "HubSpot answered in an unexpected shape; nothing was changed.",
      {
        operation,
        details: {
          issues: parsed.error.issues
            .slice(0, 5)
            .map((issue) => `${issue.path.join(".")}: ${issue.code}`),
        },
      },
    );
  }

  /**
   * One HubSpot request: throttled, authenticated with the current token, replayed once after
   * a refresh on 401, retried per `withRetries` (429 always, 5xx/timeouts only when safe).
   */
  private call<T>(
    operation: string,
    safety: Safety,
    send: (crm: Crm) => Promise<T>,
    options: { search?: boolean } = {},
  ): Promise<T> {
    return withRetries(() => this.attempt(operation, send, options.search === true), {
      idempotent: safety === "idempotent",
      policy: this.options.retryPolicy ?? DEFAULT_RETRY_POLICY,
      clock: this.clock,
      ...(this.options.random ? { random: this.options.random } : {}),
      classify: (error) => {
        if (!(error instanceof HubSpotError)) return null;
        if (error.rateLimitedBriefly) {
          return { transient: false, rateLimited: true, waitMs: error.retryAfterMs };
        }
        return error.transient ? { transient: true, rateLimited: false, waitMs: null } : null;
      },
      onRetry: () => {
        this.stats.retries += 1;
      },
    });
  }

  private async attempt<T>(
    operation: string,
    send: (crm: Crm) => Promise<T>,
    search: boolean,
  ): Promise<T> {
    const limiter = search ? this.searchLimiter : this.options.limiter;
    const key = search ? `${this.portalId}:search` : this.portalId;
    let replayedAfterRefresh = false;
    for (;;) {
      await limiter.acquire(key);
      const startedAt = this.clock.now();
      let accessToken: string;
      try {
        accessToken = await this.options.accessToken();
      } catch (error) {
        limiter.release?.(key);
        this.report(operation, startedAt, error);
        throw error;
      }
      this.stats.requests += 1;
      try {
        const result = await this.withTimeout(send(this.crmWith(accessToken))).finally(() =>
          limiter.release?.(key),
        );
        this.report(operation, startedAt, null);
        return result;
      } catch (thrown) {
        const error = toHubSpotError(thrown, operation, this.clock.now());
        this.report(operation, startedAt, error);
        if (
          error.code === "HUBSPOT_AUTH_FAILED" &&
          !replayedAfterRefresh &&
          this.options.onUnauthorized
        ) {
          replayedAfterRefresh = true;
          await this.options.onUnauthorized(accessToken);
          continue;
        }
        if (error.code === "HUBSPOT_RATE_LIMITED") {
          this.stats.rateLimited += 1;
          if (error.rateLimitedBriefly && error.retryAfterMs !== null) {
            limiter.block(key, this.clock.now() + error.retryAfterMs);
          }
        }
        throw error;
      }
    }
  }

  private report(operation: string, startedAt: number, error: unknown): void {
    this.options.onRequest?.({
      portalId: this.portalId,
      operation,
      outcome: error === null ? "ok" : error instanceof DomainError ? error.code : "UNKNOWN",
      durationMs: this.clock.now() - startedAt,
    });
  }

  /**
   * The api-client binds the token when an API object is built, so setting it and taking the
   * API in the same synchronous step keeps concurrent calls on the token each one fetched.
   * `setAccessToken` also re-installs this client's (empty) decorator list, which the
   * api-client keeps process-wide.
   */
  private crmWith(accessToken: string): Crm {
    this.client.setAccessToken(accessToken);
    return this.client.crm;
  }

  private async withTimeout<T>(request: Promise<T>): Promise<T> {
    const timeoutMs = this.options.timeoutMs ?? 15_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new HubSpotTimeout()), timeoutMs);
      timer.unref?.();
    });
    try {
      return await Promise.race([request, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    result.push(items.slice(start, start + size));
  }
  return result;
}

function toPropertyCreate(property: PropertyDefinition): PropertyCreate {
  return {
    name: property.name,
    label: property.label,
    description: property.description,
    groupName: property.groupName,
    displayOrder: property.displayOrder,
    formField: property.formField,
    type: property.type as PropertyCreateTypeEnum,
    fieldType: property.fieldType as PropertyCreateFieldTypeEnum,
    ...(property.options ? { options: property.options.map((option) => ({ ...option })) } : {}),
  };
}
