CREATE TABLE "consent_evidence_personal" (
	"event_id" bigint PRIMARY KEY NOT NULL,
	"customer_id" bigint NOT NULL,
	"evidence" jsonb NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "consent_evidence_personal" ADD CONSTRAINT "consent_evidence_personal_event_id_consent_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."consent_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consent_evidence_personal_customer_idx" ON "consent_evidence_personal" USING btree ("customer_id");--> statement-breakpoint
CREATE INDEX "consent_evidence_personal_recorded_at_idx" ON "consent_evidence_personal" USING btree ("recorded_at");--> statement-breakpoint
CREATE INDEX "complaints_contact_email_idx" ON "complaints" USING btree ("contact_email") WHERE "complaints"."contact_email" is not null;--> statement-breakpoint
CREATE INDEX "complaints_contact_phone_idx" ON "complaints" USING btree ("contact_phone") WHERE "complaints"."contact_phone" is not null;--> statement-breakpoint
CREATE INDEX "reply_reviews_phone_idx" ON "reply_reviews" USING btree ("phone");--> statement-breakpoint
-- Identifying evidence already in the ledger moves to consent_evidence_personal, where an erasure can remove it: the
-- IP and user agent of every event, and the customer's own words (a reviewed WhatsApp reply, a complaint's
-- description) as customerText. A keyword (STOP, START) identifies nobody and stays.
INSERT INTO "consent_evidence_personal" ("event_id", "customer_id", "evidence", "recorded_at")
SELECT id, customer_id, personal, recorded_at FROM (
  SELECT id, customer_id, recorded_at, jsonb_strip_nulls(jsonb_build_object(
    'ip', evidence->'ip',
    'userAgent', evidence->'userAgent',
    'customerText', CASE
      WHEN source = 'whatsapp_reply' THEN evidence->'wording'
      WHEN evidence ? 'complaintId' THEN evidence->'reason'
    END)) AS personal
  FROM "consent_events"
  WHERE evidence ?| array['ip', 'userAgent'] OR source = 'whatsapp_reply' OR evidence ? 'complaintId'
) moved
WHERE personal <> '{}'::jsonb;--> statement-breakpoint
-- The ledger refuses changes; its guard is lifted for this one statement of the migration. It also takes the phone out
-- of the idempotency keys of WhatsApp setting changes (the customer id and the moment already make them unique).
ALTER TABLE "consent_events" DISABLE TRIGGER "consent_events_no_update_delete";--> statement-breakpoint
UPDATE "consent_events" SET
  evidence = CASE
    WHEN source = 'whatsapp_reply' THEN evidence - 'ip' - 'userAgent' - 'wording'
    WHEN evidence ? 'complaintId' THEN evidence - 'ip' - 'userAgent' - 'reason'
    ELSE evidence - 'ip' - 'userAgent'
  END,
  idempotency_key = CASE
    WHEN idempotency_key LIKE 'whatsapp-pref:%' THEN regexp_replace(idempotency_key, '^whatsapp-pref:[^:]*:', 'whatsapp-pref:')
    ELSE idempotency_key
  END
WHERE evidence ?| array['ip', 'userAgent'] OR source = 'whatsapp_reply' OR evidence ? 'complaintId'
  OR idempotency_key LIKE 'whatsapp-pref:%';--> statement-breakpoint
ALTER TABLE "consent_events" ENABLE TRIGGER "consent_events_no_update_delete";
