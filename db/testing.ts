// Database tests run on embedded PGlite in memory, and again on PostgreSQL when TEST_DATABASE_URL is set.
import { randomBytes } from 'node:crypto';
import type { DbHandle } from './index';
import { openDb } from './index';
import { migrateDb } from './migrate';

export type Driver = 'pglite' | 'postgres';

export function testDrivers(): Driver[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

/** A fresh, migrated database of its own: in memory for PGlite, a new database for PostgreSQL. */
export async function createTestDb(driver: Driver): Promise<DbHandle> {
  if (driver === 'pglite') {
    const handle = await openDb({ pgliteDir: 'memory://' });
    await migrateDb(handle);
    return handle;
  }
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `zgoda_test_${randomBytes(6).toString('hex')}`;
  const { default: postgres } = await import('postgres');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openDb({ url: url.toString() });
  await migrateDb(handle);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end({ timeout: 5 });
    },
  };
}
