// Writing the consent ledger: the event, the state projection and the audit entry, always in one transaction.
import type { SQL } from 'drizzle-orm';
import { asc, gt, sql } from 'drizzle-orm';
import type { Db, Queryable } from '@/db';
import type { ConsentEvidence } from '@/db/schema';
import { idArray, recordset, rowsOf } from '@/db/sql';
import { copyRows } from '@/db/copy';
import { consentIntervals, consentState, customers } from '@/db/schema';
import { writeAudits } from '@/lib/audit/write';
import type { Channel, ConsentState, EventKind, LedgerEvent, Purpose } from '@/lib/consent';
import { foldLedger, ledgerTimeline, startOfMonthUtc } from '@/lib/consent';

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

/** The month expiry counts from, as stored with intervals and coverage (YYYY-MM-01). */
export function givenMonth(state: ConsentState): string | null {
  if (state.status !== 'granted' && state.status !== 'pending_confirmation') return null;
  const givenAt = state.confirmedAt ?? state.grantedAt;
  return givenAt ? startOfMonthUtc(givenAt).toISOString().slice(0, 10) : null;
}

type EventRow = { id: unknown; customer_id: unknown; channel: Channel; purpose: Purpose; kind: EventKind; occurred_at: unknown; source: string; double_opt_in: boolean | null };

// Customers folded per round trip.
const REBUILD_CHUNK = 20_000;
// Up to this many customers the rows are written directly; beyond it they are gathered first and the intervals go in
// with one statement, so that the coverage triggers (once per statement) aggregate them in one pass.
const DIRECT_LIMIT = 500;

export type RebuildOptions = {
  /** Hears how many of the customers are done. */
  onProgress?: (done: number) => void;
  /** The customers are new: they have no state or intervals yet to replace. */
  fresh?: boolean;
};

/** Recomputes the state rows and state intervals of the given customers from their full ledgers. */
export async function rebuildConsentState(q: Queryable, customerIds: readonly number[], options: RebuildOptions = {}): Promise<void> {
  const ids = [...new Set(customerIds)].sort((a, b) => a - b);
  if (ids.length === 0) return;
  if (ids.length <= DIRECT_LIMIT) {
    await projectFew(q, ids);
    options.onProgress?.(ids.length);
    return;
  }
  await q.transaction(async (tx) => {
    await tx.execute(sql`
      create temp table if not exists rebuilt_intervals
        (customer_id bigint, channel channel, purpose purpose, valid_from timestamptz, valid_to timestamptz,
         status consent_status, confirmed boolean, given_month date) on commit drop`);
    await tx.execute(sql`truncate rebuilt_intervals`);
    for (let i = 0; i < ids.length; i += REBUILD_CHUNK) {
      const chunk = ids.slice(i, i + REBUILD_CHUNK);
      const { states, intervals } = await foldCustomers(tx, chunk);
      if (!options.fresh) await tx.execute(sql`delete from consent_state where customer_id = any(${idArray(chunk)})`);
      await copyRows(tx, 'consent_state', STATE_COLUMNS, states.map((v) => STATE_COLUMNS_OF(v)));
      await copyRows(tx, 'rebuilt_intervals', INTERVAL_COLUMNS, intervals.map((v) => INTERVAL_COLUMNS_OF(v)));
      options.onProgress?.(Math.min(ids.length, i + REBUILD_CHUNK));
    }
    if (!options.fresh) {
      for (let i = 0; i < ids.length; i += REBUILD_CHUNK * 5) {
        await tx.execute(sql`delete from consent_intervals where customer_id = any(${idArray(ids.slice(i, i + REBUILD_CHUNK * 5))})`);
      }
    }
    const columns = sql.raw(INTERVAL_COLUMNS.join(', '));
    await tx.execute(sql`insert into consent_intervals (${columns}) select ${columns} from rebuilt_intervals`);
  });
}

const STATE_COLUMNS = ['customer_id', 'channel', 'purpose', 'status', 'granted_at', 'confirmed_at', 'withdrawn_at', 'last_event_id', 'last_occurred_at', 'source', 'updated_at'];
const STATE_COLUMNS_OF = (v: typeof consentState.$inferInsert) => [v.customerId, v.channel, v.purpose, v.status, v.grantedAt, v.confirmedAt, v.withdrawnAt, v.lastEventId, v.lastOccurredAt, v.source, v.updatedAt];
const INTERVAL_COLUMNS = ['customer_id', 'channel', 'purpose', 'valid_from', 'valid_to', 'status', 'confirmed', 'given_month'];
const INTERVAL_COLUMNS_OF = (v: typeof consentIntervals.$inferInsert) => [v.customerId, v.channel, v.purpose, v.validFrom, v.validTo, v.status, v.confirmed, v.givenMonth];

// The same rows as JSON records for the small path (column name -> value).
const STATE_FIELDS = 'customer_id bigint, channel channel, purpose purpose, status consent_status, granted_at timestamptz, confirmed_at timestamptz, withdrawn_at timestamptz, last_event_id bigint, last_occurred_at timestamptz, source text, updated_at timestamptz';
const STATE_LIST = sql.raw(STATE_COLUMNS.join(', '));
const STATE_ROW = (v: typeof consentState.$inferInsert) => Object.fromEntries(STATE_COLUMNS.map((c, i) => [c, STATE_COLUMNS_OF(v)[i]]));
const STATE_UPDATES = STATE_COLUMNS.slice(3).map((c) => `${c} = excluded.${c}`).join(', ');
const INTERVAL_FIELDS = 'customer_id bigint, channel channel, purpose purpose, valid_from timestamptz, valid_to timestamptz, status consent_status, confirmed boolean, given_month date';
const INTERVAL_LIST = sql.raw(INTERVAL_COLUMNS.join(', '));
const INTERVAL_ROW = (v: typeof consentIntervals.$inferInsert) => Object.fromEntries(INTERVAL_COLUMNS.map((c, i) => [c, INTERVAL_COLUMNS_OF(v)[i]]));

/**
 * The small path of rebuildConsentState, for up to DIRECT_LIMIT customers (sorted, distinct): a few statements, sent
 * without waiting for each other where one does not need the other's answer. Returns the states it wrote.
 */
async function projectFew(q: Queryable, ids: number[]): Promise<Map<string, ConsentState>> {
  const mine = sql`customer_id = any(${idArray(ids)})`;
  const [rows] = await Promise.all([readLedgers(q, mine), q.execute(sql`delete from consent_intervals where ${mine}`)]);
  const folded = foldRows(rows);
  await Promise.all(writeProjection(q, folded));
  return statesOf(folded.states);
}

type Folded = { states: Array<typeof consentState.$inferInsert>; intervals: Array<typeof consentIntervals.$inferInsert> };

/** The statements that write folded states and intervals (after the customers' old intervals are gone), sent together. */
function writeProjection(q: Queryable, { states, intervals }: Folded): Array<Promise<unknown>> {
  return [
    intervals.length > 0
      ? q.execute(sql`insert into consent_intervals (${INTERVAL_LIST}) select ${INTERVAL_LIST} from ${recordset(intervals.map(INTERVAL_ROW), INTERVAL_FIELDS)}`)
      : Promise.resolve(),
    // The ledger only grows, so a customer's state keys do too: each state is replaced in place.
    states.length > 0
      ? q.execute(sql`insert into consent_state (${STATE_LIST}) select ${STATE_LIST} from ${recordset(states.map(STATE_ROW), STATE_FIELDS)}
          on conflict (customer_id, channel, purpose) do update set ${sql.raw(STATE_UPDATES)}`)
      : Promise.resolve(),
  ];
}

function statesOf(states: Folded['states']): Map<string, ConsentState> {
  return new Map(
    states.map((s) => [
      stateKey(s.customerId, s.channel, s.purpose),
      {
        status: s.status,
        grantedAt: s.grantedAt ?? null,
        confirmedAt: s.confirmedAt ?? null,
        withdrawnAt: s.withdrawnAt ?? null,
        lastEventId: s.lastEventId,
        lastOccurredAt: s.lastOccurredAt,
        source: s.source,
      },
    ]),
  );
}

/** The ledgers of the customers `where` picks, in the order the fold reads them. */
async function readLedgers(q: Queryable, where: SQL): Promise<EventRow[]> {
  return rowsOf<EventRow>(
    await q.execute(sql`
      select id, customer_id, channel, purpose, kind, occurred_at, source, (evidence->>'doubleOptIn')::boolean as double_opt_in
      from consent_events where ${where}
      order by customer_id, channel, purpose, occurred_at, id`),
  );
}

/** The states and intervals the ledgers of these customers fold into. */
async function foldCustomers(q: Queryable, ids: number[]): Promise<Folded> {
  return foldRows(await readLedgers(q, sql`customer_id = any(${idArray(ids)})`));
}

/** Folds ledger rows (in readLedgers order) into states and intervals. */
function foldRows(rows: readonly EventRow[]): Folded {
  const ledgers: Array<{ customerId: number; channel: Channel; purpose: Purpose; events: LedgerEvent[] }> = [];
  let current: (typeof ledgers)[number] | undefined;
  for (const row of rows) {
    const customerId = Number(row.customer_id);
    if (!current || current.customerId !== customerId || current.channel !== row.channel || current.purpose !== row.purpose) {
      current = { customerId, channel: row.channel, purpose: row.purpose, events: [] };
      ledgers.push(current);
    }
    current.events.push({
      id: Number(row.id),
      kind: row.kind,
      occurredAt: new Date(row.occurred_at as string),
      source: row.source,
      doubleOptIn: row.double_opt_in ?? undefined,
    });
  }

  const now = new Date();
  const states: Array<typeof consentState.$inferInsert> = [];
  const intervals: Array<typeof consentIntervals.$inferInsert> = [];
  for (const { customerId, channel, purpose, events } of ledgers) {
    const state = foldLedger(events);
    if (state.lastEventId !== null && state.lastOccurredAt !== null && state.source !== null) {
      states.push({
        customerId,
        channel,
        purpose,
        status: state.status,
        grantedAt: state.grantedAt,
        confirmedAt: state.confirmedAt,
        withdrawnAt: state.withdrawnAt,
        lastEventId: state.lastEventId,
        lastOccurredAt: state.lastOccurredAt,
        source: state.source,
        updatedAt: now,
      });
    }
    const timeline = ledgerTimeline(events);
    timeline.forEach((entry, i) =>
      intervals.push({
        customerId,
        channel,
        purpose,
        validFrom: entry.from,
        validTo: timeline[i + 1]?.from ?? null,
        status: entry.state.status,
        confirmed: entry.state.confirmedAt !== null,
        givenMonth: givenMonth(entry.state),
      }),
    );
  }
  return { states, intervals };
}

/**
 * Projects state intervals for a ledger written before intervals existed. Runs at start when the ledger has states
 * but no intervals; returns how many customers it rebuilt.
 */
export async function backfillConsentIntervals(db: Db, batch = 2000): Promise<number> {
  const [pending] = await db.execute<{ missing: boolean }>(
    sql`select exists (select 1 from consent_state) and not exists (select 1 from consent_intervals) as missing`,
  ).then((r) => rowsOf<{ missing: boolean }>(r));
  if (!pending?.missing) return 0;
  let done = 0;
  for (let after = 0; ; ) {
    const ids = (
      await db.select({ id: customers.id }).from(customers).where(gt(customers.id, after)).orderBy(asc(customers.id)).limit(batch)
    ).map((r) => r.id);
    if (ids.length === 0) return done;
    await db.transaction((tx) => rebuildConsentState(tx, ids));
    done += ids.length;
    after = ids[ids.length - 1]!;
  }
}

const stateKey = (customerId: number, channel: Channel, purpose: Purpose) => `${customerId}:${channel}:${purpose}`;

/** The states in force of the customers, by customer, channel and purpose; a key without a row is unknown. */
async function readStates(q: Queryable, customerIds: readonly number[]): Promise<Map<string, ConsentState>> {
  const rows = await q.select().from(consentState).where(sql`${consentState.customerId} = any(${idArray(customerIds)})`);
  return new Map(
    rows.map((row) => [
      stateKey(row.customerId, row.channel, row.purpose),
      {
        status: row.status,
        grantedAt: row.grantedAt,
        confirmedAt: row.confirmedAt,
        withdrawnAt: row.withdrawnAt,
        lastEventId: row.lastEventId,
        lastOccurredAt: row.lastOccurredAt,
        source: row.source,
      },
    ]),
  );
}

type Refusal = Extract<RecordConsentResult, { ok: false }>;

const EVENT_FIELDS = 'i int, customer_id bigint, channel channel, purpose purpose, kind consent_event_kind, occurred_at timestamptz, source text, recorded_by int, evidence jsonb, idempotency_key text';

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
  if (input.occurredAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
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
export async function writeConsentEvents(tx: Queryable, inputs: readonly RecordConsentInput[], actorId: number | null): Promise<{ ok: true; events: RecordedEvent[] }> {
  if (inputs.length === 0) return { ok: true, events: [] };
  const ids = [...new Set(inputs.map((i) => i.customerId))].sort((a, b) => a - b);
  const rows = inputs.map((input, i) => ({
    i,
    customer_id: input.customerId,
    channel: input.channel,
    purpose: input.purpose,
    kind: input.kind,
    occurred_at: input.occurredAt,
    source: input.source.trim(),
    recorded_by: actorId,
    evidence: input.evidence,
    idempotency_key: input.idempotencyKey ?? null,
  }));
  // The customers whose ledgers this transaction wrote to (recorded_at is the transaction's start): an act whose events
  // were all seen before changes no projection.
  const written = sql`customer_id in (select customer_id from consent_events where customer_id = any(${idArray(ids)}) and recorded_at = now())`;
  const direct = ids.length <= DIRECT_LIMIT;
  // Sent together, run in this order: lock the customers (in id order, so concurrent acts cannot deadlock) so that
  // their events project one after the other; read their states; write the events, each with its id, which ties it
  // to its input (an idempotency key seen before leaves the id unused); then read the new ledgers and clear their
  // intervals for the projection.
  const [locked, before, outcome, ledgers, cleared] = await Promise.allSettled([
    tx.execute(sql`select id from customers where id = any(${idArray(ids)}) order by id for update`).then((r) => rowsOf<{ id: unknown }>(r)),
    readStates(tx, ids),
    tx
      .execute(
        sql`
        with input as materialized (
          select r.*, nextval(pg_get_serial_sequence('consent_events', 'id')) as id
          from ${recordset(rows, EVENT_FIELDS)}),
        written as (
          insert into consent_events (id, customer_id, channel, purpose, kind, occurred_at, source, recorded_by, evidence, idempotency_key)
          overriding system value
          select id, customer_id, channel, purpose, kind, occurred_at, source, recorded_by, evidence, idempotency_key from input order by i
          on conflict (idempotency_key) do nothing
          returning id)
        select input.i, input.id, written.id is not null as inserted from input left join written using (id)`,
      )
      .then((r) => rowsOf<{ i: number; id: string | number; inserted: boolean }>(r)),
    direct ? readLedgers(tx, written) : Promise.resolve([]),
    direct ? tx.execute(sql`delete from consent_intervals where ${written}`) : Promise.resolve(),
  ]);
  if (locked.status === 'fulfilled' && locked.value.length !== ids.length) throw new CustomerNotFound();
  for (const result of [locked, before, outcome, ledgers, cleared]) if (result.status === 'rejected') throw result.reason;
  const statesBefore = (before as PromiseFulfilledResult<Map<string, ConsentState>>).value;
  const eventIds = new Map((outcome as PromiseFulfilledResult<Array<{ i: number; id: string | number; inserted: boolean }>>).value.map((r) => [Number(r.i), r.inserted ? Number(r.id) : null]));

  let projected: Map<string, ConsentState>;
  let projection: Array<Promise<unknown>> = [];
  if (direct) {
    const folded = foldRows((ledgers as PromiseFulfilledResult<EventRow[]>).value);
    projection = writeProjection(tx, folded);
    projected = statesOf(folded.states);
  } else {
    const changed = [...new Set(inputs.filter((_, i) => eventIds.get(i) != null).map((i) => i.customerId))];
    await rebuildConsentState(tx, changed);
    projected = await readStates(tx, changed);
  }
  // A customer's state keys only grow: the states after are those before, replaced by the ones just projected.
  const after = new Map([...statesBefore, ...projected]);
  const stateOf = (states: Map<string, ConsentState>, input: RecordConsentInput) =>
    states.get(stateKey(input.customerId, input.channel, input.purpose)) ?? foldLedger([]);
  const events = inputs.map((input, i): RecordedEvent => {
    const eventId = eventIds.get(i) ?? null;
    return { ok: true, duplicate: eventId === null, eventId, state: stateOf(after, input) };
  });
  const audits = inputs.flatMap((input, i) => {
    const { eventId, state } = events[i]!;
    if (eventId === null) return [];
    return [
      {
        actorId,
        action: `consent.${input.kind}`,
        entity: 'customer',
        entityId: input.customerId,
        before: { channel: input.channel, purpose: input.purpose, status: stateOf(statesBefore, input).status },
        after: { channel: input.channel, purpose: input.purpose, status: state.status, eventId, source: input.source },
      },
    ];
  });
  await Promise.all([...projection, writeAudits(tx, audits)]);
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
