import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { rowsOf } from './sql';
import { MIGRATIONS_FOLDER, openDb } from './index';
import { migrateDb } from './migrate';

const adminUrl = process.env.TEST_DATABASE_URL;

describe.skipIf(!adminUrl)('migrations on PostgreSQL', () => {
  it('instances starting together apply each migration once', async () => {
    const { default: postgres } = await import('postgres');
    const admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    const name = `zgoda_test_${randomBytes(6).toString('hex')}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${name}`;
    const instances = await Promise.all([1, 2, 3].map(() => openDb({ url: url.toString() })));
    try {
      await Promise.all(instances.map((handle) => migrateDb(handle)));
      const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] };
      const [applied] = rowsOf<{ n: number | string }>(
        await instances[0]!.db.execute(sql`select count(*) as n from drizzle.__drizzle_migrations`),
      );
      expect(Number(applied!.n)).toBe(journal.entries.length);
    } finally {
      await Promise.all(instances.map((handle) => handle.close()));
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    }
  });
});
