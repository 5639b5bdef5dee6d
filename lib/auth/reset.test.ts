import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, passwordResets, users } from '@/db/schema';
import { createTestDb, testDrivers } from '@/db/testing';
import { checkCredentials } from './credentials';
import { hashPassword, verifyPassword } from './password';
import { RESET_LINK_MINUTES, createResetLink, hashResetToken, inspectResetToken, resetPassword } from './reset';

const OLD = 'Stare-haslo-sklepu-1';
const NEW = 'Nowe haslo do panelu 2026';
const ip = '83.24.117.5';

describe.each(testDrivers())('password reset links on %s', (driver) => {
  let h: DbHandle;
  let adminId: number;
  let userId: number;
  let goneId: number;
  const t0 = new Date('2026-11-30T09:00:00Z');
  beforeAll(async () => {
    h = await createTestDb(driver);
    const passwordHash = await hashPassword(OLD);
    const rows = await h.db
      .insert(users)
      .values([
        { email: 'anna.kowalska@sklep-ola.pl', name: 'Anna Kowalska', role: 'admin', passwordHash },
        { email: 'piotr.zielinski@sklep-ola.pl', name: 'Piotr Zieliński', role: 'support', passwordHash },
        { email: 'gone@sklep-ola.pl', name: 'Gone', role: 'support', passwordHash, active: false },
      ])
      .returning({ id: users.id });
    [adminId, userId, goneId] = rows.map((r) => r.id) as [number, number, number];
  });
  afterAll(async () => h?.close());

  const passwordHashOf = async (id: number) => (await h.db.select({ p: users.passwordHash }).from(users).where(eq(users.id, id)))[0]!.p;
  const versionOf = async (id: number) => (await h.db.select({ v: users.sessionVersion }).from(users).where(eq(users.id, id)))[0]!.v;

  it('stores only a hash of the token and audits the creation without it', async () => {
    const link = await createResetLink(h.db, userId, adminId, t0);
    if (!link.ok) throw new Error('no link');
    expect(link.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link.expiresAt).toEqual(new Date(t0.getTime() + RESET_LINK_MINUTES * 60_000));
    const stored = await h.db.select().from(passwordResets).where(eq(passwordResets.userId, userId));
    expect(stored.map((r) => r.tokenHash)).toContain(hashResetToken(link.token));
    expect(JSON.stringify(stored)).not.toContain(link.token);
    const audit = await h.db.select().from(auditLog).where(eq(auditLog.action, 'auth.reset_link_create'));
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(link.token);
  });

  it('works once: sets the password, ends the sessions, and a replay finds it used and changes nothing', async () => {
    const link = await createResetLink(h.db, userId, adminId, t0);
    if (!link.ok) throw new Error('no link');
    const version = await versionOf(userId);
    expect(await inspectResetToken(h.db, link.token, t0)).toEqual({
      ok: true,
      email: 'piotr.zielinski@sklep-ola.pl',
      name: 'Piotr Zieliński',
    });
    expect(await resetPassword(h.db, link.token, NEW, NEW, ip, t0)).toEqual({ ok: true, email: 'piotr.zielinski@sklep-ola.pl' });
    expect(await verifyPassword(await passwordHashOf(userId), NEW)).toBe(true);
    expect(await versionOf(userId)).toBe(version + 1);
    expect(await checkCredentials(h.db, { email: 'piotr.zielinski@sklep-ola.pl', password: NEW }, { ip, now: t0 })).toMatchObject({
      ok: true,
    });

    const hashAfter = await passwordHashOf(userId);
    expect(await inspectResetToken(h.db, link.token, t0)).toEqual({ ok: false, error: 'used' });
    expect(await resetPassword(h.db, link.token, 'Jeszcze inne haslo 99', 'Jeszcze inne haslo 99', ip, t0)).toEqual({
      ok: false,
      error: 'used',
    });
    expect(await passwordHashOf(userId)).toBe(hashAfter);
    expect(await versionOf(userId)).toBe(version + 1);
  });

  it('refuses an expired link and changes nothing', async () => {
    const link = await createResetLink(h.db, userId, adminId, t0);
    if (!link.ok) throw new Error('no link');
    const later = new Date(t0.getTime() + (RESET_LINK_MINUTES * 60 + 1) * 1000);
    const before = await passwordHashOf(userId);
    expect(await inspectResetToken(h.db, link.token, later)).toEqual({ ok: false, error: 'expired' });
    expect(await resetPassword(h.db, link.token, 'Haslo po terminie 123', 'Haslo po terminie 123', ip, later)).toEqual({
      ok: false,
      error: 'expired',
    });
    expect(await passwordHashOf(userId)).toBe(before);
  });

  it.each([
    ['one character changed', (t: string) => `${t.slice(0, -1)}${t.endsWith('A') ? 'B' : 'A'}`],
    ['cut short', (t: string) => t.slice(0, 20)],
    ['with something appended', (t: string) => `${t}x`],
    ['the stored hash instead of the token', (t: string) => hashResetToken(t)],
    ['empty', () => ''],
  ])('treats a tampered token (%s) as unknown', async (_case, tamper) => {
    const link = await createResetLink(h.db, userId, adminId, t0);
    if (!link.ok) throw new Error('no link');
    const before = await passwordHashOf(userId);
    const forged = tamper(link.token);
    expect(await inspectResetToken(h.db, forged, t0)).toEqual({ ok: false, error: 'unknown' });
    expect(await resetPassword(h.db, forged, 'Podrobione haslo 123', 'Podrobione haslo 123', ip, t0)).toEqual({
      ok: false,
      error: 'unknown',
    });
    expect(await passwordHashOf(userId)).toBe(before);
  });

  it('a newer link replaces an unused older one', async () => {
    const first = await createResetLink(h.db, userId, adminId, t0);
    const second = await createResetLink(h.db, userId, adminId, t0);
    if (!first.ok || !second.ok) throw new Error('no link');
    expect(await inspectResetToken(h.db, first.token, t0)).toEqual({ ok: false, error: 'used' });
    expect(await inspectResetToken(h.db, second.token, t0)).toMatchObject({ ok: true });
  });

  it('refuses a weak or mismatched new password and leaves the link usable', async () => {
    const link = await createResetLink(h.db, userId, adminId, t0);
    if (!link.ok) throw new Error('no link');
    expect(await resetPassword(h.db, link.token, 'krotkie', 'krotkie', ip, t0)).toEqual({ ok: false, error: 'too_short' });
    expect(await resetPassword(h.db, link.token, 'password1234', 'password1234', ip, t0)).toEqual({ ok: false, error: 'too_common' });
    expect(await resetPassword(h.db, link.token, NEW, `${NEW}!`, ip, t0)).toEqual({ ok: false, error: 'mismatch' });
    expect(await inspectResetToken(h.db, link.token, t0)).toMatchObject({ ok: true });
  });

  it('audits every use and refusal with the IP and never the token or the password', async () => {
    const rows = await h.db.select({ action: auditLog.action, after: auditLog.after }).from(auditLog);
    const actions = rows.map((r) => r.action);
    expect(actions.filter((a) => a === 'auth.reset_link_use')).toHaveLength(1);
    expect(new Set(rows.filter((r) => r.action === 'auth.reset_link_refused').map((r) => (r.after as { reason: string }).reason))).toEqual(
      new Set(['used', 'expired', 'unknown']),
    );
    const text = JSON.stringify(rows);
    expect(text).not.toContain(NEW);
    expect(text).not.toMatch(/[A-Za-z0-9_-]{43}/);
  });

  it('makes no link for a deactivated or unknown user', async () => {
    expect(await createResetLink(h.db, goneId, adminId, t0)).toEqual({ ok: false, error: 'deactivated' });
    expect(await createResetLink(h.db, 999_999, adminId, t0)).toEqual({ ok: false, error: 'not_found' });
  });
});
