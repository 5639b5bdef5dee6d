-- Keeps opt_outs_daily (the complaints monitor's opt-out counts per day, market, channel and source) in step with the
-- ledger, one grouped upsert per statement, so that COPY and bulk inserts stay fast.
--
-- A withdrawal is counted once per customer, channel and moment: withdrawing marketing and transactional together is
-- one opt-out. The earliest event of such a group counts; later ones (in this statement or an earlier one) do not.
-- The look for an earlier withdrawal of the same moment is a scalar subquery, looked up row by row by index: written
-- as NOT EXISTS the planner may turn it into an anti-join that reads the whole ledger (for an import's million events,
-- or with a plan cached while the ledger was small).
CREATE OR REPLACE FUNCTION consent_events_opt_outs() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO opt_outs_daily AS t (day, market, channel, source, n)
  SELECT (e.occurred_at AT TIME ZONE 'UTC')::date, c.market, e.channel, e.source, count(*)
  FROM (
    SELECT DISTINCT ON (customer_id, channel, occurred_at) id, customer_id, channel, occurred_at, source
    FROM new_events WHERE kind = 'withdrawn'
    ORDER BY customer_id, channel, occurred_at, id
  ) e
  JOIN customers c ON c.id = e.customer_id
  WHERE (
    SELECT o.id FROM consent_events o
    WHERE o.customer_id = e.customer_id AND o.channel = e.channel AND o.occurred_at = e.occurred_at
      AND o.kind = 'withdrawn' AND o.id < e.id
    LIMIT 1
  ) IS NULL
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, market, channel, source) DO UPDATE SET n = t.n + excluded.n;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE OR REPLACE TRIGGER consent_events_opt_outs AFTER INSERT ON consent_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION consent_events_opt_outs();
