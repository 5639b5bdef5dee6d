// Who is asking: the signed-in user, re-read from the database so that role changes, deactivation and
// "sign out everywhere" apply at once.
import { cache } from 'react';
import { forbidden, redirect } from 'next/navigation';
import { getDb } from '@/db';
import { auth } from './auth';
import type { Role, Section } from './roles';
import { SECTION_ROLES } from './roles';
import type { CurrentUser } from './session-user';
import { loadSessionUser } from './session-user';

export type { CurrentUser } from './session-user';

export const currentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = (await auth()) as { user?: { id?: string }; sessionVersion?: unknown } | null;
  if (!session?.user?.id) return null;
  return loadSessionUser(await getDb(), { userId: session.user.id, sessionVersion: session.sessionVersion });
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
