import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { users } from '@/db/schema';
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
