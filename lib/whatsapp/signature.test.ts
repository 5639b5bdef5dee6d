import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from './signature';

const secret = 'test-app-secret';
const body = Buffer.from(JSON.stringify({ object: 'whatsapp_business_account', entry: [] }));

describe('verifySignature', () => {
  it('accepts the HMAC-SHA256 of the raw body', () => {
    expect(verifySignature(body, signBody(body, secret), secret)).toBe(true);
  });
  it('accepts upper-case hex', () => {
    const header = signBody(body, secret);
    expect(verifySignature(body, `sha256=${header.slice(7).toUpperCase()}`, secret)).toBe(true);
  });
  it.each([
    ['missing header', null],
    ['empty header', ''],
    ['no prefix', signBody(body, secret).slice(7)],
    ['sha1 prefix', `sha1=${signBody(body, secret).slice(7)}`],
    ['short digest', signBody(body, secret).slice(0, 40)],
    ['another secret', signBody(body, 'other-secret')],
    ['not hex', `sha256=${'z'.repeat(64)}`],
  ])('refuses %s', (_label, header) => {
    expect(verifySignature(body, header, secret)).toBe(false);
  });
  it('refuses a body changed after signing', () => {
    const header = signBody(body, secret);
    const changed = Buffer.from(body.toString().replace('[]', '[{}]'));
    expect(verifySignature(changed, header, secret)).toBe(false);
  });
  it('refuses everything without a secret', () => {
    expect(verifySignature(body, signBody(body, ''), '')).toBe(false);
  });
});
