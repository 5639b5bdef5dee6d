// Throttling of failed sign-ins per account: after a few failures the account is locked for a while, whatever the password.
import { eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { signInThrottle } from '@/db/schema';
import { ts } from '@/db/sql';

export const MAX_FAILURES = 5;
export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;

export type ThrottleStatus = { locked: false } | { locked: true; retryAfterSeconds: number };

export function throttleKey(email: string): string {
  return email.trim().toLowerCase();
}

export async function checkThrottle(q: Queryable, key: string, now = new Date()): Promise<ThrottleStatus> {
  const [row] = await q.select({ lockedUntil: signInThrottle.lockedUntil }).from(signInThrottle).where(eq(signInThrottle.key, key));
  if (row?.lockedUntil && row.lockedUntil > now) {
    return { locked: true, retryAfterSeconds: Math.ceil((row.lockedUntil.getTime() - now.getTime()) / 1000) };
  }
  return { locked: false };
}

/** Counts a failure in one statement, so parallel attempts cannot slip past the limit. */
export async function recordFailure(q: Queryable, key: string, now = new Date()): Promise<ThrottleStatus> {
  const windowStart = new Date(now.getTime() - WINDOW_MINUTES * 60_000);
  const lockUntil = new Date(now.getTime() + LOCK_MINUTES * 60_000);
  const fresh = sql`${signInThrottle.windowStartedAt} < ${ts(windowStart)}`;
  const failures = sql`case when ${fresh} then 1 else ${signInThrottle.failures} + 1 end`;
  const [row] = await q
    .insert(signInThrottle)
    .values({ key, failures: 1, windowStartedAt: now, lockedUntil: MAX_FAILURES <= 1 ? lockUntil : null })
    .onConflictDoUpdate({
      target: signInThrottle.key,
      set: {
        failures,
        windowStartedAt: sql`case when ${fresh} then ${ts(now)} else ${signInThrottle.windowStartedAt} end`,
        lockedUntil: sql`case when ${failures} >= ${MAX_FAILURES} then ${ts(lockUntil)} else ${signInThrottle.lockedUntil} end`,
      },
    })
    .returning({ lockedUntil: signInThrottle.lockedUntil });
  return checkThrottleRow(row?.lockedUntil ?? null, now);
}

function checkThrottleRow(lockedUntil: Date | null, now: Date): ThrottleStatus {
  return lockedUntil && lockedUntil > now
    ? { locked: true, retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) }
    : { locked: false };
}

export async function clearThrottle(q: Queryable, key: string): Promise<void> {
  await q.delete(signInThrottle).where(eq(signInThrottle.key, key));
}
