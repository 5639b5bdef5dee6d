-- Customers name the import that created them without a foreign key, which an import of a million customers would
-- check a million times against the same batch row. What the key guarded is kept here: a committed batch, the only
-- kind customers name, can be neither deleted nor given another id, nor can its status change back.
ALTER TABLE "customers" DROP CONSTRAINT "customers_import_batch_id_import_batches_id_fk";
--> statement-breakpoint
CREATE FUNCTION import_batches_keep_committed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    RAISE EXCEPTION 'import_batches keeps its committed batches: TRUNCATE is not allowed'
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' OR NEW.id <> OLD.id OR NEW.status <> OLD.status THEN
    RAISE EXCEPTION 'import batch % is committed: % is not allowed', OLD.id, TG_OP
      USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER import_batches_keep_committed
  BEFORE UPDATE OR DELETE ON import_batches
  FOR EACH ROW WHEN (OLD.status = 'committed') EXECUTE FUNCTION import_batches_keep_committed();
--> statement-breakpoint
CREATE TRIGGER import_batches_no_truncate
  BEFORE TRUNCATE ON import_batches
  FOR EACH STATEMENT EXECUTE FUNCTION import_batches_keep_committed();
--> statement-breakpoint
-- Staging of open batches read before a suppression stopped adding the withdrawal its row already brings for the same
-- second: the commit writes a new customer's events without conflict checks, and such a pair is one event twice.
DELETE FROM import_consents s
USING import_batches b, import_consents f
WHERE b.id = s.batch_id AND b.status = 'dry_run'
  AND f.batch_id = s.batch_id AND f.row_no = s.row_no AND f.channel = s.channel AND f.purpose = s.purpose
  AND s.kind = 'withdrawn' AND f.kind = 'withdrawn' AND s.source = 'suppression' AND f.source <> 'suppression'
  AND floor(extract(epoch FROM s.occurred_at)) = floor(extract(epoch FROM f.occurred_at));
