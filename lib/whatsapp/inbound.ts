// Applies what customers did on WhatsApp to the ledger: keyword replies and the marketing messages setting.
// One transaction for a whole webhook POST (or several), so a failure leaves nothing half-written and Meta's retry starts clean.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import type { EventKind, Purpose } from '@/lib/consent';
import { PURPOSES } from '@/lib/consent';
import type { RecordConsentInput } from '@/lib/consent-store/record';
import { refusalOf, writeConsentEvents } from '@/lib/consent-store/record';
import type { StopScope } from '@/lib/settings/app-settings';
import { readSetting } from '@/lib/settings/app-settings';
import type { SuppressInput } from '@/lib/suppressions';
import { suppressContacts } from '@/lib/suppressions';
import { customersHolding, suppressionsOf } from '@/lib/suppressions/contact-point';
import type { InboundIntent } from './payload';

export const KEYWORD_SOURCE = 'whatsapp_keyword';
export const SETTING_SOURCE = 'whatsapp_setting';

/** `suppressed`: stops from a phone no customer holds, kept only as a suppressed contact point. */
export type InboundSummary = { recorded: number; duplicates: number; suppressed: number; skipped: number };

type Change = { purpose: Purpose; kind: EventKind; source: string; key: string; evidence: ConsentEvidence };

/** The consent events one intent means for a customer. */
export function changesFor(intent: InboundIntent, stopScope: StopScope, customerId: number): Change[] {
  if (intent.type === 'keyword') {
    const evidence: ConsentEvidence = { messageId: intent.messageId, wording: intent.text, reason: `WhatsApp reply "${intent.text}"` };
    const key = (p: Purpose) => `whatsapp:${intent.messageId}:${customerId}:${p}`;
    if (intent.intent === 'resume') return [{ purpose: 'transactional', kind: 'granted', source: KEYWORD_SOURCE, key: key('transactional'), evidence }];
    const purposes: readonly Purpose[] = stopScope === 'all' ? PURPOSES : ['marketing'];
    return purposes.map((purpose) => ({ purpose, kind: 'withdrawn', source: KEYWORD_SOURCE, key: key(purpose), evidence }));
  }
  // The setting carries no message id: the moment and value identify it.
  const stamp = Math.floor(intent.occurredAt.getTime() / 1000);
  return [
    {
      purpose: 'marketing',
      kind: intent.intent === 'stop' ? 'withdrawn' : 'granted',
      source: SETTING_SOURCE,
      key: `whatsapp-pref:${intent.phone}:${stamp}:${intent.value}:${customerId}`,
      evidence: {
        proofReference: `WhatsApp marketing messages setting: ${intent.value} at ${intent.occurredAt.toISOString()}`,
        reason: intent.intent === 'stop' ? 'WhatsApp marketing messages switched off' : undefined,
      },
    },
  ];
}

/** Records every intent of one POST in one transaction; an unknown sender who opts out becomes a suppressed contact point. */
export async function applyInbound(db: Queryable, intents: readonly InboundIntent[], now: Date = new Date()): Promise<InboundSummary> {
  const [summary] = await applyInboundPosts(db, [intents], now);
  return summary!;
}

/**
 * Records the intents of several POSTs in one transaction, with one projection of state for all the customers
 * concerned: all of them or none. Returns a summary per POST.
 */
export async function applyInboundPosts(db: Queryable, posts: readonly (readonly InboundIntent[])[], now: Date = new Date()): Promise<InboundSummary[]> {
  const summaries = posts.map((): InboundSummary => ({ recorded: 0, duplicates: 0, suppressed: 0, skipped: 0 }));
  const phones = [...new Set(posts.flat().map((intent) => intent.phone))];
  if (phones.length === 0) return summaries;
  await db.transaction(async (tx) => {
    // A batch waits this long at most for a lock (say, of an import being committed), then gives up and is retried.
    await tx.execute(sql`set local lock_timeout = '5s'`);
    // A stop suppresses its phone. An import being committed holds suppressions until it ends and may bring another
    // record of that phone (or the sender's first): wait for it before looking customers up, so they include its own.
    if (posts.some((intents) => intents.some((i) => i.intent === 'stop'))) await tx.execute(sql`lock table suppressions in row exclusive mode`);
    // A phone is a person: every record holding it (compared as E.164) takes what its owner replied.
    const [scope, byPhone] = await Promise.all([readSetting(tx, 'whatsapp_stop_scope'), customersHolding(tx, 'phone', phones)]);
    const inputs: RecordConsentInput[] = [];
    const owners: number[] = [];
    const suppressed: SuppressInput[] = [];
    posts.forEach((intents, post) => {
      for (const intent of intents) {
        const ids = byPhone.get(intent.phone) ?? [];
        // The phone is suppressed for the purposes the stop withdraws, whoever holds it: a record that gets the
        // phone later (an import) starts withdrawn for them too.
        const withdrawn = changesFor(intent, scope, 0).filter((c) => c.kind === 'withdrawn');
        const suppression = suppressionsOf({ kind: 'phone', value: intent.phone }, ['whatsapp'], withdrawn.map((c) => c.purpose), 'whatsapp_opt_out', withdrawn[0]?.source ?? KEYWORD_SOURCE);
        if (ids.length === 0) {
          if (withdrawn.length > 0) {
            suppressed.push(...suppression);
            summaries[post]!.suppressed++;
          } else summaries[post]!.skipped++;
          continue;
        }
        const changes = ids.flatMap((customerId) =>
          changesFor(intent, scope, customerId).map(
            (change): RecordConsentInput => ({
              customerId,
              channel: 'whatsapp',
              purpose: change.purpose,
              kind: change.kind,
              occurredAt: intent.occurredAt,
              source: change.source,
              // The reply came from the phone, which every one of these records holds.
              evidence: { ...change.evidence, contactPoint: 'phone' },
              idempotencyKey: change.key,
            }),
          ),
        );
        // A time too far in the future is a bad message, not an outage: recorded nowhere, and not retried.
        if (changes.some((input) => refusalOf(input, now))) {
          summaries[post]!.skipped += changes.length;
          continue;
        }
        if (withdrawn.length > 0) suppressed.push(...suppression);
        inputs.push(...changes);
        owners.push(...changes.map(() => post));
      }
    });
    await suppressContacts(tx, suppressed);
    const { events } = await writeConsentEvents(tx, inputs, null);
    events.forEach((event, i) => {
      const summary = summaries[owners[i]!]!;
      if (event.duplicate) summary.duplicates++;
      else summary.recorded++;
    });
  });
  return summaries;
}
