CREATE TABLE "campaign_recipients" (
	"campaign_id" integer NOT NULL,
	"position" integer NOT NULL,
	"customer_id" bigint NOT NULL,
	"phone" text NOT NULL,
	CONSTRAINT "campaign_recipients_campaign_id_position_pk" PRIMARY KEY("campaign_id","position")
);
--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_recipients" ADD CONSTRAINT "campaign_recipients_customer_id_customers_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."customers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "campaign_recipients_customer_key" ON "campaign_recipients" USING btree ("customer_id","campaign_id");