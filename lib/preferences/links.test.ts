import { describe, expect, it } from 'vitest';
import { readLink } from '@/lib/public/token';
import { customerLinks, linkBase } from './links';

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
const production = env({ NODE_ENV: 'production', DATABASE_URL: 'postgres://zgoda@db/zgoda' });
const asked = new Headers({ host: 'zgoda.internal:3000', 'x-forwarded-host': 'shop.example', 'x-forwarded-proto': 'https' });

describe('the base of customer links', () => {
  it.each<[string, NodeJS.ProcessEnv, Headers | undefined, ReturnType<typeof linkBase>]>([
    [
      'takes PUBLIC_BASE_URL first',
      env({ ...production, PUBLIC_BASE_URL: 'https://zgoda.example.com/', AUTH_URL: 'https://a.example' }),
      asked,
      { ok: true, base: 'https://zgoda.example.com' },
    ],
    [
      'keeps a path prefix',
      env({ ...production, PUBLIC_BASE_URL: 'https://example.com/zgoda/' }),
      undefined,
      { ok: true, base: 'https://example.com/zgoda' },
    ],
    [
      'falls back to AUTH_URL',
      env({ ...production, AUTH_URL: 'https://zgoda.example.com' }),
      asked,
      { ok: true, base: 'https://zgoda.example.com' },
    ],
    ['refuses a real installation without either', production, asked, { ok: false, reason: 'no_public_base_url' }],
    [
      'refuses an address that is not http(s)',
      env({ ...production, PUBLIC_BASE_URL: 'javascript:alert(1)' }),
      asked,
      { ok: false, reason: 'invalid_public_base_url' },
    ],
    [
      'refuses what is no address at all',
      env({ PUBLIC_BASE_URL: 'zgoda.example.com' }),
      asked,
      { ok: false, reason: 'invalid_public_base_url' },
    ],
    [
      'takes the address a demo was asked on',
      env({ ...production, ZGODA_DEMO: '1' }),
      new Headers({ host: 'localhost:3103' }),
      { ok: true, base: 'http://localhost:3103' },
    ],
    [
      'believes forwarded headers only from a trusted proxy',
      env({ TRUSTED_PROXY: 'true' }),
      asked,
      { ok: true, base: 'https://shop.example' },
    ],
    ['otherwise the Host header', env({}), asked, { ok: true, base: 'http://zgoda.internal:3000' }],
    ['and without a request, the local port', env({ PORT: '3153' }), undefined, { ok: true, base: 'http://localhost:3153' }],
  ])('%s', (_, env, headers, expected) => {
    expect(linkBase(env, headers)).toEqual(expected);
  });
});

describe('customer links', () => {
  it('signs each kind for the customer: the preference link expires in two years, the unsubscribe link never', () => {
    const now = new Date('2026-12-01T12:00:00Z');
    const links = customerLinks('https://zgoda.example.com', 42, now);
    const token = (url: string, prefix: string) => {
      expect(url.startsWith(prefix)).toBe(true);
      return url.slice(prefix.length);
    };
    const preferences = token(links.preferences, 'https://zgoda.example.com/p/');
    const unsubscribe = token(links.unsubscribe, 'https://zgoda.example.com/u/');
    expect(readLink(preferences, 'preferences', { now })).toMatchObject({
      ok: true,
      subject: '42',
      expiresAt: new Date('2028-11-30T12:00:00Z'),
    });
    expect(readLink(preferences, 'preferences', { now: new Date('2028-12-01T12:00:00Z') })).toEqual({ ok: false, reason: 'expired' });
    expect(readLink(unsubscribe, 'unsubscribe', { now: new Date('2040-01-01') })).toMatchObject({
      ok: true,
      subject: '42',
      expiresAt: null,
    });
    // One kind never stands in for the other.
    expect(readLink(preferences, 'unsubscribe')).toEqual({ ok: false, reason: 'invalid' });
    expect(readLink(unsubscribe, 'preferences')).toEqual({ ok: false, reason: 'invalid' });
  });
});
