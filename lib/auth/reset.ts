// One-time password reset links: an admin makes one for a user and passes it on; the user sets a new password with it.
// The link carries 32 random bytes; only their SHA-256 is stored, so the table alone cannot be used to reset anything.
import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '@/db';
import { passwordResets, users } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { hashPassword } from './password';
import type { PasswordProblem } from './password-policy';
import { passwordProblem } from './password-policy';
import { bumpSessionVersion } from './session-user';

export const RESET_LINK_MINUTES = 60;
export const RESET_PATH = '/reset-password';

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export function hashResetToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export type CreateResetResult = { ok: true; token: string; expiresAt: Date } | { ok: false; error: 'not_found' | 'deactivated' };

/** A new link for the user; any earlier unused link of theirs stops working, so only the newest one is in circulation. */
export async function createResetLink(db: Db, userId: number, actorId: number, now = new Date()): Promise<CreateResetResult> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + RESET_LINK_MINUTES * 60_000);
  return db.transaction(async (tx) => {
    const [user] = await tx.select({ active: users.active }).from(users).where(eq(users.id, userId)).for('update');
    if (!user) return { ok: false, error: 'not_found' } as const;
    if (!user.active) return { ok: false, error: 'deactivated' } as const;
    await tx
      .update(passwordResets)
      .set({ usedAt: now })
      .where(and(eq(passwordResets.userId, userId), isNull(passwordResets.usedAt)));
    const [row] = await tx
      .insert(passwordResets)
      .values({ userId, tokenHash: hashResetToken(token), createdBy: actorId, createdAt: now, expiresAt })
      .returning({ id: passwordResets.id });
    await writeAudit(tx, {
      actorId,
      action: 'auth.reset_link_create',
      entity: 'user',
      entityId: userId,
      after: { resetId: row!.id, expiresAt: expiresAt.toISOString() },
    });
    return { ok: true, token, expiresAt } as const;
  });
}

export type ResetLinkState = { ok: true; email: string; name: string } | { ok: false; error: 'unknown' | 'expired' | 'used' };

type ResetRow = { id: number; userId: number; expiresAt: Date; usedAt: Date | null; email: string; name: string; active: boolean };

function judge(row: ResetRow | undefined, now: Date): ResetLinkState {
  if (!row || !row.active) return { ok: false, error: 'unknown' };
  if (row.usedAt) return { ok: false, error: 'used' };
  if (row.expiresAt <= now) return { ok: false, error: 'expired' };
  return { ok: true, email: row.email, name: row.name };
}

const rowColumns = {
  id: passwordResets.id,
  userId: passwordResets.userId,
  expiresAt: passwordResets.expiresAt,
  usedAt: passwordResets.usedAt,
  email: users.email,
  name: users.name,
  active: users.active,
};

/** What the public page shows for a token, without using it. */
export async function inspectResetToken(db: Db, token: string, now = new Date()): Promise<ResetLinkState> {
  if (!TOKEN_FORMAT.test(token)) return { ok: false, error: 'unknown' };
  const [row] = await db
    .select(rowColumns)
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, hashResetToken(token)));
  return judge(row, now);
}

export type UseResetResult = { ok: true; email: string } | { ok: false; error: 'unknown' | 'expired' | 'used' | PasswordProblem };

/** Sets the new password and spends the link, in one transaction that locks the link so a replay racing it finds it used. */
export async function resetPassword(
  db: Db,
  token: string,
  password: string,
  confirmation: string,
  ip: string,
  now = new Date(),
): Promise<UseResetResult> {
  const preview = await inspectResetToken(db, token, now);
  if (!preview.ok) {
    await writeAudit(db, {
      actorId: null,
      action: 'auth.reset_link_refused',
      entity: 'user',
      entityId: null,
      after: { reason: preview.error, ip },
    });
    return preview;
  }
  const problem = passwordProblem(password, confirmation, [preview.email, preview.name]);
  if (problem) return { ok: false, error: problem };
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select(rowColumns)
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(eq(passwordResets.tokenHash, hashResetToken(token)))
      .for('update', { of: passwordResets });
    const state = judge(row, now);
    if (!state.ok || !row) {
      await writeAudit(tx, {
        actorId: null,
        action: 'auth.reset_link_refused',
        entity: 'user',
        entityId: row?.userId ?? null,
        after: { reason: state.ok ? 'unknown' : state.error, ip },
      });
      return state.ok ? ({ ok: false, error: 'unknown' } as const) : state;
    }
    await tx.update(passwordResets).set({ usedAt: now }).where(eq(passwordResets.id, row.id));
    await tx.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, row.userId));
    await bumpSessionVersion(tx, row.userId);
    await writeAudit(tx, {
      actorId: row.userId,
      action: 'auth.reset_link_use',
      entity: 'user',
      entityId: row.userId,
      after: { resetId: row.id, ip, sessionsEnded: true },
    });
    return { ok: true, email: row.email } as const;
  });
}
