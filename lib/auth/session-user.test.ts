import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { setActive } from '@/lib/users/manage';
import { changeOwnPassword, signOutEverywhere } from './account';
import { hashPassword } from './password';
import { bumpSessionVersion, loadSessionUser } from './session-user';

// requireRole reads the token through next-auth and the user through getDb: both are replaced here by a token the
// test chooses and the test database.
const state = vi.hoisted(() => ({ session: null as unknown, db: null as unknown }));
vi.mock('./auth', () => ({ auth: async () => state.session }));
vi.mock('@/db', async (original) => ({ ...(await original<object>()), getDb: async () => state.db }));
vi.mock('react', async (original) => ({ ...(await original<object>()), cache: <T>(fn: T) => fn }));

const { requireRole } = await import('./session');

const PASSWORD = 'Herbata z cytryna 2026';

describe.each(testDrivers())('session versions on %s', (driver) => {
  let h: DbHandle;
  let id: number;
  beforeAll(async () => {
    h = await createTestDb(driver);
    state.db = h.db;
    const [row] = await h.db
      .insert(users)
      .values({
        email: 'marta.wisniewska@sklep-ola.pl',
        name: 'Marta Wiśniewska',
        role: 'seller',
        passwordHash: await hashPassword(PASSWORD),
      })
      .returning({ id: users.id });
    id = row!.id;
  });
  afterAll(async () => h?.close());
  beforeEach(async () => {
    const [row] = await h.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, id));
    state.session = { user: { id: String(id) }, sessionVersion: row!.v };
  });

  it('requireRole accepts a token of the current version', async () => {
    await expect(requireRole('seller')).resolves.toMatchObject({ id, role: 'seller' });
  });

  it.each([
    ['signing out everywhere', () => signOutEverywhere(h.db, id, '83.24.117.5')],
    ['a bumped version', () => bumpSessionVersion(h.db, id)],
  ])('requireRole refuses a token issued before %s', async (_case, bump) => {
    await expect(requireRole('seller')).resolves.toBeTruthy();
    await bump();
    await expect(requireRole('seller')).rejects.toThrow('NEXT_REDIRECT');
  });

  it('a password change ends the old sessions, a refused change does not', async () => {
    const refused = await changeOwnPassword(
      h.db,
      id,
      { current: 'not my password', next: 'Kawa bez cukru 2026', confirmation: 'Kawa bez cukru 2026' },
      '83.24.117.5',
    );
    expect(refused).toEqual({ ok: false, error: 'wrong_current' });
    await expect(requireRole('seller')).resolves.toBeTruthy();
    const done = await changeOwnPassword(
      h.db,
      id,
      { current: PASSWORD, next: 'Kawa bez cukru 2026', confirmation: 'Kawa bez cukru 2026' },
      '83.24.117.5',
    );
    expect(done).toEqual({ ok: true });
    await expect(requireRole('seller')).rejects.toThrow('NEXT_REDIRECT');
  });

  it('a token from before a deactivation stays dead after the user is reactivated', async () => {
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'szef@sklep-ola.pl', name: 'Szef', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    expect(await setActive(h.db, id, false, admin!.id)).toMatchObject({ ok: true });
    await expect(requireRole('seller')).rejects.toThrow('NEXT_REDIRECT');
    expect(await setActive(h.db, id, true, admin!.id)).toMatchObject({ ok: true });
    await expect(requireRole('seller')).rejects.toThrow('NEXT_REDIRECT');
  });

  it('counts wrong current passwords like failed sign-ins and makes the next try wait', async () => {
    const ip = '31.0.12.99';
    const wrong = { current: 'zgadywane haslo', next: 'Nieudana proba 2026', confirmation: 'Nieudana proba 2026' };
    for (let i = 0; i < 4; i++) expect(await changeOwnPassword(h.db, id, wrong, ip)).toEqual({ ok: false, error: 'wrong_current' });
    expect(await changeOwnPassword(h.db, id, wrong, ip)).toEqual({ ok: false, error: 'wrong_current' });
    expect(await changeOwnPassword(h.db, id, { ...wrong, current: 'Kawa bez cukru 2026' }, ip)).toMatchObject({
      ok: false,
      error: 'throttled',
    });
  });

  it.each([
    ['no version (a token from before versions)', { userId: 1, sessionVersion: undefined }],
    ['a version from the future', { userId: 1, sessionVersion: 99 }],
    ['no user id', { userId: undefined, sessionVersion: 0 }],
  ])('loadSessionUser refuses %s', async (_case, claims) => {
    expect(await loadSessionUser(h.db, { ...claims, userId: claims.userId === 1 ? id : claims.userId })).toBeNull();
  });
});
