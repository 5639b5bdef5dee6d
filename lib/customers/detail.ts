// One customer as the customer page and the proof of consent show them: contact data, what the rules decide per
// channel and purpose, and the full ledger with its evidence and who recorded it.
import { and, asc, eq } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { consentEvents, consentState, customers, importBatches, users } from '@/db/schema';
import type { Channel, ConsentState, Decision, Purpose } from '@/lib/consent';
import { CHANNELS, PURPOSES, UNKNOWN_STATE, evaluate, legalReferenceOf, resolvePolicy } from '@/lib/consent';
import { mergedEvidence, personalEvidenceJoin } from '@/lib/consent-store/evidence';
import { loadPolicies } from '@/lib/consent-store/policies';

export type ConsentCell = { channel: Channel; purpose: Purpose; state: ConsentState; decision: Decision; legalReference: string | null };

export type TimelineEvent = {
  id: number;
  channel: Channel;
  purpose: Purpose;
  kind: 'granted' | 'confirmed' | 'withdrawn';
  occurredAt: Date;
  recordedAt: Date;
  source: string;
  recordedBy: string | null;
  evidence: ConsentEvidence;
};

export async function customerDetail(id: number, now = new Date(), q?: Queryable) {
  const db = q ?? (await getDb());
  const [customer] = await db
    .select({
      id: customers.id,
      externalId: customers.externalId,
      firstName: customers.firstName,
      lastName: customers.lastName,
      email: customers.email,
      phone: customers.phone,
      market: customers.market,
      language: customers.language,
      source: customers.source,
      importBatchId: customers.importBatchId,
      importFile: importBatches.fileName,
      lastOrderAt: customers.lastOrderAt,
      objectionNoticeAt: customers.objectionNoticeAt,
      marketplace: customers.marketplace,
      erasedAt: customers.erasedAt,
      createdAt: customers.createdAt,
    })
    .from(customers)
    .leftJoin(importBatches, eq(importBatches.id, customers.importBatchId))
    .where(eq(customers.id, id));
  if (!customer) return null;

  const [policies, states, events] = await Promise.all([
    loadPolicies(db),
    db.select().from(consentState).where(eq(consentState.customerId, id)),
    db
      .select({
        id: consentEvents.id,
        channel: consentEvents.channel,
        purpose: consentEvents.purpose,
        kind: consentEvents.kind,
        occurredAt: consentEvents.occurredAt,
        recordedAt: consentEvents.recordedAt,
        source: consentEvents.source,
        recordedBy: users.name,
        evidence: mergedEvidence,
      })
      .from(consentEvents)
      .leftJoin(users, eq(users.id, consentEvents.recordedBy))
      .leftJoin(...personalEvidenceJoin)
      .where(and(eq(consentEvents.customerId, id)))
      .orderBy(asc(consentEvents.occurredAt), asc(consentEvents.id)),
  ]);
  const stateOf = new Map(states.map((s) => [`${s.channel}:${s.purpose}`, s]));
  const grid: ConsentCell[] = CHANNELS.flatMap((channel) =>
    PURPOSES.map((purpose) => {
      const state: ConsentState = stateOf.get(`${channel}:${purpose}`) ?? UNKNOWN_STATE;
      const policy = resolvePolicy(policies, customer.market, channel, purpose);
      const decision = evaluate(customer, channel, purpose, state, policy, now);
      return { channel, purpose, state, decision, legalReference: legalReferenceOf(decision.reason, policy) };
    }),
  );
  return { customer, grid, events: events as TimelineEvent[] };
}
export type CustomerDetail = NonNullable<Awaited<ReturnType<typeof customerDetail>>>;
