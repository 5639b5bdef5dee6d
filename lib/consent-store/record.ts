// Writing the consent ledger: the event, the state projection and the audit entry, always in one transaction.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { columnList } from '@/db/columns';
import type { ConsentEvidence } from '@/db/schema';
import { consentEvents } from '@/db/schema';
import { idArray, recordset, rowsOf } from '@/db/sql';
import { writeAudits } from '@/lib/audit/write';
import type { Channel, ConsentState, EventKind, Purpose } from '@/lib/consent';
import { foldLedger } from '@/lib/consent';
import { splitEvidence, writePersonalEvidence } from './evidence';
import type { EventRow } from './project';
import {
  PROJECT_DIRECTLY,
  clearIntervalsSql,
  finishProjection,
  ledgerSql,
  ledgersOf,
  readStates,
  rebuildConsentState,
  stateKey,
  statesFromRows,
  statesSql,
} from './project';

export type RecordConsentInput = {
  customerId: number;
  channel: Channel;
  purpose: Purpose;
  kind: EventKind;
  occurredAt: Date;
  source: string;
  evidence: ConsentEvidence;
  idempotencyKey?: string | null;
};

export type RecordConsentResult =
  | { ok: true; duplicate: boolean; eventId: number | null; state: ConsentState }
  | { ok: false; code: 'customer_not_found' | 'missing_evidence' | 'missing_source' | 'in_future'; message: string };

// Clocks differ a little between the customer's device, Meta and us; more than this is a data error.
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Whether a moment lies further in the future than clocks can differ: a bad message, not a consent event. */
export function inFuture(at: Date, now: Date): boolean {
  return at.getTime() > now.getTime() + FUTURE_TOLERANCE_MS;
}

/** Evidence that can demonstrate a grant (GDPR Art. 7(1)): something that ties the consent to what the customer saw or did. */
export function hasGrantEvidence(evidence: ConsentEvidence): boolean {
  return Boolean(
    evidence.wording?.trim() ||
    evidence.formVersion?.trim() ||
    evidence.proofReference?.trim() ||
    evidence.messageId?.trim() ||
    evidence.importBatchId,
  );
}

type Refusal = Extract<RecordConsentResult, { ok: false }>;

// The columns an act writes to the ledger (recorded_at is the transaction's time), read from the input rows with their
// position i.
const EVENT = columnList(consentEvents, { omit: ['recordedAt'] });
const EVENT_FIELDS = `i int, ${EVENT.definitions}`;

/** Why an event cannot be recorded as given, or null when it can. */
export function refusalOf(input: RecordConsentInput, now: Date): Refusal | null {
  if (!input.source.trim()) return { ok: false, code: 'missing_source', message: 'A consent event needs a source.' };
  if (input.kind === 'granted' && !hasGrantEvidence(input.evidence)) {
    return {
      ok: false,
      code: 'missing_evidence',
      message: 'A grant needs evidence: the wording or form version shown, a message id or a proof reference.',
    };
  }
  if (inFuture(input.occurredAt, now)) {
    return { ok: false, code: 'in_future', message: 'A consent event cannot have occurred in the future.' };
  }
  return null;
}

export type RecordedEvent = Extract<RecordConsentResult, { ok: true }>;

/**
 * Records several consent events that are one act of the customer (e.g. a STOP that withdraws marketing and
 * transactional): all or none, in one transaction, with one projection of state for the customers concerned and an
 * audit entry per event. Each idempotency key seen before writes nothing for its event.
 */
export async function recordConsentEvents(
  db: Queryable,
  inputs: readonly RecordConsentInput[],
  actorId: number | null,
  now: Date = new Date(),
): Promise<{ ok: true; events: RecordedEvent[] } | Refusal> {
  for (const input of inputs) {
    const refused = refusalOf(input, now);
    if (refused) return refused;
  }
  if (inputs.length === 0) return { ok: true, events: [] };
  try {
    return await db.transaction((tx) => writeConsentEvents(tx, inputs, actorId));
  } catch (error) {
    if (error instanceof CustomerNotFound) return { ok: false, code: 'customer_not_found', message: 'No such customer.' };
    throw error;
  }
}

/** Thrown inside the transaction when a customer of the act does not exist, so that nothing of it is written. */
class CustomerNotFound extends Error {}

/** recordConsentEvents inside a transaction the caller holds, for inputs it has checked with refusalOf. */
export async function writeConsentEvents(
  tx: Queryable,
  inputs: readonly RecordConsentInput[],
  actorId: number | null,
): Promise<{ ok: true; events: RecordedEvent[] }> {
  if (inputs.length === 0) return { ok: true, events: [] };
  const ids = [...new Set(inputs.map((i) => i.customerId))].sort((a, b) => a - b);
  const split = inputs.map((input) => splitEvidence(input.evidence));
  const rows = inputs.map((input, i) => ({
    i,
    customer_id: input.customerId,
    channel: input.channel,
    purpose: input.purpose,
    kind: input.kind,
    occurred_at: input.occurredAt,
    source: input.source.trim(),
    recorded_by: actorId,
    evidence: split[i]!.ledger,
    idempotency_key: input.idempotencyKey ?? null,
  }));
  // The customers whose ledgers this transaction wrote to (recorded_at is the transaction's start): an act whose events
  // were all seen before changes no projection.
  const written = sql`customer_id in (select customer_id from consent_events where customer_id = any(${idArray(ids)}) and recorded_at = now())`;
  const direct = ids.length <= PROJECT_DIRECTLY;
  // Sent together, and run in this order: lock the customers (in id order, so concurrent acts cannot deadlock) so that
  // their events project one after the other; read their states; write the events, each with its id, which ties it
  // to its input (an idempotency key seen before leaves the id unused); read the ledgers written to and clear their
  // intervals for the projection. Every statement takes the same path to the driver (execute, then), so the driver
  // gets them in the order of the calls below, and PostgreSQL runs a connection's statements in the order it gets them:
  // the reads come after the lock.
  const send = (query: SQL) => tx.execute(query).then((result) => result);
  const sent = [
    send(sql`select id from customers where id = any(${idArray(ids)}) order by id for update`),
    send(statesSql(ids)),
    send(sql`
      with input as materialized (
        select r.*, nextval(pg_get_serial_sequence('consent_events', 'id')) as id
        from ${recordset(rows, EVENT_FIELDS)}),
      written as (
        insert into consent_events (id, ${EVENT.list})
        overriding system value
        select id, ${EVENT.list} from input order by i
        on conflict (idempotency_key) do nothing
        returning id)
      select input.i, input.id, written.id is not null as inserted from input left join written using (id)`),
    send(ledgerSql(written)),
    ...(direct ? [send(clearIntervalsSql(written))] : []),
  ];
  const settled = await Promise.allSettled(sent);
  const [locked, before, outcome, ledgerRows] = settled.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
  if (locked !== undefined && rowsOf(locked).length !== ids.length) throw new CustomerNotFound();
  // The statement that failed, rather than the ones after it that only saw the transaction aborted (25P02).
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: string }] : []));
  if (failures.length > 0) throw failures.find((f) => f?.code !== '25P02') ?? failures[0];
  const statesBefore = statesFromRows(before);
  const eventIds = new Map(
    rowsOf<{ i: number; id: string | number; inserted: boolean }>(outcome).map((r) => [Number(r.i), r.inserted ? Number(r.id) : null]),
  );
  const ledgers = ledgersOf(rowsOf<EventRow>(ledgerRows));

  let projected: Map<string, ConsentState>;
  let projection: Array<Promise<unknown>> = [];
  if (direct) ({ writes: projection, states: projected } = finishProjection(tx, rowsOf<EventRow>(ledgerRows)));
  else {
    const changed = [...new Set(inputs.filter((_, i) => eventIds.get(i) != null).map((i) => i.customerId))];
    await rebuildConsentState(tx, changed);
    projected = await readStates(tx, changed);
  }
  // A customer's state keys only grow: the states after are those before, replaced by the ones just projected.
  const after = new Map([...statesBefore, ...projected]);
  const keyOf = (input: RecordConsentInput) => stateKey(input.customerId, input.channel, input.purpose);
  const events = inputs.map((input, i): RecordedEvent => {
    const eventId = eventIds.get(i) ?? null;
    return { ok: true, duplicate: eventId === null, eventId, state: after.get(keyOf(input)) ?? foldLedger([]) };
  });
  // Each event's audit entry says what that event changed, as if the act's events had been recorded one by one in
  // the order given: its ledger without the act's later events, before and after it.
  const inputOf = new Map([...eventIds].flatMap(([i, id]) => (id === null ? [] : [[id, i] as const])));
  const audits = inputs.flatMap((input, i) => {
    const eventId = eventIds.get(i);
    if (eventId == null) return [];
    const upTo = (last: number) => (ledgers.get(keyOf(input)) ?? []).filter((e) => (inputOf.get(e.id) ?? -1) <= last);
    return [
      {
        actorId,
        action: `consent.${input.kind}`,
        entity: 'customer',
        entityId: input.customerId,
        before: { channel: input.channel, purpose: input.purpose, status: foldLedger(upTo(i - 1)).status },
        after: { channel: input.channel, purpose: input.purpose, status: foldLedger(upTo(i)).status, eventId, source: input.source },
      },
    ];
  });
  const personal = inputs.flatMap((input, i) => {
    const eventId = eventIds.get(i);
    const evidence = split[i]!.personal;
    return eventId != null && evidence ? [{ eventId, customerId: input.customerId, evidence }] : [];
  });
  await Promise.all([...projection, writeAudits(tx, audits), writePersonalEvidence(tx, personal)]);
  return { ok: true, events };
}

/**
 * Records one consent event for a customer: ledger, state and audit in one transaction.
 * The same idempotency key twice writes nothing the second time.
 */
export async function recordConsentEvent(
  db: Queryable,
  input: RecordConsentInput,
  actorId: number | null,
  now: Date = new Date(),
): Promise<RecordConsentResult> {
  const result = await recordConsentEvents(db, [input], actorId, now);
  return result.ok ? result.events[0]! : result;
}
