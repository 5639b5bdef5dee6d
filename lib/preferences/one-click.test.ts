import { describe, expect, it } from 'vitest';
import { isOneClickBody } from './one-click';

const post = (body: BodyInit | null, type?: string) =>
  new Request('http://localhost/u/token', { method: 'POST', body, headers: type ? { 'content-type': type } : {} });

function multipart(fields: Record<string, string>): Request {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.set(k, v);
  return new Request('http://localhost/u/token', { method: 'POST', body: form });
}

describe('the one-click body', () => {
  it.each<[string, Request, boolean]>([
    ['form-encoded, as RFC 8058 sends it', post('List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded'), true],
    ['with a charset', post('List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded; charset=utf-8'), true],
    ['multipart, which the RFC allows', multipart({ 'List-Unsubscribe': 'One-Click' }), true],
    ['beside other fields', post('utm=x&List-Unsubscribe=One-Click', 'application/x-www-form-urlencoded'), true],
    ['empty', post('', 'application/x-www-form-urlencoded'), false],
    ['another value', post('List-Unsubscribe=Yes', 'application/x-www-form-urlencoded'), false],
    ['another field', post('Unsubscribe=One-Click', 'application/x-www-form-urlencoded'), false],
    ['as JSON', post('{"List-Unsubscribe":"One-Click"}', 'application/json'), false],
    ['as plain text', post('List-Unsubscribe=One-Click', 'text/plain'), false],
    ['without a type', post('List-Unsubscribe=One-Click'), false],
    ['too long to be one', post(`List-Unsubscribe=One-Click&x=${'a'.repeat(5000)}`, 'application/x-www-form-urlencoded'), false],
  ])('%s', async (_, request, expected) => {
    expect(await isOneClickBody(request)).toBe(expected);
  });
});
