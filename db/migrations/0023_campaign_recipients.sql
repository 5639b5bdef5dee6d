CREATE TABLE "campaign_recipients" (
	"campaign_id" integer NOT NULL,
	"position" integer NOT NULL,
	"customer_id" bigint NOT NULL,
	"phone" text NOT NULL,
	CONSTRAINT "campaign_recipients_campaign_id_position_pk" PRIMARY KEY("campaign_id","position")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_recipients_customer_key" ON "campaign_recipients" USING btree ("customer_id","campaign_id");