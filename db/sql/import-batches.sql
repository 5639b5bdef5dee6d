-- Customers name the import that created them without a foreign key (an import of a million customers would check a
-- million times against the same batch row). What the key guarded is kept here: a committed batch, the only kind
-- customers name, can be neither deleted nor given another id, nor can its status change back. Open batches (dry runs)
-- stay free to change and to be deleted.
CREATE OR REPLACE FUNCTION import_batches_keep_committed() RETURNS trigger
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
-- Only committed rows reach the function: the WHEN clause leaves every other batch alone without a function call.
CREATE OR REPLACE TRIGGER import_batches_keep_committed
  BEFORE UPDATE OR DELETE ON import_batches
  FOR EACH ROW WHEN (OLD.status = 'committed') EXECUTE FUNCTION import_batches_keep_committed();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER import_batches_no_truncate
  BEFORE TRUNCATE ON import_batches
  FOR EACH STATEMENT EXECUTE FUNCTION import_batches_keep_committed();
