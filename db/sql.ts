// SQL fragments that behave the same on both drivers.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';

/** A timestamp parameter inside raw SQL; postgres.js does not serialise a bare Date there. */
export function ts(date: Date): SQL {
  return sql`${date.toISOString()}::timestamptz`;
}
