// `npm run bench:api [-- --customers 1000000 --ledgers 200000 --seconds 20 --concurrency 16 --port 3390]`: the consent
// API over HTTP with keep-alive, on the production server (`next build` first) and PostgreSQL with a million customers,
// the first 200,000 with about 8 consent events each loaded through the product's write path and the rest added in SQL
// without consent (loaded once into BENCH_DATABASE_URL, default .../zgoda_bench_api).
// Measures the decision endpoint (decisions/s and p50/p95/p99 from 2, 4, 8 and the given number of connections; lookups
// by id, external id and e-mail) and consent events recorded through the API (events/s, at the given concurrency).
// Targets: >= 1,000 decisions/s answered within 10 ms p95, >= 300 events/s.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { eq } from 'drizzle-orm';
import { customers, users } from '@/db/schema';
import { createApiKey } from '@/lib/api/keys';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import { randomSecrets, startInstances } from '../../e2e/instances';
import { argument, loadBenchCustomers, openBenchDb, percentile, topUpCustomers } from './lib';

const CUSTOMERS = argument('customers', 1_000_000);
const LEDGERS = Math.min(argument('ledgers', 200_000), CUSTOMERS);
const SECONDS = argument('seconds', 20);
const CONCURRENCY = argument('concurrency', 16);
const PORT = argument('port', 3390);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/zgoda_bench_api';

const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function request(base: string, method: 'GET' | 'POST', path: string, key: string, body?: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          authorization: `Bearer ${key}`,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

/** Runs `concurrency` callers in a loop for `seconds`; returns each call's latency (ms) and the statuses seen. */
async function sustain(seconds: number, concurrency: number, call: (i: number) => Promise<number>) {
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  const until = performance.now() + seconds * 1000;
  let n = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const status = await call(n++);
        latencies.push(performance.now() - t);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { latencies, statuses, perSecond: latencies.length / elapsed };
}

const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

async function main() {
  const h = await openBenchDb(DATABASE_URL);
  await loadBenchCustomers(h, LEDGERS, new Date());
  await topUpCustomers(h, CUSTOMERS);
  // Earlier runs' events leave dead rows behind, which a server without autovacuum would keep: each run starts clean.
  await h.client`vacuum analyze`;
  await ensureDefaultPolicies(h.db);
  const [first] = await h.db.select({ id: customers.id }).from(customers).orderBy(customers.id).limit(1);
  const count = await h.db.$count(customers);
  const minId = first!.id;

  const secrets = randomSecrets();
  // The server hashes the key with its SUPPRESSION_KEY: the key is made with the same one.
  process.env.SUPPRESSION_KEY = secrets.SUPPRESSION_KEY;
  const [admin] = await h.db
    .insert(users)
    .values({ email: `bench-api-${Date.now()}@zgoda.bench`, name: 'API bench', role: 'admin', passwordHash: 'x', active: false })
    .returning({ id: users.id });
  const { key } = await createApiKey(h.db, { name: 'bench', scopes: ['consent:write', 'decisions:read', 'customers:write'] }, admin!.id);

  console.log(`Consent API on PostgreSQL with ${count.toLocaleString('en')} customers, ${CONCURRENCY} keep-alive connections\n`);
  const instances = await startInstances({
    ports: [PORT],
    databaseUrl: DATABASE_URL,
    secrets,
    env: { API_RATE_LIMIT: '1000000', LOG_LEVEL: 'warn', NODE_ENV: 'production' },
  });
  const base = instances.list[0]!.baseUrl;
  try {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const someId = () => minId + Math.floor(rnd() * count);
    const channels = ['email', 'sms', 'whatsapp', 'phone'];
    const purposes = ['marketing', 'transactional'];
    const decisionPath = (i: number) => {
      const n = someId() - minId + 1;
      const by = i % 3 === 0 ? `externalId=B${n}` : i % 3 === 1 ? `customerId=${someId()}` : `email=c${n}%40example.com`;
      return `/api/v1/decision?${by}&channel=${channels[i % 4]}&purpose=${purposes[(i >> 2) % 2]}`;
    };
    // Warm-up: the server's first requests compile and connect.
    await sustain(3, CONCURRENCY, (i) => request(base, 'GET', decisionPath(i), key));

    // The same calls from 2, 4, 8 and --concurrency connections: each connection waits for its answer before it asks
    // again, so more connections only queue more calls once the server is busy (p95 grows with them, not throughput).
    // The target holds where the endpoint sustains 1,000 decisions/s and answers within 10 ms p95 at once.
    console.log('decision (GET /api/v1/decision, by externalId, customerId and e-mail in turn)');
    console.log('  connections   decisions/s        p50        p95        p99   statuses');
    const levels: Array<{ connections: number; perSecond: number; p95: number }> = [];
    for (const connections of [...new Set([2, 4, 8, CONCURRENCY])].sort((a, b) => a - b)) {
      const run = await sustain(SECONDS, connections, (i) => request(base, 'GET', decisionPath(i), key));
      const d = run.latencies;
      levels.push({ connections, perSecond: run.perSecond, p95: percentile(d, 95) });
      console.log(
        `  ${String(connections).padStart(11)}   ${run.perSecond.toFixed(0).padStart(11)}   ${[50, 95, 99].map((p) => fmt(percentile(d, p)).padStart(8)).join('   ')}   ${JSON.stringify(Object.fromEntries(run.statuses))}`,
      );
    }
    // What the server answers with no work of the endpoint at all: a key of the wrong form is refused (401) before the
    // database is asked. The ceiling of any endpoint on this machine, with this load generator beside it.
    const bare = await sustain(5, CONCURRENCY, () =>
      request(base, 'GET', '/api/v1/decision?customerId=1&channel=email&purpose=marketing', 'x'),
    );
    console.log(
      `  for comparison, a call refused before any database work (401): ${bare.perSecond.toFixed(0)}/s, p50 ${fmt(percentile(bare.latencies, 50))}`,
    );

    const occurred = new Date(Date.now() - 60_000).toISOString();
    const events = await sustain(SECONDS, CONCURRENCY, (i) =>
      request(base, 'POST', '/api/v1/consent-events', key, {
        customerId: someId(),
        channel: channels[i % 4],
        purpose: purposes[(i >> 2) % 2],
        kind: i % 5 === 4 ? 'confirmed' : 'granted',
        occurredAt: occurred,
        source: 'checkout',
        evidence: { wording: 'Yes, send me offers.', formVersion: 'checkout v7', ip: '203.0.113.7', userAgent: 'bench' },
      }),
    );
    const e = events.latencies;
    console.log('\nconsent events (POST /api/v1/consent-events, grants and confirmations with evidence)');
    console.log(`  p50 ${fmt(percentile(e, 50))}   p95 ${fmt(percentile(e, 95))}   p99 ${fmt(percentile(e, 99))}`);
    console.log(
      `  ${events.perSecond.toFixed(0)} events/s sustained over ${SECONDS} s (statuses ${JSON.stringify(Object.fromEntries(events.statuses))})`,
    );

    const met = levels.filter((l) => l.perSecond >= 1000 && l.p95 <= 10);
    const best = [...(met.length > 0 ? met : levels)].sort((x, y) => y.perSecond - x.perSecond)[0]!;
    const level = (l: (typeof levels)[number]) => `${l.perSecond.toFixed(0)}/s, p95 ${fmt(l.p95)}, at ${l.connections} connections`;
    console.log(
      `\ntargets: >= 1000 decisions/s at p95 <= 10 ms ${met.length > 0 ? `met (${level(best)})` : `MISSED (best ${level(best)})`}; ${events.perSecond.toFixed(0)} events/s >= 300 ${events.perSecond >= 300 ? 'met' : 'MISSED'}`,
    );
  } finally {
    agent.destroy();
    await instances.stop();
    await h.db.update(users).set({ active: false }).where(eq(users.id, admin!.id));
    await h.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
