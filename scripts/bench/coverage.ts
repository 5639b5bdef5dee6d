// `npm run bench:coverage [-- --customers N]`: loads N customers (default 1,000,000) with about 8 consent events
// each into PostgreSQL through the same write path the product uses, then times the coverage page's queries.
import { sql } from 'drizzle-orm';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { allowedTrends, coverageMatrix } from '@/lib/coverage/queries';
import { eligibilityJoins, reasonSql } from '@/lib/consent-store/eligibility';
import { argument, loadBenchCustomers, measure, openBenchDb, time } from './lib';

const TARGET = argument('customers', 1_000_000);
const DAY = 86_400_000;

async function main() {
  const h = await openBenchDb();
  const { db, client } = h;
  await ensureDefaultPolicies(db);
  const now = new Date();
  await loadBenchCustomers(h, TARGET, now);
  await client`vacuum analyze`;

  const [counts] = await client<
    Array<{ total: number; events: number }>
  >`select (select count(*) from customers)::int as total, (select count(*) from consent_events)::int as events`;
  const { total, events } = counts!;
  console.log(`\nPostgreSQL: ${total.toLocaleString('en')} customers, ${events.toLocaleString('en')} consent events\n`);

  const today = await measure("today's matrix (all markets)", 30, () => coverageMatrix({}, { now }, db));
  await measure("today's matrix (DE, PL)", 30, () => coverageMatrix({ markets: ['DE', 'PL'] }, { now }, db));
  await measure("today's matrix (one import batch)", 30, () => coverageMatrix({ sources: ['import'], batchIds: [1] }, { now }, db));
  const days = Array.from({ length: 20 }, (_, i) => new Date(now.getTime() - (15 + i * 17) * DAY).toISOString().slice(0, 10));
  const asOf = await measure('matrix as of a past day (last 12 months)', 20, (i) =>
    coverageMatrix({}, { asOf: days[Math.max(0, i)]! }, db),
  );
  await measure('weekly trend, 52 weeks, all channels', 5, () => allowedTrends({}, 'marketing', 52, now, db));

  const naive = await measure('naive GROUP BY over consent_state', 5, () =>
    db.execute(
      sql`select c.market, s.channel, s.purpose, s.status, count(*) from consent_state s join customers c on c.id = s.customer_id group by 1, 2, 3, 4`,
    ),
  );
  // The same matrix decided customer by customer in SQL (the SQL twin of evaluate), as a reference.
  const { ms: twin } = await time(async () => {
    for (const channel of CHANNELS) {
      for (const purpose of PURPOSES) {
        await db.execute(
          sql`select c.market, ${reasonSql(channel, purpose, now)} as reason, count(*) from ${eligibilityJoins(channel, purpose)} group by 1, 2`,
        );
      }
    }
  });
  console.log(`${'matrix decided customer by customer (1 run)'.padEnd(46)} ${twin.toFixed(1).padStart(12)} ms`);
  console.log(`\ntoday's matrix p95 ${today.p95.toFixed(1)} ms (target 100), as-of p95 ${asOf.p95.toFixed(1)} ms (target 1000)`);
  console.log(`naive GROUP BY p50 / today's matrix p50: ${(naive.p50 / today.p50).toFixed(1)}x`);
  await h.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
