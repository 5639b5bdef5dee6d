import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, newNonce } from './csp';

const directives = (policy: string) => new Map(policy.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const));

describe('Content-Security-Policy', () => {
  const production = directives(contentSecurityPolicy({ nonce: 'abc123==', dev: false, tls: false }));

  it.each([
    ['scripts only with the nonce, and what they load', 'script-src', ["'self'", "'nonce-abc123=='", "'strict-dynamic'"]],
    ['no plugins', 'object-src', ["'none'"]],
    ['no <base> to redirect relative URLs', 'base-uri', ["'none'"]],
    ['forms post only here', 'form-action', ["'self'"]],
    ['never in a frame', 'frame-ancestors', ["'none'"]],
    ['everything else from this origin', 'default-src', ["'self'"]],
    ['inline styles (React style attributes), no nonce that would void them', 'style-src', ["'self'", "'unsafe-inline'"]],
  ])('%s', (_case, name, values) => {
    expect(production.get(name)).toEqual(values);
  });

  it("lets a hosted form's allowed shops frame it, and nothing else", () => {
    const framed = directives(
      contentSecurityPolicy({ nonce: 'n', dev: false, tls: false, frameAncestors: ['https://shop.example', 'https://b.example'] }),
    );
    expect(framed.get('frame-ancestors')).toEqual(['https://shop.example', 'https://b.example']);
    expect(directives(contentSecurityPolicy({ nonce: 'n', dev: false, tls: false, frameAncestors: [] })).get('frame-ancestors')).toEqual([
      "'none'",
    ]);
  });

  it('allows neither eval nor inline scripts in production', () => {
    expect(production.get('script-src')).not.toContain("'unsafe-eval'");
    expect(production.get('script-src')).not.toContain("'unsafe-inline'");
  });

  it("allows eval in development only, where React's error overlay needs it", () => {
    expect(directives(contentSecurityPolicy({ nonce: 'n', dev: true, tls: false })).get('script-src')).toContain("'unsafe-eval'");
  });

  it('upgrades insecure requests only over TLS, where a plain-HTTP instance would otherwise break itself', () => {
    expect(production.has('upgrade-insecure-requests')).toBe(false);
    expect(directives(contentSecurityPolicy({ nonce: 'n', dev: false, tls: true })).has('upgrade-insecure-requests')).toBe(true);
  });

  it('makes a new 128-bit base64 nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, 'base64')).toHaveLength(16);
  });
});
