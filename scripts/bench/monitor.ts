// `npm run bench:monitor`: with 1,000,000 customers and 10,000,000 ledger events (topped up when fewer), plus
// complaints and campaigns, times each monitor chart's query for a twelve-month range. Target: p95 at most 200 ms.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { rowsOf } from '@/db/sql';
import { campaigns, complaints, customers, messageDrafts, users } from '@/db/schema';
import { COMPLAINT_KINDS } from '@/lib/complaints/input';
import { CHANNELS } from '@/lib/consent';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import type { MonitorParams } from '@/lib/monitor/filter';
import { alertFacts } from '@/lib/monitor/queries';
import { MONITOR_CHARTS, monitorTable } from '@/lib/monitor/tables';
import { mulberry32 } from '@/lib/random';
import { MARKETS, argument, loadBenchCustomers, measure, openBenchDb } from './lib';

const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench_monitor';
const CUSTOMERS = argument('customers', 1_000_000);
const EVENTS = argument('events', 10_000_000);
const COMPLAINTS = argument('complaints', 50_000);
const CAMPAIGNS = argument('campaigns', 300);
const DAY = 86_400_000;
const OPT_OUT_SOURCES = [
  'whatsapp_keyword',
  'whatsapp_keyword',
  'whatsapp_setting',
  'support_call',
  'complaint',
  'import',
  'unsubscribe_link',
];

async function main() {
  const h = await openBenchDb(URL);
  const { db, client } = h;
  await ensureDefaultPolicies(db);
  const now = new Date();
  await loadBenchCustomers(h, CUSTOMERS, now);
  const rnd = mulberry32(20261124);
  const [{ maxId }] = (await db.select({ maxId: sql<number>`max(${customers.id})`.mapWith(Number) }).from(customers)) as [
    { maxId: number },
  ];

  // Top the ledger up with events of the last twelve months (a third of them opt-outs), appended as the bench loader does.
  const have = await db.$count(sql`consent_events`);
  if (have < EVENTS) {
    console.log(`Appending ${(EVENTS - have).toLocaleString('en')} consent events (have ${have.toLocaleString('en')}).`);
    const started = Date.now();
    for (let done = have; done < EVENTS;) {
      const size = Math.min(200_000, EVENTS - done);
      const lines: string[] = [];
      for (let i = 0; i < size; i++) {
        const id = 1 + Math.floor(rnd() * maxId);
        const channel = CHANNELS[Math.floor(rnd() * CHANNELS.length)]!;
        const withdrawn = rnd() < 0.33;
        const purpose = rnd() < 0.7 ? 'marketing' : 'transactional';
        const occurred = new Date(now.getTime() - rnd() * 365 * DAY).toISOString();
        const source = withdrawn ? OPT_OUT_SOURCES[Math.floor(rnd() * OPT_OUT_SOURCES.length)]! : 'web_form';
        const evidence = withdrawn ? '{"proofReference":"bench"}' : '{"formVersion":"checkout v3"}';
        lines.push(`${id}\t${channel}\t${purpose}\t${withdrawn ? 'withdrawn' : 'granted'}\t${occurred}\t${source}\t${evidence}\n`);
      }
      const copy =
        await client`copy consent_events (customer_id, channel, purpose, kind, occurred_at, source, evidence) from stdin`.writable();
      await pipeline(Readable.from(lines), copy);
      done += size;
      console.log(`  ${done.toLocaleString('en')} events, ${((done - have) / ((Date.now() - started) / 1000)).toFixed(0)} events/s`);
    }
  }

  const [user] = await db
    .insert(users)
    .values({ email: 'bench-monitor@zgoda.bench', name: 'Bench Monitor', role: 'seller', passwordHash: 'x' })
    .onConflictDoNothing()
    .returning({ id: users.id });
  const actorId =
    user?.id ??
    Number(rowsOf<{ id: number }>(await db.execute(sql`select id from users where lower(email) = 'bench-monitor@zgoda.bench'`))[0]!.id);

  const haveCampaigns = await db.$count(campaigns);
  if (haveCampaigns < CAMPAIGNS) {
    console.log(`Adding ${CAMPAIGNS - haveCampaigns} campaigns.`);
    const drafts = await db
      .insert(messageDrafts)
      .values(
        Array.from({ length: CAMPAIGNS - haveCampaigns }, (_, i) => ({
          name: `bench_campaign_${haveCampaigns + i + 1}`,
          category: 'marketing' as const,
          language: 'de',
          body: 'Hello {{1}}, our offers this week. Reply STOP to unsubscribe.',
          status: 'exported' as const,
          authorId: actorId,
          audience: rnd() < 0.5 ? { markets: [MARKETS[Math.floor(rnd() * MARKETS.length)]![0]] } : {},
        })),
      )
      .returning({ id: messageDrafts.id });
    await db.insert(campaigns).values(
      drafts.map((d) => ({
        draftId: d.id,
        exportedBy: actorId,
        exportedAt: new Date(now.getTime() - rnd() * 365 * DAY),
        recipientCount: 1000 + Math.floor(rnd() * 200_000),
      })),
    );
  }
  const campaignIds = (await db.select({ id: campaigns.id }).from(campaigns)).map((c) => c.id);

  const haveComplaints = await db.$count(complaints);
  if (haveComplaints < COMPLAINTS) {
    console.log(`Adding ${COMPLAINTS - haveComplaints} complaints.`);
    for (let done = haveComplaints; done < COMPLAINTS; done += 5000) {
      const size = Math.min(5000, COMPLAINTS - done);
      await db.insert(complaints).values(
        Array.from({ length: size }, () => {
          const kind = COMPLAINT_KINDS[Math.floor(rnd() * COMPLAINT_KINDS.length)]!;
          return {
            customerId: 1 + Math.floor(rnd() * maxId),
            channel: CHANNELS[Math.floor(rnd() * CHANNELS.length)]!,
            market: MARKETS[Math.floor(rnd() * MARKETS.length)]![0],
            kind,
            description: 'bench complaint',
            campaignId: rnd() < 0.3 ? campaignIds[Math.floor(rnd() * campaignIds.length)]! : null,
            receivedAt: new Date(now.getTime() - rnd() * 365 * DAY),
            status: rnd() < 0.8 ? ('resolved' as const) : ('open' as const),
            urgent: kind === 'legal_notice',
            createdBy: actorId,
          };
        }),
      );
    }
  }
  await client`vacuum analyze`;

  const counts = rowsOf<{ customers: number; events: number; withdrawals: number; complaints: number; campaigns: number; daily: number }>(
    await db.execute(sql`select (select count(*) from customers)::int as customers, (select count(*) from consent_events)::int as events,
      (select count(*) from consent_events where kind = 'withdrawn')::int as withdrawals, (select count(*) from complaints)::int as complaints,
      (select count(*) from campaigns)::int as campaigns, (select count(*) from opt_outs_daily)::int as daily`),
  )[0]!;
  console.log(
    `\nPostgreSQL: ${counts.customers.toLocaleString('en')} customers, ${counts.events.toLocaleString('en')} consent events ` +
      `(${counts.withdrawals.toLocaleString('en')} withdrawals), ${counts.complaints.toLocaleString('en')} complaints, ${counts.campaigns} campaigns; ` +
      `opt_outs_daily ${counts.daily.toLocaleString('en')} rows\n`,
  );

  const to = now.toISOString().slice(0, 10);
  const from = new Date(now.getTime() - 364 * DAY).toISOString().slice(0, 10);
  const marketSets = [[], ['DE'], ['DE', 'AT'], ['PL', 'FR', 'NL']];
  const params = (i: number): MonitorParams => ({
    from,
    to,
    market: marketSets[Math.max(0, i) % marketSets.length]!,
    grain: i % 2 === 0 ? 'week' : 'day',
  });
  const results: Array<[string, number]> = [];
  for (const chart of MONITOR_CHARTS) {
    const { p95 } = await measure(`${chart}, 12 months`, 40, (i) => monitorTable(chart, params(i), db));
    results.push([chart, p95]);
  }
  const { p95: alerts } = await measure('alert facts (overview and monitor)', 40, () => alertFacts(now, db));
  results.push(['alerts', alerts]);

  // What the 12-month opt-out query would cost on the ledger itself, for comparison (1 run each).
  const started = performance.now();
  await db.execute(sql`select date_trunc('week', e.occurred_at)::date, e.channel, e.source, count(*) from consent_events e
    where e.kind = 'withdrawn' and e.occurred_at >= ${from}::date group by 1, 2, 3`);
  const ledgerMs = performance.now() - started;
  console.log(`${'same opt-outs read from the ledger (1 run)'.padEnd(46)} ${ledgerMs.toFixed(1).padStart(12)} ms`);

  const plan = rowsOf<{ 'QUERY PLAN': string }>(
    await db.execute(sql`explain analyze select date_trunc('week', o.day)::date, o.channel, sum(o.n) from opt_outs_daily o
      where o.day between ${from}::date and ${to}::date and o.market in ('DE', 'AT') group by 1, 2`),
  );
  console.log(`\nEXPLAIN ANALYZE, opt-outs by channel, 12 months, DE+AT:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`);
  const worst = results.reduce((a, b) => (b[1] > a[1] ? b : a));
  console.log(
    `slowest p95: ${worst[0]} ${worst[1].toFixed(1)} ms (target 200); ledger scan / slowest p95: ${(ledgerMs / worst[1]).toFixed(0)}x`,
  );
  await h.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
