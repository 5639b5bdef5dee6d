import { describe, expect, it } from 'vitest';
import { errorCode } from './errors';

const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });

describe('errorCode', () => {
  it.each([
    ['the driver error itself', deadlock, '40P01'],
    ['a query error wrapping it (Drizzle)', Object.assign(new Error('Failed query: delete from ...'), { cause: deadlock }), '40P01'],
    ['a connection error', Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), 'ECONNREFUSED'],
    ['an error with no code', new Error('boom'), null],
    ['a wrapper whose cause has no code', Object.assign(new Error('Failed query'), { cause: new Error('boom') }), null],
    ['a thrown string', 'boom', null],
    ['nothing', undefined, null],
  ])('%s', (_, error, code) => {
    expect(errorCode(error)).toBe(code);
  });
});
