// Signed links that customers open without signing in: confirmation, preference centre, one-click unsubscribe.
// A token is `<payload>.<mac>`, both base64url; the payload names the kind, the subject (a customer id), an optional
// id the caller keeps to make a link single-use, and an optional expiry. The kind is part of what is signed, so an
// unsubscribe link cannot be used as a preference link or the other way round.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { localSecret } from '@/lib/auth/secret';

export const LINK_KINDS = ['confirm', 'preferences', 'unsubscribe'] as const;
export type LinkKind = (typeof LINK_KINDS)[number];

export type LinkPayload = { subject: string; id: string | null; expiresAt: Date | null };
export type LinkReading = ({ ok: true } & LinkPayload) | { ok: false; reason: 'invalid' | 'expired' };

type Wire = { k: LinkKind; s: string; i?: string; e?: number };

/** PUBLIC_LINK_SECRET, or the embedded demo's own secret in its data directory. */
export function linkSecret(): string {
  return localSecret('PUBLIC_LINK_SECRET', 'public-link-secret');
}

function mac(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`zgoda-link.v1.${payload}`).digest();
}

export function signLink(
  kind: LinkKind,
  subject: string | number,
  opts: { ttlSeconds?: number; id?: string; now?: Date; secret?: string } = {},
): string {
  const wire: Wire = { k: kind, s: String(subject) };
  if (opts.id) wire.i = opts.id;
  if (opts.ttlSeconds != null) wire.e = Math.floor((opts.now ?? new Date()).getTime() / 1000) + opts.ttlSeconds;
  const payload = Buffer.from(JSON.stringify(wire)).toString('base64url');
  return `${payload}.${mac(payload, opts.secret ?? linkSecret()).toString('base64url')}`;
}

/** Checks the signature, the kind and the expiry; a token of another kind reads as invalid. */
export function readLink(token: string, kind: LinkKind, opts: { now?: Date; secret?: string } = {}): LinkReading {
  // Real tokens are about 100 characters; a longer one is not ours and is not worth hashing.
  if (typeof token !== 'string' || token.length > 512) return { ok: false, reason: 'invalid' };
  const [payload, signature, ...rest] = token.split('.');
  if (!payload || !signature || rest.length) return { ok: false, reason: 'invalid' };
  const expected = mac(payload, opts.secret ?? linkSecret());
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'invalid' };
  let wire: Partial<Wire>;
  try {
    wire = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Wire>;
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (wire.k !== kind || typeof wire.s !== 'string') return { ok: false, reason: 'invalid' };
  const expiresAt = typeof wire.e === 'number' ? new Date(wire.e * 1000) : null;
  if (expiresAt && expiresAt.getTime() <= (opts.now ?? new Date()).getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, subject: wire.s, id: typeof wire.i === 'string' ? wire.i : null, expiresAt };
}
