-- The opt-out trigger's look for an earlier withdrawal of the same moment becomes a lookup per new withdrawal. As NOT
-- EXISTS the planner may turn it into an anti-join that reads the whole ledger (for an import's million events, or
-- with a plan cached while the ledger was small); a scalar subquery is looked up row by row, by index.
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
