CREATE TYPE "public"."reply_review_decision" AS ENUM('withdraw_marketing', 'withdraw_all', 'complaint', 'not_objection');--> statement-breakpoint
CREATE TYPE "public"."reply_review_status" AS ENUM('open', 'decided');--> statement-breakpoint
CREATE TABLE "reply_reviews" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reply_reviews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"message_id" text NOT NULL,
	"phone" text NOT NULL,
	"text" text NOT NULL,
	"cue" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" "reply_review_status" DEFAULT 'open' NOT NULL,
	"decision" "reply_review_decision",
	"complaint_id" integer,
	"decided_by" integer,
	"decided_at" timestamp with time zone,
	CONSTRAINT "reply_reviews_decided" CHECK (("reply_reviews"."status" = 'open' and "reply_reviews"."decision" is null and "reply_reviews"."decided_at" is null) or ("reply_reviews"."status" = 'decided' and "reply_reviews"."decision" is not null and "reply_reviews"."decided_at" is not null))
);
--> statement-breakpoint
ALTER TABLE "reply_reviews" ADD CONSTRAINT "reply_reviews_complaint_id_complaints_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaints"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reply_reviews" ADD CONSTRAINT "reply_reviews_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "reply_reviews_message_id_key" ON "reply_reviews" USING btree ("message_id");--> statement-breakpoint
CREATE INDEX "reply_reviews_open_idx" ON "reply_reviews" USING btree ("received_at") WHERE "reply_reviews"."status" = 'open';--> statement-breakpoint
CREATE INDEX "reply_reviews_received_at_idx" ON "reply_reviews" USING btree ("received_at");