// SQL fragments that behave the same on both drivers.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import type { Queryable } from '@/db';

/** A timestamp parameter inside raw SQL; postgres.js does not serialise a bare Date there. */
export function ts(date: Date): SQL {
  return sql`${date.toISOString()}::timestamptz`;
}

/** The rows of a raw `execute`: postgres.js returns them as an array, PGlite inside `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : (result as { rows: T[] }).rows;
}

/** A list of ids as one bigint[] parameter: the statement text stays the same whatever the number of ids. */
export function idArray(ids: readonly number[]): SQL {
  return sql`string_to_array(${ids.join(',')}, ',')::bigint[]`;
}

/**
 * Rows as one JSON parameter, read as a table `r` with the given columns (`customer_id bigint, channel channel, ...`).
 * Many rows go in one statement whose text does not change with their number, so it is parsed and planned once
 * per connection rather than once per batch size, and no statement carries thousands of parameters.
 */
export function recordset(rows: readonly object[], columns: string): SQL {
  return sql`json_to_recordset(${JSON.stringify(rows)}::json) as r(${sql.raw(columns)})`;
}

const dialect = new PgDialect();

/**
 * A read that PostgreSQL parses and plans once per connection and then only executes (a prepared statement of
 * postgres.js): for the hottest read of the API, planning is most of its cost. The text must not vary with the values,
 * which go in as parameters. PGlite, in this process, has no such cost to save and runs it as any other; so does a
 * transaction, whose queries drizzle runs on its own reserved connection.
 */
export async function readPrepared<T>(q: Queryable, query: SQL): Promise<T[]> {
  const client = (q as { $client?: unknown }).$client;
  if (!isPostgresJs(client)) return rowsOf<T>(await q.execute(query));
  const { sql: text, params } = dialect.sqlToQuery(query);
  return client.unsafe<T[]>(text, params as never[], { prepare: true });
}

function isPostgresJs(client: unknown): client is Sql {
  return typeof client === 'function' && typeof (client as Partial<Sql>).unsafe === 'function';
}
