import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { seedRefusal } from '@/db/seed';
import { hasActiveAdmin, isDemo } from './demo';

describe('which installation is the demo', () => {
  const pg = 'postgres://zgoda@db.internal/zgoda';
  it.each([
    ['the embedded database', {}, true],
    ['an empty DATABASE_URL (the e2e server sets one) is the embedded database', { DATABASE_URL: '' }, true],
    ['PostgreSQL is a real install', { DATABASE_URL: pg }, false],
    ['PostgreSQL with ZGODA_DEMO=1', { DATABASE_URL: pg, ZGODA_DEMO: '1' }, true],
    ['PostgreSQL with ZGODA_DEMO=true', { DATABASE_URL: pg, ZGODA_DEMO: 'true' }, true],
    ['PostgreSQL with ZGODA_DEMO=0', { DATABASE_URL: pg, ZGODA_DEMO: '0' }, false],
    ['PostgreSQL with an empty ZGODA_DEMO', { DATABASE_URL: pg, ZGODA_DEMO: '' }, false],
  ])('%s', (_rule, env, demo) => {
    expect(isDemo(env)).toBe(demo);
    // `npm run db:seed` seeds exactly the demos, and tells a real install how to make its admin instead.
    if (demo) expect(seedRefusal(env)).toBeNull();
    else expect(seedRefusal(env)).toMatch(/ZGODA_DEMO=1[\s\S]*npm run admin:create/);
  });
});

describe.each(testDrivers())('whether the sign-in page says no admin exists, on %s', (driver) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await createTestDb(driver);
  });
  afterAll(async () => h?.close());

  const add = (email: string, role: 'admin' | 'seller', active = true) =>
    h.db.insert(users).values({ email, name: email, role, passwordHash: 'x', active }).returning({ id: users.id });

  it('says so on a database without users', async () => {
    expect(await hasActiveAdmin(h.db)).toBe(false);
  });

  it('still says so when there are users but none is an admin', async () => {
    await add('seller@shop.example', 'seller');
    expect(await hasActiveAdmin(h.db)).toBe(false);
  });

  it('still says so when the only admin is deactivated', async () => {
    await add('old-admin@shop.example', 'admin', false);
    expect(await hasActiveAdmin(h.db)).toBe(false);
  });

  it('stops once an active admin exists', async () => {
    const [admin] = await add('admin@shop.example', 'admin');
    expect(await hasActiveAdmin(h.db)).toBe(true);
    await h.db.update(users).set({ active: false }).where(eq(users.id, admin!.id));
    expect(await hasActiveAdmin(h.db)).toBe(false);
  });
});
