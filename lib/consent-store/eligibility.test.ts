import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { consentEvents, consentState, customers, marketPolicies } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import type { Channel, ConsentState, EventKind, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES, UNKNOWN_STATE, evaluate, resolvePolicy } from '@/lib/consent';
import { ensureDefaultPolicies, loadPolicies } from './policies';
import { rebuildConsentState } from './record';
import { reasonsByCustomer } from './eligibility';

const NOW = new Date('2026-11-24T12:00:00Z');
const DAY = 86_400_000;
const CUSTOMERS = 2500;

// A small deterministic generator, so a failure can be reproduced.
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const maybe = <T,>(p: number, value: () => T): T | null => (rnd() < p ? value() : null);
const past = (maxDays: number) => new Date(NOW.getTime() - Math.floor(rnd() * maxDays * DAY) - Math.floor(rnd() * DAY));

describe.each(testDrivers())('the SQL twin of evaluate on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await ensureDefaultPolicies(h.db);
    // Rules an admin might set, so that every branch of the decision is taken.
    await h.db.update(marketPolicies).set({ consentValidMonths: 3 }).where(eq(marketPolicies.market, 'PL'));
    await h.db.update(marketPolicies).set({ consentValidMonths: 1, doubleOptInRequired: true }).where(eq(marketPolicies.market, 'NL'));
    await h.db.update(marketPolicies).set({ priorConsentRequired: false }).where(and(eq(marketPolicies.market, 'IT'), eq(marketPolicies.channel, 'phone')));
    await h.db.insert(marketPolicies).values({
      market: 'CH', channel: 'email', purpose: 'marketing', priorConsentRequired: true, doubleOptInRequired: false,
      existingCustomerException: true, consentValidMonths: 12, legalReference: 'UWG (CH) Art. 3 lit. o',
    });

    const markets = ['DE', 'AT', 'PL', 'FR', 'NL', 'IT', 'ES', 'BE', 'SE', 'US', 'CH', 'GB'];
    const rows = Array.from({ length: CUSTOMERS }, () => ({
      market: pick(markets),
      email: maybe(0.85, () => `c${Math.floor(rnd() * 1e9)}@example.com`),
      phone: maybe(0.8, () => `+4915${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`),
      source: 'test',
      erasedAt: maybe(0.03, () => past(30)),
      lastOrderAt: maybe(0.6, () => past(400)),
      objectionNoticeAt: maybe(0.5, () => past(400)),
    }));
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const inserted = await h.db.insert(customers).values(rows.slice(i, i + 500)).returning({ id: customers.id });
      ids.push(...inserted.map((r) => r.id));
    }
    const events = ids.flatMap((customerId) =>
      CHANNELS.flatMap((channel) =>
        PURPOSES.flatMap((purpose) =>
          Array.from({ length: Math.floor(rnd() * 4) }, () => {
            const kind = pick<EventKind>(['granted', 'granted', 'confirmed', 'withdrawn']);
            return {
              customerId, channel, purpose, kind,
              occurredAt: past(200),
              source: pick(['web_form', 'import', 'support_call']),
              evidence: { proofReference: 'test', doubleOptIn: kind === 'granted' && rnd() < 0.4 ? true : undefined },
            };
          }),
        ),
      ),
    );
    for (let i = 0; i < events.length; i += 1000) await h.db.insert(consentEvents).values(events.slice(i, i + 1000));
    for (let i = 0; i < ids.length; i += 500) await rebuildConsentState(h.db, ids.slice(i, i + 500));
  }, 180_000);
  afterAll(async () => h?.close());

  for (const channel of CHANNELS as readonly Channel[]) {
    for (const purpose of PURPOSES as readonly Purpose[]) {
      it(`agrees with evaluate for ${channel} ${purpose}, customer by customer`, async () => {
        const policies = await loadPolicies(h.db);
        const people = await h.db.select().from(customers);
        const states = await h.db.select().from(consentState).where(and(eq(consentState.channel, channel), eq(consentState.purpose, purpose)));
        const stateOf = new Map<number, ConsentState>(states.map((s) => [s.customerId, { ...s }]));
        const fromSql = await reasonsByCustomer(h.db, channel, purpose, NOW);
        expect(fromSql.size).toBe(people.length);
        const disagreements = people.flatMap((c) => {
          const expected = evaluate(c, channel, purpose, stateOf.get(c.id) ?? UNKNOWN_STATE, resolvePolicy(policies, c.market, channel, purpose), NOW).reason;
          const actual = fromSql.get(c.id);
          return actual === expected ? [] : [{ id: c.id, market: c.market, expected, actual }];
        });
        expect(disagreements).toEqual([]);
        // The generated data must actually exercise the decision, or agreement proves little.
        expect(new Set(fromSql.values()).size).toBeGreaterThanOrEqual(purpose === 'marketing' ? 7 : 5);
      });
    }
  }
});
