import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { consentState, customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import type { ConsentState } from '@/lib/consent';
import { CHANNELS, PURPOSES, UNKNOWN_STATE, evaluate, resolvePolicy } from '@/lib/consent';
import { loadPolicies } from '@/lib/consent-store/policies';
import { generateConsentData } from '@/lib/consent-store/test-data';
import type { CoverageCounts } from './matrix';
import { EMPTY_COUNTS } from './matrix';
import { coverageMatrix } from './queries';

const NOW = new Date('2026-11-24T12:00:00Z');

describe.each(testDrivers())('coverage on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await generateConsentData(h.db, 2000, NOW);
  }, 180_000);
  afterAll(async () => h?.close());

  /** Counts by walking every customer through evaluate, the slow and obvious way. */
  async function bruteForce(markets?: string[]): Promise<Map<string, CoverageCounts>> {
    const policies = await loadPolicies(h.db);
    const people = (await h.db.select().from(customers)).filter((c) => !markets || markets.includes(c.market));
    const states = new Map((await h.db.select().from(consentState)).map((s) => [`${s.customerId}:${s.channel}:${s.purpose}`, s]));
    const counts = new Map<string, CoverageCounts>();
    for (const c of people) {
      for (const channel of CHANNELS) {
        for (const purpose of PURPOSES) {
          const state: ConsentState = states.get(`${c.id}:${channel}:${purpose}`) ?? UNKNOWN_STATE;
          const decision = evaluate(c, channel, purpose, state, resolvePolicy(policies, c.market, channel, purpose), NOW);
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

  it.each([[undefined], [['DE', 'PL', 'US']]])('equals a brute-force count over evaluate (markets %j)', async (markets) => {
    const expected = await bruteForce(markets);
    const cells = await coverageMatrix({ markets }, NOW, h.db);
    const actual = new Map(cells.map(({ market, channel, purpose, ...counts }) => [`${market}:${channel}:${purpose}`, counts]));
    expect(actual).toEqual(expected);
  });
});
