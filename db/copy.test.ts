import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { rowsOf } from './sql';
import { createTestDb, testDrivers } from './testing';
import { copyRows } from './copy';

describe.each(testDrivers())('copyRows on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
    await h.db.execute(sql`create table copy_probe (a text, b integer, c jsonb, d timestamptz)`);
  });
  afterAll(async () => h?.close());

  it('loads text with tabs, line breaks, backslashes and nulls unchanged, inside a transaction too', async () => {
    const tricky = 'tab\there\nline\\back\r"quoted"';
    await h.db.transaction(async (tx) => {
      await copyRows(
        tx,
        'copy_probe',
        ['a', 'b', 'c', 'd'],
        [
          [tricky, 1, { k: 'v\tw' }, new Date('2026-01-02T03:04:05Z')],
          [null, null, null, null],
        ],
      );
    });
    const rows = rowsOf<{ a: string | null; b: number | null; c: unknown; d: unknown }>(
      await h.db.execute(sql`select a, b, c, d::text as d from copy_probe order by b nulls last`),
    );
    expect(rows[0]).toMatchObject({ a: tricky, b: 1, c: { k: 'v\tw' } });
    expect(rows[1]).toMatchObject({ a: null, b: null, c: null, d: null });
  });

  it('leaves nothing behind when the transaction fails', async () => {
    await expect(
      h.db.transaction(async (tx) => {
        await copyRows(tx, 'copy_probe', ['a', 'b'], [['gone', 2]]);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(rowsOf<{ n: number }>(await h.db.execute(sql`select count(*)::int as n from copy_probe where a = 'gone'`))[0]?.n).toBe(0);
  });
});
