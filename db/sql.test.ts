import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle, Queryable } from '@/db';
import { users } from '@/db/schema';
import { errorCode } from './errors';
import { withPreparedStatements } from './prepared';
import { readPrepared, rowsOf } from './sql';
import { createTestDb, testDrivers } from './testing';

describe.each(testDrivers())('readPrepared on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await h.db
      .insert(users)
      .values(['ala', 'ola', 'ela'].map((name) => ({ email: `${name}@example.com`, name, role: 'seller' as const, passwordHash: 'x' })));
  });
  afterAll(async () => {
    await h.close();
  });

  const byName = (name: string) => sql`select name, email, created_at from users where name = ${name} order by id`;

  it('reads what execute reads, with each call its own values in the same statement', async () => {
    for (const name of ['ala', 'ela', 'ola', 'ala', 'nobody']) {
      const rows = await readPrepared<{ name: string; email: string; created_at: unknown }>(h.db, byName(name));
      const plain = rowsOf<object>(await h.db.execute(byName(name)));
      expect(rows.map((r) => ({ ...r }))).toEqual(plain.map((r) => ({ ...r })));
      expect(rows.map((r) => r.name)).toEqual(name === 'nobody' ? [] : [name]);
    }
  });

  it("inside a transaction, sees the transaction's own writes", async () => {
    await h.db
      .transaction(async (tx) => {
        await tx.insert(users).values({ email: 'uncommitted@example.com', name: 'uncommitted', role: 'seller', passwordHash: 'x' });
        expect(await readPrepared(tx, byName('uncommitted'))).toHaveLength(1);
        tx.rollback();
      })
      .catch(() => {});
    expect(await readPrepared(h.db, byName('uncommitted'))).toHaveLength(0);
  });
});

describe.each(testDrivers())('withPreparedStatements on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await h.db.insert(users).values({ email: 'ada@example.com', name: 'ada', role: 'seller', passwordHash: 'x' });
  });
  afterAll(async () => {
    await h.close();
  });

  /** The statements this connection has prepared that name a marker, and what a statement with it read. */
  async function run(tx: Queryable, marker: string) {
    const rows = rowsOf<Record<string, string>>(await tx.execute(sql`select name as ${sql.raw(marker)} from users where name = ${'ada'}`));
    // The count's own text must not hold the marker: prepared too, it would count itself.
    const [half, rest] = [marker.slice(0, 3), marker.slice(3)];
    const prepared = rowsOf<{ n: number }>(
      await tx.execute(
        sql.raw(`select count(*)::int as n from pg_prepared_statements where strpos(statement, '${half}' || '${rest}') > 0`),
      ),
    );
    return { names: rows.map((r) => r[marker]), prepared: prepared[0]!.n };
  }

  it('prepares the statements of a transaction and of its savepoints on PostgreSQL, and only within it', async () => {
    const inside = await withPreparedStatements(() =>
      h.db.transaction(async (tx) => {
        const first = await run(tx, 'marker_a');
        const again = await run(tx, 'marker_a');
        const nested = await tx.transaction((sp) => run(sp, 'marker_b'));
        return { first, again, nested };
      }),
    );
    const outside = await h.db.transaction((tx) => run(tx, 'marker_c'));
    const prepares = driver === 'postgres' ? 1 : 0;
    expect(inside).toEqual({
      first: { names: ['ada'], prepared: prepares },
      again: { names: ['ada'], prepared: prepares },
      nested: { names: ['ada'], prepared: prepares },
    });
    expect(outside).toEqual({ names: ['ada'], prepared: 0 });
  });

  it('leaves an error of a prepared statement as it was, and the connection usable', async () => {
    const failed = await withPreparedStatements(() => h.db.execute(sql`select 1 / ${0}::int`)).catch((error: unknown) => error);
    expect(errorCode(failed)).toBe('22012');
    expect(rowsOf(await withPreparedStatements(() => h.db.execute(sql`select ${2}::int as two`)))).toEqual([{ two: 2 }]);
  });
});
