import { describe, expect, it } from 'vitest';
import { requestHost, servedOverTls } from './forwarded';
import { isSameOrigin } from './origin';

const env = (vars: Record<string, string>) => vars as unknown as NodeJS.ProcessEnv;
const DIRECT = env({});
const BEHIND_PROXY = env({ TRUSTED_PROXY: 'true' });

describe('same-origin check of state-changing route handlers', () => {
  it.each([
    ['same host', DIRECT, { host: 'zgoda.shop.pl', origin: 'https://zgoda.shop.pl' }, true],
    ['same host and port', DIRECT, { host: 'localhost:3103', origin: 'http://localhost:3103' }, true],
    ['another site', DIRECT, { host: 'zgoda.shop.pl', origin: 'https://evil.example' }, false],
    ['another port of the same host', DIRECT, { host: 'localhost:3103', origin: 'http://localhost:4000' }, false],
    ['a look-alike subdomain', DIRECT, { host: 'zgoda.shop.pl', origin: 'https://zgoda.shop.pl.evil.example' }, false],
    ['an opaque origin (sandboxed frame)', DIRECT, { host: 'zgoda.shop.pl', origin: 'null' }, false],
    ['an origin that is no URL', DIRECT, { host: 'zgoda.shop.pl', origin: 'zgoda.shop.pl' }, false],
    ['an origin but no host to compare with', DIRECT, { origin: 'https://zgoda.shop.pl' }, false],
    ['no Origin, the browser says same-origin', DIRECT, { host: 'zgoda.shop.pl', 'sec-fetch-site': 'same-origin' }, true],
    ['no Origin, the browser says cross-site', DIRECT, { host: 'zgoda.shop.pl', 'sec-fetch-site': 'cross-site' }, false],
    [
      'no Origin, the browser says same-site (a sibling subdomain)',
      DIRECT,
      { host: 'zgoda.shop.pl', 'sec-fetch-site': 'same-site' },
      false,
    ],
    ['neither header: not a browser, no ambient cookie to abuse', DIRECT, { host: 'zgoda.shop.pl' }, true],
    [
      'trusted proxy: the forwarded host counts',
      BEHIND_PROXY,
      { host: '127.0.0.1:3000', 'x-forwarded-host': 'zgoda.shop.pl', origin: 'https://zgoda.shop.pl' },
      true,
    ],
    [
      'trusted proxy: the first forwarded host counts',
      BEHIND_PROXY,
      { host: '127.0.0.1:3000', 'x-forwarded-host': 'zgoda.shop.pl, edge.internal', origin: 'https://zgoda.shop.pl' },
      true,
    ],
    [
      'untrusted: a forwarded host is ignored',
      DIRECT,
      { host: '127.0.0.1:3000', 'x-forwarded-host': 'evil.example', origin: 'https://evil.example' },
      false,
    ],
    [
      'trusted proxy, another site',
      BEHIND_PROXY,
      { host: '127.0.0.1:3000', 'x-forwarded-host': 'zgoda.shop.pl', origin: 'https://evil.example' },
      false,
    ],
  ])('%s', (_case, vars, headers, allowed) => {
    expect(isSameOrigin(new Headers(headers), vars)).toBe(allowed);
  });

  it('compares hosts case-insensitively, as URLs do', () => {
    expect(isSameOrigin(new Headers({ host: 'Zgoda.Shop.pl', origin: 'https://zgoda.shop.pl' }), DIRECT)).toBe(true);
  });
});

describe('what forwarded headers may say', () => {
  it.each([
    ['no proxy, no AUTH_URL', DIRECT, {}, false],
    ['untrusted X-Forwarded-Proto https is ignored', DIRECT, { 'x-forwarded-proto': 'https' }, false],
    ['trusted proxy says https', BEHIND_PROXY, { 'x-forwarded-proto': 'https' }, true],
    ['trusted proxy, first of a list', BEHIND_PROXY, { 'x-forwarded-proto': 'https, http' }, true],
    ['trusted proxy says http', BEHIND_PROXY, { 'x-forwarded-proto': 'http' }, false],
    ['AUTH_URL is https', env({ AUTH_URL: 'https://zgoda.shop.pl' }), {}, true],
    ['AUTH_URL is http', env({ AUTH_URL: 'http://localhost:3000' }), { 'x-forwarded-proto': 'https' }, false],
  ])('TLS: %s', (_case, vars, headers, tls) => {
    expect(servedOverTls(new Headers(headers), vars)).toBe(tls);
  });

  it('takes the host from X-Forwarded-Host only behind a trusted proxy', () => {
    const headers = new Headers({ host: '127.0.0.1:3000', 'x-forwarded-host': 'zgoda.shop.pl' });
    expect(requestHost(headers, BEHIND_PROXY)).toBe('zgoda.shop.pl');
    expect(requestHost(headers, DIRECT)).toBe('127.0.0.1:3000');
    expect(requestHost(new Headers({ host: '127.0.0.1:3000' }), BEHIND_PROXY)).toBe('127.0.0.1:3000');
  });
});
