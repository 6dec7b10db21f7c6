CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_log_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"actor" text,
	"action" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"details" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "credentials" (
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"method" text NOT NULL,
	"ciphertext" text NOT NULL,
	"access_expires_at" timestamp with time zone,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "credentials_tenant_id_kind_pk" PRIMARY KEY("tenant_id","kind"),
	CONSTRAINT "credentials_kind_known" CHECK (kind in ('hubspot', 'pennylane', 'sage_active')),
	CONSTRAINT "credentials_method_known" CHECK (method in ('oauth', 'api_token'))
);
--> statement-breakpoint
CREATE TABLE "customer_freshness" (
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"customer_id" text NOT NULL,
	"synced_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customer_freshness_tenant_id_provider_customer_id_pk" PRIMARY KEY("tenant_id","provider","customer_id"),
	CONSTRAINT "customer_freshness_provider_known" CHECK (provider in ('pennylane', 'sage_active'))
);
--> statement-breakpoint
CREATE TABLE "customer_links" (
	"tenant_id" text NOT NULL,
	"company_id" text NOT NULL,
	"provider" text NOT NULL,
	"provider_customer_id" text NOT NULL,
	"matched_by" text NOT NULL,
	"confidence" integer NOT NULL,
	"linked_at" timestamp with time zone NOT NULL,
	"linked_by" text,
	CONSTRAINT "customer_links_tenant_id_company_id_pk" PRIMARY KEY("tenant_id","company_id"),
	CONSTRAINT "customer_links_provider_known" CHECK (provider in ('pennylane', 'sage_active')),
	CONSTRAINT "customer_links_matched_by_known" CHECK (matched_by in ('siret', 'siren', 'vat_number', 'external_reference', 'email_domain', 'manual')),
	CONSTRAINT "customer_links_confidence_range" CHECK ("customer_links"."confidence" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "customers" (
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"provider_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"siren" text,
	"siret" text,
	"vat_number" text,
	"external_reference" text,
	"emails" jsonb NOT NULL,
	"billing_address" jsonb,
	"payment_terms" text,
	"synced_at" timestamp with time zone NOT NULL,
	CONSTRAINT "customers_tenant_id_provider_provider_id_pk" PRIMARY KEY("tenant_id","provider","provider_id"),
	CONSTRAINT "customers_provider_known" CHECK (provider in ('pennylane', 'sage_active'))
);
--> statement-breakpoint
CREATE TABLE "dunning_actions" (
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"invoice_id" text NOT NULL,
	"step_id" text NOT NULL,
	"done_on" date NOT NULL,
	"hubspot_task_id" text,
	CONSTRAINT "dunning_actions_tenant_id_provider_invoice_id_step_id_pk" PRIMARY KEY("tenant_id","provider","invoice_id","step_id"),
	CONSTRAINT "dunning_actions_provider_known" CHECK (provider in ('pennylane', 'sage_active'))
);
--> statement-breakpoint
CREATE TABLE "dunning_pauses" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "dunning_pauses_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"invoice_id" text NOT NULL,
	"kind" text NOT NULL,
	"since" date NOT NULL,
	"until" date,
	"resolved_on" date,
	"note" text,
	"created_by" text,
	CONSTRAINT "dunning_pauses_provider_known" CHECK (provider in ('pennylane', 'sage_active')),
	CONSTRAINT "dunning_pauses_kind_known" CHECK (kind in ('dispute', 'promise_to_pay')),
	CONSTRAINT "dunning_pauses_promise_has_until" CHECK ("dunning_pauses"."kind" <> 'promise_to_pay' or "dunning_pauses"."until" is not null)
);
--> statement-breakpoint
CREATE TABLE "extension_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"hubspot_user_id" text NOT NULL,
	"user_email" text,
	"token_hash" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "hubspot_property_values" (
	"tenant_id" text NOT NULL,
	"object_type" text NOT NULL,
	"object_id" text NOT NULL,
	"property" text NOT NULL,
	"value" text,
	"written_at" timestamp with time zone NOT NULL,
	CONSTRAINT "hubspot_property_values_tenant_id_object_type_object_id_property_pk" PRIMARY KEY("tenant_id","object_type","object_id","property")
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"tenant_id" text NOT NULL,
	"key" text NOT NULL,
	"fingerprint" text NOT NULL,
	"state" text NOT NULL,
	"response" jsonb,
	"locked_until" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_tenant_id_key_pk" PRIMARY KEY("tenant_id","key"),
	CONSTRAINT "idempotency_keys_state_known" CHECK (state in ('pending', 'succeeded', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"id" text NOT NULL,
	"customer_id" text NOT NULL,
	"customer_name" text NOT NULL,
	"number" text,
	"issue_date" date NOT NULL,
	"due_date" date NOT NULL,
	"currency" text NOT NULL,
	"net_cents" bigint NOT NULL,
	"vat_cents" bigint NOT NULL,
	"gross_cents" bigint NOT NULL,
	"paid_cents" bigint NOT NULL,
	"remaining_cents" bigint NOT NULL,
	"provider_status" text NOT NULL,
	"is_draft" boolean NOT NULL,
	"is_credit_note" boolean NOT NULL,
	"is_cancelled" boolean NOT NULL,
	"external_reference" text,
	"web_url" text,
	"lines" jsonb NOT NULL,
	"provider_updated_at" timestamp with time zone NOT NULL,
	"synced_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoices_tenant_id_provider_id_pk" PRIMARY KEY("tenant_id","provider","id"),
	CONSTRAINT "invoices_provider_known" CHECK (provider in ('pennylane', 'sage_active'))
);
--> statement-breakpoint
CREATE TABLE "pairing_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"hubspot_user_id" text NOT NULL,
	"user_email" text,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"invoice_id" text NOT NULL,
	"id" text NOT NULL,
	"date" date NOT NULL,
	"amount_cents" bigint NOT NULL,
	"method" text NOT NULL,
	"label" text,
	CONSTRAINT "payments_tenant_id_provider_invoice_id_id_pk" PRIMARY KEY("tenant_id","provider","invoice_id","id"),
	CONSTRAINT "payments_provider_known" CHECK (provider in ('pennylane', 'sage_active'))
);
--> statement-breakpoint
CREATE TABLE "seen_signatures" (
	"signature_hash" text PRIMARY KEY NOT NULL,
	"seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_cursors" (
	"tenant_id" text NOT NULL,
	"provider" text NOT NULL,
	"stream" text NOT NULL,
	"cursor" text,
	"backfill_done" integer DEFAULT 0 NOT NULL,
	"backfill_total" integer,
	"started_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"last_error_code" text,
	"last_error_message" text,
	CONSTRAINT "sync_cursors_tenant_id_provider_stream_pk" PRIMARY KEY("tenant_id","provider","stream"),
	CONSTRAINT "sync_cursors_provider_known" CHECK (provider in ('pennylane', 'sage_active'))
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"installed_at" timestamp with time zone NOT NULL,
	"uninstalled_at" timestamp with time zone,
	"active_provider" text,
	"settings" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "tenants_active_provider_known" CHECK ("tenants"."active_provider" is null or active_provider in ('pennylane', 'sage_active'))
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"tenant_id" text NOT NULL,
	"event_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"processed_at" timestamp with time zone,
	CONSTRAINT "webhook_events_tenant_id_event_id_pk" PRIMARY KEY("tenant_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "audit_log" ADD CONSTRAINT "audit_log_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_freshness" ADD CONSTRAINT "customer_freshness_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customer_links" ADD CONSTRAINT "customer_links_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_actions" ADD CONSTRAINT "dunning_actions_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_pauses" ADD CONSTRAINT "dunning_pauses_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extension_tokens" ADD CONSTRAINT "extension_tokens_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hubspot_property_values" ADD CONSTRAINT "hubspot_property_values_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pairing_codes" ADD CONSTRAINT "pairing_codes_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sync_cursors" ADD CONSTRAINT "sync_cursors_tenant_id_tenants_tenant_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("tenant_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_tenant_recent" ON "audit_log" USING btree ("tenant_id","at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE UNIQUE INDEX "customer_links_provider_customer" ON "customer_links" USING btree ("tenant_id","provider","provider_customer_id");--> statement-breakpoint
CREATE INDEX "customers_siren" ON "customers" USING btree ("tenant_id","provider","siren");--> statement-breakpoint
CREATE INDEX "customers_vat_number" ON "customers" USING btree ("tenant_id","provider","vat_number");--> statement-breakpoint
CREATE INDEX "customers_external_reference" ON "customers" USING btree ("tenant_id","provider","external_reference");--> statement-breakpoint
CREATE INDEX "dunning_pauses_invoice" ON "dunning_pauses" USING btree ("tenant_id","provider","invoice_id");--> statement-breakpoint
CREATE UNIQUE INDEX "extension_tokens_hash" ON "extension_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "extension_tokens_tenant" ON "extension_tokens" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE INDEX "invoices_customer" ON "invoices" USING btree ("tenant_id","provider","customer_id");--> statement-breakpoint
CREATE INDEX "invoices_external_reference" ON "invoices" USING btree ("tenant_id","provider","external_reference");--> statement-breakpoint
CREATE INDEX "invoices_number" ON "invoices" USING btree ("tenant_id","provider","number");--> statement-breakpoint
CREATE INDEX "pairing_codes_user" ON "pairing_codes" USING btree ("tenant_id","hubspot_user_id");--> statement-breakpoint
CREATE INDEX "seen_signatures_seen_at" ON "seen_signatures" USING btree ("seen_at");--> statement-breakpoint
CREATE INDEX "webhook_events_received" ON "webhook_events" USING btree ("received_at");