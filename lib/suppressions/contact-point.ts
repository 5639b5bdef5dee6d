// A contact point is a person: a withdrawal that arrives through a phone or e-mail (a STOP from the phone, a complaint
// about the address, an unsubscribe link) withdraws on every customer record that holds it, and the contact point is
// suppressed so that a record that gets it later (an import) starts withdrawn too. The ledger stays the one truth that
// every count, list and export reads; the suppression is the memory that puts the withdrawal on later records.
import { and, asc, eq, gt, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { appSettings, consentState, customers, suppressions } from '@/db/schema';
import type { Channel, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES } from '@/lib/consent';
import type { RecordConsentInput, RecordConsentResult, RecordedEvent } from '@/lib/consent-store/record';
import { refusalOf, writeConsentEvents } from '@/lib/consent-store/record';
import type { ContactKind, SuppressInput } from './index';
import { contactHash, normalizeContact, suppressContacts } from './index';

/** The source of a withdrawal a suppressed contact point brings to a record that holds it (as in an import). */
export const SUPPRESSION_SOURCE = 'suppression';

/** The channels a contact point serves. */
export const CHANNELS_OF: Record<ContactKind, readonly Channel[]> = {
  email: ['email'],
  phone: CHANNELS.filter((c) => c !== 'email'),
};

/**
 * The customers (not erased) holding each contact point, in id order, keyed by its normal form (phone as E.164,
 * e-mail trimmed and lower-cased: the forms every writer of customers stores). One query for all the values.
 */
export async function customersHolding(q: Queryable, kind: ContactKind, values: readonly string[]): Promise<Map<string, number[]>> {
  const normal = [...new Set(values.map((v) => normalizeContact(kind, v)).filter(Boolean))];
  const found = new Map<string, number[]>();
  if (normal.length === 0) return found;
  const column = kind === 'email' ? customers.email : customers.phone;
  const rows = await q
    .select({ id: customers.id, value: column })
    .from(customers)
    .where(and(sql`${column} = any(array(select json_array_elements_text(${JSON.stringify(normal)}::json)))`, isNull(customers.erasedAt)))
    .orderBy(asc(customers.id));
  for (const row of rows) found.set(row.value!, [...(found.get(row.value!) ?? []), row.id]);
  return found;
}

/** The suppression rows a withdrawal of these channels and purposes leaves (null channels: one row for all channels). */
export function suppressionsOf(
  contact: { kind: ContactKind; value: string },
  channels: readonly Channel[] | null,
  purposes: readonly Purpose[],
  reason: string,
  source: string,
): SuppressInput[] {
  const purpose: Purpose | null = PURPOSES.every((p) => purposes.includes(p)) ? null : 'marketing';
  return (channels ?? [null]).map((channel) => ({ ...contact, channel, purpose, reason, source }));
}

export type ContactWithdrawal = {
  kind: ContactKind;
  value: string;
  /** The channels withdrawn; null: every channel the contact point serves, suppressed for all channels. */
  channels: readonly Channel[] | null;
  /** Marketing only (Meta's "Stop promotions", an unsubscribe from a newsletter), or every purpose. */
  purposes: 'marketing' | 'all';
  occurredAt: Date;
  source: string;
  /** How the withdrawal came (the message id, the complaint id); each event adds that it came through the contact point. */
  evidence: ConsentEvidence;
  /** Each event's idempotency key is this base, the customer, channel and purpose: the same act twice writes nothing. */
  keyBase: string;
  /** Why the contact point is suppressed, kept on the suppression. */
  reason: string;
};

export type ContactWithdrawalResult =
  { ok: true; customerIds: number[]; events: RecordedEvent[] } | Extract<RecordConsentResult, { ok: false }>;

/**
 * Withdraws through a contact point inside the caller's transaction: suppresses it, and records the withdrawal for
 * every customer record holding it. Refuses (writing nothing) what the ledger would refuse, such as a time in the future.
 */
export async function withdrawContactPoint(
  tx: Queryable,
  input: ContactWithdrawal,
  actorId: number | null,
  now: Date = new Date(),
): Promise<ContactWithdrawalResult> {
  const purposes: readonly Purpose[] = input.purposes === 'all' ? PURPOSES : ['marketing'];
  const channels = input.channels ?? CHANNELS_OF[input.kind];
  const evidence: ConsentEvidence = { ...input.evidence, contactPoint: input.kind };
  const probe: RecordConsentInput = {
    customerId: 0,
    channel: channels[0]!,
    purpose: purposes[0]!,
    kind: 'withdrawn',
    occurredAt: input.occurredAt,
    source: input.source,
    evidence,
  };
  const refused = refusalOf(probe, now);
  if (refused) return refused;
  // An import being committed holds suppressions until it ends and may bring another record of this contact point:
  // wait for it, so that the records looked up below include its customers (and it saw no suppression, so it added
  // no withdrawal of its own).
  await tx.execute(sql`lock table suppressions in row exclusive mode`);
  const holders = (await customersHolding(tx, input.kind, [input.value])).get(normalizeContact(input.kind, input.value)) ?? [];
  await suppressContacts(tx, suppressionsOf(input, input.channels, purposes, input.reason, input.source));
  const inputs = holders.flatMap((customerId) =>
    channels.flatMap((channel) =>
      purposes.map((purpose): RecordConsentInput => ({
        customerId,
        channel,
        purpose,
        kind: 'withdrawn',
        occurredAt: input.occurredAt,
        source: input.source,
        evidence,
        idempotencyKey: `${input.keyBase}:${customerId}:${channel}:${purpose}`,
      })),
    ),
  );
  const { events } = await writeConsentEvents(tx, inputs, actorId);
  return { ok: true, customerIds: holders, events };
}

/**
 * Puts every suppression on the records that hold its contact point without its withdrawal: records that held it
 * before a withdrawal through a contact point reached every record (say, a complaint about a phone typed in whose
 * holder support did not pick). Each withdrawal is dated when the contact point was suppressed and keyed by the
 * suppression, and a record whose state is already withdrawn or was decided later is left alone: running it again
 * writes nothing, and it never undoes a newer grant. Pages through customers by id, hashing their contact points
 * here, since the hashes are keyed outside the database.
 */
export async function applySuppressionsToHolders(db: Db, pageSize = 5_000): Promise<{ customers: number; events: number }> {
  const done = { customers: 0, events: 0 };
  if ((await db.$count(suppressions)) === 0) return done;
  for (let after = 0; ;) {
    const page = await db
      .select({ id: customers.id, email: customers.email, phone: customers.phone })
      .from(customers)
      .where(and(gt(customers.id, after), isNull(customers.erasedAt), or(isNotNull(customers.email), isNotNull(customers.phone))))
      .orderBy(asc(customers.id))
      .limit(pageSize);
    if (page.length === 0) return done;
    after = page.at(-1)!.id;
    const inputs = await suppressionWithdrawals(db, page);
    if (inputs.length === 0) continue;
    const { events } = await db.transaction(async (tx) => {
      await tx.execute(sql`lock table suppressions in row exclusive mode`);
      return writeConsentEvents(tx, inputs, null);
    });
    done.customers += new Set(inputs.map((i) => i.customerId)).size;
    done.events += events.filter((e) => !e.duplicate).length;
  }
}

/**
 * The withdrawals the suppressions of their contact points bring to these records (not yet withdrawn, decided
 * before the suppression): what a record written with a suppressed e-mail or phone must start with.
 */
async function suppressionWithdrawals(
  q: Queryable,
  page: ReadonlyArray<{ id: number; email: string | null; phone: string | null }>,
): Promise<RecordConsentInput[]> {
  const holders = new Map<string, number[]>();
  for (const c of page) {
    for (const [kind, value] of [
      ['email', c.email],
      ['phone', c.phone],
    ] as const) {
      if (!value) continue;
      const key = `${kind}:${contactHash(kind, value)}`;
      holders.set(key, [...(holders.get(key) ?? []), c.id]);
    }
  }
  const hashes = [...holders.keys()].map((k) => k.slice(k.indexOf(':') + 1));
  const found = await q
    .select()
    .from(suppressions)
    .where(sql`${suppressions.valueHash} = any(array(select json_array_elements_text(${JSON.stringify(hashes)}::json)))`);
  if (found.length === 0) return [];
  const ids = [...new Set(found.flatMap((s) => holders.get(`${s.kind}:${s.valueHash}`) ?? []))];
  const states = await q
    .select({
      customerId: consentState.customerId,
      channel: consentState.channel,
      purpose: consentState.purpose,
      status: consentState.status,
      lastOccurredAt: consentState.lastOccurredAt,
    })
    .from(consentState)
    .where(inArray(consentState.customerId, ids));
  const stateOf = new Map(states.map((s) => [`${s.customerId}:${s.channel}:${s.purpose}`, s]));
  const inputs = new Map<string, RecordConsentInput>();
  for (const s of found) {
    for (const customerId of holders.get(`${s.kind}:${s.valueHash}`) ?? []) {
      for (const channel of CHANNELS_OF[s.kind].filter((c) => s.channel === null || s.channel === c)) {
        for (const purpose of PURPOSES.filter((p) => s.purpose === null || s.purpose === p)) {
          const state = stateOf.get(`${customerId}:${channel}:${purpose}`);
          if (state && (state.status === 'withdrawn' || state.lastOccurredAt >= s.createdAt)) continue;
          const key = `${customerId}:${channel}:${purpose}`;
          // Of several suppressions covering the same state, the earliest speaks, as in an import.
          const earlier = inputs.get(key);
          if (earlier && earlier.occurredAt <= s.createdAt) continue;
          inputs.set(key, {
            customerId,
            channel,
            purpose,
            kind: 'withdrawn',
            occurredAt: s.createdAt,
            source: SUPPRESSION_SOURCE,
            evidence: { reason: s.reason, contactPoint: s.kind },
            idempotencyKey: `suppression:${s.id}:${customerId}:${channel}:${purpose}`,
          });
        }
      }
    }
  }
  return [...inputs.values()];
}

/**
 * Puts the suppressions of their contact points on records just written or given a new e-mail or phone (by the API, a
 * form), in the caller's transaction: a contact point withdrawn or erased before starts withdrawn on them too.
 */
export async function applySuppressionsTo(tx: Queryable, customerIds: readonly number[], actorId: number | null = null): Promise<number> {
  if (customerIds.length === 0) return 0;
  const page = await tx
    .select({ id: customers.id, email: customers.email, phone: customers.phone })
    .from(customers)
    .where(and(inArray(customers.id, [...customerIds]), isNull(customers.erasedAt)));
  const inputs = await suppressionWithdrawals(tx, page);
  if (inputs.length === 0) return 0;
  await tx.execute(sql`lock table suppressions in row exclusive mode`);
  const { events } = await writeConsentEvents(tx, inputs, actorId);
  return events.filter((e) => !e.duplicate).length;
}

const APPLIED_MARK = 'upgrade:suppressions_reach_holders';

/**
 * Runs `applySuppressionsToHolders` once per database, when an installation first starts with this rule; later
 * starts find the mark and return null. Instances starting together may both run it: it writes nothing twice.
 */
export async function applySuppressionsOnce(db: Db): Promise<{ customers: number; events: number } | null> {
  const [mark] = await db.select({ key: appSettings.key }).from(appSettings).where(eq(appSettings.key, APPLIED_MARK));
  if (mark) return null;
  const done = await applySuppressionsToHolders(db);
  await db
    .insert(appSettings)
    .values({ key: APPLIED_MARK, value: { at: new Date().toISOString(), ...done } })
    .onConflictDoNothing();
  return done;
}
