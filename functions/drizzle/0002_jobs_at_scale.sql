CREATE TABLE "job_dead_letters" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "job_dead_letters_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"tenant_id" text NOT NULL,
	"job" jsonb NOT NULL,
	"attempts" integer NOT NULL,
	"error_code" text NOT NULL,
	"failed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "rate_limit_windows" (
	"key" text PRIMARY KEY NOT NULL,
	"sent_ms" bigint[] NOT NULL,
	"blocked_until_ms" bigint DEFAULT 0 NOT NULL,
	"granted_to" text
);
--> statement-breakpoint
CREATE INDEX "job_dead_letters_failed_at" ON "job_dead_letters" USING btree ("failed_at");