// `npm run bench:coverage [-- --customers N]`: loads N customers (default 1,000,000) with about 8 consent events
// each into PostgreSQL through the same write path the product uses, then times the coverage page's queries.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import { customers, importBatches } from '@/db/schema';
import type { Channel, EventKind, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { rebuildConsentState } from '@/lib/consent-store/record';
import { allowedTrends, coverageMatrix } from '@/lib/coverage/queries';
import { eligibilityJoins, reasonSql } from '@/lib/consent-store/eligibility';
import { mulberry32 } from '@/lib/random';
import { argument, measure, openBenchDb, time } from './lib';

const TARGET = argument('customers', 1_000_000);
const BATCH = 50_000;
const DAY = 86_400_000;
const MARKETS: Array<[string, number]> = [['PL', 30], ['DE', 25], ['FR', 12], ['NL', 9], ['AT', 8], ['IT', 8], ['ES', 8]];
const SOURCES = ['shop_checkout', 'amazon_order', 'newsletter_form', 'customer_service'];
const KEYS: Array<[Channel, Purpose, number]> = [
  ['email', 'marketing', 30], ['whatsapp', 'transactional', 20], ['whatsapp', 'marketing', 20], ['sms', 'marketing', 12],
  ['phone', 'marketing', 5], ['email', 'transactional', 5], ['sms', 'transactional', 5], ['phone', 'transactional', 3],
];

async function main() {
  const h = await openBenchDb();
  const { db, client } = h;
  await ensureDefaultPolicies(db);
  const now = new Date();
  const have = await db.$count(customers);
  if (have < TARGET) {
    console.log(`Loading ${TARGET - have} customers (have ${have}); this is done once per database.`);
    const rnd = mulberry32(have + 1);
    const pick = <T extends readonly unknown[]>(items: readonly T[], weight: (x: T) => number): T => {
      const total = items.reduce((s, x) => s + weight(x), 0);
      let r = rnd() * total;
      for (const x of items) if ((r -= weight(x)) < 0) return x;
      return items[items.length - 1]!;
    };
    const batches = await db
      .insert(importBatches)
      .values(Array.from({ length: 10 }, (_, i) => ({ fileName: `shop-export-${i + 1}.csv`, status: 'committed' as const })))
      .returning({ id: importBatches.id });
    const started = Date.now();
    let events = 0;
    for (let done = have; done < TARGET; done += BATCH) {
      const size = Math.min(BATCH, TARGET - done);
      const rows = Array.from({ length: size }, (_, i) => {
        const market = pick(MARKETS, (m) => m[1])[0];
        const imported = rnd() < 0.6;
        return {
          externalId: `B${done + i + 1}`,
          firstName: 'Bench',
          lastName: `Customer ${done + i + 1}`,
          email: rnd() < 0.85 ? `c${done + i + 1}@example.com` : null,
          phone: rnd() < 0.8 ? `+48${600000000 + ((done + i) % 99999999)}` : null,
          market,
          source: imported ? 'import' : SOURCES[Math.floor(rnd() * SOURCES.length)]!,
          importBatchId: imported ? batches[Math.floor(rnd() * batches.length)]!.id : null,
          lastOrderAt: rnd() < 0.7 ? new Date(now.getTime() - rnd() * 365 * DAY) : null,
          objectionNoticeAt: rnd() < 0.5 ? new Date(now.getTime() - rnd() * 700 * DAY) : null,
          erasedAt: rnd() < 0.005 ? now : null,
        };
      });
      const ids: number[] = [];
      for (let i = 0; i < rows.length; i += 2000) {
        ids.push(...(await db.insert(customers).values(rows.slice(i, i + 2000)).returning({ id: customers.id })).map((r) => r.id));
      }
      const lines: string[] = [];
      for (const id of ids) {
        const count = 4 + Math.floor(rnd() * 9); // 4 to 12, about 8 on average
        for (let e = 0; e < count; e++) {
          const [channel, purpose] = pick(KEYS, (k) => k[2]);
          const r = rnd();
          const kind: EventKind = r < 0.5 ? 'granted' : r < 0.72 ? 'confirmed' : 'withdrawn';
          const occurred = new Date(now.getTime() - rnd() * 730 * DAY).toISOString();
          const source = kind === 'withdrawn' ? (channel === 'whatsapp' ? 'whatsapp_keyword' : 'support_call') : rnd() < 0.3 ? 'import' : 'web_form';
          const evidence = JSON.stringify(kind === 'granted' ? { formVersion: 'checkout v3', doubleOptIn: rnd() < 0.3 || undefined } : { proofReference: 'bench' });
          lines.push(`${id}\t${channel}\t${purpose}\t${kind}\t${occurred}\t${source}\t${evidence}\n`);
        }
      }
      events += lines.length;
      const copy = await client`copy consent_events (customer_id, channel, purpose, kind, occurred_at, source, evidence) from stdin`.writable();
      await pipeline(Readable.from(lines), copy);
      await db.transaction((tx) => rebuildConsentState(tx, ids, { fresh: true }));
      if ((done + size) % 100_000 === 0 || done + size >= TARGET) {
        const rate = (done + size - have) / ((Date.now() - started) / 1000);
        console.log(`  ${done + size} customers, ${events} new events, ${rate.toFixed(0)} customers/s`);
      }
    }
  }
  await client`vacuum analyze`;

  const [counts] = await client<Array<{ total: number; events: number }>>`select (select count(*) from customers)::int as total, (select count(*) from consent_events)::int as events`;
  const { total, events } = counts!;
  console.log(`\nPostgreSQL: ${total.toLocaleString('en')} customers, ${events.toLocaleString('en')} consent events\n`);

  const today = await measure("today's matrix (all markets)", 30, () => coverageMatrix({}, { now }, db));
  await measure("today's matrix (DE, PL)", 30, () => coverageMatrix({ markets: ['DE', 'PL'] }, { now }, db));
  await measure("today's matrix (one import batch)", 30, () => coverageMatrix({ sources: ['import'], batchIds: [1] }, { now }, db));
  const days = Array.from({ length: 20 }, (_, i) => new Date(now.getTime() - (15 + i * 17) * DAY).toISOString().slice(0, 10));
  const asOf = await measure('matrix as of a past day (last 12 months)', 20, (i) => coverageMatrix({}, { asOf: days[Math.max(0, i)]! }, db));
  await measure('weekly trend, 52 weeks, all channels', 5, () => allowedTrends({}, 'marketing', 52, now, db));

  const naive = await measure('naive GROUP BY over consent_state', 5, () =>
    db.execute(sql`select c.market, s.channel, s.purpose, s.status, count(*) from consent_state s join customers c on c.id = s.customer_id group by 1, 2, 3, 4`),
  );
  // The same matrix decided customer by customer in SQL (the SQL twin of evaluate), as a reference.
  const { ms: twin } = await time(async () => {
    for (const channel of CHANNELS) {
      for (const purpose of PURPOSES) {
        await db.execute(sql`select c.market, ${reasonSql(channel, purpose, now)} as reason, count(*) from ${eligibilityJoins(channel, purpose)} group by 1, 2`);
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
