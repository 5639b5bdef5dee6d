ALTER TABLE "message_drafts" ADD COLUMN "meta_template_id" text;--> statement-breakpoint
ALTER TABLE "message_drafts" ADD COLUMN "meta_status" text;--> statement-breakpoint
ALTER TABLE "message_drafts" ADD COLUMN "meta_rejected_reason" text;--> statement-breakpoint
ALTER TABLE "message_drafts" ADD COLUMN "meta_checked_at" timestamp with time zone;