ALTER TYPE "public"."import_status" ADD VALUE 'checking' BEFORE 'committing';--> statement-breakpoint
CREATE TABLE "import_progress" (
	"batch_id" integer PRIMARY KEY NOT NULL,
	"phase" text NOT NULL,
	"done" integer NOT NULL,
	"total" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "failure" jsonb;--> statement-breakpoint
ALTER TABLE "import_rows" DROP COLUMN "customer_id";