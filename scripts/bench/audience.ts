// `npm run bench:audience [-- --customers N --recipients R]`: the audience counts of a marketing draft targeting all
// markets (p50/p95, target 500 ms at 1,000,000 customers), and the streamed export of about R recipients (default
// 300,000; target 15 s) with the process's memory sampled throughout. Uses BENCH_DATABASE_URL, by default a database
// of its own, and loads the benchmark customers into it when they are missing.
import { eq } from 'drizzle-orm';
import { messageDrafts, users } from '@/db/schema';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { audienceCounts } from '@/lib/messages/audience';
import type { Audience } from '@/lib/messages/input';
import { startExport } from '@/lib/messages/export';
import { argument, ensureReach, loadBenchCustomers, measure, openBenchDb, time } from './lib';

const TARGET = argument('customers', 1_000_000);
const RECIPIENTS = argument('recipients', 300_000);
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench_audience';
const MB = 1024 * 1024;

async function main() {
  const h = await openBenchDb(URL);
  const { db, client } = h;
  await ensureDefaultPolicies(db);
  const now = new Date();
  await loadBenchCustomers(h, TARGET, now);
  await client`analyze`;
  await ensureReach(h, RECIPIENTS, now);
  const [row] = await client<Array<{ total: number }>>`select count(*)::int as total from customers`;
  console.log(`\nPostgreSQL: ${row!.total.toLocaleString('en')} customers\n`);

  const email = 'bench-audience@zgoda.local';
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  const [created] = existing
    ? [existing]
    : await db
        .insert(users)
        .values({ email, name: 'Audience benchmark', role: 'seller', passwordHash: '-', active: false })
        .returning({ id: users.id });
  const seller = { id: created!.id, role: 'seller' as const };

  const all: Audience = { markets: [] };
  const counts = await measure('audience counts, marketing, all markets', 20, () => audienceCounts(db, 'marketing', all, now));
  await measure('audience counts, transactional, all markets', 10, () => audienceCounts(db, 'transactional', all, now));
  await measure('audience counts, marketing, DE and AT', 10, () => audienceCounts(db, 'marketing', { markets: ['DE', 'AT'] }, now));

  // The audience to export: markets added largest first until about RECIPIENTS customers may be reached.
  const byMarket = await audienceCounts(db, 'marketing', all, now);
  const markets: string[] = [];
  let reach = 0;
  for (const m of [...byMarket.markets].sort((a, b) => b.allowed - a.allowed)) {
    if (reach >= RECIPIENTS) break;
    markets.push(m.market);
    reach += m.allowed;
  }
  console.log(
    `\nmay reach: ${byMarket.allowed.toLocaleString('en')} of ${byMarket.total.toLocaleString('en')} (all markets); exporting ${markets.join(', ')}: ${reach.toLocaleString('en')}`,
  );

  const [draft] = await db
    .insert(messageDrafts)
    .values({
      name: `bench_export_${Date.now()}`,
      category: 'marketing',
      language: 'pl',
      header: 'Kwiatek',
      body: 'Cześć {{1}}, w sklepie Kwiatek zaczyna się wiosenna wyprzedaż. Zapraszamy!',
      footer: 'Odpisz STOP, aby zrezygnować',
      sender: 'Kwiatek',
      examples: ['Anna'],
      variableFields: ['first_name'],
      audience: { markets },
      status: 'approved',
      authorId: seller.id,
    })
    .returning({ id: messageDrafts.id });

  global.gc?.();
  const rssStart = process.memoryUsage().rss;
  let peak = rssStart;
  const samples: number[] = [];
  const timer = setInterval(() => {
    const rss = process.memoryUsage().rss;
    peak = Math.max(peak, rss);
    samples.push(rss);
  }, 100);
  let lines = 0;
  let bytes = 0;
  const { ms, result } = await time(async () => {
    const started = await startExport(db, draft!.id, seller);
    if (!started.ok) throw new Error(`export refused: ${started.refusal}`);
    const reader = started.stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      for (let i = value.indexOf(10); i >= 0; i = value.indexOf(10, i + 1)) lines++;
    }
    return started;
  });
  clearInterval(timer);
  const quarter = (q: number) => (samples[Math.min(samples.length - 1, Math.floor((q * samples.length) / 4))] ?? rssStart) / MB;
  console.log(
    `${'export, streamed JSONL'.padEnd(46)} ${ms.toFixed(0).padStart(8)} ms   ${lines.toLocaleString('en')} lines, ${(bytes / MB).toFixed(0)} MB, campaign recipients ${result.recipientCount.toLocaleString('en')}`,
  );
  console.log(
    `memory (RSS) start ${(rssStart / MB).toFixed(0)} MB, at 25/50/75% ${quarter(1).toFixed(0)} / ${quarter(2).toFixed(0)} / ${quarter(3).toFixed(0)} MB, peak ${(peak / MB).toFixed(0)} MB (file ${(bytes / MB).toFixed(0)} MB)`,
  );
  console.log(
    `\naudience counts p95 ${counts.p95.toFixed(1)} ms (target 500); export of ${lines.toLocaleString('en')} recipients ${(ms / 1000).toFixed(1)} s (target 15 s for 300,000)`,
  );
  await h.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
