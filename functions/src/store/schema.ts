/**
 * The one relational schema, shared by the embedded (PGlite) and PostgreSQL drivers.
 *
 * Every tenant-owned table starts with `tenant_id` (the HubSpot portal id, as text) so that
 * each index leads with the tenant and no query can reach another tenant's rows by accident.
 * Money is bigint cents, calendar dates are `date` strings (Europe/Paris), instants are
 * `timestamptz`. Migrations are generated from this file by drizzle-kit (see README).
 */
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Address, InvoiceLine } from "@encaisse/shared";

export const PROVIDERS = ["pennylane", "sage_active"] as const;
export const CREDENTIAL_KINDS = ["hubspot", "pennylane", "sage_active"] as const;
export const CREDENTIAL_METHODS = ["oauth", "api_token"] as const;
export const MATCH_METHODS = [
  "siret",
  "siren",
  "vat_number",
  "external_reference",
  "email_domain",
  "manual",
] as const;
export const IDEMPOTENCY_STATES = ["pending", "succeeded", "failed"] as const;
export const CUSTOMER_KINDS = ["company", "individual"] as const;
export const PAUSE_KINDS = ["dispute", "promise_to_pay"] as const;

const cents = (name: string) => bigint(name, { mode: "number" });
const calendarDate = (name: string) => date(name, { mode: "string" });
const instant = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((value) => `'${value}'`).join(", ")})`);

const tenantId = () =>
  text("tenant_id")
    .notNull()
    .references(() => tenants.tenantId, { onDelete: "cascade" });

export const tenants = pgTable(
  "tenants",
  {
    /** The HubSpot portal id. */
    tenantId: text("tenant_id").primaryKey(),
    installedAt: instant("installed_at").notNull(),
    uninstalledAt: instant("uninstalled_at"),
    activeProvider: text("active_provider", { enum: PROVIDERS }),
    /** The company (Pennylane) or organization (Sage Active) the connection works on. */
    providerAccountId: text("provider_account_id"),
    /** Validated with `settingsSchema` on every read. */
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (table) => [
    check(
      "tenants_active_provider_known",
      sql`${table.activeProvider} is null or ${inList("active_provider", PROVIDERS)}`,
    ),
  ],
);

export const credentials = pgTable(
  "credentials",
  {
    tenantId: tenantId(),
    kind: text("kind", { enum: CREDENTIAL_KINDS }).notNull(),
    method: text("method", { enum: CREDENTIAL_METHODS }).notNull(),
    /** AES-256-GCM, `v1:` + base64url(iv | ciphertext | tag); never the secret in clear. */
    ciphertext: text("ciphertext").notNull(),
    accessExpiresAt: instant("access_expires_at"),
    updatedAt: instant("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.kind] }),
    check("credentials_kind_known", inList("kind", CREDENTIAL_KINDS)),
    check("credentials_method_known", inList("method", CREDENTIAL_METHODS)),
  ],
);

export const customerLinks = pgTable(
  "customer_links",
  {
    tenantId: tenantId(),
    companyId: text("company_id").notNull(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    providerCustomerId: text("provider_customer_id").notNull(),
    matchedBy: text("matched_by", { enum: MATCH_METHODS }).notNull(),
    confidence: integer("confidence").notNull(),
    linkedAt: instant("linked_at").notNull(),
    /** HubSpot user id; null when linked automatically. */
    linkedBy: text("linked_by"),
  },
  (table) => [
    check("customer_links_provider_known", inList("provider", PROVIDERS)),
    primaryKey({ columns: [table.tenantId, table.companyId] }),
    uniqueIndex("customer_links_provider_customer").on(
      table.tenantId,
      table.provider,
      table.providerCustomerId,
    ),
    check("customer_links_matched_by_known", inList("matched_by", MATCH_METHODS)),
    check("customer_links_confidence_range", sql`${table.confidence} between 0 and 100`),
  ],
);

// ---------------------------------------------------------------- read model

export const customers = pgTable(
  "customers",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    providerId: text("provider_id").notNull(),
    kind: text("kind", { enum: CUSTOMER_KINDS }).notNull(),
    name: text("name").notNull(),
    siren: text("siren"),
    siret: text("siret"),
    vatNumber: text("vat_number"),
    externalReference: text("external_reference"),
    emails: jsonb("emails").$type<string[]>().notNull(),
    billingAddress: jsonb("billing_address").$type<Address>(),
    paymentTerms: text("payment_terms"),
    syncedAt: instant("synced_at").notNull(),
  },
  (table) => [
    check("customers_provider_known", inList("provider", PROVIDERS)),
    primaryKey({ columns: [table.tenantId, table.provider, table.providerId] }),
    index("customers_siren").on(table.tenantId, table.provider, table.siren),
    index("customers_vat_number").on(table.tenantId, table.provider, table.vatNumber),
    index("customers_external_reference").on(
      table.tenantId,
      table.provider,
      table.externalReference,
    ),
  ],
);

export const invoices = pgTable(
  "invoices",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    id: text("id").notNull(),
    customerId: text("customer_id").notNull(),
    customerName: text("customer_name").notNull(),
    number: text("number"),
    issueDate: calendarDate("issue_date").notNull(),
    dueDate: calendarDate("due_date").notNull(),
    currency: text("currency").notNull(),
    netCents: cents("net_cents").notNull(),
    vatCents: cents("vat_cents").notNull(),
    grossCents: cents("gross_cents").notNull(),
    paidCents: cents("paid_cents").notNull(),
    remainingCents: cents("remaining_cents").notNull(),
    providerStatus: text("provider_status").notNull(),
    isDraft: boolean("is_draft").notNull(),
    isCreditNote: boolean("is_credit_note").notNull(),
    isCancelled: boolean("is_cancelled").notNull(),
    externalReference: text("external_reference"),
    webUrl: text("web_url"),
    lines: jsonb("lines").$type<InvoiceLine[]>().notNull(),
    providerUpdatedAt: instant("provider_updated_at").notNull(),
    syncedAt: instant("synced_at").notNull(),
  },
  (table) => [
    check("invoices_provider_known", inList("provider", PROVIDERS)),
    primaryKey({ columns: [table.tenantId, table.provider, table.id] }),
    index("invoices_customer").on(table.tenantId, table.provider, table.customerId),
    index("invoices_external_reference").on(
      table.tenantId,
      table.provider,
      table.externalReference,
    ),
    index("invoices_number").on(table.tenantId, table.provider, table.number),
  ],
);

export const payments = pgTable(
  "payments",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    invoiceId: text("invoice_id").notNull(),
    id: text("id").notNull(),
    date: calendarDate("date").notNull(),
    amountCents: cents("amount_cents").notNull(),
    method: text("method").notNull(),
    label: text("label"),
  },
  // One payment can settle several invoices, so the invoice is part of the key.
  (table) => [
    check("payments_provider_known", inList("provider", PROVIDERS)),
    primaryKey({ columns: [table.tenantId, table.provider, table.invoiceId, table.id] }),
  ],
);

export const customerFreshness = pgTable(
  "customer_freshness",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    customerId: text("customer_id").notNull(),
    syncedAt: instant("synced_at").notNull(),
  },
  (table) => [
    check("customer_freshness_provider_known", inList("provider", PROVIDERS)),
    primaryKey({ columns: [table.tenantId, table.provider, table.customerId] }),
  ],
);

// ---------------------------------------------------------------- exactly-once and audit

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    tenantId: tenantId(),
    key: text("key").notNull(),
    fingerprint: text("fingerprint").notNull(),
    state: text("state", { enum: IDEMPOTENCY_STATES }).notNull(),
    response: jsonb("response"),
    lockedUntil: instant("locked_until").notNull(),
    createdAt: instant("created_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.key] }),
    check("idempotency_keys_state_known", inList("state", IDEMPOTENCY_STATES)),
  ],
);

export const auditLog = pgTable(
  "audit_log",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    at: instant("at").notNull(),
    /** HubSpot user id; null for system jobs (and after uninstall). */
    actor: text("actor"),
    action: text("action").notNull(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (table) => [
    index("audit_log_tenant_recent").on(table.tenantId, table.at.desc(), table.id.desc()),
  ],
);

// ---------------------------------------------------------------- sync and dunning

export const syncCursors = pgTable(
  "sync_cursors",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    stream: text("stream").notNull(),
    cursor: text("cursor"),
    backfillDone: integer("backfill_done").notNull().default(0),
    backfillTotal: integer("backfill_total"),
    startedAt: instant("started_at").notNull(),
    updatedAt: instant("updated_at").notNull(),
    lastErrorCode: text("last_error_code"),
    lastErrorMessage: text("last_error_message"),
  },
  (table) => [
    check("sync_cursors_provider_known", inList("provider", PROVIDERS)),
    primaryKey({ columns: [table.tenantId, table.provider, table.stream] }),
  ],
);

export const dunningActions = pgTable(
  "dunning_actions",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    invoiceId: text("invoice_id").notNull(),
    stepId: text("step_id").notNull(),
    doneOn: calendarDate("done_on").notNull(),
    hubspotTaskId: text("hubspot_task_id"),
  },
  (table) => [
    check("dunning_actions_provider_known", inList("provider", PROVIDERS)),
    primaryKey({ columns: [table.tenantId, table.provider, table.invoiceId, table.stepId] }),
  ],
);

export const dunningPauses = pgTable(
  "dunning_pauses",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: tenantId(),
    provider: text("provider", { enum: PROVIDERS }).notNull(),
    invoiceId: text("invoice_id").notNull(),
    kind: text("kind", { enum: PAUSE_KINDS }).notNull(),
    since: calendarDate("since").notNull(),
    until: calendarDate("until"),
    resolvedOn: calendarDate("resolved_on"),
    note: text("note"),
    /** HubSpot user id. */
    createdBy: text("created_by"),
  },
  (table) => [
    check("dunning_pauses_provider_known", inList("provider", PROVIDERS)),
    index("dunning_pauses_invoice").on(table.tenantId, table.provider, table.invoiceId),
    check("dunning_pauses_kind_known", inList("kind", PAUSE_KINDS)),
    check(
      "dunning_pauses_promise_has_until",
      sql`${table.kind} <> 'promise_to_pay' or ${table.until} is not null`,
    ),
  ],
);

// ---------------------------------------------------------------- browser extension

export const extensionTokens = pgTable(
  "extension_tokens",
  {
    id: text("id").primaryKey(),
    tenantId: tenantId(),
    hubspotUserId: text("hubspot_user_id").notNull(),
    userEmail: text("user_email"),
    /** SHA-256 of the token (hex); the token itself is shown once and never stored. */
    tokenHash: text("token_hash").notNull(),
    createdAt: instant("created_at").notNull(),
    lastUsedAt: instant("last_used_at"),
    revokedAt: instant("revoked_at"),
  },
  (table) => [
    uniqueIndex("extension_tokens_hash").on(table.tokenHash),
    index("extension_tokens_tenant").on(table.tenantId, table.createdAt),
  ],
);

export const pairingCodes = pgTable(
  "pairing_codes",
  {
    /** SHA-256 of the code (hex). */
    codeHash: text("code_hash").primaryKey(),
    tenantId: tenantId(),
    hubspotUserId: text("hubspot_user_id").notNull(),
    userEmail: text("user_email"),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
  },
  (table) => [index("pairing_codes_user").on(table.tenantId, table.hubspotUserId)],
);

// ---------------------------------------------------------------- webhooks and CRM writes

/** No foreign key: HubSpot may deliver events for a portal that has not installed (yet). */
export const webhookEvents = pgTable(
  "webhook_events",
  {
    tenantId: text("tenant_id").notNull(),
    eventId: text("event_id").notNull(),
    receivedAt: instant("received_at").notNull(),
    processedAt: instant("processed_at"),
  },
  (table) => [
    primaryKey({ columns: [table.tenantId, table.eventId] }),
    index("webhook_events_received").on(table.receivedAt),
  ],
);

export const seenSignatures = pgTable(
  "seen_signatures",
  {
    /** SHA-256 of the request signature (hex). */
    signatureHash: text("signature_hash").primaryKey(),
    seenAt: instant("seen_at").notNull(),
  },
  (table) => [index("seen_signatures_seen_at").on(table.seenAt)],
);

export const hubspotPropertyValues = pgTable(
  "hubspot_property_values",
  {
    tenantId: tenantId(),
    objectType: text("object_type").notNull(),
    objectId: text("object_id").notNull(),
    property: text("property").notNull(),
    value: text("value"),
    writtenAt: instant("written_at").notNull(),
  },
  (table) => [
    primaryKey({
      columns: [table.tenantId, table.objectType, table.objectId, table.property],
    }),
  ],
);

/**
 * The request log of one rate-limited key (a provider connection, a HubSpot portal), shared
 * by every process: send instants in the database's clock (epoch ms) of the requests still
 * inside the window, so many workers together stay under the provider's published limit.
 */
export const rateLimitWindows = pgTable("rate_limit_windows", {
  key: text("key").primaryKey(),
  sentMs: bigint("sent_ms", { mode: "number" }).array().notNull(),
  blockedUntilMs: bigint("blocked_until_ms", { mode: "number" }).notNull().default(0),
  /** Who took the last slot: tells a caller whether its own attempt got one. */
  grantedTo: text("granted_to"),
});

/**
 * Jobs that failed every attempt (`encaisse doctor` lists them). Not tied to `tenants`: a
 * dead letter outlives an uninstall, it is the trace of what went wrong.
 */
export const jobDeadLetters = pgTable(
  "job_dead_letters",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    kind: text("kind").notNull(),
    tenantId: text("tenant_id").notNull(),
    /** The job as queued (ids and dates only, never personal data). */
    job: jsonb("job").notNull(),
    attempts: integer("attempts").notNull(),
    errorCode: text("error_code").notNull(),
    failedAt: instant("failed_at").notNull(),
  },
  (table) => [index("job_dead_letters_failed_at").on(table.failedAt)],
);
