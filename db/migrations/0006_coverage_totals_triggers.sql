-- The interval upserts now also keep the totals over all sources (coverage_totals_current, coverage_totals_deltas).
CREATE OR REPLACE FUNCTION coverage_interval_statements(rows_sql text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  by_source constant text := 'market, source, import_batch_id, erased, exception, channel, purpose, has_contact, status, confirmed, given_month';
  totals constant text := 'market, erased, exception, channel, purpose, has_contact, status, confirmed, given_month';
  result text[] := '{}';
  target record;
BEGIN
  FOR target IN
    SELECT * FROM (VALUES
      ('coverage_current', 'coverage_deltas', by_source, 11),
      ('coverage_totals_current', 'coverage_totals_deltas', totals, 9)
    ) AS t(current_table, deltas_table, columns, width)
  LOOP
    result := result || format($q$
      WITH r AS (%1$s)
      INSERT INTO %2$I AS t (%3$s, n)
      SELECT %3$s, sum(sign) FROM r WHERE valid_to IS NULL
      GROUP BY %4$s HAVING sum(sign) <> 0 ORDER BY %4$s
      ON CONFLICT ON CONSTRAINT %5$I DO UPDATE SET n = t.n + excluded.n$q$,
      rows_sql, target.current_table, target.columns,
      (SELECT string_agg(i::text, ',') FROM generate_series(1, target.width) i), target.current_table || '_key');
    result := result || format($q$
      WITH r AS (%1$s),
      e AS (
        SELECT (valid_from AT TIME ZONE 'UTC')::date AS day, %3$s, sign AS d FROM r
        UNION ALL
        SELECT (valid_to AT TIME ZONE 'UTC')::date, %3$s, -sign FROM r WHERE valid_to IS NOT NULL
      )
      INSERT INTO %2$I AS t (grain, period, %3$s, delta)
      SELECT g.grain,
             CASE g.grain WHEN 'day' THEN e.day WHEN 'week' THEN date_trunc('week', e.day)::date ELSE date_trunc('month', e.day)::date END,
             %3$s, sum(d)
      FROM e CROSS JOIN (VALUES ('day'::coverage_grain), ('week'::coverage_grain), ('month'::coverage_grain)) AS g(grain)
      GROUP BY %4$s HAVING sum(d) <> 0 ORDER BY %4$s
      ON CONFLICT ON CONSTRAINT %5$I DO UPDATE SET delta = t.delta + excluded.delta$q$,
      rows_sql, target.deltas_table, target.columns,
      (SELECT string_agg(i::text, ',') FROM generate_series(1, target.width + 2) i), target.deltas_table || '_key');
  END LOOP;
  RETURN result;
END;
$fn$;
--> statement-breakpoint
INSERT INTO coverage_totals_current (market, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, n)
SELECT market, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, sum(n)
FROM coverage_current
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 HAVING sum(n) <> 0;
--> statement-breakpoint
INSERT INTO coverage_totals_deltas (grain, period, market, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, delta)
SELECT grain, period, market, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, sum(delta)
FROM coverage_deltas
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 HAVING sum(delta) <> 0;
