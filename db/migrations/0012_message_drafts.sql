ALTER TABLE "message_drafts" ADD COLUMN "header_example" text;--> statement-breakpoint
ALTER TABLE "message_drafts" ADD COLUMN "variable_fields" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "message_drafts" ADD COLUMN "sender" text;--> statement-breakpoint
ALTER TABLE "message_drafts" ADD COLUMN "audience_size" integer;--> statement-breakpoint
CREATE INDEX "consent_intervals_in_force_key_idx" ON "consent_intervals" USING btree ("channel","purpose","customer_id","status","confirmed","given_month") WHERE "consent_intervals"."valid_to" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "message_drafts_name_language_key" ON "message_drafts" USING btree ("name","language");