CREATE TYPE "public"."campaign_kind" AS ENUM('export', 'send');--> statement-breakpoint
CREATE TYPE "public"."campaign_status" AS ENUM('queued', 'sending', 'paused', 'completed', 'cancelled');--> statement-breakpoint
CREATE TYPE "public"."recipient_status" AS ENUM('queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'skipped');--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "status" "recipient_status";--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "message_id" text;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "error_code" integer;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "error_title" text;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "limit_deferrals" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "attempted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "sent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "delivered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "read_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD COLUMN "failed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "kind" "campaign_kind" DEFAULT 'export' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "status" "campaign_status" DEFAULT 'completed' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "paused_reason" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "paused_detail" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "rate_per_second" integer;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "phone_number_id" text;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaigns" ADD COLUMN "finished_at" timestamp with time zone;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_recipients_message_id_key" ON "campaign_recipients" USING btree ("message_id") WHERE "campaign_recipients"."message_id" is not null;--> statement-breakpoint
CREATE INDEX "campaign_recipients_due_idx" ON "campaign_recipients" USING btree ("campaign_id","next_attempt_at","position") WHERE "campaign_recipients"."status" = 'queued';--> statement-breakpoint
CREATE INDEX "campaign_recipients_sending_idx" ON "campaign_recipients" USING btree ("campaign_id","attempted_at") WHERE "campaign_recipients"."status" = 'sending';--> statement-breakpoint
CREATE INDEX "campaigns_active_idx" ON "campaigns" USING btree ("status") WHERE "campaigns"."status" in ('queued', 'sending');--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_rate_positive" CHECK ("campaigns"."rate_per_second" is null or "campaigns"."rate_per_second" >= 0);