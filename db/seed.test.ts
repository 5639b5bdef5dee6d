import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asc, sql } from 'drizzle-orm';
import { isValidPhoneNumber } from 'libphonenumber-js';
import type { DbHandle } from './index';
import { consentEvents, consentState, customers, marketPolicies, users } from './schema';
import { createTestDb, testDrivers } from './testing';
import { DEMO_USERS, seedDemo } from './seed';
import { SHIPPED_MARKETS, foldLedger } from '@/lib/consent';

const NOW = new Date('2026-11-24T12:00:00Z');

describe.each(testDrivers())('demo seed on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await seedDemo(h.db, { customers: 700, now: NOW });
  });
  afterAll(async () => h?.close());

  it('creates one demo user per role', async () => {
    const rows = await h.db.select({ email: users.email, role: users.role }).from(users);
    expect(rows.map((r) => r.role).sort()).toEqual(DEMO_USERS.map((u) => u.role).sort());
  });

  it('ships the market rules', async () => {
    expect(await h.db.$count(marketPolicies)).toBe(64);
  });

  it('spreads customers over the seven markets with valid E.164 phones', async () => {
    const rows = await h.db.select({ market: customers.market, phone: customers.phone }).from(customers);
    expect(rows).toHaveLength(700);
    expect(new Set(rows.map((r) => r.market))).toEqual(new Set(SHIPPED_MARKETS));
    const phones = rows.flatMap((r) => (r.phone ? [r.phone] : []));
    expect(phones.length).toBeGreaterThan(500);
    expect(phones.filter((p) => !isValidPhoneNumber(p))).toEqual([]);
  });

  it('keeps six months of events, with double opt-ins and opt-outs', async () => {
    const [range] = await h.db
      .select({ min: sql<string>`min(${consentEvents.occurredAt})`, max: sql<string>`max(${consentEvents.occurredAt})` })
      .from(consentEvents);
    const days = (NOW.getTime() - new Date(range!.min).getTime()) / 86_400_000;
    expect(days).toBeGreaterThan(150);
    expect(days).toBeLessThanOrEqual(183);
    expect(new Date(range!.max).getTime()).toBeLessThanOrEqual(NOW.getTime());
    const kinds = await h.db
      .select({ kind: consentEvents.kind, n: sql<number>`count(*)`.mapWith(Number) })
      .from(consentEvents)
      .groupBy(consentEvents.kind);
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k.n]));
    expect(byKind.confirmed).toBeGreaterThan(0);
    expect(byKind.withdrawn).toBeGreaterThan(0);
    const statuses = await h.db.selectDistinct({ status: consentState.status }).from(consentState);
    expect(statuses.map((s) => s.status).sort()).toEqual(['granted', 'pending_confirmation', 'withdrawn']);
  });

  it('gives every grant evidence', async () => {
    const bare = await h.db.$count(
      consentEvents,
      sql`${consentEvents.kind} = 'granted' and not (${consentEvents.evidence} ?| array['wording','formVersion','proofReference','messageId'])`,
    );
    expect(bare).toBe(0);
  });

  it('has a state projection equal to a fold of the ledger', async () => {
    const events = await h.db.select().from(consentEvents).orderBy(asc(consentEvents.id));
    const states = await h.db.select().from(consentState);
    const ledgers = new Map<string, typeof events>();
    for (const e of events) {
      const key = `${e.customerId}:${e.channel}:${e.purpose}`;
      ledgers.set(key, [...(ledgers.get(key) ?? []), e]);
    }
    expect(states).toHaveLength(ledgers.size);
    for (const s of states) {
      const ledger = ledgers.get(`${s.customerId}:${s.channel}:${s.purpose}`) ?? [];
      const folded = foldLedger(
        ledger.map((e) => ({ id: e.id, kind: e.kind, occurredAt: e.occurredAt, source: e.source, doubleOptIn: e.evidence.doubleOptIn })),
      );
      expect(s.status).toBe(folded.status);
    }
  });
});

describe('demo seed is deterministic', () => {
  it('produces the same customers twice', async () => {
    const snapshot = async () => {
      const h = await createTestDb('pglite');
      try {
        await seedDemo(h.db, { customers: 120, now: NOW });
        return await h.db
          .select({
            externalId: customers.externalId,
            firstName: customers.firstName,
            lastName: customers.lastName,
            email: customers.email,
            phone: customers.phone,
            market: customers.market,
          })
          .from(customers)
          .orderBy(asc(customers.externalId));
      } finally {
        await h.close();
      }
    };
    expect(await snapshot()).toEqual(await snapshot());
  });
});
