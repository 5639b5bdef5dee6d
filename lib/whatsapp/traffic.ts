// WhatsApp webhook traffic as Meta sends it to a deployment of several instances: STOP, START, replies a person must
// read, plain replies, delivery statuses, stops from strangers, forged signatures, and messages re-sent (Meta retries
// when an answer is late) to another instance, some while the first is still being written. Then the check that
// every message was recorded exactly once, by its wamid. For the webhook load test, the two-instance e2e spec and the
// test of several writers at once.
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { customers } from '@/db/schema';
import { rowsOf } from '@/db/sql';
import { PURPOSES } from '@/lib/consent';
import type { RecordConsentInput } from '@/lib/consent-store/record';
import { recordConsentEvents } from '@/lib/consent-store/record';
import { mulberry32 } from '@/lib/random';
import { deliveryStatus, inboundMessage } from './samples';
import { signBody } from './signature';

/** What a POST carries; `duplicate` re-sends an earlier POST byte for byte, `forged` is signed with the wrong secret. */
export type Kind = 'stop' | 'start' | 'review' | 'plain' | 'status' | 'stranger' | 'duplicate' | 'forged';

export type Post = { kind: Kind; body: string; signature: string; target: number; wamid: string | null };

export type Plan = {
  /** The wamids of this plan start with it, so that its check counts its own rows only. */
  prefix: string;
  /** Phones of customers the plan's messages come from (one customer each); insert them before sending. */
  phones: string[];
  posts: Post[];
  /** wamids that must be in the ledger (STOP, START) or in the review queue, once each. */
  ledgerIds: string[];
  reviewIds: string[];
};

// Shares of the original messages; duplicates and forgeries come on top.
const MIX: ReadonlyArray<[Exclude<Kind, 'duplicate' | 'forged'>, number]> = [
  ['stop', 0.35],
  ['start', 0.15],
  ['review', 0.1],
  ['plain', 0.1],
  ['status', 0.22],
  ['stranger', 0.08],
];
const DUPLICATES = 0.1;
const FORGED = 0.02;

const TEXT: Record<'stop' | 'start' | 'review' | 'plain' | 'stranger', readonly string[]> = {
  stop: ['STOP', 'Stopp', 'stop please', 'ABMELDEN'],
  start: ['START'],
  review: ['Where did you get my number?', 'Please stop sending me these'],
  plain: ['Thanks!', 'When will my parcel arrive?', 'ok'],
  stranger: ['STOP'],
};

/**
 * `messages` original messages over `targets` instances, from customers holding `messages / 3` phones (so that one
 * phone's STOP and START often reach different instances at once). `series` (0-9) keeps phones of separate runs on
 * one database apart.
 */
export function planTraffic(opts: { messages: number; targets: number; secret: string; seed?: number; series?: number; now?: Date }): Plan {
  const rnd = mulberry32(opts.seed ?? 7);
  const now = (opts.now ?? new Date()).getTime();
  const series = opts.series ?? 0;
  const prefix = `wamid.L${randomBytes(4).toString('hex')}.`;
  const phone = (i: number) => `+4917${series}${String(i).padStart(8, '0')}`;
  const phones = Array.from({ length: Math.max(1, Math.ceil(opts.messages / 3)) }, (_, i) => phone(i));
  const strangers = (i: number) => phone(50_000_000 + i);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const signed = (json: unknown, secret = opts.secret) => {
    const body = JSON.stringify(json);
    return { body, signature: signBody(body, secret) };
  };
  const at = () => new Date(now - Math.floor(rnd() * 3_600_000));

  const originals: Post[] = [];
  for (let i = 0; i < opts.messages; i++) {
    let r = rnd();
    const kind = MIX.find(([, share]) => (r -= share) < 0)?.[0] ?? 'plain';
    const target = i % opts.targets;
    if (kind === 'status') {
      originals.push({ kind, ...signed(deliveryStatus(pick(phones), at())), target, wamid: null });
      continue;
    }
    const wamid = `${prefix}${i}`;
    const from = kind === 'stranger' ? strangers(i) : pick(phones);
    originals.push({
      kind,
      ...signed(inboundMessage(from, { type: 'text', text: pick(TEXT[kind]) }, { id: wamid, at: at() })),
      target,
      wamid,
    });
  }
  const posts = [...originals];
  for (let i = posts.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [posts[i], posts[j]] = [posts[j]!, posts[i]!];
  }
  // Meta's retries go to whichever instance the load balancer picks: here always the other one. Half arrive right
  // after the original (both in flight at once), half later.
  const retried = originals.filter((p) => p.wamid !== null && rnd() < DUPLICATES);
  for (const original of retried) {
    const duplicate: Post = { ...original, kind: 'duplicate', target: (original.target + 1) % opts.targets };
    const position = rnd() < 0.5 ? posts.indexOf(original) + 1 : Math.floor(rnd() * (posts.length + 1));
    posts.splice(position, 0, duplicate);
  }
  const forged = Math.round(opts.messages * FORGED);
  for (let i = 0; i < forged; i++) {
    const wamid = `${prefix}forged${i}`;
    const post: Post = {
      kind: 'forged',
      ...signed(inboundMessage(pick(phones), { type: 'text', text: 'STOP' }, { id: wamid, at: at() }), 'not-the-app-secret'),
      target: i % opts.targets,
      wamid,
    };
    posts.splice(Math.floor(rnd() * (posts.length + 1)), 0, post);
  }
  return {
    prefix,
    phones,
    posts,
    ledgerIds: originals.filter((p) => p.kind === 'stop' || p.kind === 'start').map((p) => p.wamid!),
    reviewIds: originals.filter((p) => p.kind === 'review').map((p) => p.wamid!),
  };
}

const MARKETS = ['DE', 'PL', 'FR', 'AT'];

/**
 * The plan's customers, one per phone, spread over markets; two in three granted WhatsApp marketing and transactional
 * messages a month ago, so that a STOP or a START moves them between the coverage aggregates as in a running shop.
 */
export async function insertCustomers(db: Queryable, plan: Plan, source: string, markets: readonly string[] = MARKETS): Promise<void> {
  const granted = new Date(Date.now() - 30 * 86_400_000);
  for (let i = 0; i < plan.phones.length; i += 2000) {
    const rows = plan.phones.slice(i, i + 2000).map((phone, j) => ({ market: markets[(i + j) % markets.length]!, phone, source }));
    const ids = await db.insert(customers).values(rows).returning({ id: customers.id });
    const grants = ids
      .filter((_, j) => (i + j) % 3 !== 2)
      .flatMap(({ id }) =>
        PURPOSES.map((purpose): RecordConsentInput => ({
          customerId: id,
          channel: 'whatsapp',
          purpose,
          kind: 'granted',
          occurredAt: granted,
          source: 'checkout',
          evidence: { wording: 'Send me order updates and offers on WhatsApp', formVersion: 'load-test' },
        })),
      );
    const recorded = await recordConsentEvents(db, grants, null);
    if (!recorded.ok) throw new Error(recorded.message);
  }
  await db.execute(sql`analyze customers`);
}

export type SendResult = {
  seconds: number;
  /** Latency of every HTTP request, retries included. */
  latencies: number[];
  /** Final answers per kind and status (`stop 200`). */
  answers: Map<string, number>;
  /** 503 answers, first attempts and retries alike; POSTs that only ever got 503 or no answer. */
  unavailable: number;
  gaveUp: number;
};

const EXPECTED: Record<Kind, number> = {
  stop: 200,
  start: 200,
  review: 200,
  plain: 200,
  status: 200,
  stranger: 200,
  duplicate: 200,
  forged: 401,
};

/** Whether every POST got its expected final answer (200, or 401 for a forgery). */
export function answersAsExpected(plan: Plan, result: SendResult): boolean {
  const expected = new Map<string, number>();
  for (const p of plan.posts) expected.set(`${p.kind} ${EXPECTED[p.kind]}`, (expected.get(`${p.kind} ${EXPECTED[p.kind]}`) ?? 0) + 1);
  return expected.size === result.answers.size && [...expected].every(([k, n]) => result.answers.get(k) === n);
}

/**
 * Posts the plan to `targets` (base URLs), `concurrency` at a time. A 503 or a refused connection is retried after a
 * pause, as Meta does, up to `attempts` times.
 */
export async function sendTraffic(
  plan: Plan,
  targets: readonly string[],
  opts: { concurrency: number; attempts?: number },
): Promise<SendResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const attempts = opts.attempts ?? 8;
  const latencies: number[] = [];
  const answers = new Map<string, number>();
  let unavailable = 0;
  let gaveUp = 0;
  const once = (post: Post): Promise<number> => {
    const start = performance.now();
    const body = Buffer.from(post.body);
    return new Promise((resolve) => {
      const request = http.request(
        `${targets[post.target]}/api/webhooks/whatsapp`,
        {
          method: 'POST',
          agent,
          headers: { 'Content-Type': 'application/json', 'Content-Length': body.length, 'X-Hub-Signature-256': post.signature },
        },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(performance.now() - start);
            resolve(response.statusCode ?? 0);
          });
          response.on('error', () => resolve(0));
        },
      );
      request.on('socket', (socket) => socket.setNoDelay(true));
      request.on('error', () => resolve(0));
      request.end(body);
    });
  };
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: opts.concurrency }, async () => {
      while (next < plan.posts.length) {
        const post = plan.posts[next++]!;
        let status = 0;
        for (let attempt = 1; attempt <= attempts; attempt++) {
          status = await once(post);
          if (status !== 503 && status !== 0) break;
          if (status === 503) unavailable++;
          await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
        }
        if (status === 503 || status === 0) gaveUp++;
        const key = `${post.kind} ${status}`;
        answers.set(key, (answers.get(key) ?? 0) + 1);
      }
    }),
  );
  agent.destroy();
  return { seconds: (performance.now() - started) / 1000, latencies, answers, unavailable, gaveUp };
}

export type Recorded = {
  /** STOP/START wamids with no ledger event, replies to review not in the queue. */
  lost: number;
  /** wamids written more than once: two events for one customer and purpose, or two queue rows. */
  duplicated: number;
  /** Anything written for a forged POST. */
  forged: number;
  events: number;
  reviews: number;
};

/** Counts, by wamid, what the database holds of the plan's messages. */
export async function checkRecorded(db: Queryable, plan: Plan): Promise<Recorded> {
  const like = `${plan.prefix}%`;
  const events = rowsOf<{ message_id: string; n: number }>(
    await db.execute(sql`select evidence->>'messageId' as message_id, count(*)::int as n from consent_events
      where evidence->>'messageId' like ${like} group by evidence->>'messageId', customer_id, purpose`),
  );
  const reviews = rowsOf<{ message_id: string; n: number }>(
    await db.execute(sql`select message_id, count(*)::int as n from reply_reviews where message_id like ${like} group by message_id`),
  );
  const inLedger = new Set(events.map((e) => e.message_id));
  const inQueue = new Set(reviews.map((r) => r.message_id));
  const forgedPrefix = `${plan.prefix}forged`;
  return {
    lost: plan.ledgerIds.filter((id) => !inLedger.has(id)).length + plan.reviewIds.filter((id) => !inQueue.has(id)).length,
    duplicated: [...events, ...reviews].filter((r) => r.n > 1).length,
    forged: [...events, ...reviews].filter((r) => r.message_id.startsWith(forgedPrefix)).length,
    events: events.reduce((sum, e) => sum + e.n, 0),
    reviews: reviews.reduce((sum, r) => sum + r.n, 0),
  };
}
