// Applies what customers did on WhatsApp to the ledger: keyword replies and the marketing messages setting; replies
// that read like an objection go into the review queue. One transaction for a whole webhook POST (or several), so a
// failure leaves nothing half-written and Meta's retry starts clean.
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { recordset, rowsOf } from '@/db/sql';
import { writeAudits } from '@/lib/audit/write';
import type { EventKind, Purpose } from '@/lib/consent';
import { PURPOSES } from '@/lib/consent';
import type { RecordConsentInput } from '@/lib/consent-store/record';
import type { RecordedEvent } from '@/lib/consent-store/record';
import { joinPersonalEvidence, mergedEvidenceSql } from '@/lib/consent-store/evidence';
import { hasGrantEvidence, inFuture, refusalOf, writeConsentEvents } from '@/lib/consent-store/record';
import type { StopScope } from '@/lib/settings/app-settings';
import { readSetting } from '@/lib/settings/app-settings';
import type { SuppressInput } from '@/lib/suppressions';
import { suppressContacts } from '@/lib/suppressions';
import { customersHolding, suppressionsOf } from '@/lib/suppressions/contact-point';
import type { InboundIntent } from './payload';

export const KEYWORD_SOURCE = 'whatsapp_keyword';
export const SETTING_SOURCE = 'whatsapp_setting';
export const SEND_ERROR_SOURCE = 'whatsapp_send_error';

/** Meta's error: the user stopped marketing messages from this business (in WhatsApp's own controls). */
export const MARKETING_STOPPED = 131050;

/** The name of the advisory lock that webhook batches write under (hashed to its key, as the import's is). */
const INBOUND_WRITE_LOCK = 'zgoda.whatsapp_inbound';

/** `suppressed`: stops from a phone no customer holds, kept only as a suppressed contact point. queued: replies newly put into the review queue; present when the POST carried any (a retried one counts as a duplicate). */
export type InboundSummary = { recorded: number; duplicates: number; suppressed: number; skipped: number; queued?: number };

/** A resume of the setting that found no consent to resume: written to the audit log as a signal, not as consent. */
export const RESUME_SIGNAL_ACTION = 'whatsapp.marketing_resume_signal';

type Change = { purpose: Purpose; kind: EventKind; source: string; key: string; evidence: ConsentEvidence };

/** The evidenced marketing grant a `user_preferences` stop paused, found in the ledger before that stop. */
export type PausedGrant = { eventId: number; evidence: ConsentEvidence; confirmed: boolean; pausedAt: Date };

/**
 * The consent events one intent means for a customer. STOP withdraws what the seller's setting says; "Stop promotions"
 * and the setting's stop withdraw marketing only; START grants transactional messages only. The setting's resume lifts
 * Meta's pause and nothing more: it restores marketing only when it resumes a grant with evidence (`paused`), whose
 * evidence the restored grant carries; without one it records no consent.
 */
export function changesFor(intent: InboundIntent, stopScope: StopScope, customerId: number, paused: PausedGrant | null = null): Change[] {
  if (intent.type === 'review') return [];
  if (intent.type === 'send_error') {
    // Meta's marketing control: it withdraws marketing only, as "Stop promotions" does; the error is the evidence.
    const detail = intent.detail ? ` (${intent.detail})` : '';
    const evidence: ConsentEvidence = {
      ...(intent.messageId ? { messageId: intent.messageId } : {}),
      proofReference: `Cloud API error ${intent.code} "${intent.title}"${detail} for ${intent.reference} at ${intent.occurredAt.toISOString()}`,
      reason: 'WhatsApp: the user stopped marketing messages from this business',
    };
    const key = `whatsapp-error:${intent.reference}:${intent.code}:${customerId}:marketing`;
    return [{ purpose: 'marketing', kind: 'withdrawn', source: SEND_ERROR_SOURCE, key, evidence }];
  }
  if (intent.type === 'keyword') {
    // A keyword (STOP, START and their forms) identifies nobody: it stays in the ledger as the customer's words.
    const evidence: ConsentEvidence = { messageId: intent.messageId, wording: intent.text, reason: `WhatsApp reply "${intent.text}"` };
    const key = (p: Purpose) => `whatsapp:${intent.messageId}:${customerId}:${p}`;
    if (intent.intent === 'resume')
      return [{ purpose: 'transactional', kind: 'granted', source: KEYWORD_SOURCE, key: key('transactional'), evidence }];
    const purposes: readonly Purpose[] = stopScope === 'all' && !intent.marketingOnly ? PURPOSES : ['marketing'];
    return purposes.map((purpose) => ({ purpose, kind: 'withdrawn', source: KEYWORD_SOURCE, key: key(purpose), evidence }));
  }
  // The setting carries no message id: the moment and value identify it.
  const stamp = Math.floor(intent.occurredAt.getTime() / 1000);
  // No phone in the key: the ledger keeps it after an erasure.
  const key = `whatsapp-pref:${stamp}:${intent.value}:${customerId}`;
  const setting = `WhatsApp marketing messages setting: ${intent.value} at ${intent.occurredAt.toISOString()}`;
  if (intent.intent === 'stop') {
    return [
      {
        purpose: 'marketing',
        kind: 'withdrawn',
        source: SETTING_SOURCE,
        key,
        evidence: { proofReference: setting, reason: 'WhatsApp marketing messages switched off' },
      },
    ];
  }
  if (!paused) return [];
  const { complaintId: _complaint, reason: _reason, doubleOptIn, ...origin } = paused.evidence;
  return [
    {
      purpose: 'marketing',
      kind: 'granted',
      source: SETTING_SOURCE,
      key,
      evidence: {
        ...origin,
        proofReference: `${setting}; resumes the consent of ledger event ${paused.eventId}, paused by the setting at ${paused.pausedAt.toISOString()}${origin.proofReference ? ` (${origin.proofReference})` : ''}`,
        reason: 'WhatsApp marketing messages switched on again: the earlier consent applies again',
        // A grant that was still waiting for its double opt-in confirmation waits again.
        ...(doubleOptIn && !paused.confirmed ? { doubleOptIn: true } : {}),
      },
    },
  ];
}

type LedgerRow = { i: number; id: number | string; kind: EventKind; source: string; evidence: ConsentEvidence; occurred_at: string | Date };

// Pauses and resumes in a row before a resume are read back this far; a longer history restores nothing.
const PAUSE_HISTORY = 20;

/**
 * For each (customer, resume): the evidenced grant that the setting's stop right before the resume paused, or null.
 * The latest WhatsApp marketing event before the resume must be the setting's stop; before it, past the setting's own
 * earlier stops and resumes, the customer's last word must be a grant (or its confirmation) with evidence. A STOP, a
 * complaint or any other withdrawal in between means there is nothing to resume.
 */
async function pausedGrants(q: Queryable, resumes: ReadonlyArray<{ customerId: number; at: Date }>): Promise<Array<PausedGrant | null>> {
  if (resumes.length === 0) return [];
  const rows = rowsOf<LedgerRow>(
    await q.execute(sql`select r.i, e.id, e.kind, e.source, e.evidence, e.occurred_at
      from ${recordset(
        resumes.map((r, i) => ({ i, customer_id: r.customerId, before: r.at.toISOString() })),
        'i int, customer_id bigint, before timestamptz',
      )}
      cross join lateral (
        select e.id, e.kind, e.source, ${mergedEvidenceSql()} as evidence, e.occurred_at from consent_events e ${joinPersonalEvidence()}
        where e.customer_id = r.customer_id and e.channel = 'whatsapp' and e.purpose = 'marketing' and e.occurred_at < r.before
        order by e.occurred_at desc, e.id desc
        limit ${PAUSE_HISTORY}
      ) e
      order by r.i, e.occurred_at desc, e.id desc`),
  );
  const ledgers = resumes.map((): LedgerRow[] => []);
  for (const row of rows) ledgers[row.i]!.push(row);
  return ledgers.map((ledger) => {
    const [stop, ...earlier] = ledger;
    if (!stop || stop.kind !== 'withdrawn' || stop.source !== SETTING_SOURCE) return null;
    const rest = earlier.filter((e) => e.source !== SETTING_SOURCE);
    const last = rest[0];
    if (!last || last.kind === 'withdrawn') return null;
    const grant = last.kind === 'granted' ? last : rest.find((e, i) => i > 0 && e.kind === 'granted');
    if (!grant || !hasGrantEvidence(grant.evidence)) return null;
    return {
      eventId: Number(grant.id),
      evidence: grant.evidence,
      confirmed: last.kind === 'confirmed',
      pausedAt: new Date(stop.occurred_at),
    };
  });
}

/** The audit entries of resume signals already written for these keys (Meta retries a POST). */
async function signalsSeen(q: Queryable, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = rowsOf<{ key: string }>(
    await q.execute(sql`select after->>'key' as key from audit_log
      where action = ${RESUME_SIGNAL_ACTION} and after->>'key' = any(array(select json_array_elements_text(${JSON.stringify(keys)}::json)))`),
  );
  return new Set(rows.map((r) => r.key));
}

type Review = Extract<InboundIntent, { type: 'review' }>;

/** Queues replies to review, once per wamid; returns the wamids newly queued. */
async function queueReviews(q: Queryable, reviews: readonly Review[]): Promise<Set<string>> {
  if (reviews.length === 0) return new Set();
  const rows = reviews.map((r) => ({
    message_id: r.messageId,
    phone: r.phone,
    text: r.text,
    cue: r.cue,
    received_at: r.occurredAt.toISOString(),
  }));
  const inserted = rowsOf<{ message_id: string }>(
    await q.execute(sql`insert into reply_reviews (message_id, phone, text, cue, received_at)
      select message_id, phone, text, cue, received_at
      from ${recordset(rows, 'message_id text, phone text, text text, cue text, received_at timestamptz')}
      on conflict (message_id) do nothing
      returning message_id`),
  );
  return new Set(inserted.map((r) => r.message_id));
}

/** The ledger event of one change for one customer. The intent came from the phone, which every such record holds. */
function eventOf(intent: InboundIntent, customerId: number, change: Change): RecordConsentInput {
  return {
    customerId,
    channel: 'whatsapp',
    purpose: change.purpose,
    kind: change.kind,
    occurredAt: intent.occurredAt,
    source: change.source,
    evidence: { ...change.evidence, contactPoint: 'phone' },
    idempotencyKey: change.key,
  };
}

/** Counts each written event, recorded or a duplicate, in the summary of the POST it came from (`owners`, by position). */
function count(events: readonly RecordedEvent[], owners: readonly number[], summaries: InboundSummary[]): void {
  events.forEach((event, i) => {
    const summary = summaries[owners[i]!]!;
    if (event.duplicate) summary.duplicates++;
    else summary.recorded++;
  });
}

export type MarketingStop = Omit<Extract<InboundIntent, { type: 'send_error' }>, 'type' | 'intent'>;

/**
 * 131050s from Meta, whether a send call answered them or failed statuses carried them: a WhatsApp marketing
 * withdrawal on every record of each phone, with the error as evidence, and the phone suppressed for WhatsApp
 * marketing. The same path as a STOP reply; Meta's retry of a status, or a second send refused alike, records nothing
 * twice.
 */
export function recordMarketingStops(db: Queryable, stops: readonly MarketingStop[], now: Date = new Date()): Promise<InboundSummary> {
  return applyInbound(
    db,
    stops.map((stop) => ({ type: 'send_error', intent: 'stop', ...stop })),
    now,
  );
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
export async function applyInboundPosts(
  db: Queryable,
  posts: readonly (readonly InboundIntent[])[],
  now: Date = new Date(),
): Promise<InboundSummary[]> {
  const summaries = posts.map((): InboundSummary => ({ recorded: 0, duplicates: 0, suppressed: 0, skipped: 0 }));
  const phones = [...new Set(posts.flat().map((intent) => intent.phone))];
  if (phones.length === 0) return summaries;
  await db.transaction(async (tx) => {
    // A batch waits this long at most for a lock (say, of an import being committed), then gives up and is retried.
    await tx.execute(sql`set local lock_timeout = '5s'`);
    // A stop suppresses its phone. An import being committed holds suppressions until it ends and may bring another
    // record of that phone (or the sender's first): wait for it before looking customers up, so they include its own.
    if (posts.some((intents) => intents.some((i) => i.intent === 'stop')))
      await tx.execute(sql`lock table suppressions in row exclusive mode`);
    // A phone is a person: every record holding it (compared as E.164) takes what its owner replied.
    const [scope, byPhone] = await Promise.all([readSetting(tx, 'whatsapp_stop_scope'), customersHolding(tx, 'phone', phones)]);
    const inputs: RecordConsentInput[] = [];
    const owners: number[] = [];
    const suppressed: SuppressInput[] = [];
    const reviews: Array<{ post: number; review: Review }> = [];
    const resumes: Array<{ post: number; intent: InboundIntent; customerId: number }> = [];
    posts.forEach((intents, post) => {
      for (const intent of intents) {
        // A reply to review waits for a person, whether or not its phone is a customer's yet.
        if (intent.type === 'review') {
          if (inFuture(intent.occurredAt, now)) summaries[post]!.skipped++;
          else reviews.push({ post, review: intent });
          continue;
        }
        const ids = byPhone.get(intent.phone) ?? [];
        // The phone is suppressed for the purposes the stop withdraws, whoever holds it: a record that gets the
        // phone later (an import) starts withdrawn for them too.
        const withdrawn = changesFor(intent, scope, 0).filter((c) => c.kind === 'withdrawn');
        const suppression = suppressionsOf(
          { kind: 'phone', value: intent.phone },
          ['whatsapp'],
          withdrawn.map((c) => c.purpose),
          'whatsapp_opt_out',
          withdrawn[0]?.source ?? KEYWORD_SOURCE,
        );
        if (ids.length === 0) {
          if (withdrawn.length > 0) {
            suppressed.push(...suppression);
            summaries[post]!.suppressed++;
          } else summaries[post]!.skipped++;
          continue;
        }
        // The setting's resume needs the ledger before it: decided after the other events of the batch are written.
        if (intent.type === 'preference' && intent.intent === 'resume') {
          resumes.push(...ids.map((customerId) => ({ post, intent, customerId })));
          continue;
        }
        const changes = ids.flatMap((customerId) =>
          changesFor(intent, scope, customerId).map((change) => eventOf(intent, customerId, change)),
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
    // Batches write one at a time, whichever instance holds them (until this transaction ends). Each one moves customers
    // between the same few aggregate rows (opt-outs per day and market, coverage per market and state): through the
    // triggers it locks those it leaves in one statement and those it enters in the next, so two batches at once would
    // wait on each other for those rows anyway, and deadlock when they take them in opposite orders (a STOP and a START).
    // Only the writes wait: the reads above run side by side.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${INBOUND_WRITE_LOCK}))`);
    await suppressContacts(tx, suppressed);
    const { events } = await writeConsentEvents(tx, inputs, null);
    count(events, owners, summaries);
    await applyResumes(tx, resumes, scope, now, summaries);
    const queued = await queueReviews(
      tx,
      reviews.map((r) => r.review),
    );
    const seen = new Set<string>();
    for (const { post, review } of reviews) {
      const summary = summaries[post]!;
      summary.queued ??= 0;
      if (queued.has(review.messageId) && !seen.has(review.messageId)) summary.queued++;
      else summary.duplicates++;
      seen.add(review.messageId);
    }
  });
  return summaries;
}

/**
 * The setting's resumes: a grant that resumes the paused consent where there is one, otherwise an audit entry as a
 * signal (once per resume, customer and moment).
 */
async function applyResumes(
  tx: Queryable,
  resumes: ReadonlyArray<{ post: number; intent: InboundIntent; customerId: number }>,
  scope: StopScope,
  now: Date,
  summaries: InboundSummary[],
): Promise<void> {
  if (resumes.length === 0) return;
  const paused = await pausedGrants(
    tx,
    resumes.map((r) => ({ customerId: r.customerId, at: r.intent.occurredAt })),
  );
  const inputs: RecordConsentInput[] = [];
  const owners: number[] = [];
  const signals: Array<{ post: number; customerId: number; key: string; phone: string; occurredAt: Date }> = [];
  resumes.forEach(({ post, intent, customerId }, i) => {
    const changes = changesFor(intent, scope, customerId, paused[i] ?? null).map((change) => eventOf(intent, customerId, change));
    if (inFuture(intent.occurredAt, now) || changes.some((input) => refusalOf(input, now))) {
      summaries[post]!.skipped++;
      return;
    }
    if (changes.length === 0) {
      const stamp = Math.floor(intent.occurredAt.getTime() / 1000);
      signals.push({
        post,
        customerId,
        key: `whatsapp-pref:${stamp}:resume:${customerId}`,
        phone: intent.phone,
        occurredAt: intent.occurredAt,
      });
      return;
    }
    inputs.push(...changes);
    owners.push(...changes.map(() => post));
  });
  const { events } = await writeConsentEvents(tx, inputs, null);
  count(events, owners, summaries);
  // Nothing is recorded for a signal (skipped); one seen before, in the log or earlier in this batch, is a duplicate.
  const seen = await signalsSeen(
    tx,
    signals.map((s) => s.key),
  );
  const fresh: typeof signals = [];
  for (const s of signals) {
    if (seen.has(s.key)) summaries[s.post]!.duplicates++;
    else {
      summaries[s.post]!.skipped++;
      fresh.push(s);
      seen.add(s.key);
    }
  }
  await writeAudits(
    tx,
    fresh.map((s) => ({
      actorId: null,
      action: RESUME_SIGNAL_ACTION,
      entity: 'customer',
      entityId: s.customerId,
      after: {
        key: s.key,
        channel: 'whatsapp',
        purpose: 'marketing',
        occurredAt: s.occurredAt.toISOString(),
        note: 'WhatsApp marketing messages switched on again, with no earlier consent to resume: not consent',
      },
    })),
  );
}
