// `npm run bench:retention`: a retention run over 1,000,000 customers and 10,000,000 consent events (loaded once into
// BENCH_DATABASE_URL, default .../zgoda_bench_retention), with what is due topped up before each run: customers whose
// last consent event is six years old, committed imports with their files and rejected rows, old sign-in throttle rows
// and reply reviews, file pieces no batch names. Prints how long the run took and the longest any other session waited
// for a lock meanwhile (sampled from pg_stat_activity; run `npm run load:webhook -- --targets ...` alongside to have
// webhooks among them), while a writer records a consent event and an audit entry every 50 ms and reports its slowest.
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { rowsOf } from '@/db/sql';
import { customers, importBatches, replyReviews } from '@/db/schema';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { rebuildConsentState } from '@/lib/consent-store/project';
import { recordConsentEvent } from '@/lib/consent-store/record';
import { mulberry32 } from '@/lib/random';
import { DEFAULT_RETENTION } from '@/lib/retention/settings';
import { runRetention } from '@/lib/retention/run';
import { argument, openBenchDb, type BenchDb } from './lib';

const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench_retention';
const CUSTOMERS = argument('customers', 1_000_000);
const EVENTS = argument('events', 10_000_000);
const DUE_CUSTOMERS = argument('due', 2_000);
const BATCHES = argument('batches', 10);
const REJECTED_PER_BATCH = argument('rejected', 20_000);
const DAY = 86_400_000;

async function topUpDue(h: BenchDb, now: Date, rnd: () => number): Promise<void> {
  const { db, client } = h;
  const old = (years: number) => new Date(now.getTime() - (years * 365 + rnd() * 300) * DAY);
  // Customers whose whole history is six years old and who have not ordered since.
  const ids = (
    await db
      .insert(customers)
      .values(
        Array.from({ length: DUE_CUSTOMERS }, (_, i) => ({
          externalId: `OLD-${now.getTime()}-${i}`,
          firstName: 'Old',
          lastName: `Customer ${i}`,
          email: `old-${now.getTime()}-${i}@example.com`,
          phone: `+4915${String(10_000_000 + i)}`,
          market: 'DE',
          source: 'shop_checkout',
          createdAt: old(7),
        })),
      )
      .returning({ id: customers.id })
  ).map((r) => r.id);
  const lines = ids.flatMap((id) => [
    `${id}\temail\tmarketing\tgranted\t${old(7).toISOString()}\tweb_form\t{"formVersion":"v1"}\n`,
    `${id}\temail\tmarketing\twithdrawn\t${old(6).toISOString()}\tsupport_call\t{"proofReference":"bench"}\n`,
  ]);
  const copy = await client`copy consent_events (customer_id, channel, purpose, kind, occurred_at, source, evidence) from stdin`.writable();
  await pipeline(Readable.from(lines), copy);
  await db.transaction((tx) => rebuildConsentState(tx, ids, { fresh: true }));

  // Committed imports of two months ago, each with its file in the store and rejected rows.
  for (let b = 0; b < BATCHES; b++) {
    const name = randomUUID();
    await client`insert into file_chunks (file_key, seq, data) select ${name}, g, ${randomBytes(1 << 20)} from generate_series(0, 3) g`;
    const [batch] = await db
      .insert(importBatches)
      .values({ fileName: `old-${b}.csv`, fileKey: `db:${name}`, status: 'committed', committedAt: new Date(now.getTime() - 60 * DAY) })
      .returning({ id: importBatches.id });
    await client`insert into import_rows (batch_id, row_no, line, email, outcome, error)
      select ${batch!.id}, g, g + 1, 'broken' || g || '@@mail', 'rejected', 'email' from generate_series(1, ${REJECTED_PER_BATCH}) g`;
  }
  // An upload that never became a batch, three days old.
  await client`insert into file_chunks (file_key, seq, data, created_at)
    select ${randomUUID()}, g, ${randomBytes(1 << 20)}, now() - interval '3 days' from generate_series(0, 3) g`;
  await client`insert into sign_in_throttle (key, failures, window_started_at, last_failed_at)
    select 'ip:bench-' || ${now.getTime()} || '-' || g, 3, now() - interval '90 days', now() - interval '60 days'
    from generate_series(1, 20000) g`;
  for (let i = 0; i < 20_000; i += 5_000) {
    await db.insert(replyReviews).values(
      Array.from({ length: 5_000 }, (_, j) => ({
        messageId: `wamid.bench.${now.getTime()}.${i + j}`,
        phone: '+4915112345678',
        text: 'Bitte keine Werbung mehr',
        cue: 'keine Werbung',
        receivedAt: new Date(now.getTime() - 30 * 30 * DAY),
      })),
    );
  }
}

/**
 * Customers with a consent state each, and the ledger, written by SQL on the server with the triggers off for the
 * loading session: the aggregates they keep are not what retention reads, and loading through the product's write
 * path takes hours on a small machine. Done once per database.
 */
async function load(h: BenchDb): Promise<void> {
  const have = await h.db.$count(customers);
  if (have >= CUSTOMERS) return;
  console.log(`Loading ${CUSTOMERS.toLocaleString('en')} customers and ${EVENTS.toLocaleString('en')} consent events; once per database.`);
  const started = Date.now();
  await h.client.begin(async (tx) => {
    await tx`set local session_replication_role = replica`;
    await tx`insert into customers (external_id, first_name, last_name, email, phone, market, source, last_order_at, created_at)
      select 'B' || g, 'Bench', 'Customer ' || g, 'c' || g || '@example.com', '+48' || (600000000 + g), 'PL', 'shop_checkout',
             case when g % 10 < 7 then now() - (g % 365) * interval '1 day' end, now() - interval '3 years' + (g % 700) * interval '1 day'
      from generate_series(1, ${CUSTOMERS}::int) g`;
    const perCustomer = Math.max(1, Math.round(EVENTS / CUSTOMERS));
    await tx`insert into consent_events (customer_id, channel, purpose, kind, occurred_at, source, evidence)
      select c.id, (array['email','sms','whatsapp','phone'])[1 + (c.id + k) % 4]::channel,
             (array['marketing','transactional'])[1 + (k / 4) % 2]::purpose,
             case when k % 3 = 2 then 'withdrawn' else 'granted' end::consent_event_kind,
             now() - ((c.id * 7 + k * 31) % 730) * interval '1 day', 'web_form', '{"formVersion":"checkout v3"}'
      from customers c, generate_series(0, ${perCustomer - 1}::int) k`;
    await tx`insert into consent_state (customer_id, channel, purpose, status, granted_at, withdrawn_at, last_event_id, last_occurred_at, source)
      select distinct on (customer_id, channel, purpose) customer_id, channel, purpose,
             case when kind = 'withdrawn' then 'withdrawn' else 'granted' end::consent_status,
             case when kind <> 'withdrawn' then occurred_at end, case when kind = 'withdrawn' then occurred_at end,
             id, occurred_at, source
      from consent_events order by customer_id, channel, purpose, occurred_at desc, id desc`;
  });
  await h.client`analyze`;
  console.log(`  loaded in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function main() {
  const h = await openBenchDb(URL);
  const { db } = h;
  await ensureDefaultPolicies(db);
  const now = new Date();
  await load(h);
  const rnd = mulberry32(20261201);
  const [{ maxId } = { maxId: 0 }] = rowsOf<{ maxId: number }>(await db.execute(sql`select max(id)::int as "maxId" from customers`));
  console.log('Adding what is due.');
  await topUpDue(h, now, rnd);
  const counts = rowsOf<{ customers: number; events: number }>(
    await db.execute(
      sql`select (select count(*) from customers)::int as customers, (select count(*) from consent_events)::bigint::text::float8 as events`,
    ),
  )[0]!;
  console.log(`Database: ${counts.customers.toLocaleString('en')} customers, ${counts.events.toLocaleString('en')} consent events.`);

  // Other sessions' lock waits, sampled every 50 ms on a connection of its own.
  const watcher = postgres(URL, { max: 1, onnotice: () => {} });
  let longestWaitMs = 0;
  let writerSlowestMs = 0;
  let writes = 0;
  let running = true;
  const sampling = (async () => {
    while (running) {
      const [row] = await watcher`
        select coalesce(max(extract(epoch from clock_timestamp() - state_change) * 1000), 0)::float8 as ms
        from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
      longestWaitMs = Math.max(longestWaitMs, Number(row?.ms ?? 0));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  // A writer like the webhook: a withdrawal with its audit entry in one transaction, every 50 ms.
  const writing = (async () => {
    while (running) {
      const started = performance.now();
      await recordConsentEvent(
        db,
        {
          customerId: 1 + Math.floor(rnd() * maxId),
          channel: 'whatsapp',
          purpose: 'marketing',
          kind: 'withdrawn',
          occurredAt: new Date(),
          source: 'whatsapp_keyword',
          evidence: { messageId: `wamid.bench-writer.${Date.now()}.${writes}` },
        },
        null,
      );
      writerSlowestMs = Math.max(writerSlowestMs, performance.now() - started);
      writes++;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();

  const started = performance.now();
  const run = await runRetention(db, { settings: DEFAULT_RETENTION, startedBy: null, now });
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await Promise.all([sampling, writing]);
  await watcher.end();

  console.log('');
  console.log(`retention run                         ${seconds.toFixed(1).padStart(8)} s   (target: at most 300 s)`);
  console.log(`longest lock wait of another session  ${longestWaitMs.toFixed(0).padStart(8)} ms  (target: at most 1000 ms)`);
  console.log(`slowest consent write meanwhile       ${writerSlowestMs.toFixed(0).padStart(8)} ms  (${writes} writes)`);
  console.log(`removed: ${JSON.stringify(run.removed)}`);
  await h.close();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
