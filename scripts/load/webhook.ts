// `npm run load:webhook [-- --messages 20000 --concurrency 50 --instances 2 --port 3290]`: a bounded load test of the
// WhatsApp webhook on loopback, on one or several instances sharing one PostgreSQL database.
//
// Without --targets it creates a fresh database (LOAD_DATABASE_URL), starts --instances production instances of the
// build (`next build` first if there is none) on ports from --port, and stops them and drops nothing at the end (the
// database stays for a look). With `--targets http://127.0.0.1:3105,http://127.0.0.1:3106` it posts to instances
// already running on LOAD_DATABASE_URL (or DATABASE_URL) with WHATSAPP_APP_SECRET, beside whatever that database holds.
//
// The traffic is Meta's mix (lib/whatsapp/traffic.ts): STOP, START, replies to review, plain replies,
// statuses, stops from strangers, 10 % of messages re-sent to another instance, 2 % forged. A 503 is retried as Meta
// does. Prints messages/s, p50/p99 latency, the 503 count, then the check by wamid: lost = 0, duplicated = 0.
// A warm-up of statuses and STOPs from customers of its own goes first and is not measured.
// Target: at least 500 messages/s, p99 at most 200 ms, no 503.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { openDb } from '@/db';
import { rowsOf } from '@/db/sql';
import { migrateDb } from '@/db/migrate';
import { hasBuild, randomSecrets, recreateDatabase, startInstances } from '../../e2e/instances';
import type { Instances } from '../../e2e/instances';
import { argument, percentile } from '../bench/lib';
import { answersAsExpected, checkRecorded, insertCustomers, planTraffic, sendTraffic } from '@/lib/whatsapp/traffic';

const MESSAGES = argument('messages', 20_000);
const CONCURRENCY = argument('concurrency', 50);
const INSTANCES = argument('instances', 1);
const PORT = argument('port', 3290);
const WARMUP = 1000;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Instances of our own on a fresh database, or the ones --targets names on the database they share. */
async function deployment(): Promise<{ targets: string[]; databaseUrl: string; secret: string; instances: Instances | null }> {
  const given = option('targets');
  if (given) {
    const databaseUrl = process.env.LOAD_DATABASE_URL ?? process.env.DATABASE_URL;
    const secret = process.env.WHATSAPP_APP_SECRET;
    if (!databaseUrl || !secret)
      throw new Error('--targets needs the database of those instances (LOAD_DATABASE_URL or DATABASE_URL) and their WHATSAPP_APP_SECRET.');
    return { targets: given.split(',').map((t) => t.trim().replace(/\/$/, '')), databaseUrl, secret, instances: null };
  }
  const databaseUrl = process.env.LOAD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_load_webhook';
  await recreateDatabase(databaseUrl);
  const handle = await openDb({ url: databaseUrl }, { limits: false });
  await migrateDb(handle);
  await handle.close();
  if (!hasBuild()) {
    console.log('No production build yet: running next build.');
    const built = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('next/dist/bin/next'), 'build'], {
      stdio: 'inherit',
    });
    if (built.status !== 0) throw new Error('next build failed');
  }
  const secrets = randomSecrets();
  const ports = Array.from({ length: INSTANCES }, (_, i) => PORT + i);
  const instances = await startInstances({
    ports,
    databaseUrl,
    secrets,
    env: { DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20' },
  });
  return { targets: instances.list.map((i) => i.baseUrl), databaseUrl, secret: secrets.WHATSAPP_APP_SECRET, instances };
}

/** A digit no earlier run on this database used for its phones. */
async function freeSeries(db: Queryable): Promise<number> {
  const used = new Set(
    rowsOf<{ source: string }>(await db.execute(sql`select distinct source from customers where source like 'load_series_%'`)).map(
      (r) => r.source,
    ),
  );
  const series = Array.from({ length: 10 }, (_, i) => i).find((i) => !used.has(`load_series_${i}`));
  if (series === undefined) throw new Error('Ten load runs on this database already: point LOAD_DATABASE_URL at a fresh one.');
  return series;
}

async function main() {
  const { targets, databaseUrl, secret, instances } = await deployment();
  const handle = await openDb({ url: databaseUrl }, { limits: false });
  try {
    console.log(
      `Load test: ${MESSAGES.toLocaleString('en')} messages (Meta's mix, +10 % re-sent to another instance, +2 % forged), ${CONCURRENCY} in flight, on ${targets.join(', ')}.`,
    );
    const series = await freeSeries(handle.db);
    const plan = planTraffic({ messages: MESSAGES, targets: targets.length, secret, series, seed: 7 + series });
    await insertCustomers(handle.db, plan, `load_series_${series}`);
    // Warm-up, not measured: statuses and STOPs, so that every instance's code and pooled connections are warm.
    const warmSeries = await freeSeries(handle.db);
    const warm = planTraffic({ messages: WARMUP, targets: targets.length, secret, series: warmSeries, seed: 1 });
    await insertCustomers(handle.db, warm, `load_series_${warmSeries}`);
    await sendTraffic(warm, targets, { concurrency: CONCURRENCY });

    const sent = await sendTraffic(plan, targets, { concurrency: CONCURRENCY });
    const rate = plan.posts.length / sent.seconds;
    const p50 = percentile(sent.latencies, 50);
    const p99 = percentile(sent.latencies, 99);
    console.log(`\n${plan.posts.length.toLocaleString('en')} POSTs in ${sent.seconds.toFixed(1)} s: ${rate.toFixed(0)} messages/s`);
    console.log(
      `latency p50 ${p50.toFixed(1)} ms, p95 ${percentile(sent.latencies, 95).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${Math.max(...sent.latencies).toFixed(1)} ms`,
    );
    console.log(`503 answers: ${sent.unavailable} (each retried as Meta does); POSTs never accepted: ${sent.gaveUp}`);
    console.log(
      `final answers: ${[...sent.answers]
        .sort()
        .map(([k, n]) => `${k}: ${n}`)
        .join(', ')}`,
    );

    const recorded = await checkRecorded(handle.db, plan);
    console.log(
      `\ndatabase: ${JSON.stringify(recorded)} (${plan.ledgerIds.length} STOP/START and ${plan.reviewIds.length} replies to review sent)`,
    );
    const answersOk = answersAsExpected(plan, sent);
    const dbOk = recorded.lost === 0 && recorded.duplicated === 0 && recorded.forged === 0;
    console.log(
      dbOk && answersOk
        ? 'check: lost = 0, duplicated = 0; every message recorded exactly once by its wamid, forgeries refused'
        : `check FAILED: lost = ${recorded.lost}, duplicated = ${recorded.duplicated}, forged written = ${recorded.forged}, answers as expected: ${answersOk}`,
    );
    console.log(
      `target: >= 500 messages/s (${rate >= 500 ? 'met' : 'missed'}), p99 <= 200 ms (${p99 <= 200 ? 'met' : 'missed'}), no 503 (${sent.unavailable === 0 ? 'met' : 'missed'})`,
    );
    if (!dbOk || !answersOk) process.exitCode = 1;
  } catch (error) {
    for (const i of instances?.list ?? []) console.error(`--- instance ${i.port}\n${i.log().slice(-4000)}`);
    throw error;
  } finally {
    await handle.close();
    await instances?.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
