// Managing users: create, change role, deactivate. There is always at least one active admin.
import { and, eq, sql } from 'drizzle-orm';
import { z } from '@/lib/zod';
import type { Db, Tx } from '@/db';
import { users } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { MIN_PASSWORD_LENGTH, hashPassword } from '@/lib/auth/password';
import { passwordProblem } from '@/lib/auth/password-policy';
import type { Role } from '@/lib/auth/roles';
import { ROLES } from '@/lib/auth/roles';
import { bumpSessionVersion } from '@/lib/auth/session-user';

export const newUserSchema = z
  .object({
    name: z.string({ error: 'name_required' }).trim().min(1, 'name_required').max(120, 'name_too_long'),
    email: z.string({ error: 'email_invalid' }).trim().toLowerCase().email('email_invalid').max(320, 'email_invalid'),
    role: z.enum(ROLES, { message: 'role_invalid' }),
    password: z.string({ error: 'password_too_short' }).min(MIN_PASSWORD_LENGTH, 'password_too_short').max(256, 'password_too_long'),
  })
  .superRefine((input, ctx) => {
    // The same list and personal-word check as a user's own password change: an initial password is a password too.
    if (passwordProblem(input.password, input.password, [input.email, input.name]) === 'too_common') {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'password_too_common' });
    }
  });
export type NewUserInput = z.infer<typeof newUserSchema>;

export type ManageError = 'not_found' | 'email_taken' | 'last_admin' | 'self_deactivation';
export type ManageResult = { ok: true; id: number } | { ok: false; error: ManageError };

/** Locks the active admins and counts them, so two concurrent demotions cannot both pass the check. */
async function activeAdminCount(tx: Tx): Promise<number> {
  const rows = await tx
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, 'admin'), eq(users.active, true)))
    .for('update');
  return rows.length;
}

/**
 * Creates a user; `actorId` null is the server's own command line (`npm run admin:create`), which the audit entry
 * names in `via`.
 */
export async function createUser(db: Db, input: NewUserInput, actorId: number | null, via?: 'command_line'): Promise<ManageResult> {
  const passwordHash = await hashPassword(input.password);
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(sql`lower(${users.email})`, input.email));
    if (taken) return { ok: false, error: 'email_taken' } as const;
    const [row] = await tx
      .insert(users)
      .values({ name: input.name, email: input.email, role: input.role, passwordHash })
      .returning({ id: users.id });
    await writeAudit(tx, {
      actorId,
      action: 'user.create',
      entity: 'user',
      entityId: row!.id,
      after: { name: input.name, email: input.email, role: input.role, ...(via && { via }) },
    });
    return { ok: true, id: row!.id } as const;
  });
}

export async function changeRole(db: Db, userId: number, role: Role, actorId: number): Promise<ManageResult> {
  return db.transaction(async (tx) => {
    const admins = await activeAdminCount(tx);
    const [user] = await tx.select({ role: users.role, active: users.active }).from(users).where(eq(users.id, userId)).for('update');
    if (!user) return { ok: false, error: 'not_found' } as const;
    if (user.role === role) return { ok: true, id: userId } as const;
    if (user.role === 'admin' && user.active && admins <= 1) return { ok: false, error: 'last_admin' } as const;
    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, userId));
    await writeAudit(tx, { actorId, action: 'user.role', entity: 'user', entityId: userId, before: { role: user.role }, after: { role } });
    return { ok: true, id: userId } as const;
  });
}

export async function setActive(db: Db, userId: number, active: boolean, actorId: number): Promise<ManageResult> {
  if (!active && userId === actorId) return { ok: false, error: 'self_deactivation' };
  return db.transaction(async (tx) => {
    const admins = await activeAdminCount(tx);
    const [user] = await tx.select({ role: users.role, active: users.active }).from(users).where(eq(users.id, userId)).for('update');
    if (!user) return { ok: false, error: 'not_found' } as const;
    if (user.active === active) return { ok: true, id: userId } as const;
    if (!active && user.role === 'admin' && admins <= 1) return { ok: false, error: 'last_admin' } as const;
    await tx.update(users).set({ active, updatedAt: new Date() }).where(eq(users.id, userId));
    // Deactivation ends every session for good: reactivating later does not bring an old token back to life.
    if (!active) await bumpSessionVersion(tx, userId);
    await writeAudit(tx, {
      actorId,
      action: active ? 'user.reactivate' : 'user.deactivate',
      entity: 'user',
      entityId: userId,
      before: { active: user.active },
      after: { active },
    });
    return { ok: true, id: userId } as const;
  });
}
