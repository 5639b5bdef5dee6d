// Idempotency-Key for the API's writes: the first request with a key stores its answer in the same transaction as its
// writes; the same key with the same request within 24 hours replays that answer, with another request is refused.
// A concurrent twin waits on the first one's row and then replays what it committed.
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { apiIdempotency } from '@/db/schema';
import { rowsOf } from '@/db/sql';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
/** How long an answer is kept for replay. */
export const IDEMPOTENCY_HOURS = 24;
/** What a key may be: printable ASCII, as a UUID or any opaque token of the caller's. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function requestHash(method: string, path: string, body: Uint8Array): string {
  return createHash('sha256').update(`${method} ${path}\n`).update(body).digest('hex');
}

export type Claim =
  { claimed: true } | { claimed: false; mismatch: true } | { claimed: false; mismatch: false; status: number; body: unknown };

/**
 * Claims the key for this request inside the caller's transaction, or finds what it answered before. A row older than
 * the replay window is taken over as if it were not there.
 */
export async function claimIdempotencyKey(tx: Queryable, keyId: number, key: string, hash: string): Promise<Claim> {
  const claimed = rowsOf(
    await tx.execute(sql`
      insert into api_idempotency (key_id, idempotency_key, request_hash, status, body)
      values (${keyId}, ${key}, ${hash}, 0, 'null'::jsonb)
      on conflict (key_id, idempotency_key) do update
        set request_hash = excluded.request_hash, status = 0, body = 'null'::jsonb, created_at = now()
        where api_idempotency.created_at < now() - make_interval(hours => ${IDEMPOTENCY_HOURS})
      returning 1`),
  );
  if (claimed.length > 0) return { claimed: true };
  const [stored] = await tx
    .select({ requestHash: apiIdempotency.requestHash, status: apiIdempotency.status, body: apiIdempotency.body })
    .from(apiIdempotency)
    .where(and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, key)));
  if (!stored || stored.requestHash !== hash) return { claimed: false, mismatch: true };
  return { claimed: false, mismatch: false, status: stored.status, body: stored.body };
}

export async function storeIdempotentAnswer(tx: Queryable, keyId: number, key: string, status: number, body: unknown): Promise<void> {
  await tx
    .update(apiIdempotency)
    .set({ status, body })
    .where(and(eq(apiIdempotency.keyId, keyId), eq(apiIdempotency.idempotencyKey, key)));
}

const SWEEP_EVERY_MS = 60_000;
let lastSweep = 0;

/** Deletes answers past the replay window, at most once a minute per instance. */
export async function sweepIdempotencyKeys(db: Queryable, now = Date.now()): Promise<void> {
  if (now - lastSweep < SWEEP_EVERY_MS) return;
  lastSweep = now;
  await db.execute(sql`delete from api_idempotency where created_at < now() - make_interval(hours => ${IDEMPOTENCY_HOURS})`);
}
