-- The coverage aggregates, kept in step with customers and consent_intervals in the same transaction by statement
-- triggers (each statement's changes grouped once, the interval aggregates' upserts at commit, so that bulk imports
-- stay fast, writers side by side do not hold each other up, and the coverage page reads small tables instead of every
-- customer):
--   coverage_customers       customers per key (market, source, import batch, erased, exception, marketplace,
--                            has e-mail, has phone);
--   coverage_current         states in force per key and channel, purpose, contact, status, confirmation, given month;
--   coverage_deltas          +1 where an interval starts and -1 where it ends, per day, ISO week and month (UTC), so
--                            that a state on any past date is a running sum;
--   coverage_totals_current, coverage_totals_deltas   the same over all sources and import batches (what the page
--                            reads when it does not filter by them).
-- "marketplace" (customers.marketplace, or a relay e-mail) and "own_channel" (the grant in force came through a
-- seller-own source) are what Amazon's rules decide by (lib/consent/marketplace.ts).

-- The interval rows of a FROM clause that names the customer row c and the interval row i, each with a sign (+1 to add
-- them to the aggregates, -1 to take them away), as SQL text for coverage_interval_statements.
CREATE OR REPLACE FUNCTION coverage_interval_rows(from_clause text, sign int) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    SELECT c.market, c.source, c.import_batch_id,
           c.erased_at IS NOT NULL AS erased,
           (c.last_order_at IS NOT NULL AND c.objection_notice_at IS NOT NULL) AS exception,
           (c.marketplace IS NOT NULL OR c.email_relay) AS marketplace,
           ((c.marketplace IS NOT NULL OR c.email_relay) AND i.own_channel AND NOT (i.channel = 'email' AND c.email_relay)) AS own_channel,
           i.channel, i.purpose,
           CASE WHEN i.channel = 'email' THEN c.email IS NOT NULL ELSE c.phone IS NOT NULL END AS has_contact,
           i.status, i.confirmed, i.given_month, i.valid_from, i.valid_to, %s AS sign
    FROM %s$q$, sign, from_clause)
$fn$;
--> statement-breakpoint
-- The interval changes of a transaction's statements, grouped by key and day (day NULL: the change to the states in
-- force), kept until it commits in a scratch table of the session, whose deferred trigger (coverage_flush) adds them to the aggregates at COMMIT. A writer
-- thus holds the aggregate rows' locks only while it commits, not from its first consent event (or an import's first
-- row) until then: writers of the same market, channel and purpose side by side (the consent API, webhooks, an import)
-- wait for each other's commit, not for each other's whole transaction. Rolled back with the transaction or savepoint
-- that wrote them, like any row.
CREATE OR REPLACE FUNCTION coverage_pending_ready() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF to_regclass('pg_temp.coverage_pending') IS NULL THEN
    CREATE TEMP TABLE coverage_pending AS
      SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, NULL::date AS day, 0::bigint AS n
      FROM coverage_current WITH NO DATA;
    -- One row per transaction that has pending changes: its deferred trigger runs coverage_flush once, at COMMIT.
    CREATE TEMP TABLE coverage_flush_request (requested boolean);
    CREATE CONSTRAINT TRIGGER coverage_flush AFTER INSERT ON coverage_flush_request
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION coverage_flush();
  END IF;
  -- Whether this transaction asked already: a setting local to it, undone with it or with a savepoint rolled back,
  -- like the request row itself.
  IF current_setting('zgoda.coverage_flush_requested', true) IS DISTINCT FROM 'yes' THEN
    PERFORM set_config('zgoda.coverage_flush_requested', 'yes', true);
    INSERT INTO coverage_flush_request VALUES (true);
  END IF;
END;
$fn$;
--> statement-breakpoint
-- The statements that take interval rows (SQL text from coverage_interval_rows) into coverage_pending, joined and
-- grouped once by key and day, for coverage_flush to add to the aggregates at commit. Reading and grouping the rows
-- (an import's million) takes no lock; only the upserts at commit do.
CREATE OR REPLACE FUNCTION coverage_interval_statements(rows_sql text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  by_source constant text := 'market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month';
BEGIN
  RETURN ARRAY[
    'SELECT coverage_pending_ready()',
    -- day NULL: the change to the states in force now; otherwise +1 where an interval starts, -1 where it ends.
    format($q$
      WITH r AS MATERIALIZED (%1$s)
      INSERT INTO coverage_pending (%2$s, day, n)
      SELECT %2$s, day, sum(d) FROM (
        SELECT %2$s, NULL::date AS day, sign AS d FROM r WHERE valid_to IS NULL
        UNION ALL
        SELECT %2$s, (valid_from AT TIME ZONE 'UTC')::date, sign FROM r
        UNION ALL
        SELECT %2$s, (valid_to AT TIME ZONE 'UTC')::date, -sign FROM r WHERE valid_to IS NOT NULL
      ) AS e
      GROUP BY %2$s, day HAVING sum(d) <> 0$q$, rows_sql, by_source)
  ];
END;
$fn$;
--> statement-breakpoint
-- The statements that add coverage_pending (a transaction's changes, grouped by key and day per statement) to the four
-- interval aggregates, each grouping them again by its own key. ORDER BY in each upsert takes the aggregate rows' locks in one order, so that concurrent writers wait
-- for each other instead of deadlocking.
CREATE OR REPLACE FUNCTION coverage_apply_statements() RETURNS text[]
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  by_source constant text := 'market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month';
  totals constant text := 'market, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month';
  result text[] := '{}';
  target record;
BEGIN
  FOR target IN
    SELECT * FROM (VALUES
      ('coverage_current', 'coverage_deltas', by_source, 13),
      ('coverage_totals_current', 'coverage_totals_deltas', totals, 11)
    ) AS t(current_table, deltas_table, columns, width)
  LOOP
    result := result || format($q$
      INSERT INTO %1$I AS t (%2$s, n)
      SELECT %2$s, sum(n) FROM coverage_pending WHERE day IS NULL
      GROUP BY %3$s HAVING sum(n) <> 0 ORDER BY %3$s
      ON CONFLICT ON CONSTRAINT %4$I DO UPDATE SET n = t.n + excluded.n$q$,
      target.current_table, target.columns,
      (SELECT string_agg(i::text, ',') FROM generate_series(1, target.width) i), target.current_table || '_key');
    result := result || format($q$
      INSERT INTO %1$I AS t (grain, period, %2$s, delta)
      SELECT g.grain,
             CASE g.grain WHEN 'day' THEN e.day WHEN 'week' THEN date_trunc('week', e.day)::date ELSE date_trunc('month', e.day)::date END,
             %2$s, sum(n)
      FROM coverage_pending e CROSS JOIN (VALUES ('day'::coverage_grain), ('week'::coverage_grain), ('month'::coverage_grain)) AS g(grain)
      WHERE e.day IS NOT NULL
      GROUP BY %3$s HAVING sum(n) <> 0 ORDER BY %3$s
      ON CONFLICT ON CONSTRAINT %4$I DO UPDATE SET delta = t.delta + excluded.delta$q$,
      target.deltas_table, target.columns,
      (SELECT string_agg(i::text, ',') FROM generate_series(1, target.width + 2) i), target.deltas_table || '_key');
  END LOOP;
  RETURN result;
END;
$fn$;
--> statement-breakpoint
-- The body of the trigger function of consent_intervals for one operation ('INSERT' or 'DELETE'), with the statements
-- of coverage_interval_statements written in as static SQL. No trigger calls it: consent_intervals_coverage_insert and
-- consent_intervals_coverage_delete below are its output, written out so that they can be read, and db/sql.test.ts
-- fails when they differ from it (after a change to coverage_interval_rows or coverage_interval_statements, paste its
-- new output into them).
CREATE OR REPLACE FUNCTION coverage_interval_trigger_source(op text) RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  transition constant text := CASE op WHEN 'INSERT' THEN 'coverage_new' ELSE 'coverage_old' END;
  rows_sql constant text := coverage_interval_rows(format('%I i JOIN customers c ON c.id = i.customer_id', transition),
    CASE op WHEN 'INSERT' THEN 1 ELSE -1 END);
  statements constant text[] := coverage_interval_statements(rows_sql);
  body text := '';
BEGIN
  -- The first statement readies coverage_pending (SELECT coverage_pending_ready()); PERFORM does that below.
  body := statements[2] || E';\n';
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
  PERFORM coverage_pending_ready();
  %3$s
  RETURN NULL;
END
$body$, transition, rows_sql, body);
END;
$fn$;
--> statement-breakpoint
-- The body of coverage_apply_pending, with the statements of coverage_apply_statements written in as static SQL
-- (the same arrangement as coverage_interval_trigger_source; db/sql-sources.test.ts compares them).
CREATE OR REPLACE FUNCTION coverage_apply_pending_source() RETURNS text
LANGUAGE plpgsql AS $fn$
DECLARE
  statements constant text[] := coverage_apply_statements();
  body text := '';
BEGIN
  FOR i IN 1 .. array_length(statements, 1) LOOP
    body := body || statements[i] || E';\n';
  END LOOP;
  RETURN format($body$
BEGIN
  IF current_setting('zgoda.coverage_flush_requested', true) IS DISTINCT FROM 'yes' THEN
    RETURN;
  END IF;
  PERFORM set_config('zgoda.coverage_flush_requested', '', true);
  DELETE FROM coverage_flush_request;
  IF NOT EXISTS (SELECT 1 FROM coverage_pending) THEN
    RETURN;
  END IF;
  %1$s
  DELETE FROM coverage_pending;
  RETURN;
END
$body$, body);
END;
$fn$;
--> statement-breakpoint
-- Adds the intervals a statement inserted into consent_intervals to coverage_pending, grouped, for coverage_flush to
-- add to the aggregates at commit. For a small statement (a consent recorded by hand or through the API, a webhook
-- batch) that is static SQL, so each session plans it once: building and planning it on every statement was most of
-- the cost of a small write. A statement that inserted no interval (a rebuild of customers who had none) adds nothing
-- and returns at once. Large statements (imports) build and plan theirs for their size, since a plan cached for fifty
-- rows would not suit a million.
CREATE OR REPLACE FUNCTION consent_intervals_coverage_insert() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM coverage_new) THEN
    RETURN NULL;
  END IF;
  IF (SELECT count(*) FROM coverage_new) > 1000 THEN
    FOREACH stmt IN ARRAY coverage_interval_statements('
    SELECT c.market, c.source, c.import_batch_id,
           c.erased_at IS NOT NULL AS erased,
           (c.last_order_at IS NOT NULL AND c.objection_notice_at IS NOT NULL) AS exception,
           (c.marketplace IS NOT NULL OR c.email_relay) AS marketplace,
           ((c.marketplace IS NOT NULL OR c.email_relay) AND i.own_channel AND NOT (i.channel = ''email'' AND c.email_relay)) AS own_channel,
           i.channel, i.purpose,
           CASE WHEN i.channel = ''email'' THEN c.email IS NOT NULL ELSE c.phone IS NOT NULL END AS has_contact,
           i.status, i.confirmed, i.given_month, i.valid_from, i.valid_to, 1 AS sign
    FROM coverage_new i JOIN customers c ON c.id = i.customer_id') LOOP
      EXECUTE stmt;
    END LOOP;
    RETURN NULL;
  END IF;
  PERFORM coverage_pending_ready();

  -- The new intervals, grouped by key and day: day NULL for the states in force, else +1 at each start, -1 at each end.
  WITH r AS MATERIALIZED (
    SELECT c.market, c.source, c.import_batch_id,
           c.erased_at IS NOT NULL AS erased,
           (c.last_order_at IS NOT NULL AND c.objection_notice_at IS NOT NULL) AS exception,
           (c.marketplace IS NOT NULL OR c.email_relay) AS marketplace,
           ((c.marketplace IS NOT NULL OR c.email_relay) AND i.own_channel AND NOT (i.channel = 'email' AND c.email_relay)) AS own_channel,
           i.channel, i.purpose,
           CASE WHEN i.channel = 'email' THEN c.email IS NOT NULL ELSE c.phone IS NOT NULL END AS has_contact,
           i.status, i.confirmed, i.given_month, i.valid_from, i.valid_to, 1 AS sign
    FROM coverage_new i JOIN customers c ON c.id = i.customer_id)
  INSERT INTO coverage_pending (market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, day, n)
  SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, day, sum(d) FROM (
    SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, NULL::date AS day, sign AS d FROM r WHERE valid_to IS NULL
    UNION ALL
    SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, (valid_from AT TIME ZONE 'UTC')::date, sign FROM r
    UNION ALL
    SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, (valid_to AT TIME ZONE 'UTC')::date, -sign FROM r WHERE valid_to IS NOT NULL
  ) AS e
  GROUP BY market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, day HAVING sum(d) <> 0;

  RETURN NULL;
END
$fn$;
--> statement-breakpoint
-- Takes the intervals a statement deleted from consent_intervals away from the aggregates: the insert trigger's body
-- with the old rows and sign -1.
CREATE OR REPLACE FUNCTION consent_intervals_coverage_delete() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM coverage_old) THEN
    RETURN NULL;
  END IF;
  IF (SELECT count(*) FROM coverage_old) > 1000 THEN
    FOREACH stmt IN ARRAY coverage_interval_statements('
    SELECT c.market, c.source, c.import_batch_id,
           c.erased_at IS NOT NULL AS erased,
           (c.last_order_at IS NOT NULL AND c.objection_notice_at IS NOT NULL) AS exception,
           (c.marketplace IS NOT NULL OR c.email_relay) AS marketplace,
           ((c.marketplace IS NOT NULL OR c.email_relay) AND i.own_channel AND NOT (i.channel = ''email'' AND c.email_relay)) AS own_channel,
           i.channel, i.purpose,
           CASE WHEN i.channel = ''email'' THEN c.email IS NOT NULL ELSE c.phone IS NOT NULL END AS has_contact,
           i.status, i.confirmed, i.given_month, i.valid_from, i.valid_to, -1 AS sign
    FROM coverage_old i JOIN customers c ON c.id = i.customer_id') LOOP
      EXECUTE stmt;
    END LOOP;
    RETURN NULL;
  END IF;
  PERFORM coverage_pending_ready();

  -- The deleted intervals, grouped by key and day: day NULL for the states in force, else -1 at each start, +1 at each end.
  WITH r AS MATERIALIZED (
    SELECT c.market, c.source, c.import_batch_id,
           c.erased_at IS NOT NULL AS erased,
           (c.last_order_at IS NOT NULL AND c.objection_notice_at IS NOT NULL) AS exception,
           (c.marketplace IS NOT NULL OR c.email_relay) AS marketplace,
           ((c.marketplace IS NOT NULL OR c.email_relay) AND i.own_channel AND NOT (i.channel = 'email' AND c.email_relay)) AS own_channel,
           i.channel, i.purpose,
           CASE WHEN i.channel = 'email' THEN c.email IS NOT NULL ELSE c.phone IS NOT NULL END AS has_contact,
           i.status, i.confirmed, i.given_month, i.valid_from, i.valid_to, -1 AS sign
    FROM coverage_old i JOIN customers c ON c.id = i.customer_id)
  INSERT INTO coverage_pending (market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, day, n)
  SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, day, sum(d) FROM (
    SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, NULL::date AS day, sign AS d FROM r WHERE valid_to IS NULL
    UNION ALL
    SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, (valid_from AT TIME ZONE 'UTC')::date, sign FROM r
    UNION ALL
    SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, (valid_to AT TIME ZONE 'UTC')::date, -sign FROM r WHERE valid_to IS NOT NULL
  ) AS e
  GROUP BY market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, day HAVING sum(d) <> 0;

  RETURN NULL;
END
$fn$;
--> statement-breakpoint
-- Adds this transaction's pending changes (coverage_pending) to the aggregates, at COMMIT: from the deferred trigger of
-- its row in coverage_flush_request, or earlier from audit_log_seal, so that every transaction takes the aggregate
-- rows' locks before the audit chain's lock. Nothing to do when the transaction has no pending changes.
CREATE OR REPLACE FUNCTION coverage_apply_pending() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF current_setting('zgoda.coverage_flush_requested', true) IS DISTINCT FROM 'yes' THEN
    RETURN;
  END IF;
  PERFORM set_config('zgoda.coverage_flush_requested', '', true);
  DELETE FROM coverage_flush_request;
  IF NOT EXISTS (SELECT 1 FROM coverage_pending) THEN
    RETURN;
  END IF;
  INSERT INTO coverage_current AS t (market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, n)
  SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, sum(n) FROM coverage_pending WHERE day IS NULL
  GROUP BY 1,2,3,4,5,6,7,8,9,10,11,12,13 HAVING sum(n) <> 0 ORDER BY 1,2,3,4,5,6,7,8,9,10,11,12,13
  ON CONFLICT ON CONSTRAINT coverage_current_key DO UPDATE SET n = t.n + excluded.n;

  INSERT INTO coverage_deltas AS t (grain, period, market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, delta)
  SELECT g.grain,
         CASE g.grain WHEN 'day' THEN e.day WHEN 'week' THEN date_trunc('week', e.day)::date ELSE date_trunc('month', e.day)::date END,
         market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, sum(n)
  FROM coverage_pending e CROSS JOIN (VALUES ('day'::coverage_grain), ('week'::coverage_grain), ('month'::coverage_grain)) AS g(grain)
  WHERE e.day IS NOT NULL
  GROUP BY 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15 HAVING sum(n) <> 0 ORDER BY 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
  ON CONFLICT ON CONSTRAINT coverage_deltas_key DO UPDATE SET delta = t.delta + excluded.delta;

  INSERT INTO coverage_totals_current AS t (market, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, n)
  SELECT market, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, sum(n) FROM coverage_pending WHERE day IS NULL
  GROUP BY 1,2,3,4,5,6,7,8,9,10,11 HAVING sum(n) <> 0 ORDER BY 1,2,3,4,5,6,7,8,9,10,11
  ON CONFLICT ON CONSTRAINT coverage_totals_current_key DO UPDATE SET n = t.n + excluded.n;

  INSERT INTO coverage_totals_deltas AS t (grain, period, market, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, delta)
  SELECT g.grain,
         CASE g.grain WHEN 'day' THEN e.day WHEN 'week' THEN date_trunc('week', e.day)::date ELSE date_trunc('month', e.day)::date END,
         market, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month, sum(n)
  FROM coverage_pending e CROSS JOIN (VALUES ('day'::coverage_grain), ('week'::coverage_grain), ('month'::coverage_grain)) AS g(grain)
  WHERE e.day IS NOT NULL
  GROUP BY 1,2,3,4,5,6,7,8,9,10,11,12,13 HAVING sum(n) <> 0 ORDER BY 1,2,3,4,5,6,7,8,9,10,11,12,13
  ON CONFLICT ON CONSTRAINT coverage_totals_deltas_key DO UPDATE SET delta = t.delta + excluded.delta;

  DELETE FROM coverage_pending;
  RETURN;
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION coverage_flush() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM coverage_apply_pending();
  RETURN NULL;
END;
$fn$;
--> statement-breakpoint
-- An interval is replaced (deleted and inserted again), never updated: the aggregates follow inserts and deletes only.
-- The function keeps the name of the one trigger function of consent_intervals it was until the insert and delete
-- triggers got their own.
CREATE OR REPLACE FUNCTION consent_intervals_coverage() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'consent_intervals are replaced, not updated' USING ERRCODE = 'restrict_violation';
END;
$fn$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER consent_intervals_coverage_insert AFTER INSERT ON consent_intervals
  REFERENCING NEW TABLE AS coverage_new FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage_insert();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER consent_intervals_coverage_delete AFTER DELETE ON consent_intervals
  REFERENCING OLD TABLE AS coverage_old FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage_delete();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER consent_intervals_no_update BEFORE UPDATE ON consent_intervals
  FOR EACH STATEMENT EXECUTE FUNCTION consent_intervals_coverage();
--> statement-breakpoint
-- Keeps coverage_customers in step with customers, and moves a customer's intervals to their new key in the interval
-- aggregates (at commit, through coverage_pending) when a column that decides coverage changes (market, source, batch,
-- erasure, the exception, contact details, marketplace). Customers are erased (their details cleared, erased_at set), never deleted: a delete would
-- leave the aggregates counting them.
CREATE OR REPLACE FUNCTION customers_coverage() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
  stmt text;
  -- Whether the columns that decide coverage differ between two customer rows, named by %1$s and %2$s.
  changed constant text := '(%1$s.market, %1$s.source, %1$s.import_batch_id, %1$s.erased_at IS NULL,
      %1$s.last_order_at IS NULL OR %1$s.objection_notice_at IS NULL, %1$s.email IS NULL, %1$s.phone IS NULL,
      %1$s.marketplace IS NULL, %1$s.email_relay)
    IS DISTINCT FROM (%2$s.market, %2$s.source, %2$s.import_batch_id, %2$s.erased_at IS NULL,
      %2$s.last_order_at IS NULL OR %2$s.objection_notice_at IS NULL, %2$s.email IS NULL, %2$s.phone IS NULL,
      %2$s.marketplace IS NULL, %2$s.email_relay)';
  customer_key constant text := '%1$s.market, %1$s.source, %1$s.import_batch_id, %1$s.erased_at IS NOT NULL,
      (%1$s.last_order_at IS NOT NULL AND %1$s.objection_notice_at IS NOT NULL),
      (%1$s.marketplace IS NOT NULL OR %1$s.email_relay), %1$s.email IS NOT NULL, %1$s.phone IS NOT NULL';
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'customers are erased, not deleted' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'INSERT' THEN
    EXECUTE format($q$
      INSERT INTO coverage_customers AS t (market, source, import_batch_id, erased, exception, marketplace, has_email, has_phone, n)
      SELECT %s, count(*) FROM coverage_new c
      GROUP BY 1,2,3,4,5,6,7,8 ORDER BY 1,2,3,4,5,6,7,8
      ON CONFLICT ON CONSTRAINT coverage_customers_key DO UPDATE SET n = t.n + excluded.n$q$,
      format(customer_key, 'c'));
    RETURN NULL;
  END IF;

  EXECUTE format($q$
    INSERT INTO coverage_customers AS t (market, source, import_batch_id, erased, exception, marketplace, has_email, has_phone, n)
    SELECT market, source, import_batch_id, erased, exception, marketplace, has_email, has_phone, sum(d)
    FROM (
      SELECT %1$s, -1 FROM coverage_old o JOIN coverage_new n ON n.id = o.id WHERE %3$s
      UNION ALL
      SELECT %2$s, 1 FROM coverage_old o JOIN coverage_new n ON n.id = o.id WHERE %3$s
    ) AS changes(market, source, import_batch_id, erased, exception, marketplace, has_email, has_phone, d)
    GROUP BY 1,2,3,4,5,6,7,8 HAVING sum(d) <> 0 ORDER BY 1,2,3,4,5,6,7,8
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
CREATE OR REPLACE TRIGGER customers_coverage_insert AFTER INSERT ON customers
  REFERENCING NEW TABLE AS coverage_new FOR EACH STATEMENT EXECUTE FUNCTION customers_coverage();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER customers_coverage_update AFTER UPDATE ON customers
  REFERENCING OLD TABLE AS coverage_old NEW TABLE AS coverage_new FOR EACH STATEMENT EXECUTE FUNCTION customers_coverage();
--> statement-breakpoint
CREATE OR REPLACE TRIGGER customers_no_delete BEFORE DELETE ON customers
  FOR EACH STATEMENT EXECUTE FUNCTION customers_coverage();
