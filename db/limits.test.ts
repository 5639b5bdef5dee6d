// The session limits of the PostgreSQL pool: read from the environment with safe defaults, enforced by the server, and
// lifted by the bulk work of the import for its own transaction. PGlite has one connection inside the process and
// gets no limits (nothing else waits on a pool there), so the database part runs on PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { forBulkWork } from '@/lib/import/staging';
import type { DbHandle } from './index';
import { sessionLimits } from './index';
import { createTestDb } from './testing';

describe('session limits from the environment', () => {
  it.each([
    // The idle limit stays off by default: see sessionLimits for the driver's defect.
    ['defaults', {}, { statement_timeout: 60_000, idle_in_transaction_session_timeout: 0 }],
    [
      'set',
      { DATABASE_STATEMENT_TIMEOUT_MS: '120000', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '5000' },
      { statement_timeout: 120_000, idle_in_transaction_session_timeout: 5000 },
    ],
    [
      '0 turns a limit off',
      { DATABASE_STATEMENT_TIMEOUT_MS: '0', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: '30000' },
      { statement_timeout: 0, idle_in_transaction_session_timeout: 30_000 },
    ],
    ['blank is the default', { DATABASE_STATEMENT_TIMEOUT_MS: ' ' }, { statement_timeout: 60_000, idle_in_transaction_session_timeout: 0 }],
  ])('%s', (_name, env, limits) => {
    expect(sessionLimits(env)).toEqual(limits);
  });

  it.each([
    ['DATABASE_STATEMENT_TIMEOUT_MS', '60s'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '-1'],
    ['DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS', '1.5'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => sessionLimits({ [name]: value })).toThrow(
      `${name} must be a whole number of milliseconds (0 turns the limit off), not "${value}".`,
    );
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('session limits on PostgreSQL', () => {
  let h: DbHandle;
  const saved = { ...process.env };

  beforeAll(async () => {
    process.env.DATABASE_STATEMENT_TIMEOUT_MS = '1000';
    h = await createTestDb('postgres');
    if (saved.DATABASE_STATEMENT_TIMEOUT_MS === undefined) delete process.env.DATABASE_STATEMENT_TIMEOUT_MS;
    else process.env.DATABASE_STATEMENT_TIMEOUT_MS = saved.DATABASE_STATEMENT_TIMEOUT_MS;
  });
  afterAll(async () => h?.close());

  const setting = async (name: string) =>
    (await h.db.execute(sql.raw(`select current_setting('${name}') as v`))) as unknown as Array<{ v: string }>;

  it('sets the statement limit on every connection of the pool, and no idle limit unless asked', async () => {
    expect((await setting('statement_timeout'))[0]?.v).toBe('1s');
    expect((await setting('idle_in_transaction_session_timeout'))[0]?.v).toBe('0');
  });

  it('cancels a statement running past the limit', async () => {
    await expect(h.db.execute(sql`select pg_sleep(1.5)`)).rejects.toMatchObject({ cause: { code: '57014' } });
  });

  it('lets the bulk work of an import run a statement as long as it needs, in its own transaction only', async () => {
    await h.db.transaction(async (tx) => {
      await forBulkWork(tx);
      await tx.execute(sql`select pg_sleep(1.3)`);
    });
    expect((await setting('statement_timeout'))[0]?.v).toBe('1s');
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('the idle-in-transaction limit on PostgreSQL, when set', () => {
  it('ends a transaction left idle past the limit, and nothing it wrote is kept', async () => {
    process.env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS = '500';
    const h = await createTestDb('postgres').finally(() => {
      delete process.env.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS;
    });
    try {
      await h.db.execute(sql`create table idle_probe (v text)`);
      const [{ name }] = (await h.db.execute(sql`select current_database() as name`)) as unknown as [{ name: string }];
      await expect(
        h.db.transaction(async (tx) => {
          await tx.execute(sql`insert into idle_probe values ('Zamówienie 1042')`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
          await tx.execute(sql`insert into idle_probe values ('Zamówienie 1043')`);
        }),
      ).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
      const url = new URL(process.env.TEST_DATABASE_URL!);
      url.pathname = `/${name}`;
      const fresh = postgres(url.toString(), { max: 1, onnotice: () => {} });
      expect(await fresh`select count(*)::int as n from idle_probe`).toEqual([{ n: 0 }]);
      await fresh.end();
    } finally {
      // The driver's defect (see sessionLimits): the ended connection is not reused; a fresh client checks the table.
      await h.close();
    }
  });
});
