// Demo users and realistic, deterministic demo data: `npm run db:seed`, and on first start of an empty demo database
// (the embedded one, or PostgreSQL with ZGODA_DEMO=1). A real install is never seeded.
import type { Db, DbHandle } from './index';
import { migrateDb } from './migrate';
import type { ConsentEvidence } from './schema';
import { runAsScript } from './script';
import { complaints, consentEvents, customers, users } from './schema';
import { COMPLAINT_TEXTS, CUSTOMER_SOURCES, GRANT_WORDING, MARKET_WEIGHTS, MOBILE, NAMES, WITHDRAWAL_SOURCES } from './demo-data';
import { writeAudit } from '@/lib/audit/write';
import { hashPassword } from '@/lib/auth/password';
import { mulberry32 } from '@/lib/random';
import type { Role } from '@/lib/auth/roles';
import type { Channel, Purpose } from '@/lib/consent';
import { ensureDefaultPolicies } from '@/lib/consent-store/policies';
import type { RecordConsentInput } from '@/lib/consent-store/record';
import { backfillConsentIntervals, rebuildConsentState } from '@/lib/consent-store/project';
import { isDemo } from '@/lib/setup/demo';
import { applySuppressionsOnce } from '@/lib/suppressions/contact-point';

export const DEMO_PASSWORD = 'zgoda-demo-2026';
export const DEMO_USERS: Array<{ email: string; name: string; role: Role }> = [
  { email: 'admin@zgoda.demo', name: 'Alicja Nowak', role: 'admin' },
  { email: 'seller@zgoda.demo', name: 'Szymon Wiśniewski', role: 'seller' },
  { email: 'support@zgoda.demo', name: 'Zuzanna Kowalczyk', role: 'support' },
  { email: 'manager@zgoda.demo', name: 'Marek Lewandowski', role: 'manager' },
];

const DAY = 86_400_000;

/** A small deterministic random source (mulberry32), so every seed produces the same customers. */
function random(seed: number) {
  const next = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const chance = (p: number) => next() < p;
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(next() * 10)).join('');
  const weighted = <T>(items: ReadonlyArray<readonly [T, number]>): T => {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = next() * total;
    for (const [item, w] of items) if ((r -= w) < 0) return item;
    return items[items.length - 1]![0];
  };
  return { next, pick, chance, digits, weighted };
}
type Rng = ReturnType<typeof random>;

/** Polish surnames agree with the first name's gender: Kowalski, Kowalska. */
function agreeSurname(market: string, first: string, last: string): string {
  if (market !== 'PL') return last;
  const female = first.endsWith('a');
  if (female && /(ski|cki|dzki)$/.test(last)) return `${last.slice(0, -1)}a`;
  if (!female && /(ska|cka|dzka)$/.test(last)) return `${last.slice(0, -1)}i`;
  return last;
}

function asciiSlug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ß/g, 'ss')
    .toLowerCase()
    .replace(/[^a-z]+/g, '');
}

type DemoEvent = Omit<RecordConsentInput, 'customerId' | 'idempotencyKey'> & { recordedBy: number | null };

const USER_AGENTS = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36',
  'Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Mobile Safari/537.36',
];

function demoLedger(
  rng: Rng,
  c: { market: string; language: string; hasEmail: boolean; hasPhone: boolean; since: Date; now: Date },
  supportUserId: number,
): DemoEvent[] {
  const events: DemoEvent[] = [];
  const lang = ['pl', 'de', 'fr'].includes(c.language) ? c.language : 'en';
  const span = c.now.getTime() - c.since.getTime();
  const between = (from: Date, to: Date) => new Date(from.getTime() + rng.next() * Math.max(0, to.getTime() - from.getTime()));
  const web = (): ConsentEvidence => ({
    ip: `${rng.pick([83, 89, 91, 178, 185, 217])}.${rng.digits(2)}.${rng.digits(2)}.${rng.digits(2)}`.replace(/\.0(\d)/g, '.$1'),
    userAgent: rng.pick(USER_AGENTS),
  });

  const grant = (channel: Channel, purpose: Purpose, opts: { doubleOptIn: boolean; confirmP: number; withdrawP: number }) => {
    // Consent is mostly given around sign-up (checkout, newsletter form), sometimes weeks later.
    const at = new Date(c.since.getTime() + rng.next() * Math.min(span, 20 * DAY));
    const byPhone = channel === 'phone';
    const source = byPhone ? 'support_call' : purpose === 'transactional' ? 'checkout' : rng.pick(['web_form', 'checkout']);
    events.push({
      channel,
      purpose,
      kind: 'granted',
      occurredAt: at,
      source,
      recordedBy: byPhone ? supportUserId : null,
      evidence: byPhone
        ? { wording: GRANT_WORDING.phone![lang], proofReference: `call recording ${rng.digits(6)}` }
        : {
            wording: GRANT_WORDING[channel]![lang],
            formVersion: source === 'checkout' ? 'checkout v3' : 'newsletter form v2',
            doubleOptIn: opts.doubleOptIn || undefined,
            ...web(),
          },
    });
    let last = at;
    if (opts.doubleOptIn && rng.chance(opts.confirmP)) {
      last = new Date(at.getTime() + rng.next() * 2 * DAY);
      if (last > c.now) last = c.now;
      events.push({
        channel,
        purpose,
        kind: 'confirmed',
        occurredAt: last,
        source: 'double_opt_in',
        recordedBy: null,
        evidence:
          channel === 'email'
            ? { proofReference: `confirmation link ${rng.digits(8)}`, ...web() }
            : { messageId: `wamid.demo${rng.digits(12)}` },
      });
    }
    if (rng.chance(opts.withdrawP)) {
      // Opt-outs lean towards recent weeks, as they did after the WhatsApp campaigns.
      const recent = rng.chance(0.5);
      const from = recent ? new Date(Math.max(last.getTime(), c.now.getTime() - 35 * DAY)) : last;
      const source =
        channel === 'whatsapp'
          ? rng.pick(['whatsapp_keyword', 'whatsapp_keyword', 'support_call', 'complaint'])
          : rng.pick(WITHDRAWAL_SOURCES.filter((s) => s !== 'whatsapp_keyword'));
      events.push({
        channel,
        purpose,
        kind: 'withdrawn',
        occurredAt: between(from, c.now),
        source,
        recordedBy: source === 'support_call' || source === 'complaint' ? supportUserId : null,
        evidence:
          source === 'whatsapp_keyword'
            ? { messageId: `wamid.demo${rng.digits(12)}`, reason: rng.pick(['STOP', 'Stopp', 'REZYGNUJ', 'ARRÊT']) }
            : { reason: rng.pick(['Customer asked to stop messages', 'No longer interested', 'Unsubscribe link in newsletter']) },
      });
    }
  };

  const de = c.market === 'DE';
  if (c.hasEmail && rng.chance(0.5)) grant('email', 'marketing', { doubleOptIn: de || rng.chance(0.3), confirmP: 0.85, withdrawP: 0.12 });
  if (c.hasPhone && rng.chance(0.45)) grant('whatsapp', 'transactional', { doubleOptIn: false, confirmP: 0, withdrawP: 0.06 });
  if (c.hasPhone && rng.chance(0.28)) grant('whatsapp', 'marketing', { doubleOptIn: de, confirmP: 0.8, withdrawP: 0.18 });
  if (c.hasPhone && rng.chance(0.2)) grant('sms', 'marketing', { doubleOptIn: de, confirmP: 0.85, withdrawP: 0.1 });
  if (c.hasPhone && rng.chance(0.06)) grant('phone', 'marketing', { doubleOptIn: false, confirmP: 0, withdrawP: 0.1 });
  if (c.hasEmail && rng.chance(0.02)) {
    events.push({
      channel: 'email',
      purpose: 'transactional',
      kind: 'withdrawn',
      occurredAt: between(c.since, c.now),
      source: 'support_call',
      recordedBy: supportUserId,
      evidence: { reason: 'Objects to any e-mail; order updates by SMS only' },
    });
  }
  return events;
}

export async function seedUsers(db: Db): Promise<Map<string, number>> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const rows = await db
    .insert(users)
    .values(DEMO_USERS.map((u) => ({ ...u, passwordHash })))
    .returning({ id: users.id, role: users.role });
  return new Map(rows.map((r) => [r.role, r.id]));
}

/** Fills an empty database with demo users, rules, customers, six months of consent events and complaints. */
export async function seedDemo(db: Db, opts: { customers?: number; now?: Date } = {}): Promise<{ customers: number; events: number }> {
  const total = opts.customers ?? 5000;
  const now = opts.now ?? new Date();
  const rng = random(2026);
  await ensureDefaultPolicies(db);
  const userIds = await seedUsers(db);
  const supportId = userIds.get('support')!;
  const since = new Date(now.getTime() - 182 * DAY);
  const markets = MARKET_WEIGHTS.map(([m, w]) => [m, w] as const);

  let events = 0;
  const CHUNK = 500;
  const allIds: number[] = [];
  for (let start = 0; start < total; start += CHUNK) {
    const batch = Array.from({ length: Math.min(CHUNK, total - start) }, (_, i) => {
      const n = start + i;
      const market = rng.weighted(markets);
      const names = NAMES[market]!;
      const mobile = MOBILE[market]!;
      const firstName = rng.pick(names.first);
      const lastName = agreeSurname(market, firstName, rng.pick(names.last));
      const hasEmail = rng.chance(0.85);
      const hasPhone = rng.chance(0.82);
      const createdAt = new Date(since.getTime() + rng.next() * 180 * DAY);
      const ordered = rng.chance(0.75);
      return {
        externalId: `DEMO-${String(n + 1).padStart(6, '0')}`,
        firstName,
        lastName,
        email: hasEmail ? `${asciiSlug(firstName)}.${asciiSlug(lastName)}${n}@${rng.pick(names.domains)}` : null,
        phone: hasPhone ? `+${mobile.cc}${rng.pick(mobile.prefixes)}${rng.digits(mobile.rest)}` : null,
        market,
        language: names.language,
        source: rng.pick(CUSTOMER_SOURCES),
        lastOrderAt: ordered ? new Date(now.getTime() - rng.next() * 365 * DAY) : null,
        objectionNoticeAt: ordered && rng.chance(0.6) ? createdAt : null,
        createdAt,
        updatedAt: createdAt,
      };
    });
    const inserted = await db.insert(customers).values(batch).returning({ id: customers.id });
    const ledger = inserted.flatMap(({ id }, i) => {
      const c = batch[i]!;
      return demoLedger(
        rng,
        { market: c.market, language: c.language, hasEmail: c.email !== null, hasPhone: c.phone !== null, since: c.createdAt, now },
        supportId,
      ).map((e) => ({ ...e, customerId: id }));
    });
    if (ledger.length > 0) await db.insert(consentEvents).values(ledger);
    const ids = inserted.map((r) => r.id);
    await rebuildConsentState(db, ids);
    allIds.push(...ids);
    events += ledger.length;
  }

  const kinds = [
    ['no_consent', 30],
    ['unwanted_marketing', 25],
    ['too_many_messages', 15],
    ['wrong_content', 10],
    ['phishing', 6],
    ['other', 8],
    ['legal_notice', 2],
  ] as const;
  const complaintRows = Array.from({ length: 60 }, () => {
    const kind = rng.weighted(kinds);
    const receivedAt = new Date(since.getTime() + rng.next() * (now.getTime() - since.getTime()));
    const recent = now.getTime() - receivedAt.getTime() < 21 * DAY;
    const status: 'open' | 'investigating' | 'resolved' = recent ? rng.pick(['open', 'investigating'] as const) : 'resolved';
    return {
      customerId: rng.pick(allIds),
      channel:
        kind === 'too_many_messages' || kind === 'no_consent' ? ('whatsapp' as const) : rng.pick(['whatsapp', 'email', 'sms'] as const),
      kind,
      description: COMPLAINT_TEXTS[kind]!,
      receivedAt,
      status,
      urgent: kind === 'legal_notice',
      resolutionNote: status === 'resolved' ? 'Consent withdrawn for the channel and the customer informed.' : null,
      createdBy: supportId,
      createdAt: receivedAt,
      updatedAt: receivedAt,
    };
  });
  // One formal notice still open, so the overview has something urgent to show.
  complaintRows.push({
    customerId: rng.pick(allIds),
    channel: 'whatsapp' as const,
    kind: 'legal_notice',
    description: COMPLAINT_TEXTS.legal_notice!,
    receivedAt: new Date(now.getTime() - 3 * DAY),
    status: 'open' as const,
    urgent: true,
    resolutionNote: null,
    createdBy: supportId,
    createdAt: new Date(now.getTime() - 3 * DAY),
    updatedAt: new Date(now.getTime() - 3 * DAY),
  });
  await db.insert(complaints).values(complaintRows);
  await writeAudit(db, { actorId: null, action: 'seed.demo', entity: 'database', after: { customers: total, events } });
  return { customers: total, events };
}

export async function isEmpty(db: Db): Promise<boolean> {
  return (await db.$count(users)) === 0;
}

/** Migrates, ships the default rules, and seeds demo data when there are no users yet. Returns whether it seeded. */
export async function prepareDatabase(handle: DbHandle, opts: { seedIfEmpty: boolean; customers?: number }): Promise<boolean> {
  await migrateDb(handle);
  await ensureDefaultPolicies(handle.db);
  const rebuilt = await backfillConsentIntervals(handle.db);
  if (rebuilt > 0) console.log(`Rebuilt consent history of ${rebuilt} customers for coverage.`);
  const reached = await applySuppressionsOnce(handle.db);
  if (reached && reached.events > 0)
    console.log(`Suppressed contact points withdrawn on ${reached.customers} more customers that hold them.`);
  if (!opts.seedIfEmpty || !(await isEmpty(handle.db))) return false;
  const started = Date.now();
  const result = await seedDemo(handle.db, { customers: opts.customers });
  console.log(
    `Seeded ${result.customers} demo customers and ${result.events} consent events in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
  );
  return true;
}

export function printDemoLogins(): void {
  console.log('\nDemo logins (password for all: %s):', DEMO_PASSWORD);
  for (const u of DEMO_USERS) console.log(`  ${u.role.padEnd(8)} ${u.email}`);
  console.log('');
}

/** Why `npm run db:seed` refuses this environment, or null when it is a demo. */
export function seedRefusal(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  if (isDemo(env)) return null;
  return [
    'Not seeding: DATABASE_URL names a real installation. Demo data brings demo logins whose password is published',
    'in the README. For a demo or test database, set ZGODA_DEMO=1 (the app then shows a demo banner on every page).',
    'For a real installation, create the first admin with `npm run admin:create`.',
  ].join('\n');
}

runAsScript(import.meta.url, async (handle) => {
  const refusal = seedRefusal();
  if (refusal) {
    console.error(refusal);
    process.exitCode = 1;
    return;
  }
  const seeded = await prepareDatabase(handle, { seedIfEmpty: true, customers: Number(process.env.SEED_CUSTOMERS ?? 5000) });
  if (seeded) printDemoLogins();
  else console.log('The database already has users; nothing seeded.');
});
