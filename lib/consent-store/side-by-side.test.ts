// Consent writers side by side (the consent API, webhooks, staff): the coverage aggregates and the audit chain are
// written when a transaction commits, so one writer's open transaction does not hold up another's. What each counts and
// chains is still exact once both have committed, and nothing of a transaction rolled back is counted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { openDb } from '@/db';
import { rowsOf } from '@/db/sql';
import { customers } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { verifyChain } from '@/lib/audit/chain';
import { writeAudit } from '@/lib/audit/write';
import { recordConsentEvent, recordConsentEvents } from './record';
import type { RecordConsentInput } from './record';

const grant = (customerId: number, occurredAt = new Date('2026-11-20T10:00:00Z')): RecordConsentInput => ({
  customerId,
  channel: 'whatsapp',
  purpose: 'marketing',
  kind: 'granted',
  occurredAt,
  source: 'checkout',
  evidence: { wording: 'Ja, schickt mir Angebote per WhatsApp.', formVersion: 'checkout v7' },
});

/** The granted WhatsApp marketing states in force for DE, as the aggregates count them and as the intervals are. */
async function counted(q: DbHandle['db']) {
  const [row] = rowsOf<{ current: string | null; totals: string | null; deltas: string | null; intervals: string }>(
    await q.execute(sql`
      select
        (select sum(n) from coverage_current where market = 'DE' and channel = 'whatsapp' and purpose = 'marketing' and status = 'granted') as current,
        (select sum(n) from coverage_totals_current where market = 'DE' and channel = 'whatsapp' and purpose = 'marketing' and status = 'granted') as totals,
        (select sum(delta) from coverage_totals_deltas where grain = 'day' and market = 'DE' and channel = 'whatsapp' and purpose = 'marketing' and status = 'granted') as deltas,
        (select count(*) from consent_intervals i join customers c on c.id = i.customer_id
          where c.market = 'DE' and i.channel = 'whatsapp' and i.purpose = 'marketing' and i.status = 'granted' and i.valid_to is null) as intervals`),
  );
  return {
    current: Number(row!.current ?? 0),
    totals: Number(row!.totals ?? 0),
    deltas: Number(row!.deltas ?? 0),
    intervals: Number(row!.intervals),
  };
}

/** The counts of `counted` with n more granted states in force. */
const grown = (c: Awaited<ReturnType<typeof counted>>, n: number) => ({
  current: c.current + n,
  totals: c.totals + n,
  deltas: c.deltas + n,
  intervals: c.intervals + n,
});

async function newCustomers(db: DbHandle['db'], n: number, tag: string): Promise<number[]> {
  const rows = await db
    .insert(customers)
    .values(Array.from({ length: n }, (_, i) => ({ market: 'DE', email: `${tag}${i}@example.de`, source: 'test' })))
    .returning({ id: customers.id });
  return rows.map((r) => r.id);
}

describe.each(testDrivers())('consent written at commit on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  it('counts a transaction’s consents and chains its entries when it commits, and nothing of one rolled back', async () => {
    const [a, b, c] = await newCustomers(h.db, 3, 'commit');
    const before = await counted(h.db);
    await h.db.transaction(async (tx) => {
      await recordConsentEvent(tx, grant(a!), null);
      await recordConsentEvent(tx, grant(b!), null);
      // Inside the transaction its entries wait for their place in the chain.
      const [own] = rowsOf<{ n: string }>(await tx.execute(sql`select count(*) as n from audit_log where seq < 0`));
      expect(Number(own!.n)).toBe(2);
    });
    expect(await counted(h.db)).toEqual(grown(before, 2));

    await expect(
      h.db.transaction(async (tx) => {
        await recordConsentEvent(tx, grant(c!), null);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    // A savepoint rolled back takes its pending counts with it; the rest of the transaction is counted.
    await h.db.transaction(async (tx) => {
      await expect(
        tx.transaction(async (inner) => {
          await recordConsentEvent(inner, grant(c!), null);
          throw new Error('savepoint rolled back');
        }),
      ).rejects.toThrow('savepoint rolled back');
    });
    const after = await counted(h.db);
    expect(after).toEqual(grown(before, 2));
    const [unsealed] = rowsOf<{ n: string }>(await h.db.execute(sql`select count(*) as n from audit_log where seq < 0`));
    expect(Number(unsealed!.n)).toBe(0);
    expect((await verifyChain(h.db)).ok).toBe(true);
  });

  it('refuses to change an entry’s seal once it is sealed', async () => {
    await expect(h.db.execute(sql`update audit_log set seq = seq + 1000 where seq = 1`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/append-only/) },
    });
    await expect(h.db.execute(sql`update audit_log set seq = -seq where seq = 1`)).rejects.toMatchObject({
      cause: { message: expect.stringMatching(/append-only/) },
    });
  });
});

describe.runIf(process.env.TEST_DATABASE_URL)('consent writers side by side on postgres', () => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb('postgres');
  });
  afterAll(async () => h?.close());

  // One consent, and an act as large as an import's (its coverage grouped by the statement built for its size).
  it.each([1, 1500])(
    'lets a writer commit while another one’s transaction of %i consents on the same market, channel and purpose is open',
    async (size) => {
      const slow = await newCustomers(h.db, size, `side${size}-`);
      const [quick] = await newCustomers(h.db, 1, `quick${size}-`);
      const before = await counted(h.db);
      const other = await openDb({ url: h.url! });
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let written!: () => void;
      const slowWrote = new Promise<void>((resolve) => (written = resolve));
      try {
        const slowWriter = other.db.transaction(async (tx) => {
          expect(
            (
              await recordConsentEvents(
                tx,
                slow.map((id) => grant(id)),
                null,
              )
            ).ok,
          ).toBe(true);
          written();
          await released;
        });
        await slowWrote;
        // The quick writer's whole transaction, its coverage and its audit entry included, ends while the slow one is open.
        const quickWriter = recordConsentEvent(h.db, grant(quick!), null);
        const outcome = await Promise.race([
          quickWriter.then(() => 'committed'),
          new Promise((resolve) => setTimeout(() => resolve('waiting'), 5000)),
        ]);
        release();
        await slowWriter;
        await quickWriter;
        expect(outcome).toBe('committed');
      } finally {
        release();
        await other.close();
      }
      expect(await counted(h.db)).toEqual(grown(before, size + 1));
      // Chained in the order they committed: the quick writer's entry comes before the slow one's.
      const [order] = rowsOf<{ quick: string; first_slow: string }>(
        await h.db.execute(sql`
          select (select seq from audit_log where action = 'consent.granted' and entity_id = ${String(quick)}) as quick,
                 (select min(seq) from audit_log where action = 'consent.granted' and entity_id = ${String(slow[0])}) as first_slow`),
      );
      expect(Number(order!.quick)).toBeLessThan(Number(order!.first_slow));
      expect((await verifyChain(h.db)).ok).toBe(true);
    },
  );
  it('commits writers side by side that write their audit entries before or after their consents, without a deadlock', async () => {
    const ids = await newCustomers(h.db, 160, 'order');
    const before = await counted(h.db);
    const others = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(() => openDb({ url: h.url! })));
    try {
      await Promise.all(
        others.flatMap((o, k) =>
          ids
            .filter((_, i) => i % others.length === k)
            .map((id, i) =>
              o.db.transaction(async (tx) => {
                const note = { actorId: null, action: 'test.note', entity: 'customer', entityId: id };
                if (i % 2 === 0) await writeAudit(tx, note);
                await recordConsentEvent(tx, grant(id), null);
                if (i % 2 === 1) await writeAudit(tx, note);
              }),
            ),
        ),
      );
    } finally {
      await Promise.all(others.map((o) => o.close()));
    }
    expect(await counted(h.db)).toEqual(grown(before, 160));
    expect((await verifyChain(h.db)).ok).toBe(true);
  });
});
