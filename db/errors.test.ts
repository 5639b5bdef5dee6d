import { describe, expect, it } from 'vitest';
import { errorCode, mayHaveCommitted } from './errors';

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

describe('mayHaveCommitted', () => {
  const coded = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    ['a deadlock (rolled back)', deadlock, false],
    ['a unique violation wrapped by Drizzle', Object.assign(new Error('Failed query'), { cause: coded('23505') }), false],
    ['a statement timeout', coded('57014'), false],
    ['an error of our own code before the COMMIT', new Error('boom'), false],
    ['the connection closed by the driver', coded('CONNECTION_CLOSED'), true],
    ['a reset socket', coded('ECONNRESET'), true],
    ['a connection failure reported by PostgreSQL', coded('08006'), true],
    ['an administrator ending the session', coded('57P01'), true],
  ])('%s', (_, error, uncertain) => {
    expect(mayHaveCommitted(error)).toBe(uncertain);
  });
});
