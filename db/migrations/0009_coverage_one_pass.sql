-- The coverage aggregates are kept in one pass over the changed interval rows: the rows (joined to their customers)
-- are grouped once per day into coverage_change, and the four aggregate upserts read that much smaller table,
-- instead of each joining and grouping the raw rows again. Large imports write one statement of intervals.
-- The scratch table of one statement's changes: created once per session, emptied before each use (cheaper than
-- TRUNCATE, and without a notice per statement, for the many small statements of single consent events).
CREATE FUNCTION coverage_change_ready() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF to_regclass('pg_temp.coverage_change') IS NULL THEN
    CREATE TEMP TABLE coverage_change AS
      SELECT market, source, import_batch_id, erased, exception, channel, purpose, has_contact, status, confirmed, given_month,
             NULL::date AS day, 0::bigint AS n
      FROM coverage_current WITH NO DATA;
  ELSE
    DELETE FROM coverage_change;
  END IF;
END;
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION coverage_interval_statements(rows_sql text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  by_source constant text := 'market, source, import_batch_id, erased, exception, channel, purpose, has_contact, status, confirmed, given_month';
  totals constant text := 'market, erased, exception, channel, purpose, has_contact, status, confirmed, given_month';
  result text[];
  target record;
BEGIN
  result := ARRAY[
    'SELECT coverage_change_ready()',
    -- day NULL: the change to the states in force now; otherwise +1 where an interval starts, -1 where it ends.
    format($q$
      WITH r AS MATERIALIZED (%1$s)
      INSERT INTO coverage_change (%2$s, day, n)
      SELECT %2$s, day, sum(d) FROM (
        SELECT %2$s, NULL::date AS day, sign AS d FROM r WHERE valid_to IS NULL
        UNION ALL
        SELECT %2$s, (valid_from AT TIME ZONE 'UTC')::date, sign FROM r
        UNION ALL
        SELECT %2$s, (valid_to AT TIME ZONE 'UTC')::date, -sign FROM r WHERE valid_to IS NOT NULL
      ) AS e
      GROUP BY %2$s, day HAVING sum(d) <> 0$q$, rows_sql, by_source)
  ];
  FOR target IN
    SELECT * FROM (VALUES
      ('coverage_current', 'coverage_deltas', by_source, 11),
      ('coverage_totals_current', 'coverage_totals_deltas', totals, 9)
    ) AS t(current_table, deltas_table, columns, width)
  LOOP
    result := result || format($q$
      INSERT INTO %1$I AS t (%2$s, n)
      SELECT %2$s, sum(n) FROM coverage_change WHERE day IS NULL
      GROUP BY %3$s HAVING sum(n) <> 0 ORDER BY %3$s
      ON CONFLICT ON CONSTRAINT %4$I DO UPDATE SET n = t.n + excluded.n$q$,
      target.current_table, target.columns,
      (SELECT string_agg(i::text, ',') FROM generate_series(1, target.width) i), target.current_table || '_key');
    result := result || format($q$
      INSERT INTO %1$I AS t (grain, period, %2$s, delta)
      SELECT g.grain,
             CASE g.grain WHEN 'day' THEN e.day WHEN 'week' THEN date_trunc('week', e.day)::date ELSE date_trunc('month', e.day)::date END,
             %2$s, sum(n)
      FROM coverage_change e CROSS JOIN (VALUES ('day'::coverage_grain), ('week'::coverage_grain), ('month'::coverage_grain)) AS g(grain)
      WHERE e.day IS NOT NULL
      GROUP BY %3$s HAVING sum(n) <> 0 ORDER BY %3$s
      ON CONFLICT ON CONSTRAINT %4$I DO UPDATE SET delta = t.delta + excluded.delta$q$,
      target.deltas_table, target.columns,
      (SELECT string_agg(i::text, ',') FROM generate_series(1, target.width + 2) i), target.deltas_table || '_key');
  END LOOP;
  RETURN result;
END;
$fn$;
