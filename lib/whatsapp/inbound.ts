// Applies what customers did on WhatsApp to the ledger: keyword replies and the marketing messages setting.
// One transaction for a whole webhook POST, so a failure leaves nothing half-written and Meta's retry starts clean.
import { and, eq, isNull } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { customers } from '@/db/schema';
import type { EventKind, Purpose } from '@/lib/consent';
import { PURPOSES } from '@/lib/consent';
import { recordConsentEvents } from '@/lib/consent-store/record';
import type { StopScope } from '@/lib/settings/app-settings';
import { readSetting } from '@/lib/settings/app-settings';
import { suppressContact } from '@/lib/suppressions';
import type { InboundIntent } from './payload';

export const KEYWORD_SOURCE = 'whatsapp_keyword';
export const SETTING_SOURCE = 'whatsapp_setting';

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

async function customersByPhone(q: Queryable, phone: string): Promise<number[]> {
  const rows = await q
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.phone, phone), isNull(customers.erasedAt)));
  return rows.map((r) => r.id);
}

/** Records every intent in one transaction; an unknown sender who opts out becomes a suppressed contact point. */
export async function applyInbound(db: Db, intents: readonly InboundIntent[], now: Date = new Date()): Promise<InboundSummary> {
  const summary: InboundSummary = { recorded: 0, duplicates: 0, suppressed: 0, skipped: 0 };
  if (intents.length === 0) return summary;
  await db.transaction(async (tx) => {
    const scope = await readSetting(tx, 'whatsapp_stop_scope');
    for (const intent of intents) {
      const ids = await customersByPhone(tx, intent.phone);
      if (ids.length === 0) {
        if (intent.intent === 'stop') {
          await suppressContact(tx, { kind: 'phone', value: intent.phone, channel: 'whatsapp', reason: 'whatsapp_opt_out', source: intent.type === 'keyword' ? KEYWORD_SOURCE : SETTING_SOURCE });
          summary.suppressed++;
        } else summary.skipped++;
        continue;
      }
      const inputs = ids.flatMap((customerId) =>
        changesFor(intent, scope, customerId).map((change) => ({
          customerId,
          channel: 'whatsapp' as const,
          purpose: change.purpose,
          kind: change.kind,
          occurredAt: intent.occurredAt,
          source: change.source,
          evidence: change.evidence,
          idempotencyKey: change.key,
        })),
      );
      const result = await recordConsentEvents(tx, inputs, null, now);
      // A time too far in the future is a bad message, not an outage: recorded nowhere, and not retried.
      if (!result.ok) summary.skipped += inputs.length;
      else {
        const fresh = result.events.filter((e) => !e.duplicate).length;
        summary.recorded += fresh;
        summary.duplicates += result.events.length - fresh;
      }
    }
  });
  return summary;
}
