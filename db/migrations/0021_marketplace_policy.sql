ALTER TABLE "coverage_current" DROP CONSTRAINT "coverage_current_key";--> statement-breakpoint
ALTER TABLE "coverage_customers" DROP CONSTRAINT "coverage_customers_key";--> statement-breakpoint
ALTER TABLE "coverage_deltas" DROP CONSTRAINT "coverage_deltas_key";--> statement-breakpoint
ALTER TABLE "coverage_totals_current" DROP CONSTRAINT "coverage_totals_current_key";--> statement-breakpoint
ALTER TABLE "coverage_totals_deltas" DROP CONSTRAINT "coverage_totals_deltas_key";--> statement-breakpoint
DROP INDEX "consent_intervals_in_force_key_idx";--> statement-breakpoint
ALTER TABLE "consent_intervals" ADD COLUMN "own_channel" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_current" ADD COLUMN "marketplace" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_current" ADD COLUMN "own_channel" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_customers" ADD COLUMN "marketplace" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_deltas" ADD COLUMN "marketplace" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_deltas" ADD COLUMN "own_channel" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_totals_current" ADD COLUMN "marketplace" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_totals_current" ADD COLUMN "own_channel" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_totals_deltas" ADD COLUMN "marketplace" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "coverage_totals_deltas" ADD COLUMN "own_channel" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "marketplace" text;--> statement-breakpoint
ALTER TABLE "customers" ADD COLUMN "email_relay" boolean GENERATED ALWAYS AS (coalesce(lower(email collate "C") like '%marketplace.amazon.%' and split_part(lower(email collate "C"), 'marketplace.amazon.', -1) in ('com.au', 'com.be', 'com.br', 'com.mx', 'com.tr', 'co.jp', 'co.uk', 'co.za', 'ae', 'ca', 'cn', 'com', 'de', 'eg', 'es', 'fr', 'ie', 'in', 'it', 'nl', 'pl', 'sa', 'se', 'sg') and right(left(lower(email collate "C"), -(length(split_part(lower(email collate "C"), 'marketplace.amazon.', -1)) + 19)), 1) in ('@', '.'), false)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "import_rows" ADD COLUMN "marketplace" text;--> statement-breakpoint
CREATE INDEX "consent_intervals_in_force_key_idx" ON "consent_intervals" USING btree ("channel","purpose","customer_id","status","confirmed","given_month","own_channel") WHERE "consent_intervals"."valid_to" is null;--> statement-breakpoint
ALTER TABLE "coverage_current" ADD CONSTRAINT "coverage_current_key" UNIQUE NULLS NOT DISTINCT("market","source","import_batch_id","erased","exception","marketplace","own_channel","channel","purpose","has_contact","status","confirmed","given_month");--> statement-breakpoint
ALTER TABLE "coverage_customers" ADD CONSTRAINT "coverage_customers_key" UNIQUE NULLS NOT DISTINCT("market","source","import_batch_id","erased","exception","marketplace","has_email","has_phone");--> statement-breakpoint
ALTER TABLE "coverage_deltas" ADD CONSTRAINT "coverage_deltas_key" UNIQUE NULLS NOT DISTINCT("grain","period","market","source","import_batch_id","erased","exception","marketplace","own_channel","channel","purpose","has_contact","status","confirmed","given_month");--> statement-breakpoint
ALTER TABLE "coverage_totals_current" ADD CONSTRAINT "coverage_totals_current_key" UNIQUE NULLS NOT DISTINCT("market","erased","exception","marketplace","own_channel","channel","purpose","has_contact","status","confirmed","given_month");--> statement-breakpoint
ALTER TABLE "coverage_totals_deltas" ADD CONSTRAINT "coverage_totals_deltas_key" UNIQUE NULLS NOT DISTINCT("grain","period","market","erased","exception","marketplace","own_channel","channel","purpose","has_contact","status","confirmed","given_month");--> statement-breakpoint
ALTER TABLE "customers" ADD CONSTRAINT "customers_marketplace_known" CHECK ("customers"."marketplace" is null or "customers"."marketplace" = 'amazon');--> statement-breakpoint
-- Amazon buyers (customers.marketplace, or a relay e-mail) are decided by Amazon's rules too: blocked on a channel
-- unless the grant in force came through the seller's own channel (consent_intervals.own_channel). The coverage
-- aggregates group customers by both facts; the functions below are those of 0003, 0009 and 0015 with the two new
-- columns, and the static trigger plans of 0015 are regenerated from them.
--
-- Intervals written before this migration learn whether their grant was seller-own from the ledger: the one in force
-- from its state's source, earlier ones from the last event at the instant they began. The statement trigger that
-- refuses updates is set aside for it (no aggregate reads the column for customers who are not yet marketplace buyers).
ALTER TABLE consent_intervals DISABLE TRIGGER consent_intervals_no_update;
--> statement-breakpoint
UPDATE consent_intervals i SET own_channel = true
FROM consent_state s
WHERE i.valid_to IS NULL AND i.status IN ('granted', 'pending_confirmation')
  AND s.customer_id = i.customer_id AND s.channel = i.channel AND s.purpose = i.purpose
  AND s.source NOT IN ('import', 'suppression', 'whatsapp_keyword', 'whatsapp_setting');
--> statement-breakpoint
UPDATE consent_intervals i SET own_channel = true
WHERE i.valid_to IS NOT NULL AND i.status IN ('granted', 'pending_confirmation')
  AND (SELECT e.source FROM consent_events e
       WHERE e.customer_id = i.customer_id AND e.channel = i.channel AND e.purpose = i.purpose AND e.occurred_at = i.valid_from
       ORDER BY CASE e.kind WHEN 'granted' THEN 0 WHEN 'confirmed' THEN 1 ELSE 2 END DESC, e.id DESC LIMIT 1)
      NOT IN ('import', 'suppression', 'whatsapp_keyword', 'whatsapp_setting');
--> statement-breakpoint
ALTER TABLE consent_intervals ENABLE TRIGGER consent_intervals_no_update;
--> statement-breakpoint
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
DROP TABLE IF EXISTS pg_temp.coverage_change;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION coverage_change_ready() RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
  IF to_regclass('pg_temp.coverage_change') IS NULL THEN
    CREATE TEMP TABLE coverage_change AS
      SELECT market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status,
             confirmed, given_month, NULL::date AS day, 0::bigint AS n
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
  by_source constant text := 'market, source, import_batch_id, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month';
  totals constant text := 'market, erased, exception, marketplace, own_channel, channel, purpose, has_contact, status, confirmed, given_month';
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
      ('coverage_current', 'coverage_deltas', by_source, 13),
      ('coverage_totals_current', 'coverage_totals_deltas', totals, 11)
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
--> statement-breakpoint
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
DO $$
BEGIN
  EXECUTE format('CREATE OR REPLACE FUNCTION consent_intervals_coverage_insert() RETURNS trigger LANGUAGE plpgsql AS %L',
    coverage_interval_trigger_source('INSERT'));
  EXECUTE format('CREATE OR REPLACE FUNCTION consent_intervals_coverage_delete() RETURNS trigger LANGUAGE plpgsql AS %L',
    coverage_interval_trigger_source('DELETE'));
END
$$;
--> statement-breakpoint
-- Customers with a relay e-mail already are marketplace buyers: where there are any, the aggregates are counted again
-- from the customers and their intervals (the added columns were computed without a trigger seeing them).
DO $$
DECLARE
  stmt text;
BEGIN
  IF EXISTS (SELECT 1 FROM customers WHERE email_relay) THEN
    DELETE FROM coverage_customers;
    DELETE FROM coverage_current;
    DELETE FROM coverage_deltas;
    DELETE FROM coverage_totals_current;
    DELETE FROM coverage_totals_deltas;
    INSERT INTO coverage_customers (market, source, import_batch_id, erased, exception, marketplace, has_email, has_phone, n)
    SELECT market, source, import_batch_id, erased_at IS NOT NULL, (last_order_at IS NOT NULL AND objection_notice_at IS NOT NULL),
           (marketplace IS NOT NULL OR email_relay), email IS NOT NULL, phone IS NOT NULL, count(*)
    FROM customers GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
    FOREACH stmt IN ARRAY coverage_interval_statements(coverage_interval_rows('consent_intervals i JOIN customers c ON c.id = i.customer_id', 1))
    LOOP
      EXECUTE stmt;
    END LOOP;
  END IF;
END
$$;
