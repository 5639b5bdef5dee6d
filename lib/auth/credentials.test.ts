import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '@/db';
import { auditLog, users } from '@/db/schema';
import { contactHash } from '@/lib/suppressions';
import { createTestDb, testDrivers } from '@/db/testing';
import { checkCredentials } from './credentials';
import { hashPassword } from './password';
import { ACCOUNT_FREE_FAILURES, FORGET_AFTER_MINUTES, IP_FREE_FAILURES, MAX_DELAY_SECONDS, delaySeconds } from './throttle';

const seconds = (base: Date, n: number) => new Date(base.getTime() + n * 1000);
const PASSWORD = 'Kwiatki-na-balkonie-7';

describe('delays after failures', () => {
  it.each([
    [0, 5, 0],
    [4, 5, 0],
    [5, 5, 2],
    [6, 5, 4],
    [7, 5, 8],
    [13, 5, 512],
    [14, 5, MAX_DELAY_SECONDS],
    [400, 5, MAX_DELAY_SECONDS],
    [19, 20, 0],
    [20, 20, 2],
  ])('%i failures with %i free: wait %i s', (failures, free, wait) => {
    expect(delaySeconds(failures, free)).toBe(wait);
  });
});

describe.each(testDrivers())('sign-in checks on %s', (driver) => {
  let h: DbHandle;
  const t0 = new Date('2026-11-24T10:00:00Z');
  const home = '83.24.117.5';
  beforeAll(async () => {
    h = await createTestDb(driver);
    const passwordHash = await hashPassword(PASSWORD);
    await h.db.insert(users).values([
      { email: 'ola.nowak@sklep-ola.pl', name: 'Ola Nowak', role: 'seller', passwordHash },
      { email: 'gone@example.com', name: 'Gone', role: 'seller', passwordHash, active: false },
      { email: 'jurgen.weiss@teeladen.de', name: 'Jürgen Weiß', role: 'support', passwordHash, sessionVersion: 3 },
      { email: 'claire.martin@boutique.fr', name: 'Claire Martin', role: 'manager', passwordHash },
      { email: 'kasia@sklep-ola.pl', name: 'Kasia', role: 'support', passwordHash },
    ]);
  });
  afterAll(async () => h?.close());

  /** Fails `n` times in a row, one second apart from `start`, each allowed through by the throttle; returns the time after. */
  async function fail(email: string, ip: string, n: number, start: Date): Promise<Date> {
    let at = start;
    for (let i = 0; i < n; i++) {
      expect(await checkCredentials(h.db, { email, password: `zle-haslo-${i}` }, { ip, now: at })).toMatchObject({ ok: false });
      at = seconds(at, 1);
    }
    return at;
  }

  it('accepts the right password, in any case of the e-mail, and hands out the session version', async () => {
    const result = await checkCredentials(h.db, { email: 'Jurgen.Weiss@TeeLaden.de', password: PASSWORD }, { ip: home, now: t0 });
    expect(result).toMatchObject({ ok: true, user: { email: 'jurgen.weiss@teeladen.de', role: 'support', sessionVersion: 3 } });
  });

  it.each([
    ['a wrong password', { email: 'ola.nowak@sklep-ola.pl', password: 'wrong' }],
    ['an unknown e-mail', { email: 'nobody@example.com', password: PASSWORD }],
    ['a deactivated user', { email: 'gone@example.com', password: PASSWORD }],
    ['malformed input', { email: 'not-an-email', password: '' }],
  ])('refuses %s', async (_rule, input) => {
    expect(await checkCredentials(h.db, input, { ip: '10.9.9.9', now: t0 })).toEqual({ ok: false, reason: 'invalid' });
  });

  it(`makes the account wait 2, 4, 8 … seconds after ${ACCOUNT_FREE_FAILURES} failures from one IP, and lets the right password in after the wait`, async () => {
    const email = 'claire.martin@boutique.fr';
    const ip = '91.121.44.7';
    let at = await fail(email, ip, ACCOUNT_FREE_FAILURES - 1, t0);
    expect(await checkCredentials(h.db, { email, password: 'again-wrong' }, { ip, now: at })).toEqual({
      ok: false,
      reason: 'throttled',
      throttle: { locked: true, retryAfterSeconds: 2 },
    });
    // During the wait even the right password is refused, and the refusal does not add to the count.
    expect(await checkCredentials(h.db, { email, password: PASSWORD }, { ip, now: seconds(at, 1) })).toEqual({
      ok: false,
      reason: 'throttled',
      throttle: { locked: true, retryAfterSeconds: 1 },
    });
    at = seconds(at, 2);
    expect(await checkCredentials(h.db, { email, password: 'still-wrong' }, { ip, now: at })).toMatchObject({
      throttle: { retryAfterSeconds: 4 },
    });
    at = seconds(at, 4);
    expect(await checkCredentials(h.db, { email, password: 'still-wrong' }, { ip, now: at })).toMatchObject({
      throttle: { retryAfterSeconds: 8 },
    });
    at = seconds(at, 8);
    expect(await checkCredentials(h.db, { email, password: PASSWORD }, { ip, now: at })).toMatchObject({ ok: true });
    // The right password cleared the account's count: the next mistake is an ordinary one.
    expect(await checkCredentials(h.db, { email, password: 'typo' }, { ip, now: seconds(at, 1) })).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('caps the wait at 15 minutes', async () => {
    const email = 'claire.martin@boutique.fr';
    const ip = '91.121.44.8';
    let at = t0;
    let last: unknown;
    for (let i = 0; i < ACCOUNT_FREE_FAILURES + 12; i++) {
      last = await checkCredentials(h.db, { email, password: `x-${i}` }, { ip, now: at });
      at = seconds(at, MAX_DELAY_SECONDS);
    }
    expect(last).toMatchObject({ reason: 'throttled', throttle: { retryAfterSeconds: MAX_DELAY_SECONDS } });
  });

  it('a stranger failing from another IP cannot keep the user out', async () => {
    const email = 'ola.nowak@sklep-ola.pl';
    const stranger = '185.220.101.33';
    const at = await fail(email, stranger, ACCOUNT_FREE_FAILURES + 3, t0);
    expect(await checkCredentials(h.db, { email, password: 'guess' }, { ip: stranger, now: at })).toMatchObject({ reason: 'throttled' });
    expect(await checkCredentials(h.db, { email, password: PASSWORD }, { ip: home, now: at })).toMatchObject({ ok: true });
  });

  it(`slows an IP that guesses across many accounts after ${IP_FREE_FAILURES} failures, for every account it tries`, async () => {
    const sprayer = '45.155.205.99';
    let at = t0;
    for (let i = 0; i < IP_FREE_FAILURES; i++) {
      const result = await checkCredentials(h.db, { email: `kunde${i}@example.de`, password: 'Sommer2026!' }, { ip: sprayer, now: at });
      expect(result, `attempt ${i + 1}`).toMatchObject(
        i + 1 < IP_FREE_FAILURES ? { reason: 'invalid' } : { reason: 'throttled', throttle: { retryAfterSeconds: 2 } },
      );
      at = seconds(at, 1);
    }
    expect(await checkCredentials(h.db, { email: 'kasia@sklep-ola.pl', password: PASSWORD }, { ip: sprayer, now: at })).toMatchObject({
      reason: 'throttled',
    });
    // The same account from its own address is untouched.
    expect(await checkCredentials(h.db, { email: 'kasia@sklep-ola.pl', password: PASSWORD }, { ip: home, now: at })).toMatchObject({
      ok: true,
    });
  });

  it('forgets failures after an hour without one', async () => {
    const email = 'kasia@sklep-ola.pl';
    const ip = '2a02:a311:4300::1';
    const at = await fail(email, ip, ACCOUNT_FREE_FAILURES - 1, t0);
    const later = new Date(at.getTime() + (FORGET_AFTER_MINUTES + 1) * 60_000);
    expect(await checkCredentials(h.db, { email, password: 'wrong' }, { ip, now: later })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('audits sign-ins, failures and throttling with the IP and never the password', async () => {
    const rows = await h.db
      .select({ action: auditLog.action, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'user')));
    const actions = new Set(rows.map((r) => r.action));
    expect(actions).toEqual(new Set(['auth.sign_in', 'auth.sign_in_failed', 'auth.sign_in_throttled']));
    // An unknown account by the keyed hash of the address typed, a known one by its id: no e-mail in the log.
    const emailHash = contactHash('email', 'nobody@example.com');
    const failure = rows.find((r) => r.action === 'auth.sign_in_failed' && (r.after as { emailHash?: string }).emailHash === emailHash);
    expect(failure?.after).toEqual({ emailHash, ip: '10.9.9.9', reason: 'unknown_account' });
    const text = JSON.stringify(rows);
    expect(text).not.toContain('nobody@example.com');
    expect(text).not.toMatch(/"email"/);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('zle-haslo');
  });
});
