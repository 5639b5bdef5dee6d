ALTER TABLE "suppressions" DROP CONSTRAINT "suppressions_kind_value_channel_key";--> statement-breakpoint
ALTER TABLE "suppressions" ADD COLUMN "purpose" "purpose";--> statement-breakpoint
ALTER TABLE "suppressions" ADD CONSTRAINT "suppressions_kind_value_channel_purpose_key" UNIQUE NULLS NOT DISTINCT("kind","value_hash","channel","purpose");