// Throttling of failed sign-ins with growing delays, per client IP and per account from that IP.
// Keying the account counter by IP as well means a stranger guessing from elsewhere slows only their own attempts:
// the user signing in from their own address is never made to wait for someone else's failures.
import { inArray, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { signInThrottle } from '@/db/schema';
import { ts } from '@/db/sql';

/** Free failures before delays begin: few per account, more per IP (an office behind one address). */
export const ACCOUNT_FREE_FAILURES = 5;
export const IP_FREE_FAILURES = 20;
/** The longest wait between attempts, however many failures. */
export const MAX_DELAY_SECONDS = 15 * 60;
/** A counter with no failure for this long starts again from zero. */
export const FORGET_AFTER_MINUTES = 60;

export type ThrottleStatus = { locked: false } | { locked: true; retryAfterSeconds: number };
export type ThrottleKey = { key: string; freeFailures: number };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The counters one attempt touches: the client IP, and the account as tried from that IP. */
export function throttleKeys(email: string, ip: string): ThrottleKey[] {
  return [
    { key: `ip:${ip}`, freeFailures: IP_FREE_FAILURES },
    { key: `account:${normaliseEmail(email)}|ip:${ip}`, freeFailures: ACCOUNT_FREE_FAILURES },
  ];
}

/** Seconds to wait after the given number of failures: nothing up to the free ones, then 2, 4, 8 … up to the cap. */
export function delaySeconds(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(2 ** (failures - freeFailures + 1), MAX_DELAY_SECONDS);
}

function status(lockedUntil: Date | null | undefined, now: Date): ThrottleStatus {
  return lockedUntil && lockedUntil > now
    ? { locked: true, retryAfterSeconds: Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000) }
    : { locked: false };
}

/** The longest wait any of the keys asks for. */
function longest(statuses: ThrottleStatus[]): ThrottleStatus {
  let wait = 0;
  for (const s of statuses) if (s.locked) wait = Math.max(wait, s.retryAfterSeconds);
  return wait > 0 ? { locked: true, retryAfterSeconds: wait } : { locked: false };
}

export async function checkThrottle(q: Queryable, keys: ThrottleKey[], now = new Date()): Promise<ThrottleStatus> {
  const rows = await q
    .select({ lockedUntil: signInThrottle.lockedUntil })
    .from(signInThrottle)
    .where(
      inArray(
        signInThrottle.key,
        keys.map((k) => k.key),
      ),
    );
  return longest(rows.map((r) => status(r.lockedUntil, now)));
}

/** Counts a failure on each key in one statement per key, so parallel attempts cannot slip past the count. */
export async function recordFailure(q: Queryable, keys: ThrottleKey[], now = new Date()): Promise<ThrottleStatus> {
  const statuses: ThrottleStatus[] = [];
  for (const { key, freeFailures } of keys) {
    const stale = sql`${signInThrottle.lastFailedAt} < ${ts(new Date(now.getTime() - FORGET_AFTER_MINUTES * 60_000))}`;
    const failures = sql`case when ${stale} then 1 else ${signInThrottle.failures} + 1 end`;
    // 2^(failures - free + 1) seconds, capped; computed in SQL from the counter the same statement writes.
    const delay = sql`least(power(2, greatest(${failures} - ${freeFailures}::int + 1, 0)), ${MAX_DELAY_SECONDS}::int)`;
    const lockedUntil = sql`case when ${failures} >= ${freeFailures}::int then ${ts(now)} + make_interval(secs => ${delay}) else null end`;
    const [row] = await q
      .insert(signInThrottle)
      .values({ key, failures: 1, windowStartedAt: now, lastFailedAt: now })
      .onConflictDoUpdate({
        target: signInThrottle.key,
        set: {
          failures,
          windowStartedAt: sql`case when ${stale} then ${ts(now)} else ${signInThrottle.windowStartedAt} end`,
          lastFailedAt: ts(now),
          lockedUntil,
        },
      })
      .returning({ lockedUntil: signInThrottle.lockedUntil });
    statuses.push(status(row?.lockedUntil, now));
  }
  return longest(statuses);
}

/** After a right password: the account's counter from this IP starts again. The IP's own counter stays, so one
 * account of the guesser's own cannot wipe the count of their guesses at others. */
export async function clearAccountThrottle(q: Queryable, email: string, ip: string): Promise<void> {
  const accountKeys = throttleKeys(email, ip).filter((k) => k.key.startsWith('account:'));
  await q.delete(signInThrottle).where(
    inArray(
      signInThrottle.key,
      accountKeys.map((k) => k.key),
    ),
  );
}
