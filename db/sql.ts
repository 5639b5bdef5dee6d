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
