import { describe, expect, it } from 'vitest';
import { open, seal } from './secret-box';

const KEY = 'a-secrets-key-for-tests';
const TOKEN = 'EAAGm0PX4ZCpsBAKZC7wZBexampletoken4f2a';

describe('secret box', () => {
  it('opens what it sealed, and never holds the plain text', () => {
    const sealed = seal(TOKEN, 'whatsapp_access_token', KEY);
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain(TOKEN);
    expect(open(sealed, 'whatsapp_access_token', KEY)).toBe(TOKEN);
  });

  it('seals the same text differently each time', () => {
    expect(seal(TOKEN, 'p', KEY)).not.toBe(seal(TOKEN, 'p', KEY));
  });

  it.each([
    ['another key', (s: string) => open(s, 'whatsapp_access_token', 'another-key')],
    ['another purpose', (s: string) => open(s, 'something_else', KEY)],
    ['an altered ciphertext', (s: string) => open(s.slice(0, -2) + (s.endsWith('AA') ? 'BB' : 'AA'), 'whatsapp_access_token', KEY)],
    [
      'an altered tag',
      (s: string) =>
        open(
          s.replace(/^v1\.([^.]+)\.(.)/, (_m, iv: string, c: string) => `v1.${iv}.${c === 'A' ? 'B' : 'A'}`),
          'whatsapp_access_token',
          KEY,
        ),
    ],
    ['another version', (s: string) => open(s.replace(/^v1/, 'v2'), 'whatsapp_access_token', KEY)],
    ['garbage', () => open('not sealed', 'whatsapp_access_token', KEY)],
  ])('refuses %s', (_what, attempt) => {
    expect(attempt(seal(TOKEN, 'whatsapp_access_token', KEY))).toBeNull();
  });
});
