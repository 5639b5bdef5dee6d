// drizzle sends its statements to postgres.js unprepared. PostgreSQL then parses and plans each one, and postgres.js
// first asks for a statement's parameter types in a round trip of its own, and sends nothing else on the connection
// until the answer is back: the statements a transaction sends together go one after the other, two round trips each.
// Code that sends the same few statements thousands of times (the consent API's writes) runs them inside
// withPreparedStatements: each is parsed and planned once per connection, and a transaction's statements go out
// together. Everything else runs as drizzle sends it; a statement whose text varies with its values would be prepared
// once per variant.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sql } from 'postgres';
import { processWide } from '@/lib/process-wide';

// On globalThis: the client may have been opened by Next.js's copy of this module and be used by the server's.
const scope = processWide('db.prepared-statements', () => new AsyncLocalStorage<boolean>());

/** Runs fn with every statement it sends through drizzle on PostgreSQL prepared. PGlite runs them as before. */
export function withPreparedStatements<T>(fn: () => Promise<T>): Promise<T> {
  return scope.run(true, fn);
}

type Unsafe = (text: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
type WithCallback = (...args: unknown[]) => unknown;

/** The postgres.js client for drizzle: the same, but that statements sent within withPreparedStatements are prepared. */
export function preparingClient(client: Sql): Sql {
  return new Proxy(client, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (prop === 'unsafe') {
        return (text: string, params?: unknown[], options?: { prepare?: boolean }) =>
          (value as Unsafe).call(target, text, params, scope.getStore() ? { ...options, prepare: true } : options);
      }
      // A transaction's or savepoint's statements go through the client its callback gets.
      if (prop === 'begin' || prop === 'savepoint') {
        return (...args: unknown[]) => {
          const callback = args.pop() as (sql: Sql) => unknown;
          return (value as WithCallback).call(target, ...args, (sql: Sql) => callback(preparingClient(sql)));
        };
      }
      return value.bind(target);
    },
  });
}
