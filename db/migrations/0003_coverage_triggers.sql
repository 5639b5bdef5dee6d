-- Keeps the coverage aggregates (coverage_customers, coverage_current, coverage_deltas) in step with customers and
-- consent_intervals, in the same transaction, one grouped upsert per statement so that bulk imports stay fast.

-- The interval rows of a FROM clause that names the customer row c and the interval row i, with a sign (+1 or -1).
CREATE FUNCTION coverage_interval_rows(from_clause text, sign int) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    SELECT c.market, c.source, c.import_batch_id,
           c.erased_at IS NOT NULL AS erased,
           (c.last_order_at IS NOT NULL AND c.objection_notice_at IS NOT NULL) AS exception,
           i.channel, i.purpose,
           CASE WHEN i.channel = 'email' THEN c.email IS NOT NULL ELSE c.phone IS NOT NULL END AS has_contact,
           i.status, i.confirmed, i.given_month, i.valid_from, i.valid_to, %s AS sign
    FROM %s$q$, sign, from_clause)
$fn$;
--> statement-breakpoint

-- The upserts that add interval rows to the aggregates: states in force to coverage_current, and +1 at the start
-- and -1 at the end of each interval to coverage_deltas, per day, ISO week and month (UTC).
CREATE FUNCTION coverage_interval_statements(rows_sql text) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT ARRAY[
    format($q$
      WITH r AS (%s)
      INSERT INTO coverage_current AS t
        (market, source, import_batch_id, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, n)
      SELECT market, source, import_batch_id, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, sum(sign)
      FROM r WHERE valid_to IS NULL
      GROUP BY 1,2,3,4,5,6,7,8,9,10,11 HAVING sum(sign) <> 0
      ORDER BY 1,2,3,4,5,6,7,8,9,10,11
      ON CONFLICT ON CONSTRAINT coverage_current_key DO UPDATE SET n = t.n + excluded.n$q$, rows_sql),
    format($q$
      WITH r AS (%s),
      e AS (
        SELECT (valid_from AT TIME ZONE 'UTC')::date AS day, market, source, import_batch_id, erased, exception,
               channel, purpose, has_contact, status, confirmed, given_month, sign AS d
        FROM r
        UNION ALL
        SELECT (valid_to AT TIME ZONE 'UTC')::date, market, source, import_batch_id, erased, exception,
               channel, purpose, has_contact, status, confirmed, given_month, -sign
        FROM r WHERE valid_to IS NOT NULL
      )
      INSERT INTO coverage_deltas AS t
        (grain, period, market, source, import_batch_id, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, delta)
      SELECT g.grain,
             CASE g.grain WHEN 'day' THEN e.day WHEN 'week' THEN date_trunc('week', e.day)::date ELSE date_trunc('month', e.day)::date END,
             market, source, import_batch_id, erased, exception, channel, purpose, has_contact, status, confirmed, given_month, sum(d)
      FROM e CROSS JOIN (VALUES ('day'::coverage_grain), ('week'::coverage_grain), ('month'::coverage_grain)) AS g(grain)
      GROUP BY 1,2,3,4,5,6,7,8,9,10,11,12,13 HAVING sum(d) <> 0
      ORDER BY 1,2,3,4,5,6,7,8,9,10,11,12,13
      ON CONFLICT ON CONSTRAINT coverage_deltas_key DO UPDATE SET delta = t.delta + excluded.delta$q$, rows_sql)
  ]
$fn$;
--> statement-breakpoint

CREATE FUNCTION consent_intervals_coverage() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
BEGIN
  IF TG_OP = 'UPDATE' THEN
    RAISE EXCEPTION 'consent_intervals are replaced, not updated' USING ERRCODE = 'restrict_violation';
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
--> statement-breakpoint
CREATE TRIGGER consent_intervals_coverage_insert AFTER INSERT ON consent_intervals
  REFERENCING NEW TABLE AS coverage_new FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage();
--> statement-breakpoint
CREATE TRIGGER consent_intervals_coverage_delete AFTER DELETE ON consent_intervals
  REFERENCING OLD TABLE AS coverage_old FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage();
--> statement-breakpoint
CREATE TRIGGER consent_intervals_no_update BEFORE UPDATE ON consent_intervals
  FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage();
--> statement-breakpoint

CREATE FUNCTION customers_coverage() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
  -- Whether the columns that decide coverage differ between two customer rows, named by %1$s and %2$s.
  changed constant text := '(%1$s.market, %1$s.source, %1$s.import_batch_id, %1$s.erased_at IS NULL,
      %1$s.last_order_at IS NULL OR %1$s.objection_notice_at IS NULL, %1$s.email IS NULL, %1$s.phone IS NULL)
    IS DISTINCT FROM (%2$s.market, %2$s.source, %2$s.import_batch_id, %2$s.erased_at IS NULL,
      %2$s.last_order_at IS NULL OR %2$s.objection_notice_at IS NULL, %2$s.email IS NULL, %2$s.phone IS NULL)';
  customer_key constant text := '%1$s.market, %1$s.source, %1$s.import_batch_id, %1$s.erased_at IS NOT NULL,
      (%1$s.last_order_at IS NOT NULL AND %1$s.objection_notice_at IS NOT NULL), %1$s.email IS NOT NULL, %1$s.phone IS NOT NULL';
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'customers are erased, not deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'INSERT' THEN
    EXECUTE format($q$
      INSERT INTO coverage_customers AS t (market, source, import_batch_id, erased, exception, has_email, has_phone, n)
      SELECT %s, count(*) FROM coverage_new c
      GROUP BY 1,2,3,4,5,6,7 ORDER BY 1,2,3,4,5,6,7
      ON CONFLICT ON CONSTRAINT coverage_customers_key DO UPDATE SET n = t.n + excluded.n$q$,
      format(customer_key, 'c'));
    RETURN NULL;
  END IF;

  EXECUTE format($q$
    INSERT INTO coverage_customers AS t (market, source, import_batch_id, erased, exception, has_email, has_phone, n)
    SELECT market, source, import_batch_id, erased, exception, has_email, has_phone, sum(d)
    FROM (
      SELECT %1$s, -1 FROM coverage_old o JOIN coverage_new n ON n.id = o.id WHERE %3$s
      UNION ALL
      SELECT %2$s, 1 FROM coverage_old o JOIN coverage_new n ON n.id = o.id WHERE %3$s
    ) AS changes(market, source, import_batch_id, erased, exception, has_email, has_phone, d)
    GROUP BY 1,2,3,4,5,6,7 HAVING sum(d) <> 0 ORDER BY 1,2,3,4,5,6,7
    ON CONFLICT ON CONSTRAINT coverage_customers_key DO UPDATE SET n = t.n + excluded.n$q$,
    format(customer_key, 'o'), format(customer_key, 'n'), format(changed, 'o', 'n'));

  -- The intervals of customers whose deciding columns changed move from the old key to the new one.
  FOREACH stmt IN ARRAY coverage_interval_statements(
    coverage_interval_rows(format('coverage_old c JOIN coverage_new n ON n.id = c.id AND %s
      JOIN consent_intervals i ON i.customer_id = c.id', format(changed, 'c', 'n')), -1)
    || ' UNION ALL ' ||
    coverage_interval_rows(format('coverage_new c JOIN coverage_old o ON o.id = c.id AND %s
      JOIN consent_intervals i ON i.customer_id = c.id', format(changed, 'o', 'c')), 1))
  LOOP
    EXECUTE stmt;
  END LOOP;
  RETURN NULL;
END;
$fn$;
--> statement-breakpoint
CREATE TRIGGER customers_coverage_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS coverage_new FOR EACH STATEMENT EXECUTE FUNCTION customers_coverage();
--> statement-breakpoint
CREATE TRIGGER customers_coverage_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS coverage_old NEW TABLE AS coverage_new FOR EACH STATEMENT EXECUTE FUNCTION customers_coverage();
--> statement-breakpoint
CREATE TRIGGER customers_no_delete BEFORE DELETE ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION customers_coverage();
--> statement-breakpoint
-- Customers that existed before these aggregates; their consent intervals are rebuilt from the ledger at start.
INSERT INTO coverage_customers (market, source, import_batch_id, erased, exception, has_email, has_phone, n)
SELECT market, source, import_batch_id, erased_at IS NOT NULL, (last_order_at IS NOT NULL AND objection_notice_at IS NOT NULL),
       email IS NOT NULL, phone IS NOT NULL, count(*)
FROM customers
GROUP BY 1, 2, 3, 4, 5, 6, 7;
