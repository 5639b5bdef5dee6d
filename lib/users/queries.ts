import { asc, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { users } from '@/db/schema';

/** Users for the admin list; never the password hash. */
export async function listUsers() {
  const db = await getDb();
  return db
    .select({
      id: users.id,
      name: users.name,
      email: users.email,
      role: users.role,
      active: users.active,
      lastSignInAt: users.lastSignInAt,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.name));
}
export type UserListItem = Awaited<ReturnType<typeof listUsers>>[number];

/** What the user's own account page shows about them. */
export async function accountOverview(userId: number) {
  const db = await getDb();
  const [row] = await db.select({ lastSignInAt: users.lastSignInAt }).from(users).where(eq(users.id, userId));
  return row ?? null;
}
