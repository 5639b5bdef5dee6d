// `npm run bench:send [-- --recipients N --seconds S]`: sends a WhatsApp campaign of about N recipients (default
// 300,000) through the fake Graph API on loopback, on PostgreSQL, with consent decided again for each recipient:
// 1. no rate limit, the worker in a child process killed twice along the way (SIGKILL) and started again: messages per
//    second, the worker's memory, and, from the fake's count of calls per number, that every recipient was sent at
//    most once, and each one either sent exactly once or skipped with a reason;
// 2. a rate of 80/s for S seconds (default 30): the measured rate against it.
// Uses BENCH_DATABASE_URL, by default a database of its own, and loads the benchmark customers when they are missing.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq, sql } from 'drizzle-orm';
import { messageDrafts, users } from '@/db/schema';
import { rowsOf } from '@/db/sql';
import { createSendCampaign } from '@/lib/campaigns/create';
import { graphSender, runSender } from '@/lib/campaigns/send';
import { applyStatuses } from '@/lib/campaigns/statuses';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { audienceCounts } from '@/lib/messages/audience';
import { writeSetting } from '@/lib/settings/app-settings';
import { startFakeGraph } from '@/lib/whatsapp/fake-graph';
import { parseStatuses } from '@/lib/whatsapp/payload';
import { argument, ensureReach, loadBenchCustomers, openBenchDb, topUpCustomers } from './lib';

const RECIPIENTS = argument('recipients', 300_000);
const SECONDS = argument('seconds', 30);
const URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench_send';
const MB = 1024 * 1024;
const fmt = (n: number) => Math.round(n).toLocaleString('en');

async function main() {
  const h = await openBenchDb(URL);
  const { db, client } = h;
  await ensureDefaultPolicies(db);
  const now = new Date();
  // Some customers with full ledgers, the rest without consent until ensureReach grants WhatsApp marketing through the
  // ledger: loading every ledger through the product's write path takes far longer than the sending it is for.
  await loadBenchCustomers(h, Math.min(50_000, RECIPIENTS), now);
  await topUpCustomers(h, Math.ceil(RECIPIENTS * 1.4));
  await client`analyze`;
  await ensureReach(h, RECIPIENTS, now);
  const email = 'bench-send@zgoda.local';
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email));
  const [created] = existing
    ? [existing]
    : await db
        .insert(users)
        .values({ email, name: 'Send benchmark', role: 'seller', passwordHash: '-', active: false })
        .returning({ id: users.id });
  const seller = { id: created!.id, role: 'seller' as const };
  // Every run sends to the same customers again: no cap, no quiet hours, so that each run measures the sending.
  await writeSetting(
    db,
    'campaign_sending',
    { ratePerSecond: 60, frequencyCap: 100, quietHours: { start: '00:00', end: '00:00' }, quietHoursByMarket: {} },
    seller.id,
  );
  // Earlier runs' campaigns are over; their leases too.
  await client`update campaigns set status = 'cancelled' where status in ('queued', 'sending', 'paused')`;
  await client`delete from campaign_send_leases`;

  // Markets largest first until about RECIPIENTS customers may be reached.
  const byMarket = await audienceCounts(db, 'marketing', { markets: [] }, now);
  const markets: string[] = [];
  let reach = 0;
  for (const m of [...byMarket.markets].sort((a, b) => b.allowed - a.allowed)) {
    if (reach >= RECIPIENTS) break;
    markets.push(m.market);
    reach += m.allowed;
  }
  const draftOf = async (name: string, audience: { markets: string[] }) => {
    const [draft] = await db
      .insert(messageDrafts)
      .values({
        name: `${name}_${Date.now()}`,
        category: 'marketing',
        language: 'pl',
        header: 'Kwiatek',
        body: 'Cześć {{1}}, w sklepie Kwiatek zaczyna się wiosenna wyprzedaż. Zapraszamy!',
        footer: 'Odpisz STOP, aby zrezygnować',
        sender: 'Kwiatek',
        examples: ['Anna'],
        variableFields: ['first_name'],
        audience,
        status: 'approved',
        authorId: seller.id,
      })
      .returning({ id: messageDrafts.id });
    return draft!.id;
  };

  // The statuses Meta would post: one `delivered` per message, applied as the webhook applies them.
  const receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const statuses = parseStatuses(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      applyStatuses(db, statuses)
        .then(() => res.writeHead(200).end())
        .catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as { port: number }).port;
  const fake = await startFakeGraph({
    webhookUrl: `http://127.0.0.1:${port}/`,
    recordMessages: false,
    webhookBatchSize: 500,
    webhookBatchMs: 200,
  });
  fake.control.statusFlow = ['delivered'];
  const phone = fake.control.phoneNumberId;

  // 1. No limit, the worker killed twice.
  const draftId = await draftOf('bench_send', { markets });
  const decided = await createSendCampaign(db, draftId, seller, { phoneNumberId: phone, ratePerSecond: 0, queue: async () => {} });
  if (!decided.ok) throw new Error(`send refused: ${decided.refusal}`);
  const total = decided.recipientCount;
  console.log(`\nPostgreSQL: campaign of ${fmt(total)} recipients (${markets.join(', ')}), no rate limit, the worker in a child process\n`);
  const rss: number[] = [];
  const runWorker = (killAt: number | null) =>
    new Promise<{ ms: number; calls: number; killed: boolean }>((resolve) => {
      const started = performance.now();
      const before = fake.control.messageCalls;
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/send-worker.ts', URL, phone, fake.url, fake.control.token], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      child.stdout.on('data', (d: Buffer) => {
        for (const line of d.toString().split('\n').filter(Boolean)) {
          // The worker's log lines share its stdout: only lines with a number for `rss` are samples.
          try {
            const sample = (JSON.parse(line) as { rss?: unknown }).rss;
            if (typeof sample === 'number') rss.push(sample);
          } catch {
            // not JSON: not a sample
          }
        }
      });
      const watch = setInterval(() => {
        if (killAt !== null && fake.control.messageCalls >= killAt) {
          clearInterval(watch);
          child.kill('SIGKILL');
        }
      }, 50);
      child.on('exit', (_code, signal) => {
        clearInterval(watch);
        resolve({ ms: performance.now() - started, calls: fake.control.messageCalls - before, killed: signal === 'SIGKILL' });
      });
    });
  const segments = [await runWorker(Math.floor(total * 0.3)), await runWorker(Math.floor(total * 0.6)), await runWorker(null)];
  const sendingMs = segments.reduce((s, x) => s + x.ms, 0);
  segments.forEach((s, i) =>
    console.log(
      `worker ${i + 1}: ${fmt(s.calls)} calls in ${(s.ms / 1000).toFixed(1)} s = ${fmt(s.calls / (s.ms / 1000))} messages/s${s.killed ? ' (then killed)' : ''}`,
    ),
  );
  console.log(
    `all: ${fmt(fake.control.messageCalls)} calls in ${(sendingMs / 1000).toFixed(1)} s = ${fmt(fake.control.messageCalls / (sendingMs / 1000))} messages/s, restarts included`,
  );
  const q = (p: number) => (rss[Math.min(rss.length - 1, Math.floor(p * rss.length))] ?? 0) / MB;
  const peak = rss.reduce((m, x) => Math.max(m, x), 0);
  console.log(
    `worker RSS (MB) at 0/25/50/75/100 % of the samples: ${[0, 0.25, 0.5, 0.75, 0.999].map((p) => q(p).toFixed(0)).join(' / ')}; peak ${(peak / MB).toFixed(0)} MB; ${rss.length} samples`,
  );
  await fake.control.flushWebhooks();
  await sleep(2000);

  // Every recipient against the fake's count of calls to its number.
  const counts = { sentOnce: 0, skipped: 0, skippedNoReason: 0, duplicates: 0, sentWithoutCall: 0, calledNotSent: 0, other: 0 };
  const reasons = new Map<string, number>();
  for (let after = 0; ;) {
    const rows = rowsOf<{ position: number; phone: string; status: string; reason: string | null }>(
      await db.execute(sql`select position, phone, status, reason from campaign_recipients
        where campaign_id = ${decided.campaignId} and position > ${after} order by position limit 20000`),
    );
    if (rows.length === 0) break;
    after = rows.at(-1)!.position;
    for (const r of rows) {
      const calls = fake.control.acceptedPerNumber.get(r.phone.replace(/\D/g, '')) ?? 0;
      if (calls > 1) counts.duplicates++;
      if (['sent', 'delivered', 'read'].includes(r.status)) {
        if (calls === 1) counts.sentOnce++;
        else counts.sentWithoutCall++;
      } else if (r.status === 'skipped') {
        counts.skipped++;
        if (!r.reason) counts.skippedNoReason++;
        reasons.set(r.reason ?? '', (reasons.get(r.reason ?? '') ?? 0) + 1);
        if (calls > 0) counts.calledNotSent++;
      } else {
        counts.other++;
        reasons.set(`${r.status}:${r.reason ?? ''}`, (reasons.get(`${r.status}:${r.reason ?? ''}`) ?? 0) + 1);
        if (calls > 0) counts.calledNotSent++;
      }
    }
  }
  console.log(
    `recipients: ${fmt(total)}; sent exactly once ${fmt(counts.sentOnce)}; skipped with a reason ${fmt(counts.skipped - counts.skippedNoReason)}; ` +
      `sent twice ${counts.duplicates}; marked sent without a call ${counts.sentWithoutCall}; called but not marked sent ${counts.calledNotSent}; neither ${counts.other}`,
  );
  if (reasons.size) console.log(`reasons: ${[...reasons].map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}`);

  // 2. 80 messages a second.
  const rated = await createSendCampaign(db, await draftOf('bench_send_rate', { markets }), seller, {
    phoneNumberId: phone,
    ratePerSecond: 80,
    queue: async () => {},
  });
  if (!rated.ok) throw new Error(`send refused: ${rated.refusal}`);
  const config = { baseUrl: fake.url, apiVersion: 'v25.0', phoneNumberId: phone, businessAccountId: '1', accessToken: fake.control.token };
  const before = fake.control.messageCalls;
  const started = performance.now();
  await runSender(db, phone, {
    sliceMs: SECONDS * 1000,
    send: graphSender(config),
  });
  const seconds = (performance.now() - started) / 1000;
  const rate = (fake.control.messageCalls - before) / seconds;
  console.log(
    `\nrate 80/s: ${fmt(fake.control.messageCalls - before)} calls in ${seconds.toFixed(1)} s = ${rate.toFixed(1)} messages/s (${(((rate - 80) / 80) * 100).toFixed(1)} % off)`,
  );
  await client`update campaigns set status = 'cancelled' where id = ${rated.campaignId}`;

  await fake.close();
  receiver.close();
  await h.close();
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
