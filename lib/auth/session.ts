// Who is asking: the signed-in user, re-read from the database so that role changes and deactivation apply at once.
import { cache } from 'react';
import { eq } from 'drizzle-orm';
import { forbidden, redirect } from 'next/navigation';
import { getDb } from '@/db';
import { users } from '@/db/schema';
import { auth } from './auth';
import type { Role, Section } from './roles';
import { SECTION_ROLES } from './roles';

export type CurrentUser = { id: number; email: string; name: string; role: Role };

export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = Number(session?.user?.id);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  const db = await getDb();
  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, active: users.active })
    .from(users)
    .where(eq(users.id, id));
  if (!user?.active) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
});

/** The first line of every server action and protected route: signed-out visitors go to sign-in, other roles get 403. */
export async function requireRole(...roles: Role[]): Promise<CurrentUser> {
  const user = await currentUser();
  if (!user) redirect('/sign-in');
  if (roles.length > 0 && !roles.includes(user.role)) forbidden();
  return user;
}

/** requireRole for a section of the dashboard, with the roles the navigation shows it to. */
export function requireSection(section: Section): Promise<CurrentUser> {
  return requireRole(...SECTION_ROLES[section]);
}
