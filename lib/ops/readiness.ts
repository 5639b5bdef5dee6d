// Whether this instance can serve: the database answers and holds every migration this build ships.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { MIGRATIONS_FOLDER } from '@/db';
import { rowsOf } from '@/db/sql';
import { errorCode } from '@/db/errors';

export type Readiness =
  { ready: true; migration: string } | { ready: false; problem: 'database_unreachable' | 'migrations_pending'; detail: string };

/** The tag and time of the last migration in the build's journal. */
export function latestMigration(): { tag: string; when: number } {
  const journal = JSON.parse(fs.readFileSync(path.join(/*turbopackIgnore: true*/ MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as {
    entries: Array<{ tag: string; when: number }>;
  };
  const last = journal.entries.at(-1);
  if (!last) throw new Error('The migration journal is empty');
  return last;
}

export async function readiness(q: () => Promise<Queryable>): Promise<Readiness> {
  const expected = latestMigration();
  let applied: number | null;
  try {
    const db = await q();
    const [row] = rowsOf<{ last: string | number | null }>(
      await db.execute(sql`select (select max(created_at) from drizzle.__drizzle_migrations) as last`),
    );
    applied = row?.last == null ? null : Number(row.last);
  } catch (error) {
    const code = errorCode(error);
    if (code === '42P01' || code === '3F000') applied = null;
    else return { ready: false, problem: 'database_unreachable', detail: 'The database did not answer.' };
  }
  if (applied === null || applied < expected.when) {
    return { ready: false, problem: 'migrations_pending', detail: `Migrations up to ${expected.tag} are not applied yet.` };
  }
  return { ready: true, migration: expected.tag };
}
