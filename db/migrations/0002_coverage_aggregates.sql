CREATE TYPE "public"."coverage_grain" AS ENUM('day', 'week', 'month');--> statement-breakpoint
CREATE TABLE "consent_intervals" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "consent_intervals_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"customer_id" bigint NOT NULL,
	"channel" "channel" NOT NULL,
	"purpose" "purpose" NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_to" timestamp with time zone,
	"status" "consent_status" NOT NULL,
	"confirmed" boolean NOT NULL,
	"given_month" date
);
--> statement-breakpoint
CREATE TABLE "coverage_current" (
	"market" char(2) NOT NULL,
	"source" text NOT NULL,
	"import_batch_id" integer,
	"erased" boolean NOT NULL,
	"exception" boolean NOT NULL,
	"channel" "channel" NOT NULL,
	"purpose" "purpose" NOT NULL,
	"has_contact" boolean NOT NULL,
	"status" "consent_status" NOT NULL,
	"confirmed" boolean NOT NULL,
	"given_month" date,
	"n" bigint NOT NULL,
	CONSTRAINT "coverage_current_key" UNIQUE NULLS NOT DISTINCT("market","source","import_batch_id","erased","exception","channel","purpose","has_contact","status","confirmed","given_month")
);
--> statement-breakpoint
CREATE TABLE "coverage_customers" (
	"market" char(2) NOT NULL,
	"source" text NOT NULL,
	"import_batch_id" integer,
	"erased" boolean NOT NULL,
	"exception" boolean NOT NULL,
	"has_email" boolean NOT NULL,
	"has_phone" boolean NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "coverage_customers_key" UNIQUE NULLS NOT DISTINCT("market","source","import_batch_id","erased","exception","has_email","has_phone")
);
--> statement-breakpoint
CREATE TABLE "coverage_deltas" (
	"grain" "coverage_grain" NOT NULL,
	"period" date NOT NULL,
	"market" char(2) NOT NULL,
	"source" text NOT NULL,
	"import_batch_id" integer,
	"erased" boolean NOT NULL,
	"exception" boolean NOT NULL,
	"channel" "channel" NOT NULL,
	"purpose" "purpose" NOT NULL,
	"has_contact" boolean NOT NULL,
	"status" "consent_status" NOT NULL,
	"confirmed" boolean NOT NULL,
	"given_month" date,
	"delta" bigint NOT NULL,
	CONSTRAINT "coverage_deltas_key" UNIQUE NULLS NOT DISTINCT("grain","period","market","source","import_batch_id","erased","exception","channel","purpose","has_contact","status","confirmed","given_month")
);
--> statement-breakpoint
ALTER TABLE "consent_intervals" ADD CONSTRAINT "consent_intervals_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_intervals_customer_idx" ON "consent_intervals" USING btree ("customer_id","channel","purpose","valid_from");