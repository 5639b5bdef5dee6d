CREATE TYPE "public"."confirmation_run_status" AS ENUM('queued', 'running', 'done', 'failed');--> statement-breakpoint
CREATE TABLE "confirmation_runs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "confirmation_runs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"filter" jsonb NOT NULL,
	"shop_name" text NOT NULL,
	"base_url" text NOT NULL,
	"status" "confirmation_run_status" DEFAULT 'queued' NOT NULL,
	"found" integer DEFAULT 0 NOT NULL,
	"sent" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"failure" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "confirmations" (
	"id" text PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"items" jsonb NOT NULL,
	"shop_name" text NOT NULL,
	"language" text NOT NULL,
	"form_version_id" integer,
	"run_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone,
	"send_error" text,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "opt_in_form_versions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "opt_in_form_versions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"form_id" integer NOT NULL,
	"version" integer NOT NULL,
	"shop_name" text NOT NULL,
	"privacy_url" text NOT NULL,
	"language" text NOT NULL,
	"boxes" jsonb NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "opt_in_forms" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "opt_in_forms_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"slug" text NOT NULL,
	"market" char(2) NOT NULL,
	"always_double_opt_in" boolean DEFAULT false NOT NULL,
	"allowed_origins" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"current_version_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opt_in_forms_slug_format" CHECK ("opt_in_forms"."slug" ~ '^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$'),
	CONSTRAINT "opt_in_forms_market_format" CHECK ("opt_in_forms"."market" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
ALTER TABLE "confirmation_runs" ADD CONSTRAINT "confirmation_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmations" ADD CONSTRAINT "confirmations_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmations" ADD CONSTRAINT "confirmations_form_version_id_opt_in_form_versions_id_fk" FOREIGN KEY ("form_version_id") REFERENCES "public"."opt_in_form_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "confirmations" ADD CONSTRAINT "confirmations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opt_in_form_versions" ADD CONSTRAINT "opt_in_form_versions_form_id_opt_in_forms_id_fk" FOREIGN KEY ("form_id") REFERENCES "public"."opt_in_forms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opt_in_form_versions" ADD CONSTRAINT "opt_in_form_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opt_in_forms" ADD CONSTRAINT "opt_in_forms_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "confirmation_runs_created_at_idx" ON "confirmation_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "confirmations_customer_idx" ON "confirmations" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "confirmations_run_idx" ON "confirmations" USING btree ("run_id");--> statement-breakpoint
CREATE UNIQUE INDEX "opt_in_form_versions_form_version_key" ON "opt_in_form_versions" USING btree ("form_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "opt_in_forms_slug_key" ON "opt_in_forms" USING btree ("slug");