// Whether this installation is the demo (sample data, demo logins with a published password) or a real one, and
// whether a real one still needs its first admin.
import { and, eq } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { users } from '@/db/schema';
import { envFlag } from '@/lib/env-flag';

/**
 * The embedded database (no DATABASE_URL) is always the demo. On PostgreSQL only `ZGODA_DEMO=1` makes one, as CI and
 * the browser tests do: a real install must never get accounts whose password is printed in the README.
 */
export function isDemo(env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  return !env.DATABASE_URL?.trim() || envFlag(env.ZGODA_DEMO);
}

/** Whether anyone can still administer this installation; without an active admin nobody can create users. */
export async function hasActiveAdmin(q: Queryable): Promise<boolean> {
  const [row] = await q
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .limit(1);
  return row !== undefined;
}
