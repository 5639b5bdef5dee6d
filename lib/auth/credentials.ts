// Checking an e-mail and password against the users table, with throttling. Used by the sign-in provider.
import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '@/db';
import { users } from '@/db/schema';
import { verifyPassword } from './password';
import type { Role } from './roles';
import type { ThrottleStatus } from './throttle';
import { checkThrottle, clearThrottle, recordFailure, throttleKey } from './throttle';

export const credentialsSchema = z.object({
  email: z.string().trim().email().max(320),
  password: z.string().min(1).max(1024),
});

export type AuthenticatedUser = { id: number; email: string; name: string; role: Role };
export type CredentialCheck =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'throttled'; throttle: Extract<ThrottleStatus, { locked: true }> };

// Verifying against a real hash when the account does not exist keeps the answer time the same.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$qQ2VMuL56JzO1ZhGYpumOg$8S++KObCR68uAcMH5oYWxlw4xvevbp1kLoMlUhth5TU';

export async function checkCredentials(db: Db, input: unknown, now = new Date()): Promise<CredentialCheck> {
  const parsed = credentialsSchema.safeParse(input);
  if (!parsed.success) return { ok: false, reason: 'invalid' };
  const { email, password } = parsed.data;
  const key = throttleKey(email);

  const before = await checkThrottle(db, key, now);
  if (before.locked) return { ok: false, reason: 'throttled', throttle: before };

  const [user] = await db
    .select({ id: users.id, email: users.email, name: users.name, role: users.role, active: users.active, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(sql`lower(${users.email})`, key));
  const valid = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, password);
  if (!user || !valid || !user.active) {
    const after = await recordFailure(db, key, now);
    return after.locked ? { ok: false, reason: 'throttled', throttle: after } : { ok: false, reason: 'invalid' };
  }
  await clearThrottle(db, key);
  await db.update(users).set({ lastSignInAt: now }).where(eq(users.id, user.id));
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
