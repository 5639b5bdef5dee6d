-- Fewer checks and indexes on the write path of consent (a million rows per import): the projections (states,
-- intervals) and the staging rows lose foreign keys that every row checked, and indexes go that others cover or that
-- nothing reads: e-mail equality by the pattern index, the ledger's time by the kind-and-time index, the interval in
-- force by the in-force key index, and states by channel and status (states are read by customer only).
ALTER TABLE "consent_intervals" DROP CONSTRAINT "consent_intervals_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "consent_state" DROP CONSTRAINT "consent_state_customer_id_customers_id_fk";
--> statement-breakpoint
ALTER TABLE "import_rows" DROP CONSTRAINT "import_rows_batch_id_import_batches_id_fk";
--> statement-breakpoint
DROP INDEX "consent_events_occurred_at_idx";--> statement-breakpoint
DROP INDEX "consent_intervals_in_force_idx";--> statement-breakpoint
DROP INDEX "consent_state_channel_purpose_status_idx";--> statement-breakpoint
DROP INDEX "customers_email_idx";