CREATE TABLE "import_consents" (
	"batch_id" integer NOT NULL,
	"row_no" integer NOT NULL,
	"channel" "channel" NOT NULL,
	"purpose" "purpose" NOT NULL,
	"kind" "consent_event_kind" NOT NULL,
	"source" text DEFAULT 'import' NOT NULL,
	"occurred_at" timestamp with time zone,
	"evidence" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_rows" (
	"batch_id" integer NOT NULL,
	"row_no" integer NOT NULL,
	"line" integer NOT NULL,
	"external_id" text,
	"first_name" text,
	"last_name" text,
	"email" text,
	"phone" text,
	"market" char(2),
	"language" text,
	"last_order_at" timestamp with time zone,
	"email_hash" text,
	"phone_hash" text,
	"customer_id" bigint,
	"outcome" text,
	"error" text,
	"warnings" jsonb,
	CONSTRAINT "import_rows_batch_id_row_no_pk" PRIMARY KEY("batch_id","row_no")
);
--> statement-breakpoint
ALTER TABLE "import_rows" ADD CONSTRAINT "import_rows_batch_id_import_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."import_batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "import_consents_row_idx" ON "import_consents" USING btree ("batch_id","row_no");--> statement-breakpoint
-- Scratch space between a dry run and its commit: nothing here needs to survive a crash.
ALTER TABLE "import_rows" SET UNLOGGED;--> statement-breakpoint
ALTER TABLE "import_consents" SET UNLOGGED;
