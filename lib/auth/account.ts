// A signed-in user's own account: changing the password with the current one, and signing out everywhere.
import { eq } from 'drizzle-orm';
import type { Db } from '@/db';
import { users } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { hashPassword, verifyPassword } from './password';
import type { PasswordProblem } from './password-policy';
import { passwordProblem } from './password-policy';
import { bumpSessionVersion } from './session-user';
import { checkThrottle, clearAccountThrottle, recordFailure, throttleKeys } from './throttle';

export type ChangePasswordInput = { current: string; next: string; confirmation: string };
export type ChangePasswordResult =
  | { ok: true }
  | { ok: false; error: 'wrong_current' | 'not_found' | PasswordProblem }
  | { ok: false; error: 'throttled'; retryAfterSeconds: number };

export async function changeOwnPassword(db: Db, userId: number, input: ChangePasswordInput, ip: string): Promise<ChangePasswordResult> {
  const [user] = await db
    .select({ email: users.email, name: users.name, passwordHash: users.passwordHash, active: users.active })
    .from(users)
    .where(eq(users.id, userId));
  if (!user?.active) return { ok: false, error: 'not_found' };
  // Wrong current passwords count like failed sign-ins, so a borrowed session cannot be used to guess the password.
  const keys = throttleKeys(user.email, ip);
  const throttle = await checkThrottle(db, keys);
  if (throttle.locked) return { ok: false, error: 'throttled', retryAfterSeconds: throttle.retryAfterSeconds };
  if (!(await verifyPassword(user.passwordHash, input.current))) {
    await recordFailure(db, keys);
    await writeAudit(db, {
      actorId: userId,
      action: 'auth.password_change_refused',
      entity: 'user',
      entityId: userId,
      after: { reason: 'wrong_current', ip },
    });
    return { ok: false, error: 'wrong_current' };
  }
  await clearAccountThrottle(db, user.email, ip);
  const problem = passwordProblem(input.next, input.confirmation, [user.email, user.name]);
  if (problem) return { ok: false, error: problem };
  if (input.next === input.current) return { ok: false, error: 'same_as_current' };
  const passwordHash = await hashPassword(input.next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, userId));
    await bumpSessionVersion(tx, userId);
    await writeAudit(tx, {
      actorId: userId,
      action: 'auth.password_change',
      entity: 'user',
      entityId: userId,
      after: { ip, sessionsEnded: true },
    });
  });
  return { ok: true };
}

export async function signOutEverywhere(db: Db, userId: number, ip: string): Promise<void> {
  await db.transaction(async (tx) => {
    await bumpSessionVersion(tx, userId);
    await writeAudit(tx, { actorId: userId, action: 'auth.sign_out_everywhere', entity: 'user', entityId: userId, after: { ip } });
  });
}
