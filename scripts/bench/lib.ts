// Shared pieces of the benchmarks: a PostgreSQL database of their own, timing and percentiles.
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Db, DbHandle } from '@/db';
import * as schema from '@/db/schema';
import { customers, importBatches } from '@/db/schema';
import { migrateDb } from '@/db/migrate';
import { rowsOf } from '@/db/sql';
import { eligibilityJoins, reasonSql } from '@/lib/consent-store/eligibility';
import { audienceCounts } from '@/lib/messages/audience';
import type { Channel, EventKind, Purpose } from '@/lib/consent';
import { rebuildConsentState } from '@/lib/consent-store/project';
import { mulberry32 } from '@/lib/random';

export const BENCH_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench';

export type BenchDb = DbHandle & { client: postgres.Sql };

/** Opens (creating and migrating when needed) the benchmark database; also returns the raw client for COPY. */
export async function openBenchDb(benchUrl: string = BENCH_URL): Promise<BenchDb> {
  const url = new URL(benchUrl);
  const name = url.pathname.slice(1);
  const adminUrl = new URL(benchUrl);
  adminUrl.pathname = '/postgres';
  const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const client = postgres(benchUrl, { max: 4, onnotice: () => {} });
  const db = drizzle({ client, schema }) as unknown as Db;
  const handle = { db, driver: 'postgres' as const, close: () => client.end({ timeout: 5 }), client };
  await migrateDb(handle);
  return handle;
}

export async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

export async function measure(label: string, runs: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(-1); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push((await time(() => fn(i))).ms);
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(`${label.padEnd(46)} p50 ${p50.toFixed(1).padStart(8)} ms   p95 ${p95.toFixed(1).padStart(8)} ms   (${runs} runs)`);
  return { p50, p95 };
}

export function argument(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : NaN;
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

const BATCH = 50_000;
const DAY = 86_400_000;
export const MARKETS: Array<[string, number]> = [
  ['PL', 30],
  ['DE', 25],
  ['FR', 12],
  ['NL', 9],
  ['AT', 8],
  ['IT', 8],
  ['ES', 8],
];
export const SOURCES = ['shop_checkout', 'amazon_order', 'newsletter_form', 'customer_service'];
const KEYS: Array<[Channel, Purpose, number]> = [
  ['email', 'marketing', 30],
  ['whatsapp', 'transactional', 20],
  ['whatsapp', 'marketing', 20],
  ['sms', 'marketing', 12],
  ['phone', 'marketing', 5],
  ['email', 'transactional', 5],
  ['sms', 'transactional', 5],
  ['phone', 'transactional', 3],
];

/**
 * Loads customers up to `target` (about 8 consent events each, over two years) through the product's write path for
 * state; does nothing when the database already has them.
 */
export async function loadBenchCustomers(h: BenchDb, target: number, now: Date): Promise<void> {
  const { db, client } = h;
  const have = await db.$count(customers);
  if (have < target) {
    console.log(`Loading ${target - have} customers (have ${have}); this is done once per database.`);
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
    for (let done = have; done < target; done += BATCH) {
      const size = Math.min(BATCH, target - done);
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
        ids.push(
          ...(
            await db
              .insert(customers)
              .values(rows.slice(i, i + 2000))
              .returning({ id: customers.id })
          ).map((r) => r.id),
        );
      }
      const lines: string[] = [];
      for (const id of ids) {
        const count = 4 + Math.floor(rnd() * 9); // 4 to 12, about 8 on average
        for (let e = 0; e < count; e++) {
          const [channel, purpose] = pick(KEYS, (k) => k[2]);
          const r = rnd();
          const kind: EventKind = r < 0.5 ? 'granted' : r < 0.72 ? 'confirmed' : 'withdrawn';
          const occurred = new Date(now.getTime() - rnd() * 730 * DAY).toISOString();
          const source =
            kind === 'withdrawn' ? (channel === 'whatsapp' ? 'whatsapp_keyword' : 'support_call') : rnd() < 0.3 ? 'import' : 'web_form';
          const evidence = JSON.stringify(
            kind === 'granted' ? { formVersion: 'checkout v3', doubleOptIn: rnd() < 0.3 || undefined } : { proofReference: 'bench' },
          );
          lines.push(`${id}\t${channel}\t${purpose}\t${kind}\t${occurred}\t${source}\t${evidence}\n`);
        }
      }
      events += lines.length;
      const copy =
        await client`copy consent_events (customer_id, channel, purpose, kind, occurred_at, source, evidence) from stdin`.writable();
      await pipeline(Readable.from(lines), copy);
      await db.transaction((tx) => rebuildConsentState(tx, ids, { fresh: true }));
      if ((done + size) % 100_000 === 0 || done + size >= target) {
        const rate = (done + size - have) / ((Date.now() - started) / 1000);
        console.log(`  ${done + size} customers, ${events} new events, ${rate.toFixed(0)} customers/s`);
      }
    }
  }
}

/**
 * Adds customers without consent events in SQL up to `target`, numbered on from the loaded ones (external id B<n>,
 * e-mail c<n>@example.com), for benchmarks that need a table of that size but reach a customer's rows by index:
 * loading every ledger through the product's write path takes hours on a small machine.
 */
export async function topUpCustomers(h: BenchDb, target: number): Promise<void> {
  const { db } = h;
  for (let have = await db.$count(customers); have < target; have = await db.$count(customers)) {
    const size = Math.min(100_000, target - have);
    console.log(`  adding customers ${have + 1} to ${have + size} without consent events`);
    await db.execute(sql`insert into customers (external_id, first_name, last_name, email, phone, market, source)
      select 'B' || n, 'Bench', 'Customer ' || n, 'c' || n || '@example.com', '+48' || (600000000 + n % 99999999), (array['PL','DE','FR','NL','AT','IT','ES'])[1 + n % 7], 'shop_checkout'
      from generate_series(${have + 1}::int, ${have + size}::int) as n`);
  }
}

/**
 * The generated customers give WhatsApp marketing consent to about a fifth; when fewer than `want` may be reached,
 * customers without any WhatsApp marketing consent (in markets without double opt-in) are given an evidenced grant
 * through the ledger, as a web form would record it. Once per database.
 */
export async function ensureReach(h: BenchDb, want: number, now: Date): Promise<void> {
  const { db, client } = h;
  const reach = (await audienceCounts(db, 'marketing', { markets: [] }, now)).allowed;
  if (reach >= want) return;
  const need = Math.ceil((want - reach) * 1.02);
  console.log(
    `Granting WhatsApp marketing to ${need.toLocaleString('en')} more customers (may reach ${reach.toLocaleString('en')}); done once per database.`,
  );
  const rule = (column: string) => sql.raw(`coalesce(own.${column}, eu.${column})`);
  const ids = rowsOf<{ id: string | number }>(
    await db.execute(sql`select c.id from ${eligibilityJoins('whatsapp', 'marketing')}
      where ${reasonSql('whatsapp', 'marketing', now)} = 'no_consent' and not ${rule('double_opt_in_required')}
      order by c.id limit ${need}`),
  ).map((r) => Number(r.id));
  const occurred = new Date(now.getTime() - 86_400_000).toISOString();
  const evidence = JSON.stringify({ formVersion: 'checkout v3', wording: 'Yes, send me offers on WhatsApp' });
  for (let i = 0; i < ids.length; i += 10_000) {
    const batch = ids.slice(i, i + 10_000);
    const copy =
      await client`copy consent_events (customer_id, channel, purpose, kind, occurred_at, source, evidence) from stdin`.writable();
    await pipeline(Readable.from(batch.map((id) => `${id}\twhatsapp\tmarketing\tgranted\t${occurred}\tweb_form\t${evidence}\n`)), copy);
    await rebuildConsentState(db, batch);
  }
  await client`analyze`;
}
