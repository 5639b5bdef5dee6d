CREATE TABLE "file_chunks" (
	"file_key" text NOT NULL,
	"seq" integer NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "file_chunks_file_key_seq_pk" PRIMARY KEY("file_key","seq")
);
--> statement-breakpoint
ALTER TABLE "import_batches" ADD COLUMN "file_key" text;--> statement-breakpoint
-- Pieces are stored as they come, not compressed: an upload is written as fast as it arrives, and CSV pieces would
-- cost the compression's time on every write for space that retention gives back anyway.
ALTER TABLE "file_chunks" ALTER COLUMN "data" SET STORAGE EXTERNAL;
