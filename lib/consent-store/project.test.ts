import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { consentEvents, consentIntervals, consentState, coverageCurrent, customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import type { Channel, EventKind, Purpose } from '@/lib/consent';
import { NEW_LEDGER_COLUMNS, projectNewLedgers, rebuildConsentState } from './project';

type Event = { channel: Channel; purpose: Purpose; kind: EventKind; day: string; doubleOptIn?: boolean; source?: string };

// Ledgers of new customers, each projected in SQL (when every ledger is one grant or withdrawal) or left to the fold.
const LEDGERS: Array<[name: string, events: Event[], inSql: boolean]> = [
  ['one grant', [{ channel: 'email', purpose: 'marketing', kind: 'granted', day: '2026-03-14' }], true],
  [
    'one grant awaiting double opt-in',
    [{ channel: 'email', purpose: 'marketing', kind: 'granted', day: '2026-03-14', doubleOptIn: true }],
    true,
  ],
  ['one withdrawal', [{ channel: 'whatsapp', purpose: 'transactional', kind: 'withdrawn', day: '2026-01-31' }], true],
  [
    'a grant and a withdrawal on different channels',
    [
      { channel: 'sms', purpose: 'marketing', kind: 'granted', day: '2026-02-01', source: 'import' },
      { channel: 'phone', purpose: 'marketing', kind: 'withdrawn', day: '2025-12-31' },
    ],
    true,
  ],
  ['a lone confirmation', [{ channel: 'email', purpose: 'marketing', kind: 'confirmed', day: '2026-03-14' }], false],
  [
    'a "no" and a suppression on one channel',
    [
      { channel: 'whatsapp', purpose: 'marketing', kind: 'withdrawn', day: '2026-02-01' },
      { channel: 'whatsapp', purpose: 'marketing', kind: 'withdrawn', day: '2026-02-03', source: 'suppression' },
    ],
    false,
  ],
  [
    'a grant withdrawn later, beside a simple ledger',
    [
      { channel: 'email', purpose: 'marketing', kind: 'granted', day: '2026-01-10' },
      { channel: 'email', purpose: 'marketing', kind: 'withdrawn', day: '2026-02-10' },
      { channel: 'sms', purpose: 'marketing', kind: 'granted', day: '2026-02-11' },
    ],
    false,
  ],
];

describe.each(testDrivers())('projection of new ledgers in SQL on %s', (driver) => {
  let h: DbHandle;
  // Per ledger: a customer projected by projectNewLedgers and its twin projected by the fold.
  const pairs: Array<{ name: string; viaSql: number; viaFold: number; inSql: boolean }> = [];
  let leftToFold: number[] = [];

  beforeAll(async () => {
    h = await createTestDb(driver);
    for (const [name, events, inSql] of LEDGERS) {
      const [a, b] = await h.db
        .insert(customers)
        .values([
          { market: 'DE', email: 'a@example.de', phone: '+4915112345678', source: 'test' },
          { market: 'DE', email: 'b@example.de', phone: '+4915112345679', source: 'test' },
        ])
        .returning({ id: customers.id });
      for (const customerId of [a!.id, b!.id]) {
        await h.db.insert(consentEvents).values(
          events.map((e) => ({
            customerId,
            channel: e.channel,
            purpose: e.purpose,
            kind: e.kind,
            occurredAt: new Date(`${e.day}T23:30:00Z`),
            source: e.source ?? 'import',
            evidence: { proofReference: 'checkout v3', doubleOptIn: e.doubleOptIn },
          })),
        );
      }
      pairs.push({ name, viaSql: a!.id, viaFold: b!.id, inSql });
    }
    const viaSql = pairs.map((p) => p.viaSql);
    await h.db.transaction(async (tx) => {
      leftToFold = await projectNewLedgers(
        tx,
        sql`(select ${NEW_LEDGER_COLUMNS} from consent_events where customer_id = any(${`{${viaSql.join(',')}}`}::bigint[]))`,
      );
      await rebuildConsentState(tx, leftToFold, { fresh: true });
      await rebuildConsentState(
        tx,
        pairs.map((p) => p.viaFold),
        { fresh: true },
      );
    });
  }, 60_000);
  afterAll(async () => h?.close());

  const projection = async (customerId: number) => ({
    states: (
      await h.db
        .select()
        .from(consentState)
        .where(eq(consentState.customerId, customerId))
        .orderBy(asc(consentState.channel), asc(consentState.purpose))
    ).map(({ customerId: _c, lastEventId: _e, updatedAt: _u, ...rest }) => rest),
    intervals: (
      await h.db
        .select()
        .from(consentIntervals)
        .where(eq(consentIntervals.customerId, customerId))
        .orderBy(asc(consentIntervals.channel), asc(consentIntervals.purpose), asc(consentIntervals.validFrom))
    ).map(({ id: _i, customerId: _c, ...rest }) => rest),
  });

  it.each(LEDGERS.map(([name]) => name))('projects "%s" as the fold does', async (name) => {
    const pair = pairs.find((p) => p.name === name)!;
    expect(leftToFold.includes(pair.viaSql)).toBe(!pair.inSql);
    const [viaSql, viaFold] = [await projection(pair.viaSql), await projection(pair.viaFold)];
    expect(viaSql).toEqual(viaFold);
    if (pair.inSql) expect(viaSql.intervals.length).toBeGreaterThan(0);
  });

  it('points each state at its event', async () => {
    const ids = pairs.map((p) => p.viaSql);
    const states = await h.db.select().from(consentState).where(inArray(consentState.customerId, ids));
    for (const s of states) {
      const [event] = await h.db
        .select({ id: consentEvents.id })
        .from(consentEvents)
        .where(
          and(
            eq(consentEvents.customerId, s.customerId),
            eq(consentEvents.channel, s.channel),
            eq(consentEvents.purpose, s.purpose),
            eq(consentEvents.occurredAt, s.lastOccurredAt),
          ),
        );
      expect(s.lastEventId).toBe(event!.id);
    }
  });

  it('counts both twins alike in the coverage aggregates', async () => {
    const rows = await h.db.select().from(coverageCurrent);
    // Every state of the pairs appears twice, once per twin: no count is odd.
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.n % 2 === 0)).toBe(true);
  });
});
