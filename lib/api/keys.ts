// API keys: made at random, shown once, stored as a keyed hash, recognised by their prefix, revoked but never deleted.
import { createHmac, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { apiKeys, users } from '@/db/schema';
import { writeAudit } from '@/lib/audit/write';
import { localSecret } from '@/lib/auth/secret';
import { processWide } from '@/lib/process-wide';
import { z } from '@/lib/zod';

import type { ApiScope } from './scopes';
import { API_SCOPES } from './scopes';

export { API_SCOPES, type ApiScope };

/** The key as a request presents it: `zgk_` and 43 characters of base64url (256 random bits). */
const KEY_PATTERN = /^zgk_[A-Za-z0-9_-]{43}$/;
/** How much of the key is kept in clear and shown, to tell keys apart: enough to recognise, far too little to guess. */
const PREFIX_LENGTH = 12;

let hashKeyMaterial: string | null = null;

/**
 * HMAC-SHA256 of the key. A random 256-bit key cannot be guessed, so a slow password hash would only cost time on every
 * call; the HMAC key (SUPPRESSION_KEY, which every instance shares and which never changes) keeps a copy of the table
 * alone from being checked against candidate keys.
 */
export function hashApiKey(key: string): string {
  hashKeyMaterial ??= localSecret('SUPPRESSION_KEY', 'suppression-key');
  return createHmac('sha256', hashKeyMaterial).update(`api-key:${key}`).digest('hex');
}

export const createKeySchema = z.object({
  name: z.string({ message: 'name_required' }).trim().min(1, 'name_required').max(100, 'name_too_long'),
  scopes: z.array(z.enum(API_SCOPES, { message: 'scope_unknown' }), { message: 'scope_required' }).min(1, 'scope_required'),
});
export type CreateKeyInput = z.infer<typeof createKeySchema>;

export type CreatedKey = { id: number; name: string; prefix: string; scopes: ApiScope[]; key: string };

export async function createApiKey(db: Queryable, input: CreateKeyInput, actorId: number): Promise<CreatedKey> {
  const key = `zgk_${randomBytes(32).toString('base64url')}`;
  const prefix = key.slice(0, PREFIX_LENGTH);
  const scopes = [...new Set(input.scopes)].sort();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ name: input.name, prefix, keyHash: hashApiKey(key), scopes, createdBy: actorId })
      .returning({ id: apiKeys.id });
    await writeAudit(tx, {
      actorId,
      action: 'api_key.create',
      entity: 'api_key',
      entityId: row!.id,
      after: { name: input.name, prefix, scopes },
    });
    return { id: row!.id, name: input.name, prefix, scopes, key };
  });
}

/**
 * Revokes a key: this instance refuses it at once, every other one within KEY_TRUSTED_MS; revoking it again changes
 * nothing. Returns whether the key exists.
 */
export async function revokeApiKey(db: Queryable, id: number, actorId: number): Promise<boolean> {
  const found = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedBy: actorId })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name, prefix: apiKeys.prefix });
    if (!row) return (await tx.$count(apiKeys, eq(apiKeys.id, id))) > 0;
    await writeAudit(tx, { actorId, action: 'api_key.revoke', entity: 'api_key', entityId: id, before: row, after: { revoked: true } });
    return true;
  });
  forgetKey(id);
  return found;
}

export type ApiCaller = { id: number; name: string; scopes: readonly ApiScope[] };

export type Authentication = { ok: true; caller: ApiCaller } | { ok: false; reason: 'missing' | 'invalid' | 'revoked' };

/**
 * How long an instance trusts what it read of a key: a sending system asks before each send, a thousand times a second,
 * and the key's row would otherwise be read as often. Revoking a key forgets it at once on the instance that revoked
 * it; other instances refuse it within this time.
 */
export const KEY_TRUSTED_MS = 1000;
const known = processWide('api-keys-known', () => new Map<string, { until: number; auth: Authentication }>());

/** The key of an `Authorization: Bearer <key>` header, checked against the stored hashes. */
export async function authenticate(db: Queryable, authorization: string | null, now = Date.now()): Promise<Authentication> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return { ok: false, reason: 'missing' };
  const key = match[1]!;
  if (!KEY_PATTERN.test(key)) return { ok: false, reason: 'invalid' };
  // Known by the key itself, so that a call of a key read within the second costs no HMAC either.
  const cached = known.get(key);
  if (cached && now < cached.until) return cached.auth;
  const hash = hashApiKey(key);
  const [row] = await db
    .select({ id: apiKeys.id, name: apiKeys.name, scopes: apiKeys.scopes, revokedAt: apiKeys.revokedAt })
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, hash));
  // Only keys that exist are kept (as many as the table has), so that made-up keys cannot fill the memory.
  if (!row) return { ok: false, reason: 'invalid' };
  const auth: Authentication = row.revokedAt
    ? { ok: false, reason: 'revoked' }
    : { ok: true, caller: { id: row.id, name: row.name, scopes: row.scopes } };
  known.set(key, { until: now + KEY_TRUSTED_MS, auth });
  return auth;
}

/** Forgets what this instance read of a key, so that its next call reads the key again. */
export function forgetKey(keyId: number): void {
  for (const [key, { auth }] of known) if (auth.ok && auth.caller.id === keyId) known.delete(key);
}

const LAST_USE_EVERY_MS = 60_000;
const lastUseWritten = processWide('api-keys-last-use', () => new Map<number, number>());

/**
 * Notes that a key was used: written at most once a minute per key (and instance), so that a caller at a thousand
 * requests a second does not turn every one of them into a write of the same row.
 */
export async function noteKeyUse(db: Queryable, keyId: number, now = Date.now()): Promise<void> {
  if (now - (lastUseWritten.get(keyId) ?? 0) < LAST_USE_EVERY_MS) return;
  lastUseWritten.set(keyId, now);
  await db
    .update(apiKeys)
    .set({ lastUsedAt: new Date(now) })
    .where(eq(apiKeys.id, keyId));
}

export type ApiKeyRow = {
  id: number;
  name: string;
  prefix: string;
  scopes: ApiScope[];
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

/** Every key, active first, newest first; never the hash. */
export async function listApiKeys(db: Queryable): Promise<ApiKeyRow[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      createdBy: users.name,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .orderBy(sql`${apiKeys.revokedAt} is not null`, desc(apiKeys.createdAt), desc(apiKeys.id));
}
