// The user behind a session token, or null when the token no longer speaks for them: deactivated, or signed out
// everywhere / password changed since the token was issued (its session version is behind the user's).
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { users } from '@/db/schema';
import type { Role } from './roles';

export type CurrentUser = { id: number; email: string; name: string; role: Role };
export type SessionClaims = { userId: unknown; sessionVersion: unknown };

export async function loadSessionUser(q: Queryable, claims: SessionClaims): Promise<CurrentUser | null> {
  const id = Number(claims.userId);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  // Tokens issued before session versions existed carry none; they end like any outdated one.
  if (typeof claims.sessionVersion !== 'number') return null;
  const [user] = await q
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(users.id, id));
  if (!user?.active || user.sessionVersion !== claims.sessionVersion) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Ends every session of the user: tokens carrying the old version are refused from the next request on. */
export async function bumpSessionVersion(q: Queryable, userId: number): Promise<void> {
  await q
    .update(users)
    .set({ sessionVersion: sql`${users.sessionVersion} + 1`, updatedAt: new Date() })
    .where(eq(users.id, userId));
}
