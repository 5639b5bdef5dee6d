// Suppressed contact points: a withdrawn or erased phone or e-mail, remembered as a keyed hash so that a later
// import or message of the same contact point cannot bring consent back, without keeping the contact point itself.
import { createHmac } from 'node:crypto';
import { and, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { suppressions } from '@/db/schema';
import { localSecret } from '@/lib/auth/secret';
import type { Channel, Purpose } from '@/lib/consent';

export type ContactKind = 'email' | 'phone';

/** The reason of the suppressions an erasure leaves: an import says a row brings an erased person's contact point. */
export const ERASED_REASON = 'erased';

/** The form a contact point is hashed in: e-mail trimmed and lower-cased, phone as E.164. */
export function normalizeContact(kind: ContactKind, value: string): string {
  const trimmed = value.trim();
  return kind === 'email' ? trimmed.toLowerCase() : trimmed.replace(/[^\d+]/g, '');
}

let key: string | null = null;

/** HMAC-SHA256 of the normalised contact point with the installation's key (SUPPRESSION_KEY or `.data/suppression-key`). */
export function contactHash(kind: ContactKind, value: string): string {
  key ??= localSecret('SUPPRESSION_KEY', 'suppression-key');
  return createHmac('sha256', key)
    .update(`${kind}:${normalizeContact(kind, value)}`)
    .digest('hex');
}

export type SuppressInput = {
  kind: ContactKind;
  value: string;
  /** null: every channel. */
  channel: Channel | null;
  /** null or absent: every purpose. */
  purpose?: Purpose | null;
  reason: string;
  source: string;
};

/** Remembers a contact point as suppressed; suppressing it again changes nothing. */
export async function suppressContact(q: Queryable, input: SuppressInput): Promise<void> {
  await suppressContacts(q, [input]);
}

/** Several contact points in one statement. */
export async function suppressContacts(q: Queryable, inputs: readonly SuppressInput[]): Promise<void> {
  // A batch of webhook POSTs may stop the same phone several times: one row each.
  const rows = new Map(
    inputs.map((input) => {
      const row = {
        kind: input.kind,
        valueHash: contactHash(input.kind, input.value),
        channel: input.channel,
        purpose: input.purpose ?? null,
        reason: input.reason,
        source: input.source,
      };
      return [`${row.kind}:${row.valueHash}:${row.channel}:${row.purpose}`, row] as const;
    }),
  );
  if (rows.size === 0) return;
  // In the order of their keys, as every writer inserts them: two transactions stopping the same contact points wait
  // for each other's rows in one order, never in opposite ones (a deadlock).
  await q
    .insert(suppressions)
    .values([...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row))
    .onConflictDoNothing();
}

export type Suppression = { kind: ContactKind; valueHash: string; channel: Channel | null; purpose: Purpose | null };

/**
 * The suppressions that apply to any of the given hashes: on one channel (or on all channels) and for one purpose (or
 * for all purposes), when given.
 */
export async function suppressionsFor(
  q: Queryable,
  kind: ContactKind,
  hashes: string[],
  channel?: Channel,
  purpose?: Purpose,
): Promise<Suppression[]> {
  if (hashes.length === 0) return [];
  return q
    .select({ kind: suppressions.kind, valueHash: suppressions.valueHash, channel: suppressions.channel, purpose: suppressions.purpose })
    .from(suppressions)
    .where(
      and(
        eq(suppressions.kind, kind),
        inArray(suppressions.valueHash, hashes),
        channel ? or(isNull(suppressions.channel), eq(suppressions.channel, channel)) : sql`true`,
        purpose ? or(isNull(suppressions.purpose), eq(suppressions.purpose, purpose)) : sql`true`,
      ),
    );
}
