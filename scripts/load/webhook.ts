// `npm run load:webhook [-- --messages 20000 --concurrency 50 --port 3290]`: a bounded load test of the WhatsApp
// webhook on loopback. Starts the production build (`next build` first if there is none) against a fresh PostgreSQL
// database, sends signed STOP messages from as many customers with 5 % duplicates and 5 % forged signatures, prints
// throughput and latency, then checks the database: each valid message withdrew once, duplicates and forgeries nothing.
// A warm-up of 1,000 STOPs from customers of its own goes first and is not measured.
// Target: at least 500 messages/s, p99 at most 200 ms.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { sql } from 'drizzle-orm';
import { openDb } from '@/db';
import { migrateDb } from '@/db/migrate';
import { rowsOf } from '@/db/sql';
import { customers } from '@/db/schema';
import { mulberry32 } from '@/lib/random';
import { deliveryStatus, inboundMessage } from '@/lib/whatsapp/samples';
import { signBody } from '@/lib/whatsapp/signature';
import { argument, percentile } from '../bench/lib';

const MESSAGES = argument('messages', 20_000);
const CONCURRENCY = argument('concurrency', 50);
const WARMUP = 1000;
const PORT = argument('port', 3290);
const DB_URL = process.env.LOAD_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_load_webhook';
const SECRET = randomBytes(24).toString('hex');
const BASE = `http://127.0.0.1:${PORT}`;

type Request = { body: string; signature: string; kind: 'valid' | 'duplicate' | 'forged' };

async function freshDatabase(): Promise<void> {
  const url = new URL(DB_URL);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
}

function startServer(dataDir: string) {
  const root = process.cwd();
  if (!fs.existsSync(path.join(root, '.next', 'BUILD_ID'))) {
    console.log('No production build yet: running next build.');
    const built = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('next/dist/bin/next'), 'build'], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error('next build failed');
  }
  const child = spawn(process.execPath, [createRequire(import.meta.url).resolve('next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(PORT)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: DB_URL,
      DATABASE_POOL_SIZE: process.env.DATABASE_POOL_SIZE ?? '20',
      WHATSAPP_APP_SECRET: SECRET,
      AUTH_SECRET: randomBytes(32).toString('base64url'),
      SUPPRESSION_KEY: randomBytes(32).toString('base64url'),
      ZGODA_DATA_DIR: dataDir,
    },
  });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  return { child, log: () => log };
}

async function waitUntilUp(timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      const r = await fetch(`${BASE}/api/webhooks/whatsapp?hub.mode=subscribe`);
      if (r.status === 403) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not start');
}

// A plain keep-alive HTTP client: lighter than fetch, so that the load generator takes less of the machine it shares.
const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function post(r: Pick<Request, 'body' | 'signature'>): Promise<{ status: number; ms: number }> {
  const start = performance.now();
  const body = Buffer.from(r.body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${BASE}/api/webhooks/whatsapp`,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Hub-Signature-256': r.signature } },
      (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - start }));
        response.on('error', reject);
      },
    );
    request.on('socket', (socket) => socket.setNoDelay(true));
    request.on('error', reject);
    request.end(body);
  });
}

async function run<T>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

async function main() {
  console.log(`Load test: ${MESSAGES.toLocaleString('en')} signed STOP messages, ${CONCURRENCY} in flight, +5 % duplicates, +5 % forged.`);
  await freshDatabase();
  const h = await openDb({ url: DB_URL });
  await migrateDb(h);
  const extra = Math.round(MESSAGES * 0.05);
  const phones = Array.from({ length: MESSAGES + extra }, (_, i) => `+4917${String(100_000_000 + i)}`);
  for (let i = 0; i < phones.length; i += 5000) {
    await h.db.insert(customers).values(phones.slice(i, i + 5000).map((phone) => ({ market: 'DE', phone, source: 'load_test' })));
  }
  const warmupPhones = Array.from({ length: WARMUP }, (_, i) => `+4916${String(100_000_000 + i)}`);
  await h.db.insert(customers).values(warmupPhones.map((phone) => ({ market: 'DE', phone, source: 'load_warmup' })));
  // Statistics for the customers just loaded, as a running database has them.
  await h.db.execute(sql`analyze customers`);

  const rnd = mulberry32(7);
  const now = Date.now();
  const message = (phone: string, id: string) => {
    const body = JSON.stringify(inboundMessage(phone, { type: 'text', text: rnd() < 0.5 ? 'STOP' : 'Stopp' }, { id, at: new Date(now - Math.floor(rnd() * 3_600_000)) }));
    return { body, signature: signBody(body, SECRET) };
  };
  const valid: Request[] = phones.slice(0, MESSAGES).map((phone, i) => ({ ...message(phone, `wamid.LOAD${i}`), kind: 'valid' }));
  const duplicates: Request[] = Array.from({ length: extra }, () => ({ ...valid[Math.floor(rnd() * valid.length)]!, kind: 'duplicate' }));
  const forged: Request[] = phones.slice(MESSAGES).map((phone, i) => {
    const m = message(phone, `wamid.FORGED${i}`);
    return { body: m.body, signature: signBody(m.body, 'not-the-app-secret'), kind: 'forged' };
  });
  const requests = [...valid, ...duplicates, ...forged];
  for (let i = requests.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [requests[i], requests[j]] = [requests[j]!, requests[i]!];
  }

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zgoda-load-'));
  const server = startServer(dataDir);
  try {
    await waitUntilUp();
    // Warm-up, not measured: delivery statuses (parsed and answered, nothing written), then STOPs of customers of
    // their own, so that the server's code and every pooled connection's plans are warm as in a running system.
    await run(Array.from({ length: 200 }, (_, i) => i), CONCURRENCY, async () => {
      const body = JSON.stringify(deliveryStatus('+4917000000000', new Date()));
      await post({ body, signature: signBody(body, SECRET) });
    });
    await run(warmupPhones, CONCURRENCY, async (phone) => {
      const { status } = await post(message(phone, `wamid.WARM${phone}`));
      if (status !== 200) throw new Error(`warm-up STOP answered ${status}`);
    });

    const latencies: number[] = [];
    const statuses = new Map<string, number>();
    const started = performance.now();
    await run(requests, CONCURRENCY, async (r) => {
      const { status, ms } = await post(r);
      latencies.push(ms);
      const key = `${r.kind} ${status}`;
      statuses.set(key, (statuses.get(key) ?? 0) + 1);
    });
    const seconds = (performance.now() - started) / 1000;

    console.log(
      `\n${requests.length.toLocaleString('en')} messages (${MESSAGES.toLocaleString('en')} valid STOPs, ${extra} duplicates, ${extra} forged) ` +
        `in ${seconds.toFixed(1)} s: ${(requests.length / seconds).toFixed(0)} messages/s, of which valid STOPs ${(MESSAGES / seconds).toFixed(0)}/s`,
    );
    console.log(`latency p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`);
    console.log(`answers: ${[...statuses].sort().map(([k, n]) => `${k}: ${n}`).join(', ')}`);

    const [check] = rowsOf<Record<string, number>>(await h.db.execute(sql`
      select
        (select count(*) from consent_events where evidence->>'messageId' like 'wamid.LOAD%')::int as events,
        (select count(distinct evidence->>'messageId') from consent_events where evidence->>'messageId' like 'wamid.LOAD%')::int as messages,
        (select coalesce(max(n), 0) from (select count(*) as n from consent_events where evidence->>'messageId' like 'wamid.LOAD%'
           group by evidence->>'messageId', purpose) x)::int as most_per_message_purpose,
        (select count(*) from consent_events where evidence->>'messageId' like 'wamid.FORGED%')::int as forged_events,
        (select count(*) from consent_state s join customers c on c.id = s.customer_id
           where c.source = 'load_test' and s.channel = 'whatsapp' and s.purpose = 'marketing' and s.status = 'withdrawn')::int as withdrawn_customers,
        (select coalesce(sum(n), 0) from opt_outs_daily where source = 'whatsapp_keyword')::int as opt_outs`));
    const c = check as unknown as { events: number; messages: number; most_per_message_purpose: number; forged_events: number; withdrawn_customers: number; opt_outs: number };
    const expected = {
      events: MESSAGES * 2,
      messages: MESSAGES,
      most_per_message_purpose: 1,
      forged_events: 0,
      withdrawn_customers: MESSAGES,
      opt_outs: MESSAGES + WARMUP,
    };
    const okAnswers = statuses.get(`valid 200`) === MESSAGES && statuses.get(`duplicate 200`) === extra && statuses.get(`forged 401`) === extra;
    console.log(`\ndatabase: ${JSON.stringify(c)}`);
    const dbOk = Object.entries(expected).every(([k, v]) => c[k as keyof typeof c] === v);
    console.log(dbOk && okAnswers ? 'check: every valid message withdrew exactly once (both WhatsApp purposes, one opt-out); duplicates and forgeries wrote nothing' : `check FAILED, expected ${JSON.stringify(expected)}`);
    const rate = requests.length / seconds;
    console.log(`target: >= 500 messages/s (${rate >= 500 ? 'met' : 'missed'}), p99 <= 200 ms (${percentile(latencies, 99) <= 200 ? 'met' : 'missed'})`);
    if (!dbOk || !okAnswers) process.exitCode = 1;
  } catch (error) {
    console.error(server.log().slice(-4000));
    throw error;
  } finally {
    server.child.kill('SIGTERM');
    await h.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
