// The customer's own choices, as the preference centre and the one-click unsubscribe change them: what the customer
// receives per channel and purpose, a withdrawal with one click, a grant with the wording shown (pending a double
// opt-in where the market's rule asks for one). Every change goes through the consent ledger.
import { and, eq, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { consentState, customers } from '@/db/schema';
import type { Channel, ConsentState, Purpose } from '@/lib/consent';
import { PURPOSES, UNKNOWN_STATE, evaluate, resolvePolicy } from '@/lib/consent';
import { loadPolicies } from '@/lib/consent-store/policies';
import type { RecordedEvent } from '@/lib/consent-store/record';
import { recordConsentEvents, refusalOf, writeConsentEvents } from '@/lib/consent-store/record';
import type { ContactKind } from '@/lib/suppressions';
import { withdrawContactPoint } from '@/lib/suppressions/contact-point';
import { maskEmail, maskPhone } from './mask';

export const PREFERENCE_SOURCE = 'preference_centre';
export const UNSUBSCRIBE_SOURCE = 'unsubscribe_link';

/**
 * Mail providers post RFC 8058 unsubscribes for many of their users from a few addresses, and a withdrawal must not be
 * turned away lightly: the limit per address is high, enough only to stop a flood.
 */
export const UNSUBSCRIBES_PER_MINUTE = 600;

/** The channels a customer can be reached on, from the contact points the record holds. */
const CONTACT_CHANNELS: Record<ContactKind, readonly Channel[]> = { email: ['email'], phone: ['sms', 'whatsapp', 'phone'] };

export const contactKindOf = (channel: Channel): ContactKind => (channel === 'email' ? 'email' : 'phone');

/**
 * What the customer sees for one channel and purpose: `on` when messages may go to them now (consent, or none needed,
 * or the existing-customer exception: each of which they may object to), `pending` while a grant waits for its
 * confirmation, `off` otherwise. A grant of this purpose on this channel would start a double opt-in when
 * `confirmationRequired`.
 */
export type PreferenceItem = {
  channel: Channel;
  purpose: Purpose;
  shown: 'on' | 'off' | 'pending';
  confirmationRequired: boolean;
  /** The state's last event, so that a click on a page shown before a change cannot be applied twice. */
  lastEventId: number | null;
};

export type PreferenceView = {
  customerId: number;
  market: string;
  language: string | null;
  email: string | null;
  phone: string | null;
  items: PreferenceItem[];
};

type Facts = typeof customers.$inferSelect;

async function customerOf(q: Queryable, customerId: number): Promise<Facts | null> {
  const [customer] = await q.select().from(customers).where(eq(customers.id, customerId));
  // An erased customer has no choices left to show: their page is as unknown as a forged one.
  return customer && !customer.erasedAt ? customer : null;
}

/** The customer's channels and purposes with what applies now; null for an unknown or erased customer. */
export async function preferenceView(q: Queryable, customerId: number, now = new Date()): Promise<PreferenceView | null> {
  const customer = await customerOf(q, customerId);
  if (!customer) return null;
  const [policies, states] = await Promise.all([
    loadPolicies(q),
    q.select().from(consentState).where(eq(consentState.customerId, customerId)),
  ]);
  const stateOf = new Map(states.map((s): [string, ConsentState] => [`${s.channel}:${s.purpose}`, s]));
  const channels = [...(customer.email ? CONTACT_CHANNELS.email : []), ...(customer.phone ? CONTACT_CHANNELS.phone : [])];
  const items = channels.flatMap((channel) =>
    PURPOSES.map((purpose): PreferenceItem => {
      const state = stateOf.get(`${channel}:${purpose}`) ?? UNKNOWN_STATE;
      const policy = resolvePolicy(policies, customer.market, channel, purpose);
      const decision = evaluate(customer, channel, purpose, state, policy, now);
      const shown =
        state.status === 'withdrawn' ? 'off' : decision.allowed ? 'on' : decision.reason === 'confirmation_pending' ? 'pending' : 'off';
      return { channel, purpose, shown, confirmationRequired: policy?.doubleOptInRequired ?? false, lastEventId: state.lastEventId };
    }),
  );
  return {
    customerId: customer.id,
    market: customer.market,
    language: customer.language,
    email: customer.email ? maskEmail(customer.email) : null,
    phone: customer.phone ? maskPhone(customer.phone) : null,
    items,
  };
}

/** Where a change came from: the page (its version and wording) and the request (IP and user agent, when known). */
export type ChangeContext = { pageVersion: string; ip?: string | null; userAgent?: string | null; now?: Date };

export type ChangeResult =
  { ok: true; changed: boolean; events: RecordedEvent[] } | { ok: false; code: 'not_found' | 'no_contact_point' | 'stale' | 'refused' };

function evidenceOf(ctx: ChangeContext, extra: ConsentEvidence = {}): ConsentEvidence {
  return {
    formVersion: ctx.pageVersion,
    ...(ctx.ip ? { ip: ctx.ip.slice(0, 64) } : {}),
    ...(ctx.userAgent ? { userAgent: ctx.userAgent.slice(0, 512) } : {}),
    ...extra,
  };
}

/**
 * Withdraws one channel and purpose of the customer's, at once. A marketing withdrawal comes through the contact point
 * the messages reach (the e-mail, the phone), so like a STOP or a complaint it applies to every record holding it and
 * suppresses it; objecting to service messages on a channel stays with this record, and so does a withdrawal from a
 * record that no longer holds the contact point (a link in an older message): a withdrawal is never refused. `seen` is
 * the state's last event when the page was shown: the same click twice writes one event, and a state withdrawn already
 * gets none.
 */
export async function withdrawPreference(
  db: Queryable,
  input: { customerId: number; channel: Channel; purpose: Purpose; seen: number | null; source?: string; reason?: string },
  ctx: ChangeContext,
): Promise<ChangeResult> {
  const now = ctx.now ?? new Date();
  const source = input.source ?? PREFERENCE_SOURCE;
  return db.transaction(async (tx) => {
    const customer = await customerOf(tx, input.customerId);
    if (!customer) return { ok: false, code: 'not_found' } as const;
    const [state] = await tx
      .select({ status: consentState.status })
      .from(consentState)
      .where(
        and(
          eq(consentState.customerId, input.customerId),
          eq(consentState.channel, input.channel),
          eq(consentState.purpose, input.purpose),
        ),
      );
    // Withdrawn already (another tab, a STOP, the unsubscribe link): a second withdrawal would only count twice.
    if (state?.status === 'withdrawn') return { ok: true, changed: false, events: [] };
    const kind = contactKindOf(input.channel);
    const contact = kind === 'email' ? customer.email : customer.phone;
    const evidence = evidenceOf(ctx, { reason: input.reason ?? 'withdrawn by the customer' });
    const keyBase = `${source}:${input.customerId}:${input.channel}:${input.purpose}:${input.seen ?? 0}`;
    if (input.purpose === 'marketing' && contact) {
      const result = await withdrawContactPoint(
        tx,
        {
          kind,
          value: contact,
          channels: [input.channel],
          purposes: 'marketing',
          occurredAt: now,
          source,
          evidence,
          keyBase,
          reason: source,
        },
        null,
        now,
      );
      if (!result.ok) return { ok: false, code: 'refused' } as const;
      return { ok: true, changed: result.events.some((e) => !e.duplicate), events: result.events };
    }
    const event = {
      customerId: input.customerId,
      channel: input.channel,
      purpose: input.purpose,
      kind: 'withdrawn' as const,
      occurredAt: now,
      source,
      evidence,
      idempotencyKey: `${keyBase}:withdrawn`,
    };
    if (refusalOf(event, now)) return { ok: false, code: 'refused' } as const;
    const { events } = await writeConsentEvents(tx, [event], null);
    return { ok: true, changed: events.some((e) => !e.duplicate), events };
  });
}

/**
 * Records the customer's grant of one channel and purpose with the wording they were shown and the page's version. It
 * starts a double opt-in (the state stays pending until confirmed) where the market's rule asks for one. A page shown
 * before the state changed (`seen` is no longer its last event) records nothing: the customer decides on what is true
 * now.
 */
export async function grantPreference(
  db: Queryable,
  input: { customerId: number; channel: Channel; purpose: Purpose; seen: number | null; wording: string },
  ctx: ChangeContext,
): Promise<ChangeResult & { doubleOptIn?: boolean }> {
  const now = ctx.now ?? new Date();
  const view = await preferenceView(db, input.customerId, now);
  if (!view) return { ok: false, code: 'not_found' };
  const item = view.items.find((i) => i.channel === input.channel && i.purpose === input.purpose);
  if (!item) return { ok: false, code: 'no_contact_point' };
  if (item.lastEventId !== input.seen) return { ok: false, code: 'stale' };
  if (item.shown !== 'off') return { ok: true, changed: false, events: [] };
  const doubleOptIn = item.confirmationRequired;
  const result = await recordConsentEvents(
    db,
    [
      {
        customerId: input.customerId,
        channel: input.channel,
        purpose: input.purpose,
        kind: 'granted',
        occurredAt: now,
        source: PREFERENCE_SOURCE,
        evidence: evidenceOf(ctx, { wording: input.wording, ...(doubleOptIn ? { doubleOptIn: true } : {}) }),
        idempotencyKey: `${PREFERENCE_SOURCE}:${input.customerId}:${input.channel}:${input.purpose}:${input.seen ?? 0}:granted`,
      },
    ],
    null,
    now,
  );
  if (!result.ok) return { ok: false, code: result.code === 'customer_not_found' ? 'not_found' : 'refused' };
  return { ok: true, changed: result.events.some((e) => !e.duplicate), events: result.events, doubleOptIn };
}

/**
 * One-click unsubscribe (RFC 8058): withdraws e-mail marketing through the customer's e-mail address, at once. Harmless
 * to repeat: a state already withdrawn writes nothing, and two requests racing write one event (both key on the state
 * they found). An erased customer has nothing left to withdraw.
 */
export async function unsubscribeEmail(
  db: Queryable,
  customerId: number,
  ctx: Omit<ChangeContext, 'pageVersion'> & { via: 'one_click' | 'page' },
): Promise<ChangeResult> {
  const [row] = await db
    .select({ erasedAt: customers.erasedAt, status: consentState.status, lastEventId: consentState.lastEventId })
    .from(customers)
    .leftJoin(
      consentState,
      sql`${consentState.customerId} = ${customers.id} and ${consentState.channel} = 'email' and ${consentState.purpose} = 'marketing'`,
    )
    .where(eq(customers.id, customerId));
  if (!row) return { ok: false, code: 'not_found' };
  if (row.erasedAt || row.status === 'withdrawn') return { ok: true, changed: false, events: [] };
  return withdrawPreference(
    db,
    {
      customerId,
      channel: 'email',
      purpose: 'marketing',
      seen: row.lastEventId ?? null,
      source: UNSUBSCRIBE_SOURCE,
      reason: ctx.via === 'one_click' ? 'one-click unsubscribe (RFC 8058)' : 'unsubscribe page',
    },
    { ...ctx, pageVersion: `unsubscribe:${ctx.via}` },
  );
}
