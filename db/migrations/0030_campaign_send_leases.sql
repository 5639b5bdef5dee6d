CREATE TABLE "campaign_send_leases" (
	"phone_number_id" text PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"until" timestamp with time zone NOT NULL
);
