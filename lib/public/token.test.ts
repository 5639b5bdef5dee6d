import { describe, expect, it } from 'vitest';
import { readLink, signLink } from './token';

const secret = 'test-secret-of-enough-length-for-hmac';
const now = new Date('2026-12-01T12:00:00Z');

describe('signed links', () => {
  it('reads back what was signed', () => {
    const token = signLink('confirm', 42, { id: 'abc', ttlSeconds: 3600, now, secret });
    expect(readLink(token, 'confirm', { now, secret })).toEqual({
      ok: true,
      subject: '42',
      id: 'abc',
      expiresAt: new Date('2026-12-01T13:00:00Z'),
    });
  });

  it('keeps a link without expiry valid', () => {
    const token = signLink('preferences', 7, { secret });
    expect(readLink(token, 'preferences', { now: new Date('2036-01-01'), secret })).toMatchObject({
      ok: true,
      subject: '7',
      expiresAt: null,
    });
  });

  it('refuses an expired link', () => {
    const token = signLink('confirm', 1, { ttlSeconds: 60, now, secret });
    expect(readLink(token, 'confirm', { now: new Date(now.getTime() + 60_000), secret })).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['another kind', (t: string) => t, 'unsubscribe'],
    ['a changed payload', (t: string) => `${Buffer.from('{"k":"confirm","s":"43"}').toString('base64url')}.${t.split('.')[1]}`, 'confirm'],
    ['a changed signature', (t: string) => `${t.split('.')[0]}.${'A'.repeat(43)}`, 'confirm'],
    ['no signature', (t: string) => t.split('.')[0]!, 'confirm'],
    ['an extra part', (t: string) => `${t}.x`, 'confirm'],
    ['garbage', () => 'not a token', 'confirm'],
    ['an overlong token', () => 'a'.repeat(600), 'confirm'],
  ] as const)('refuses %s as invalid', (_, change, kind) => {
    const token = change(signLink('confirm', 42, { ttlSeconds: 3600, now, secret }));
    expect(readLink(token, kind, { now, secret })).toEqual({ ok: false, reason: 'invalid' });
  });

  it('refuses a link signed with another secret', () => {
    const token = signLink('preferences', 42, { secret: 'another-secret' });
    expect(readLink(token, 'preferences', { secret })).toEqual({ ok: false, reason: 'invalid' });
  });
});
