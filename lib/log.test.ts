import { describe, expect, it } from 'vitest';
import { DrizzleQueryError } from 'drizzle-orm';
import { serializeError } from './log';

describe('errors in the log name no one', () => {
  it("drops a failed query's parameters from its message and stack, keeps the query", () => {
    const error = new DrizzleQueryError('insert into customers (email) values ($1)', ['anna.kowalska@example.pl'], new Error('boom'));
    const logged = JSON.stringify(serializeError(error));
    expect(logged).not.toContain('anna.kowalska');
    expect(logged).toContain('insert into customers');
    expect(logged).toContain('params: [not logged]');
  });

  it("keeps a driver error's code and constraint, not its detail with the row's values", () => {
    const driver = Object.assign(new Error('duplicate key value violates unique constraint "customers_email_key"'), {
      code: '23505',
      constraint_name: 'customers_email_key',
      detail: 'Key (email)=(anna.kowalska@example.pl) already exists.',
    });
    const logged = serializeError(new Error('saving failed', { cause: driver }));
    expect(logged.cause).toMatchObject({ code: '23505', constraint: 'customers_email_key' });
    expect(JSON.stringify(logged)).not.toContain('anna.kowalska');
  });

  it('logs what is thrown when it is not an Error', () => {
    expect(serializeError('plain text')).toEqual({ message: 'plain text' });
  });
});
