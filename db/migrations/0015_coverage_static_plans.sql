-- The coverage triggers of consent_intervals, per operation, with their aggregate statements written into the function
-- as static SQL: each session then plans them once, where building and planning them on every statement was most of
-- the cost of a small write (a consent recorded by hand, a webhook batch). The statements are the ones
-- coverage_interval_statements builds, generated here; a migration that changes that function regenerates these.
-- Large statements (imports) still build and plan theirs for their size: a plan cached for fifty rows would not suit
-- a million.
CREATE FUNCTION coverage_interval_trigger_source(op text) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  transition constant text := CASE op WHEN 'INSERT' THEN 'coverage_new' ELSE 'coverage_old' END;
  rows_sql constant text := coverage_interval_rows(format('%I i JOIN customers c ON c.id = i.customer_id', transition),
    CASE op WHEN 'INSERT' THEN 1 ELSE -1 END);
  statements constant text[] := coverage_interval_statements(rows_sql);
  body text := '';
BEGIN
  -- The first statement readies the scratch table (SELECT coverage_change_ready()); PERFORM does that below.
  FOR i IN 2 .. array_length(statements, 1) LOOP
    body := body || statements[i] || E';\n';
  END LOOP;
  RETURN format($body$
DECLARE
  stmt text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM %1$I) THEN
    RETURN NULL;
  END IF;
  IF (SELECT count(*) FROM %1$I) > 1000 THEN
    FOREACH stmt IN ARRAY coverage_interval_statements(%2$L) LOOP
      EXECUTE stmt;
    END LOOP;
    RETURN NULL;
  END IF;
  PERFORM coverage_change_ready();
  %3$s
  RETURN NULL;
END
$body$, transition, rows_sql, body);
END;
$fn$;
--> statement-breakpoint
DO $$
BEGIN
  EXECUTE format('CREATE FUNCTION consent_intervals_coverage_insert() RETURNS trigger LANGUAGE plpgsql AS %L',
    coverage_interval_trigger_source('INSERT'));
  EXECUTE format('CREATE FUNCTION consent_intervals_coverage_delete() RETURNS trigger LANGUAGE plpgsql AS %L',
    coverage_interval_trigger_source('DELETE'));
END
$$;
--> statement-breakpoint
DROP TRIGGER consent_intervals_coverage_insert ON consent_intervals;
--> statement-breakpoint
CREATE TRIGGER consent_intervals_coverage_insert AFTER INSERT ON consent_intervals
  REFERENCING NEW TABLE AS coverage_new FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage_insert();
--> statement-breakpoint
DROP TRIGGER consent_intervals_coverage_delete ON consent_intervals;
--> statement-breakpoint
CREATE TRIGGER consent_intervals_coverage_delete AFTER DELETE ON consent_intervals
  REFERENCING OLD TABLE AS coverage_old FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage_delete();
