import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { apiIdempotency, auditLog, users } from '@/db/schema';
import { rowsOf } from '@/db/sql';
import { createTestDb, testDrivers } from '@/db/testing';
import type { ApiCaller } from './keys';
import { createApiKey } from './keys';
import type { WriteCall, WriteWork, Written } from './writes';
import { GROUPS_AT_ONCE, GROUP_MAX_CALLS, writeGrouped } from './writes';

type Input = { n: number; poison?: boolean; slow?: boolean; alone?: boolean };

describe.each(testDrivers())('grouped API writes on %s', (driver) => {
  let h: DbHandle;
  let caller: ApiCaller;
  beforeAll(async () => {
    h = await createTestDb(driver);
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'a@x.test', name: 'Ada Admin', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    const { id } = await createApiKey(h.db, { name: 'shop', scopes: ['consent:write'] }, admin!.id);
    caller = { id, name: 'shop', scopes: ['consent:write'] };
  });
  afterAll(async () => h?.close());

  /** A work that writes a row per call in a table of its own and records the size of every group it is given. */
  function work(action: string, groups: number[]): WriteWork<Input> {
    return {
      action,
      groupable: (input) => !input.alone,
      runMany: async (tx, calls) => {
        groups.push(calls.length);
        if (calls.some((c) => c.input.slow)) await new Promise((resolve) => setTimeout(resolve, 100));
        if (calls.some((c) => c.input.poison)) throw new Error('this call cannot be written');
        for (const { input } of calls) await tx.execute(sql`insert into grouped_test (action, n) values (${action}, ${input.n})`);
        return calls.map(({ input }) =>
          input.n < 0 ? { ok: false, problem: 'notFound', detail: 'No such n.' } : { ok: true, answer: { n: input.n }, status: 201 },
        );
      },
    };
  }
  const call = (input: Input, idempotencyKey: string | null = null): WriteCall<Input> => ({
    caller,
    input,
    idempotencyKey,
    hash: `hash of ${input.n}`,
  });
  const rows = async (action: string) =>
    rowsOf<{ n: number }>(await h.db.execute(sql`select n from grouped_test where action = ${action} order by n`)).map((r) => Number(r.n));
  const audits = async (action: string) =>
    (
      await h.db
        .select({ after: auditLog.after })
        .from(auditLog)
        .where(eq(auditLog.action, `api.${action}`))
    ).map((a) => a.after as { status: number; replayed?: boolean });

  beforeAll(async () => {
    await h.db.execute(sql`create table grouped_test (action text not null, n int not null)`);
  });

  it('writes calls that arrive while a transaction runs together, and answers each as if it had been alone', async () => {
    const groups: number[] = [];
    const write = writeGrouped(async () => h.db, work('burst', groups));
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => write(call({ n: i === 7 ? -1 : i }))));

    expect(answers[3]).toEqual({ status: 201, body: { n: 3 }, replayed: false });
    expect(answers[7]).toMatchObject({ status: 404, body: { detail: 'No such n.' }, replayed: false });
    expect(answers.filter((a) => a?.status === 201)).toHaveLength(39);
    expect(await rows('burst')).toEqual(Array.from({ length: 40 }, (_, i) => (i === 7 ? -1 : i)).sort((a, b) => a - b));
    // The first calls start at once, one transaction each; the rest wait and go together, never more than the cap.
    expect(groups.slice(0, GROUPS_AT_ONCE)).toEqual(Array(GROUPS_AT_ONCE).fill(1));
    expect(Math.max(...groups)).toBe(GROUP_MAX_CALLS);
    expect(groups.reduce((a, b) => a + b)).toBe(40);
    // Every call has its own audit entry, the refused one with its problem.
    const entries = await audits('burst');
    expect(entries).toHaveLength(40);
    expect(entries.filter((e) => e.status === 404)).toHaveLength(1);
  });

  it('writes the calls of a group that fails one by one: only the call that cannot be written fails', async () => {
    const groups: number[] = [];
    const write = writeGrouped(async () => h.db, work('poisoned', groups));
    const settled = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => write(call({ n: i, poison: i === 5 }))));

    expect(settled[5]).toMatchObject({ status: 'rejected', reason: { message: 'this call cannot be written' } });
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(11);
    expect(await rows('poisoned')).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    // Nothing of the failed group stayed: one entry per call written, none for the call that failed.
    expect(await audits('poisoned')).toHaveLength(11);
  });

  it('replays an Idempotency-Key: twins in one burst write once, and a key used for another request is refused', async () => {
    const groups: number[] = [];
    const write = writeGrouped(async () => h.db, work('keyed', groups));
    // Two slow calls take both transactions, so that the rest wait and would go in one group: twins never do.
    const burst = await Promise.all([
      write(call({ n: 1, slow: true })),
      write(call({ n: 2, slow: true })),
      write(call({ n: 3 }, 'order-3')),
      write(call({ n: 3 }, 'order-3')),
      write(call({ n: 4 }, 'order-4')),
      write(call({ n: 3 }, 'order-3')),
      write(call({ n: 5 })),
    ]);
    expect(burst.map((w) => [w?.status, w?.body])).toEqual([1, 2, 3, 3, 4, 3, 5].map((n) => [201, { n }]));
    expect(burst.filter((w) => w?.replayed)).toHaveLength(2);
    expect(await rows('keyed')).toEqual([1, 2, 3, 4, 5]);
    // The rest went together, but for the twins; which of the twins writes is a matter of timing.
    expect(groups.reduce((a, b) => a + b)).toBe(5);
    expect(Math.max(...groups)).toBeGreaterThan(1);
    const reused: Written = await write({ ...call({ n: 9 }, 'order-4'), hash: 'another request' });
    expect(reused).toBeNull();
    expect(await rows('keyed')).toEqual([1, 2, 3, 4, 5]);
    const stored = await h.db.select().from(apiIdempotency).where(eq(apiIdempotency.keyId, caller.id));
    expect(stored.map((s) => [s.idempotencyKey, s.status]).sort()).toEqual([
      ['order-3', 201],
      ['order-4', 201],
    ]);
    expect((await audits('keyed')).filter((a) => a.replayed)).toHaveLength(2);
  });

  it('writes a call that may not share its transaction alone, while the others go together', async () => {
    const groups: number[] = [];
    const write = writeGrouped(async () => h.db, work('mixed', groups));
    const answers = await Promise.all([
      write(call({ n: 1, slow: true })),
      write(call({ n: 2, slow: true })),
      write(call({ n: 3 })),
      write(call({ n: 4, alone: true })),
      write(call({ n: 5 })),
      write(call({ n: 6, alone: true })),
    ]);
    expect(answers.map((a) => a?.body)).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ n })));
    expect(groups.sort()).toEqual([1, 1, 1, 1, 2]);
  });
});
