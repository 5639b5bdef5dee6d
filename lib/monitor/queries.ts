// The monitor's reads. Opt-outs come from opt_outs_daily (kept by a trigger on the ledger), complaints from their
// table, so a twelve-month chart reads thousands of rows, not millions of ledger events.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { rowsOf } from '@/db/sql';
import type { Channel } from '@/lib/consent';
import type { ComplaintKind } from '@/lib/complaints/input';
import type { MonitorParams } from './filter';

export const SOURCE_GROUPS = ['keyword', 'whatsapp_setting', 'customer', 'support', 'complaint', 'import', 'other'] as const;
export type SourceGroup = (typeof SOURCE_GROUPS)[number];

// A withdrawal decided from the reply review queue is a support decision; Meta's 131050 is WhatsApp's own setting; one
// on the customer's own pages (preference centre, unsubscribe link) is the customer's.
const sourceGroup = sql`case o.source
  when 'whatsapp_keyword' then 'keyword' when 'whatsapp_setting' then 'whatsapp_setting' when 'whatsapp_send_error' then 'whatsapp_setting'
  when 'preference_centre' then 'customer' when 'unsubscribe_link' then 'customer'
  when 'support_call' then 'support' when 'whatsapp_reply' then 'support' when 'complaint' then 'complaint' when 'import' then 'import' else 'other' end`;

type Range = Pick<MonitorParams, 'from' | 'to' | 'market'>;

async function conn(q?: Queryable) {
  return q ?? (await getDb());
}

const inMarkets = (column: SQL, markets: readonly string[]) =>
  markets.length
    ? sql`and ${column} in (${sql.join(
        markets.map((m) => sql`${m}`),
        sql`, `,
      )})`
    : sql``;

/** Opt-outs per period, channel and source group. */
export async function optOutSeries(p: Range & { grain: 'day' | 'week' }, q?: Queryable) {
  const db = await conn(q);
  const period = p.grain === 'day' ? sql`o.day` : sql`date_trunc('week', o.day)::date`;
  const rows = await db.execute(sql`
    select ${period}::text as period, o.channel, ${sourceGroup} as source, sum(o.n)::int as n
    from opt_outs_daily o
    where o.day between ${p.from}::date and ${p.to}::date ${inMarkets(sql`o.market`, p.market)}
    group by 1, 2, 3 order by 1`);
  return rowsOf<{ period: string; channel: Channel; source: SourceGroup; n: number }>(rows).map((r) => ({ ...r, n: Number(r.n) }));
}

/** Complaints per ISO week (Monday, UTC) and kind. */
export async function complaintSeries(p: Range, q?: Queryable) {
  const db = await conn(q);
  const rows = await db.execute(sql`
    select date_trunc('week', c.received_at at time zone 'UTC')::date::text as week, c.kind, count(*)::int as n
    from complaints c
    where c.received_at >= ${p.from}::date at time zone 'UTC' and c.received_at < (${p.to}::date + 1) at time zone 'UTC'
      ${inMarkets(sql`c.market`, p.market)}
    group by 1, 2 order by 1`);
  return rowsOf<{ week: string; kind: ComplaintKind; n: number }>(rows).map((r) => ({ ...r, n: Number(r.n) }));
}

/**
 * Campaigns sent in the range with their opt-out rate. Sent by Zgoda: exact, the delivered recipients who withdrew
 * WhatsApp (any purpose, any source) within 7 days of their message, over the recipients delivered. Exported as a
 * file, whose deliveries Zgoda never sees: estimated, WhatsApp opt-outs in the campaign's markets (the draft's audience
 * markets, else all) within 7 days of the export, over its recipients.
 */
export async function campaignRates(p: Range, q?: Queryable, limit = 20) {
  const db = await conn(q);
  // The withdrawals of the window first (few, by the kind and time index), each to its recipient by the customer index.
  const exact = sql`(select count(distinct r.customer_id) from consent_events e
      join campaign_recipients r on r.customer_id = e.customer_id and r.campaign_id = c.id
      where e.kind = 'withdrawn' and e.channel = 'whatsapp'
        and e.occurred_at >= c.started_at and e.occurred_at < coalesce(c.finished_at, now()) + interval '7 days'
        and r.delivered_at is not null and e.occurred_at >= coalesce(r.sent_at, r.delivered_at)
        and e.occurred_at < coalesce(r.sent_at, r.delivered_at) + interval '7 days')`;
  const estimated = sql`(select coalesce(sum(o.n), 0) from opt_outs_daily o
        where o.channel = 'whatsapp'
          and o.day >= (c.exported_at at time zone 'UTC')::date and o.day < (c.exported_at at time zone 'UTC')::date + 7
          and (jsonb_typeof(d.audience -> 'markets') is distinct from 'array' or jsonb_array_length(d.audience -> 'markets') = 0
               or d.audience -> 'markets' @> jsonb_build_array(o.market::text))
          ${inMarkets(sql`o.market`, p.market)})`;
  const rows = await db.execute(sql`
    select c.id, d.name, c.kind, c.exported_at::text as exported_at,
      case when c.kind = 'send'
        then (select count(*) from campaign_recipients r where r.campaign_id = c.id and r.delivered_at is not null)
        else c.recipient_count end as recipient_count,
      (case when c.kind = 'send' then ${exact} else ${estimated} end)::int as opt_outs,
      (select count(*) from complaints k where k.campaign_id = c.id)::int as complaints
    from campaigns c join message_drafts d on d.id = c.draft_id
    where c.exported_at >= ${p.from}::date at time zone 'UTC' and c.exported_at < (${p.to}::date + 1) at time zone 'UTC'
    order by c.exported_at desc limit ${limit}`);
  return rowsOf<{
    id: number;
    name: string;
    kind: 'export' | 'send';
    exported_at: string;
    recipient_count: number;
    opt_outs: number;
    complaints: number;
  }>(rows).map((r) => ({
    id: Number(r.id),
    name: r.name,
    kind: r.kind,
    exportedAt: new Date(r.exported_at),
    recipients: Number(r.recipient_count),
    optOuts: Number(r.opt_outs),
    complaints: Number(r.complaints),
    rate: Number(r.recipient_count) > 0 ? Number(r.opt_outs) / Number(r.recipient_count) : null,
  }));
}

/** Markets by opt-outs in the range over their customers (not erased), highest first. */
export async function marketRates(p: Range, q?: Queryable, limit = 10) {
  const db = await conn(q);
  const rows = await db.execute(sql`
    with o as (
      select o.market, sum(o.n) as n from opt_outs_daily o
      where o.day between ${p.from}::date and ${p.to}::date ${inMarkets(sql`o.market`, p.market)}
      group by 1
    ), c as (
      select market, sum(n) as n from coverage_customers where not erased group by 1
    )
    select o.market, o.n::int as opt_outs, coalesce(c.n, 0)::int as customers
    from o left join c on c.market = o.market
    order by case when coalesce(c.n, 0) > 0 then o.n::float / c.n else 0 end desc, o.market
    limit ${limit}`);
  return rowsOf<{ market: string; opt_outs: number; customers: number }>(rows).map((r) => ({
    market: r.market,
    optOuts: Number(r.opt_outs),
    customers: Number(r.customers),
    rate: Number(r.customers) > 0 ? Number(r.opt_outs) / Number(r.customers) : null,
  }));
}

/** What the alerts are decided from: campaigns of the last 37 days, complaints this week and the four before, open legal notices. */
export async function alertFacts(now = new Date(), q?: Queryable) {
  const db = await conn(q);
  const today = now.toISOString().slice(0, 10);
  const monday = new Date(`${today}T00:00:00Z`);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const weekStart = monday.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - 37 * 86_400_000).toISOString().slice(0, 10);
  const [campaigns, weeks, legal] = await Promise.all([
    campaignRates({ from, to: today, market: [] }, db, 100),
    db.execute(sql`
      select ((${weekStart}::date - (c.received_at at time zone 'UTC')::date + 6) / 7)::int as ago, count(*)::int as n
      from complaints c
      where c.received_at >= (${weekStart}::date - 28) at time zone 'UTC' and c.received_at < (${weekStart}::date + 7) at time zone 'UTC'
      group by 1`),
    db.execute(sql`select count(*)::int as n from complaints where kind = 'legal_notice' and status <> 'resolved'`),
  ]);
  // ago 0: this week; 1 to 4: the weeks before.
  const byAgo = new Map(rowsOf<{ ago: number; n: number }>(weeks).map((r) => [Number(r.ago), Number(r.n)]));
  return {
    campaigns,
    complaintsThisWeek: byAgo.get(0) ?? 0,
    complaintsPreviousWeeks: [1, 2, 3, 4].map((w) => byAgo.get(w) ?? 0),
    weekStart,
    openLegalNotices: Number(rowsOf<{ n: number }>(legal)[0]?.n ?? 0),
  };
}
