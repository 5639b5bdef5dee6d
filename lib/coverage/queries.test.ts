import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { consentEvents, coverageCurrent, coverageCustomers, coverageDeltas, coverageTotalsCurrent, customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import type { ConsentState, LedgerEvent } from '@/lib/consent';
import { CHANNELS, PURPOSES, evaluate, resolvePolicy, stateAsOf } from '@/lib/consent';
import { loadPolicies } from '@/lib/consent-store/policies';
import { backfillConsentIntervals, rebuildConsentState } from '@/lib/consent-store/project';
import { consentIntervals } from '@/db/schema';
import { generateConsentData } from '@/lib/consent-store/test-data';
import type { CoverageCell, CoverageCounts } from './matrix';
import { EMPTY_COUNTS } from './matrix';
import { allowedTrends, coverageMatrix, marketplaceCounts } from './queries';
import { endOfDay } from '@/lib/consent-store/eligibility';
import { countMatching, listCustomers } from '@/lib/customers/queries';
import { parseCustomerFilter } from '@/lib/customers/filter';

const NOW = new Date('2026-11-24T12:00:00Z');
type Counts = Map<string, CoverageCounts>;

describe.each(testDrivers())('coverage on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await generateConsentData(h.db, 2000, NOW);
  }, 180_000);
  afterAll(async () => h?.close());

  /** Counts by walking every customer's ledger through the consent core, the slow and obvious way. */
  async function bruteForce(at: Date, markets?: string[], source?: string): Promise<Counts> {
    const policies = await loadPolicies(h.db);
    const people = (await h.db.select().from(customers)).filter(
      (c) => (!markets || markets.includes(c.market)) && (!source || c.source === source),
    );
    const ledgers = new Map<string, LedgerEvent[]>();
    for (const e of await h.db.select().from(consentEvents)) {
      const key = `${e.customerId}:${e.channel}:${e.purpose}`;
      ledgers.set(key, [
        ...(ledgers.get(key) ?? []),
        { id: e.id, kind: e.kind, occurredAt: e.occurredAt, source: e.source, doubleOptIn: e.evidence.doubleOptIn },
      ]);
    }
    const counts: Counts = new Map();
    for (const c of people) {
      for (const channel of CHANNELS) {
        for (const purpose of PURPOSES) {
          const state: ConsentState = stateAsOf(ledgers.get(`${c.id}:${channel}:${purpose}`) ?? [], at);
          const decision = evaluate(c, channel, purpose, state, resolvePolicy(policies, c.market, channel, purpose), at);
          const key = `${c.market}:${channel}:${purpose}`;
          const n = { ...(counts.get(key) ?? EMPTY_COUNTS) };
          n.total++;
          if (state.status === 'granted') n.granted++;
          else if (state.status === 'pending_confirmation') n.pending++;
          else if (state.status === 'withdrawn') n.withdrawn++;
          else n.unknown++;
          if (decision.allowed) n.allowed++;
          counts.set(key, n);
        }
      }
    }
    return counts;
  }

  async function fromAggregates(opts: { asOf?: string; now?: Date }, markets?: string[]): Promise<Counts> {
    const cells = await coverageMatrix({ markets }, opts, h.db);
    return new Map(cells.map(({ market, channel, purpose, ...counts }) => [`${market}:${channel}:${purpose}`, counts]));
  }

  it.each([[undefined], ['2026-08-15']])(
    'counts Amazon buyers and those Amazon’s rules block as evaluate does (as of %s)',
    async (asOf) => {
      const at = asOf ? endOfDay(asOf) : NOW;
      const policies = await loadPolicies(h.db);
      const people = await h.db.select().from(customers);
      const ledgers = new Map<string, LedgerEvent[]>();
      for (const e of await h.db.select().from(consentEvents)) {
        const key = `${e.customerId}:${e.channel}:${e.purpose}`;
        ledgers.set(key, [
          ...(ledgers.get(key) ?? []),
          { id: e.id, kind: e.kind, occurredAt: e.occurredAt, source: e.source, doubleOptIn: e.evidence.doubleOptIn },
        ]);
      }
      const counts = await marketplaceCounts({}, asOf ? { asOf } : { now: NOW }, h.db);
      expect(counts.buyers).toBe(people.filter((c) => (c.marketplace !== null || c.emailRelay) && !c.erasedAt).length);
      for (const { channel, purpose, n } of counts.blocked) {
        const expected = people.filter((c) => {
          const state = stateAsOf(ledgers.get(`${c.id}:${channel}:${purpose}`) ?? [], at);
          return (
            evaluate(c, channel, purpose, state, resolvePolicy(policies, c.market, channel, purpose), at).reason === 'marketplace_policy'
          );
        }).length;
        expect(n, `${channel} ${purpose}`).toBe(expected);
      }
      expect(counts.blocked.every((b) => b.n > 0)).toBe(true);
    },
  );

  it.each([[undefined], [['DE', 'PL', 'US']]])('today equals a brute-force count over evaluate (markets %j)', async (markets) => {
    expect(await fromAggregates({ now: NOW }, markets)).toEqual(await bruteForce(NOW, markets));
  });

  it.each(['2026-05-31', '2026-08-15', '2026-11-01'])('as of %s equals a brute-force count over the ledger up to that day', async (day) => {
    expect(await fromAggregates({ asOf: day })).toEqual(await bruteForce(endOfDay(day)));
  });

  it.each([[undefined], ['2026-06-10'], ['2026-11-01']])(
    'gives the cells of one channel and purpose alone as in the whole matrix (as of %s)',
    async (asOf) => {
      const opts = asOf ? { asOf } : { now: NOW };
      const whole = await coverageMatrix({}, opts, h.db);
      for (const cell of [
        { channel: 'whatsapp', purpose: 'marketing' },
        { channel: 'email', purpose: 'transactional' },
      ] as const) {
        const byMarket = (cells: CoverageCell[]) => [...cells].sort((a, b) => a.market.localeCompare(b.market));
        const alone = await coverageMatrix({}, { ...opts, cell }, h.db);
        expect(alone.length).toBeGreaterThan(0);
        expect(byMarket(alone)).toEqual(byMarket(whole.filter((c) => c.channel === cell.channel && c.purpose === cell.purpose)));
      }
    },
  );

  it.each([[undefined], ['2026-09-30']])('links every number to a customer list with the same count (as of %s)', async (asOf) => {
    const cells = await coverageMatrix({}, asOf ? { asOf } : { now: NOW }, h.db);
    const sample = cells.filter((c) => ['DE', 'PL', 'US'].includes(c.market) && (c.channel === 'whatsapp' || c.channel === 'email'));
    expect(sample.length).toBeGreaterThan(6);
    for (const cell of sample) {
      const base = { market: cell.market, channel: cell.channel, purpose: cell.purpose, ...(asOf ? { asOf } : {}) };
      // The list's rows, filtered customer by customer, against the aggregates; and the count the list page shows.
      const count = async (extra: Record<string, string>) => {
        const filter = parseCustomerFilter({ ...base, ...extra });
        const rows = await countMatching(filter, NOW, h.db);
        expect((await listCustomers(filter, NOW, h.db)).total).toBe(rows);
        return rows;
      };
      expect(await count({})).toBe(cell.total);
      expect(await count({ state: 'granted' })).toBe(cell.granted);
      expect(await count({ state: 'pending_confirmation' })).toBe(cell.pending);
      expect(await count({ state: 'withdrawn' })).toBe(cell.withdrawn);
      expect(await count({ state: 'unknown' })).toBe(cell.unknown);
      expect(await count({ decision: 'allowed' })).toBe(cell.allowed);
      expect(await count({ decision: 'blocked' })).toBe(cell.total - cell.allowed);
    }
  });

  it('stays equal to a full recount after random sequences of changes', async () => {
    let seed = 99;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const ids = (await h.db.select({ id: customers.id }).from(customers)).map((r) => r.id);
    for (let round = 0; round < 12; round++) {
      const some = Array.from({ length: 40 }, () => ids[Math.floor(rnd() * ids.length)]!);
      const op = round % 4;
      if (op === 0) {
        // Grants and withdrawals, some dated in the past (late deliveries, imports of history).
        await h.db.insert(consentEvents).values(
          some.map((customerId) => ({
            customerId,
            channel: CHANNELS[Math.floor(rnd() * 4)]!,
            purpose: PURPOSES[Math.floor(rnd() * 2)]!,
            kind: rnd() < 0.5 ? ('granted' as const) : ('withdrawn' as const),
            occurredAt: new Date(NOW.getTime() - Math.floor(rnd() * 300) * 86_400_000),
            source: rnd() < 0.3 ? 'import' : 'support_call',
            evidence: { proofReference: `round ${round}` },
          })),
        );
        await rebuildConsentState(h.db, [...new Set(some)]);
      } else if (op === 1) {
        await h.db
          .update(customers)
          .set({ market: rnd() < 0.5 ? 'AT' : 'SE' })
          .where(inArray(customers.id, some));
        // A later Amazon order marks some as Amazon buyers; others get a relay address or their own one back.
        await h.db
          .update(customers)
          .set({ marketplace: 'amazon' })
          .where(inArray(customers.id, some.slice(0, 10)));
        await h.db
          .update(customers)
          .set({ email: `r${round}x@marketplace.amazon.de` })
          .where(inArray(customers.id, some.slice(10, 15)));
        await h.db
          .update(customers)
          .set({ email: `own${round}@example.de` })
          .where(inArray(customers.id, some.slice(15, 20)));
      } else if (op === 2) {
        await h.db
          .update(customers)
          .set({ phone: null, lastOrderAt: NOW, objectionNoticeAt: NOW })
          .where(inArray(customers.id, some.slice(0, 20)));
        await h.db
          .update(customers)
          .set({ erasedAt: NOW })
          .where(inArray(customers.id, some.slice(20)));
      } else {
        // An import of new customers with their consents.
        const inserted = await h.db
          .insert(customers)
          .values(some.map((_, i) => ({ market: 'PL', email: `new${round}-${i}@example.com`, source: 'import' })))
          .returning({ id: customers.id });
        await h.db.insert(consentEvents).values(
          inserted.map(({ id }) => ({
            customerId: id,
            channel: 'email' as const,
            purpose: 'marketing' as const,
            kind: 'granted' as const,
            occurredAt: NOW,
            source: 'import',
            evidence: { importBatchId: 1 },
          })),
        );
        await rebuildConsentState(
          h.db,
          inserted.map((r) => r.id),
        );
        ids.push(...inserted.map((r) => r.id));
      }
    }
    expect(await fromAggregates({ now: NOW })).toEqual(await bruteForce(NOW));
    expect(await fromAggregates({ asOf: '2026-07-01' })).toEqual(await bruteForce(endOfDay('2026-07-01')));
    // Filtered by source, the per-source aggregates answer, and agree too.
    const imported = new Map(
      (await coverageMatrix({ sources: ['import'] }, { now: NOW }, h.db)).map(({ market, channel, purpose, ...counts }) => [
        `${market}:${channel}:${purpose}`,
        counts,
      ]),
    );
    expect(imported).toEqual(await bruteForce(NOW, undefined, 'import'));
    // Nothing drifts: the per-customer base and the states in force add up to what the tables hold.
    expect(await h.db.select({ n: sql<number>`sum(${coverageCustomers.n})`.mapWith(Number) }).from(coverageCustomers)).toEqual([
      { n: ids.length },
    ]);
    const [open] = await h.db.select({ n: sql<number>`sum(${coverageCurrent.n})`.mapWith(Number) }).from(coverageCurrent);
    const [deltaSum] = await h.db
      .select({ n: sql<number>`sum(${coverageDeltas.delta})`.mapWith(Number) })
      .from(coverageDeltas)
      .where(eq(coverageDeltas.grain, 'month'));
    expect(deltaSum?.n).toBe(open?.n);
    const [totals] = await h.db.select({ n: sql<number>`sum(${coverageTotalsCurrent.n})`.mapWith(Number) }).from(coverageTotalsCurrent);
    expect(totals?.n).toBe(open?.n);
  });

  it('gives a weekly trend that ends at today’s figure', async () => {
    const points = (await allowedTrends({}, 'marketing', 12, NOW, h.db)).email;
    expect(points).toHaveLength(12);
    const today = (await coverageMatrix({}, { now: NOW }, h.db)).filter((c) => c.channel === 'email' && c.purpose === 'marketing');
    expect(points.at(-1)).toMatchObject({
      allowed: today.reduce((s, c) => s + c.allowed, 0),
      total: today.reduce((s, c) => s + c.total, 0),
    });
    const tenWeeksAgo = points[1]!;
    const asOf = (
      await coverageMatrix({}, { asOf: new Date(Date.parse(tenWeeksAgo.week) + 6 * 86_400_000).toISOString().slice(0, 10) }, h.db)
    ).filter((c) => c.channel === 'email' && c.purpose === 'marketing');
    expect(tenWeeksAgo.allowed).toBe(asOf.reduce((s, c) => s + c.allowed, 0));
  });

  it('rebuilds lost intervals from the ledger, ending where it was', async () => {
    const before = await fromAggregates({ now: NOW });
    await h.db.delete(consentIntervals);
    expect(await fromAggregates({ now: NOW })).not.toEqual(before);
    expect(await backfillConsentIntervals(h.db, 300)).toBeGreaterThan(0);
    expect(await fromAggregates({ now: NOW })).toEqual(before);
    expect(await backfillConsentIntervals(h.db)).toBe(0);
  });
});
