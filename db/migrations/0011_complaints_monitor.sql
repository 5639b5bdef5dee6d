CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" integer
);
--> statement-breakpoint
CREATE TABLE "opt_outs_daily" (
	"day" date NOT NULL,
	"market" char(2) NOT NULL,
	"channel" "channel" NOT NULL,
	"source" text NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "opt_outs_daily_day_market_channel_source_pk" PRIMARY KEY("day","market","channel","source")
);
--> statement-breakpoint
ALTER TABLE "app_settings" ADD CONSTRAINT "app_settings_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaints_kind_received_at_idx" ON "complaints" USING btree ("kind","received_at");--> statement-breakpoint
CREATE INDEX "complaints_campaign_idx" ON "complaints" USING btree ("campaign_id");--> statement-breakpoint
-- Keeps opt_outs_daily in step with the ledger, one grouped upsert per statement (COPY and bulk inserts stay fast).
-- A withdrawal is counted once per customer, channel and moment: withdrawing marketing and transactional together
-- is one opt-out. The earliest event of such a group counts; later ones (in this statement or an earlier one) do not.
CREATE FUNCTION consent_events_opt_outs() RETURNS trigger
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
  WHERE NOT EXISTS (
    SELECT 1 FROM consent_events o
    WHERE o.customer_id = e.customer_id AND o.channel = e.channel AND o.occurred_at = e.occurred_at
      AND o.kind = 'withdrawn' AND o.id < e.id
  )
  GROUP BY 1, 2, 3, 4
  ORDER BY 1, 2, 3, 4
  ON CONFLICT (day, market, channel, source) DO UPDATE SET n = t.n + excluded.n;
  RETURN NULL;
END
$fn$;
--> statement-breakpoint
CREATE TRIGGER consent_events_opt_outs AFTER INSERT ON consent_events
  REFERENCING NEW TABLE AS new_events FOR EACH STATEMENT EXECUTE FUNCTION consent_events_opt_outs();
--> statement-breakpoint
INSERT INTO opt_outs_daily (day, market, channel, source, n)
SELECT (e.occurred_at AT TIME ZONE 'UTC')::date, c.market, e.channel, e.source, count(*)
FROM (
  SELECT DISTINCT ON (customer_id, channel, occurred_at) customer_id, channel, occurred_at, source
  FROM consent_events WHERE kind = 'withdrawn'
  ORDER BY customer_id, channel, occurred_at, id
) e
JOIN customers c ON c.id = e.customer_id
GROUP BY 1, 2, 3, 4;
