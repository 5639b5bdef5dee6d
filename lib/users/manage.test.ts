import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { changeRole, createUser, newUserSchema, setActive } from './manage';

describe('new user input', () => {
  it.each([
    ['a valid user', { name: 'Ewa', email: 'Ewa@Example.com ', role: 'seller', password: 'long-enough-pass' }, true],
    ['an empty name', { name: ' ', email: 'ewa@example.com', role: 'seller', password: 'long-enough-pass' }, false],
    ['a bad e-mail', { name: 'Ewa', email: 'ewa@', role: 'seller', password: 'long-enough-pass' }, false],
    ['an unknown role', { name: 'Ewa', email: 'ewa@example.com', role: 'owner', password: 'long-enough-pass' }, false],
    ['a short password', { name: 'Ewa', email: 'ewa@example.com', role: 'seller', password: 'short' }, false],
    ['a common password', { name: 'Ewa', email: 'ewa@example.com', role: 'seller', password: 'Password1234' }, false],
    ['the e-mail as password', { name: 'Ewa', email: 'ewa.nowak@example.com', role: 'seller', password: 'ewa.nowak@example.com' }, false],
    ['missing fields', {}, false],
  ])('%s', (_rule, input, valid) => {
    expect(newUserSchema.safeParse(input).success).toBe(valid);
  });

  it('names a common password for the form', () => {
    const parsed = newUserSchema.safeParse({ name: 'Ewa', email: 'ewa@example.com', role: 'seller', password: 'qwerty123456' });
    expect(parsed.error?.issues.map((i) => [i.path[0], i.message])).toEqual([['password', 'password_too_common']]);
  });

  it('stores e-mails in lower case', () => {
    expect(newUserSchema.parse({ name: 'Ewa', email: 'Ewa@Example.com', role: 'seller', password: 'long-enough-pass' }).email).toBe(
      'ewa@example.com',
    );
  });
});

describe.each(testDrivers())('user management on %s', (driver) => {
  let h: DbHandle;
  let adminId: number;
  beforeAll(async () => {
    h = await createTestDb(driver);
    const [admin] = await h.db
      .insert(users)
      .values({ email: 'root@example.com', name: 'Root', role: 'admin', passwordHash: 'x' })
      .returning({ id: users.id });
    adminId = admin!.id;
  });
  afterAll(async () => h?.close());

  const make = (email: string, role: 'admin' | 'seller' = 'seller') =>
    createUser(h.db, { name: email, email, role, password: 'long-enough-pass' }, adminId);

  it('creates a user with an argon2id hash and an audit entry', async () => {
    const result = await make('ewa@example.com');
    expect(result.ok).toBe(true);
    const [row] = await h.db.select().from(users).where(eq(users.email, 'ewa@example.com'));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await h.db.$count(auditLog, eq(auditLog.action, 'user.create'))).toBe(1);
  });

  it('refuses a taken e-mail, whatever its case', async () => {
    expect(await make('EWA@example.com'.toLowerCase())).toEqual({ ok: false, error: 'email_taken' });
  });

  it('never demotes or deactivates the last active admin', async () => {
    expect(await changeRole(h.db, adminId, 'manager', adminId)).toEqual({ ok: false, error: 'last_admin' });
    const other = await make('second-admin@example.com', 'admin');
    if (!other.ok) throw new Error('setup failed');
    expect(await setActive(h.db, other.id, false, adminId)).toEqual({ ok: true, id: other.id });
    expect(await changeRole(h.db, adminId, 'seller', adminId)).toEqual({ ok: false, error: 'last_admin' });
  });

  it('lets only one of two concurrent demotions of the last two admins through', async () => {
    const a = await make('a-admin@example.com', 'admin');
    if (!a.ok) throw new Error('setup failed');
    const results = await Promise.all([changeRole(h.db, adminId, 'seller', a.id), changeRole(h.db, a.id, 'seller', adminId)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await h.db.$count(users, eq(users.role, 'admin'))).toBeGreaterThanOrEqual(1);
    const [remaining] = await h.db.select({ id: users.id }).from(users).where(eq(users.role, 'admin'));
    if (remaining && remaining.id !== adminId) adminId = remaining.id;
  });

  it('refuses to deactivate oneself', async () => {
    expect(await setActive(h.db, adminId, false, adminId)).toEqual({ ok: false, error: 'self_deactivation' });
  });

  it('reports an unknown user', async () => {
    expect(await changeRole(h.db, 999_999, 'seller', adminId)).toEqual({ ok: false, error: 'not_found' });
  });
});
