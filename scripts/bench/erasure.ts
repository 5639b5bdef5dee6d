// `npm run bench:erasure [-- --customers N --ledgers L --runs R]`: erases R customers one by one (default 50) on
// PostgreSQL with N customers (default 1,000,000), L of them (default 100,000) with about 8 consent events each loaded
// through the product's write path and the rest added in SQL without consent (loading every ledger through that path
// takes hours on a small machine, and an erasure reaches a customer's rows by index either way), all in a campaign to
// every phone; each erased customer has identifying evidence, a complaint and a WhatsApp reply to review. Prints the
// time of one erasure (target 200 ms).
import { sql } from 'drizzle-orm';
import { campaigns, customers, messageDrafts, users } from '@/db/schema';
import { rowsOf } from '@/db/sql';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { eraseCustomer } from '@/lib/privacy/erase';
import { argument, loadBenchCustomers, openBenchDb, percentile, time, topUpCustomers } from './lib';

const TARGET = argument('customers', 1_000_000);
const LEDGERS = Math.min(argument('ledgers', 100_000), TARGET);
const RUNS = argument('runs', 50);
const URL = process.env.BENCH_ERASURE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench_erasure';

async function main() {
  const h = await openBenchDb(URL);
  const { db, client } = h;
  await ensureDefaultPolicies(db);
  const now = new Date();
  await loadBenchCustomers(h, LEDGERS, now);
  await topUpCustomers(h, TARGET);

  // One campaign that went to every phone: the recipients table at its largest for this many customers.
  let [user] = await db.select({ id: users.id }).from(users).limit(1);
  if (!user)
    [user] = await db
      .insert(users)
      .values({ email: 'bench@zgoda.test', name: 'Bench', role: 'seller', passwordHash: 'x' })
      .returning({ id: users.id });
  if ((await db.$count(campaigns)) === 0) {
    const [draft] = await db
      .insert(messageDrafts)
      .values({
        name: 'bench_all_phones',
        category: 'transactional',
        language: 'pl',
        body: 'Twoje zamówienie {{1}} zostało wysłane.',
        authorId: user!.id,
        status: 'exported',
      })
      .returning({ id: messageDrafts.id });
    const [campaign] = await db
      .insert(campaigns)
      .values({ draftId: draft!.id, exportedBy: user!.id, recipientCount: 0 })
      .returning({ id: campaigns.id });
    console.log('Adding a campaign to every phone ...');
    await client.unsafe(
      `insert into campaign_recipients (campaign_id, position, customer_id, phone)
       select ${campaign!.id}, row_number() over (order by id), id, phone from customers where phone is not null and erased_at is null`,
    );
  }
  await client`vacuum analyze`;

  const targets = rowsOf<{ id: number; phone: string; email: string }>(
    await db.execute(sql`select c.id, c.phone, c.email from customers c
      where c.erased_at is null and c.phone is not null and c.email is not null
        and exists (select 1 from consent_state s where s.customer_id = c.id)
      order by random() limit ${RUNS}`),
  );
  // What an erasure has to find of each person beyond the record: identifying evidence, a complaint, a reply.
  for (const t of targets) {
    await recordConsentEvent(
      db,
      {
        customerId: Number(t.id),
        channel: 'email',
        purpose: 'marketing',
        kind: 'granted',
        occurredAt: new Date(now.getTime() - 86_400_000),
        source: 'web_form',
        evidence: { formVersion: 'checkout v3', ip: '203.0.113.9', userAgent: 'Mozilla/5.0 (bench)' },
      },
      null,
    );
    await db.execute(sql`insert into complaints (customer_id, channel, kind, description, received_at, created_by)
      values (${t.id}, 'email', 'unwanted_marketing', 'Bench complaint', now(), ${user!.id})`);
    await db.execute(sql`insert into reply_reviews (message_id, phone, text, cue, received_at)
      values (${`wamid.bench-${t.id}-${now.getTime()}`}, ${t.phone}, 'Bitte keine Werbung mehr', 'keine Werbung', now())`);
  }

  const [counts] = await client<Array<{ total: number; ledgers: number; events: number; recipients: number }>>`select
    (select count(*) from customers)::int as total, (select count(distinct customer_id) from consent_state)::int as ledgers,
    (select count(*) from consent_events)::int as events, (select count(*) from campaign_recipients)::int as recipients`;
  console.log(
    `\nPostgreSQL: ${counts!.total.toLocaleString('en')} customers (${counts!.ledgers.toLocaleString('en')} with consent), ${counts!.events.toLocaleString('en')} consent events, ${counts!.recipients.toLocaleString('en')} campaign recipients\n`,
  );
  const times: number[] = [];
  for (const t of targets) {
    const { ms, result } = await time(() => eraseCustomer(db, { customerId: Number(t.id), reason: 'bench' }, user!.id));
    if (!result.ok) throw new Error(`erasure of ${t.id} refused: ${result.code}`);
    times.push(ms);
  }
  const p50 = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(
    `${'erase one customer'.padEnd(46)} p50 ${p50.toFixed(1).padStart(8)} ms   p95 ${p95.toFixed(1).padStart(8)} ms   max ${Math.max(...times).toFixed(1)} ms   (${times.length} runs)`,
  );
  console.log(`\nerasure p95 ${p95.toFixed(1)} ms (target 200)`);
  const left = await db.$count(
    customers,
    sql`${customers.id} = any(${`{${targets.map((t) => t.id).join(',')}}`}::bigint[]) and ${customers.erasedAt} is null`,
  );
  if (left > 0) throw new Error(`${left} customers were not erased`);
  await h.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
