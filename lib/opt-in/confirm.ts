// Double opt-in: a confirmation request per customer, named by a signed link that expires and works once; following it
// records `confirmed` for the grants that were pending when it was made.
import { randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import type { ConfirmationItem, ConsentEvidence } from '@/db/schema';
import { confirmations, consentState, customers } from '@/db/schema';
import type { Channel, Purpose } from '@/lib/consent';
import type { RecordConsentInput } from '@/lib/consent-store/record';
import { writeConsentEvents } from '@/lib/consent-store/record';
import { readLink, signLink } from '@/lib/public/token';

/** How long a confirmation link works: a week, time enough to find the mail after a weekend away. */
export const CONFIRMATION_TTL_DAYS = 7;

export const CONFIRMATION_SOURCE = 'double_opt_in';

export type NewConfirmation = {
  customerId: number;
  items: ConfirmationItem[];
  shopName: string;
  language: string;
  formVersionId?: number | null;
  runId?: number | null;
  createdBy?: number | null;
};

export type IssuedConfirmation = { id: string; token: string; expiresAt: Date };

/** Stores a confirmation request and signs its link; inside the caller's transaction. */
export async function createConfirmation(q: Queryable, input: NewConfirmation, now: Date = new Date()): Promise<IssuedConfirmation> {
  const id = randomBytes(16).toString('base64url');
  const ttlSeconds = CONFIRMATION_TTL_DAYS * 86_400;
  // The link's own expiry is a whole second; the row's is the same moment, so both say the same.
  const expiresAt = new Date((Math.floor(now.getTime() / 1000) + ttlSeconds) * 1000);
  await q.insert(confirmations).values({
    id,
    customerId: input.customerId,
    items: input.items,
    shopName: input.shopName,
    language: input.language,
    formVersionId: input.formVersionId ?? null,
    runId: input.runId ?? null,
    createdBy: input.createdBy ?? null,
    createdAt: now,
    expiresAt,
  });
  return { id, token: signLink('confirm', input.customerId, { ttlSeconds, id, now }), expiresAt };
}

/** The address of a confirmation link under the public base address (no trailing slash). */
export function confirmationUrl(baseUrl: string, token: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/c/${token}`;
}

export type ConfirmationView = {
  id: string;
  customerId: number;
  shopName: string;
  language: string;
  market: string;
  items: Array<{ channel: Channel; purpose: Purpose }>;
};

export type LinkProblem = 'invalid' | 'expired' | 'used';

/** What a link asks the customer to confirm, or why it cannot be used; reads only. */
export async function readConfirmation(
  db: Queryable,
  token: string,
  now: Date = new Date(),
): Promise<{ ok: true; view: ConfirmationView } | { ok: false; reason: LinkProblem; language?: string; shopName?: string }> {
  // The signature and kind only: the expiry is judged from the request, which has the same moment, so that an expired
  // link still finds the customer's language to say so in.
  const link = readLink(token, 'confirm', { now: new Date(0) });
  if (!link.ok || !link.id) return { ok: false, reason: 'invalid' };
  const [row] = await db
    .select({ c: confirmations, market: customers.market, erasedAt: customers.erasedAt })
    .from(confirmations)
    .innerJoin(customers, eq(customers.id, confirmations.customerId))
    .where(and(eq(confirmations.id, link.id), eq(confirmations.customerId, Number(link.subject))));
  // A signed link whose request is gone (or whose customer was erased) leads nowhere, as a forged one does.
  if (!row || row.erasedAt) return { ok: false, reason: 'invalid' };
  const { c } = row;
  if (c.usedAt) return { ok: false, reason: 'used', language: c.language, shopName: c.shopName };
  const expiry = Math.min(c.expiresAt.getTime(), link.expiresAt?.getTime() ?? Infinity);
  if (expiry <= now.getTime()) return { ok: false, reason: 'expired', language: c.language, shopName: c.shopName };
  return {
    ok: true,
    view: {
      id: c.id,
      customerId: c.customerId,
      shopName: c.shopName,
      language: c.language,
      market: row.market,
      items: c.items.map(({ channel, purpose }) => ({ channel, purpose })),
    },
  };
}

export type ConfirmOutcome =
  | { ok: true; view: ConfirmationView; confirmed: Array<{ channel: Channel; purpose: Purpose }> }
  | { ok: false; reason: LinkProblem; language?: string; shopName?: string };

/**
 * Uses a confirmation link: marks the request used and records `confirmed` (with the customer's IP, user agent and the
 * time) for each grant it names that is still the pending grant in force. A grant withdrawn or given anew since is left
 * alone. All in one transaction; a second use finds the request used and changes nothing.
 */
export async function confirmByLink(
  db: Db,
  token: string,
  request: { ip?: string; userAgent?: string },
  now: Date = new Date(),
): Promise<ConfirmOutcome> {
  const read = await readConfirmation(db, token, now);
  if (!read.ok) return read;
  const { view } = read;
  return db.transaction(async (tx): Promise<ConfirmOutcome> => {
    const [claimed] = await tx
      .update(confirmations)
      .set({ usedAt: now })
      .where(and(eq(confirmations.id, view.id), isNull(confirmations.usedAt), gt(confirmations.expiresAt, now)))
      .returning();
    // Another click got there first (a double submit, a second tab).
    if (!claimed) return { ok: false, reason: 'used', language: view.language, shopName: view.shopName };
    const states = await tx
      .select({
        channel: consentState.channel,
        purpose: consentState.purpose,
        status: consentState.status,
        grantedAt: consentState.grantedAt,
      })
      .from(consentState)
      .where(eq(consentState.customerId, view.customerId));
    const pending = claimed.items.filter((item) =>
      states.some(
        (s) =>
          s.channel === item.channel &&
          s.purpose === item.purpose &&
          s.status === 'pending_confirmation' &&
          s.grantedAt?.getTime() === new Date(item.grantedAt).getTime(),
      ),
    );
    const evidence: ConsentEvidence = {
      ip: request.ip,
      userAgent: request.userAgent,
      proofReference: `confirmation link ${claimed.id}`,
      ...(claimed.formVersionId ? { formVersionId: claimed.formVersionId } : {}),
    };
    const inputs = pending.map((item): RecordConsentInput => ({
      customerId: view.customerId,
      channel: item.channel,
      purpose: item.purpose,
      kind: 'confirmed',
      occurredAt: now,
      source: CONFIRMATION_SOURCE,
      evidence,
      idempotencyKey: `confirmation:${claimed.id}:${item.channel}:${item.purpose}`,
    }));
    await writeConsentEvents(tx, inputs, null);
    return { ok: true, view, confirmed: pending.map(({ channel, purpose }) => ({ channel, purpose })) };
  });
}

/** The grants of a customer waiting for confirmation, as a confirmation request names them. */
export async function pendingItems(q: Queryable, customerIds: readonly number[]): Promise<Map<number, ConfirmationItem[]>> {
  const found = new Map<number, ConfirmationItem[]>();
  if (customerIds.length === 0) return found;
  const rows = await q
    .select({
      customerId: consentState.customerId,
      channel: consentState.channel,
      purpose: consentState.purpose,
      grantedAt: consentState.grantedAt,
    })
    .from(consentState)
    .where(
      and(
        sql`${consentState.customerId} = any(array(select json_array_elements_text(${JSON.stringify(customerIds)}::json)::bigint))`,
        eq(consentState.status, 'pending_confirmation'),
      ),
    )
    .orderBy(consentState.customerId, consentState.channel, consentState.purpose);
  for (const r of rows) {
    if (!r.grantedAt) continue;
    found.set(r.customerId, [
      ...(found.get(r.customerId) ?? []),
      { channel: r.channel, purpose: r.purpose, grantedAt: r.grantedAt.toISOString() },
    ]);
  }
  return found;
}
