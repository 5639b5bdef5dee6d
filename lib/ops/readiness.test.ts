import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { createTestDb, testDrivers } from '@/db/testing';
import { latestMigration, readiness } from './readiness';

describe.each(testDrivers())('readiness on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  it('is ready on a migrated database and names the last migration', async () => {
    expect(await readiness(async () => h.db)).toEqual({ ready: true, migration: latestMigration().tag });
  });

  it('says which migrations are pending when the last one is missing', async () => {
    await h.db.execute(
      sql`update drizzle.__drizzle_migrations set created_at = created_at - 1 where created_at = ${latestMigration().when}`,
    );
    const state = await readiness(async () => h.db);
    await h.db.execute(
      sql`update drizzle.__drizzle_migrations set created_at = created_at + 1 where created_at = ${latestMigration().when - 1}`,
    );
    expect(state).toEqual({
      ready: false,
      problem: 'migrations_pending',
      detail: `Migrations up to ${latestMigration().tag} are not applied yet.`,
    });
  });
});

describe('readiness without a database', () => {
  it('answers unreachable without the driver error', async () => {
    const state = await readiness(async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    expect(state).toEqual({ ready: false, problem: 'database_unreachable', detail: 'The database did not answer.' });
  });
});
