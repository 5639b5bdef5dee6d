CREATE TABLE "coverage_totals_current" (
	"market" char(2) NOT NULL,
	"erased" boolean NOT NULL,
	"exception" boolean NOT NULL,
	"channel" "channel" NOT NULL,
	"purpose" "purpose" NOT NULL,
	"has_contact" boolean NOT NULL,
	"status" "consent_status" NOT NULL,
	"confirmed" boolean NOT NULL,
	"given_month" date,
	"n" bigint NOT NULL,
	CONSTRAINT "coverage_totals_current_key" UNIQUE NULLS NOT DISTINCT("market","erased","exception","channel","purpose","has_contact","status","confirmed","given_month")
);
--> statement-breakpoint
CREATE TABLE "coverage_totals_deltas" (
	"grain" "coverage_grain" NOT NULL,
	"period" date NOT NULL,
	"market" char(2) NOT NULL,
	"erased" boolean NOT NULL,
	"exception" boolean NOT NULL,
	"channel" "channel" NOT NULL,
	"purpose" "purpose" NOT NULL,
	"has_contact" boolean NOT NULL,
	"status" "consent_status" NOT NULL,
	"confirmed" boolean NOT NULL,
	"given_month" date,
	"delta" bigint NOT NULL,
	CONSTRAINT "coverage_totals_deltas_key" UNIQUE NULLS NOT DISTINCT("grain","period","market","erased","exception","channel","purpose","has_contact","status","confirmed","given_month")
);
--> statement-breakpoint
CREATE INDEX "coverage_current_source_idx" ON "coverage_current" USING btree ("source","import_batch_id");--> statement-breakpoint
CREATE INDEX "coverage_deltas_source_idx" ON "coverage_deltas" USING btree ("source","import_batch_id","grain","period");