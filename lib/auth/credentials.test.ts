import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '@/db';
import { users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { checkCredentials } from './credentials';
import { hashPassword } from './password';
import { LOCK_MINUTES, MAX_FAILURES, WINDOW_MINUTES } from './throttle';

const minutes = (base: Date, n: number) => new Date(base.getTime() + n * 60_000);

describe.each(testDrivers())('sign-in checks on %s', (driver) => {
  let h: DbHandle;
  const t0 = new Date('2026-11-24T10:00:00Z');
  beforeAll(async () => {
    h = await createTestDb(driver);
    const passwordHash = await hashPassword('correct horse battery');
    await h.db.insert(users).values([
      { email: 'ola@example.com', name: 'Ola', role: 'seller', passwordHash },
      { email: 'gone@example.com', name: 'Gone', role: 'seller', passwordHash, active: false },
      { email: 'slow@example.com', name: 'Slow', role: 'seller', passwordHash },
    ]);
  });
  afterAll(async () => h?.close());

  it('accepts the right password, in any case of the e-mail', async () => {
    const result = await checkCredentials(h.db, { email: 'OLA@example.com', password: 'correct horse battery' }, t0);
    expect(result).toMatchObject({ ok: true, user: { email: 'ola@example.com', role: 'seller' } });
  });

  it.each([
    ['a wrong password', { email: 'ola@example.com', password: 'wrong' }],
    ['an unknown e-mail', { email: 'nobody@example.com', password: 'correct horse battery' }],
    ['a deactivated user', { email: 'gone@example.com', password: 'correct horse battery' }],
    ['malformed input', { email: 'not-an-email', password: '' }],
  ])('refuses %s', async (_rule, input) => {
    expect(await checkCredentials(h.db, input, t0)).toEqual({ ok: false, reason: 'invalid' });
  });

  it(`locks an account after ${MAX_FAILURES} failures, even for the right password, until the lock ends`, async () => {
    const email = 'slow@example.com';
    for (let i = 1; i < MAX_FAILURES; i++) {
      expect(await checkCredentials(h.db, { email, password: `wrong-${i}` }, minutes(t0, i))).toEqual({ ok: false, reason: 'invalid' });
    }
    const locked = await checkCredentials(h.db, { email, password: 'wrong-last' }, minutes(t0, MAX_FAILURES));
    expect(locked).toMatchObject({ ok: false, reason: 'throttled', throttle: { retryAfterSeconds: LOCK_MINUTES * 60 } });
    expect(await checkCredentials(h.db, { email, password: 'correct horse battery' }, minutes(t0, MAX_FAILURES + 1))).toMatchObject({
      reason: 'throttled',
    });
    expect(await checkCredentials(h.db, { email, password: 'correct horse battery' }, minutes(t0, MAX_FAILURES + LOCK_MINUTES + 1))).toMatchObject({
      ok: true,
    });
  });

  it('forgets failures older than the window', async () => {
    const email = 'ola@example.com';
    for (let i = 0; i < MAX_FAILURES - 1; i++) await checkCredentials(h.db, { email, password: 'wrong' }, t0);
    const later = minutes(t0, WINDOW_MINUTES + 1);
    expect(await checkCredentials(h.db, { email, password: 'wrong' }, later)).toEqual({ ok: false, reason: 'invalid' });
  });
});
