// SQL fragments that behave the same on both drivers.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';

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
