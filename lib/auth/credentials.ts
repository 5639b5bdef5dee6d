// Checking an e-mail and password against the users table, with throttling and an audit entry per attempt.
// Used by the sign-in provider.
import { eq, sql } from 'drizzle-orm';
import { z } from '@/lib/zod';
import type { Db } from '@/db';
import { users } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { contactHash } from '@/lib/suppressions';
import { verifyPassword } from './password';
import type { Role } from './roles';
import type { ThrottleStatus } from './throttle';
import { checkThrottle, clearAccountThrottle, normaliseEmail, recordFailure, throttleKeys } from './throttle';

export const credentialsSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1024),
});

export type AuthenticatedUser = { id: number; email: string; name: string; role: Role; sessionVersion: number };
export type CredentialCheck =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; throttle: Extract<ThrottleStatus, { locked: true }> };

// Verifying against a real hash when the account does not exist keeps the answer time the same.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$qQ2VMuL56JzO1ZhGYpumOg$8S++KObCR68uAcMH5oYWxlw4xvevbp1kLoMlUhth5TU';

export type AttemptContext = { ip: string; now?: Date };

export async function checkCredentials(db: Db, input: unknown, { ip, now = new Date() }: AttemptContext): Promise<CredentialCheck> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { password } = parsed.data;
  const email = normaliseEmail(parsed.data.email);
  const keys = throttleKeys(email, ip);

  const [user] = await db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      active: users.active,
      passwordHash: users.passwordHash,
      sessionVersion: users.sessionVersion,
    })
    .from(users)
    .where(eq(sql`lower(${users.email})`, email));
  // The audit names the account when it exists. For an unknown one only the keyed hash of the e-mail typed: the log keeps
  // every entry for good, and the address may be anyone's (a customer's); the hash still shows the same address tried
  // again. Never the password.
  const audit = (action: string, after: Record<string, unknown>) =>
    writeAudit(db, {
      actorId: user?.id ?? null,
      action,
      entity: 'user',
      entityId: user?.id ?? null,
      after: { ...(user ? {} : { emailHash: contactHash('email', email) }), ip, ...after },
    });

  const before = await checkThrottle(db, keys, now);
  if (before.locked) {
    await audit('auth.sign_in_throttled', { retryAfterSeconds: before.retryAfterSeconds });
    return { ok: false, reason: 'throttled', throttle: before };
  }

  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !valid || !user.active) {
    const after = await recordFailure(db, keys, now);
    await audit('auth.sign_in_failed', { reason: !user ? 'unknown_account' : !valid ? 'wrong_password' : 'deactivated' });
    return after.locked ? { ok: false, reason: 'throttled', throttle: after } : { ok: false, reason: 'invalid' };
  }
  await clearAccountThrottle(db, email, ip);
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  await audit('auth.sign_in', {});
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role, sessionVersion: user.sessionVersion } };
}
