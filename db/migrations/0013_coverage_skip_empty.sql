-- A statement that changed no interval (a rebuild of customers who had none yet deletes nothing) adds nothing to the
-- aggregates: return before building and planning the aggregate statements. Single consent events and webhook
-- batches of new customers hit this on every write.
CREATE OR REPLACE FUNCTION consent_intervals_coverage() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'consent_intervals are replaced, not updated' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM coverage_new) THEN RETURN NULL; END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM coverage_old) THEN
    RETURN NULL;
  END IF;
  FOREACH stmt IN ARRAY coverage_interval_statements(coverage_interval_rows(
    format('%I i JOIN customers c ON c.id = i.customer_id', CASE TG_OP WHEN 'INSERT' THEN 'coverage_new' ELSE 'coverage_old' END),
    CASE TG_OP WHEN 'INSERT' THEN 1 ELSE -1 END))
  LOOP
    EXECUTE stmt;
  END LOOP;
  RETURN NULL;
END;
$fn$;
