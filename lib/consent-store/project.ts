// Projecting the consent ledger into the state in force and the state intervals per customer, channel and purpose:
// the fold of lib/consent applied to ledgers read from the database, and its rows written back.
import type { SQL } from 'drizzle-orm';
import { asc, gt, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Db, Queryable } from '@/db';
import { columnList } from '@/db/columns';
import { copyRows } from '@/db/copy';
import { consentEvents, consentIntervals, consentState, customers } from '@/db/schema';
import { idArray, recordset, rowsOf } from '@/db/sql';
import type { Channel, ConsentState, EventKind, LedgerEvent, Purpose } from '@/lib/consent';
import { NOT_SELLER_OWN_SOURCES, foldLedger, isSellerOwnSource, ledgerTimeline, startOfMonthUtc } from '@/lib/consent';

/** The month expiry counts from, as stored with intervals and coverage (YYYY-MM-01). */
export function givenMonth(state: ConsentState): string | null {
  if (state.status !== 'granted' && state.status !== 'pending_confirmation') return null;
  const givenAt = state.confirmedAt ?? state.grantedAt;
  return givenAt ? startOfMonthUtc(givenAt).toISOString().slice(0, 10) : null;
}

/** Whether the state is a grant brought about by a seller-own source: what opens a channel to a marketplace buyer. */
export function ownChannel(state: ConsentState): boolean {
  return (state.status === 'granted' || state.status === 'pending_confirmation') && isSellerOwnSource(state.source);
}

/** The sources that are not seller-own, as a SQL list. */
const NOT_OWN_LIST = sql.raw(NOT_SELLER_OWN_SOURCES.map((s) => `'${s}'`).join(', '));

export type EventRow = {
  id: unknown;
  customer_id: unknown;
  channel: Channel;
  purpose: Purpose;
  kind: EventKind;
  occurred_at: unknown;
  source: string;
  double_opt_in: boolean | null;
};

// Customers folded per round trip.
const REBUILD_CHUNK = 20_000;
/**
 * Up to this many customers the rows are written directly (beginProjection and finishProjection); beyond it they are
 * gathered first and the intervals go in with one statement, so that the coverage triggers (once per statement)
 * aggregate them in one pass.
 */
export const PROJECT_DIRECTLY = 500;

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
  if (ids.length <= PROJECT_DIRECTLY) {
    await projectFew(q, ids);
    options.onProgress?.(ids.length);
    return;
  }
  await q.transaction(async (tx) => {
    await tx.execute(sql`create temp table if not exists rebuilt_intervals (${sql.raw(INTERVAL.definitions)}) on commit drop`);
    await tx.execute(sql`truncate rebuilt_intervals`);
    for (let i = 0; i < ids.length; i += REBUILD_CHUNK) {
      const chunk = ids.slice(i, i + REBUILD_CHUNK);
      const { states, intervals } = await foldCustomers(tx, chunk);
      if (!options.fresh) await tx.execute(sql`delete from consent_state where customer_id = any(${idArray(chunk)})`);
      await copyRows(tx, 'consent_state', STATE.names, states.map(STATE.values));
      await copyRows(tx, 'rebuilt_intervals', INTERVAL.names, intervals.map(INTERVAL.values));
      options.onProgress?.(Math.min(ids.length, i + REBUILD_CHUNK));
    }
    if (!options.fresh) {
      for (let i = 0; i < ids.length; i += REBUILD_CHUNK * 5) {
        await tx.execute(sql`delete from consent_intervals where customer_id = any(${idArray(ids.slice(i, i + REBUILD_CHUNK * 5))})`);
      }
    }
    await tx.execute(sql`insert into consent_intervals (${INTERVAL.list}) select ${INTERVAL.list} from rebuilt_intervals`);
  });
}

// The columns the projection writes, as the schema has them (COPY on the large path, JSON records on the small one).
const STATE = columnList(consentState);
const INTERVAL = columnList(consentIntervals);
const STATE_KEY = getTableConfig(consentState).primaryKeys[0]!.columns.map((c) => c.name);
// The ledger only grows, so a customer's state keys do too: each state is replaced in place, key columns aside.
const STATE_UPDATES = sql.raw(
  STATE.names
    .filter((c) => !STATE_KEY.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', '),
);

/**
 * The small path of rebuildConsentState, for up to PROJECT_DIRECTLY customers (sorted, distinct). Returns the states it
 * wrote.
 */
async function projectFew(q: Queryable, ids: number[]): Promise<Map<string, ConsentState>> {
  const { writes, states } = finishProjection(q, await beginProjection(q, sql`customer_id = any(${idArray(ids)})`));
  await Promise.all(writes);
  return states;
}

/** The statement that clears the intervals of the customers `where` picks, before their projection is written. */
export function clearIntervalsSql(where: SQL): SQL {
  return sql`delete from consent_intervals where ${where}`;
}

/** The first half of projecting a few customers (those `where` picks): reads their ledgers and clears their intervals. */
async function beginProjection(q: Queryable, where: SQL): Promise<EventRow[]> {
  const [rows] = await Promise.all([readLedgers(q, where), q.execute(clearIntervalsSql(where))]);
  return rows;
}

/**
 * The second half: folds the ledgers (their intervals already cleared); returns the writes of states and intervals
 * (sent together) and the states.
 */
export function finishProjection(
  q: Queryable,
  rows: readonly EventRow[],
): { writes: Array<Promise<unknown>>; states: Map<string, ConsentState> } {
  const folded = foldRows(rows);
  return { writes: writeProjection(q, folded), states: statesOf(folded.states) };
}

type Folded = { states: Array<typeof consentState.$inferInsert>; intervals: Array<typeof consentIntervals.$inferInsert> };

/** The statements that write folded states and intervals (after the customers' old intervals are gone), sent together. */
function writeProjection(q: Queryable, { states, intervals }: Folded): Array<Promise<unknown>> {
  return [
    intervals.length > 0
      ? q.execute(
          sql`insert into consent_intervals (${INTERVAL.list}) select ${INTERVAL.list} from ${recordset(intervals.map(INTERVAL.record), INTERVAL.definitions)}`,
        )
      : Promise.resolve(),
    states.length > 0
      ? q.execute(sql`insert into consent_state (${STATE.list}) select ${STATE.list} from ${recordset(states.map(STATE.record), STATE.definitions)}
          on conflict (${sql.raw(STATE_KEY.join(', '))}) do update set ${STATE_UPDATES}`)
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

/** The ledgers of the customers `where` picks, in the order the fold reads them: a statement of its own. */
export function ledgerSql(where: SQL): SQL {
  return sql`
    select id, customer_id, channel, purpose, kind, occurred_at, source, (evidence->>'doubleOptIn')::boolean as double_opt_in
    from consent_events where ${where}
    order by customer_id, channel, purpose, occurred_at, id`;
}

async function readLedgers(q: Queryable, where: SQL): Promise<EventRow[]> {
  return rowsOf<EventRow>(await q.execute(ledgerSql(where)));
}

/** Ledger rows (in ledgerSql order) as the ledgers of lib/consent, by customer, channel and purpose. */
export function ledgersOf(rows: readonly EventRow[]): Map<string, LedgerEvent[]> {
  const ledgers = new Map<string, LedgerEvent[]>();
  for (const row of rows) {
    const key = stateKey(Number(row.customer_id), row.channel, row.purpose);
    let events = ledgers.get(key);
    if (!events) ledgers.set(key, (events = []));
    events.push({
      id: Number(row.id),
      kind: row.kind,
      occurredAt: new Date(row.occurred_at as string),
      source: row.source,
      doubleOptIn: row.double_opt_in ?? undefined,
    });
  }
  return ledgers;
}

/** The states and intervals the ledgers of these customers fold into. */
async function foldCustomers(q: Queryable, ids: number[]): Promise<Folded> {
  return foldRows(await readLedgers(q, sql`customer_id = any(${idArray(ids)})`));
}

/** Folds ledger rows (in readLedgers order) into states and intervals. */
function foldRows(rows: readonly EventRow[]): Folded {
  const ledgers = [...ledgersOf(rows)].map(([key, events]) => {
    const [customerId, channel, purpose] = key.split(':') as [string, Channel, Purpose];
    return { customerId: Number(customerId), channel, purpose, events };
  });

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
        ownChannel: ownChannel(entry.state),
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
  const [pending] = await db
    .execute<{ missing: boolean }>(
      sql`select exists (select 1 from consent_state) and not exists (select 1 from consent_intervals) as missing`,
    )
    .then((r) => rowsOf<{ missing: boolean }>(r));
  if (!pending?.missing) return 0;
  let done = 0;
  for (let after = 0; ;) {
    const ids = (
      await db.select({ id: customers.id }).from(customers).where(gt(customers.id, after)).orderBy(asc(customers.id)).limit(batch)
    ).map((r) => r.id);
    if (ids.length === 0) return done;
    await db.transaction((tx) => rebuildConsentState(tx, ids));
    done += ids.length;
    after = ids[ids.length - 1]!;
  }
}

export const stateKey = (customerId: number, channel: Channel, purpose: Purpose) => `${customerId}:${channel}:${purpose}`;

/** The states in force of the customers, by customer, channel and purpose; a key without a row is unknown. */
/** The state rows of the customers: a statement of its own, for callers that send several at once. */
export function statesSql(customerIds: readonly number[]): SQL {
  return sql`select customer_id, channel, purpose, status, granted_at, confirmed_at, withdrawn_at, last_event_id, last_occurred_at, source
    from consent_state where customer_id = any(${idArray(customerIds)})`;
}

type StateRow = {
  customer_id: unknown;
  channel: Channel;
  purpose: Purpose;
  status: ConsentState['status'];
  granted_at: unknown;
  confirmed_at: unknown;
  withdrawn_at: unknown;
  last_event_id: unknown;
  last_occurred_at: unknown;
  source: string;
};

const dateOrNull = (value: unknown) => (value == null ? null : new Date(value as string));

/** The states read by statesSql, by customer, channel and purpose; a key without a row is unknown. */
export function statesFromRows(result: unknown): Map<string, ConsentState> {
  return new Map(
    rowsOf<StateRow>(result).map((row) => [
      stateKey(Number(row.customer_id), row.channel, row.purpose),
      {
        status: row.status,
        grantedAt: dateOrNull(row.granted_at),
        confirmedAt: dateOrNull(row.confirmed_at),
        withdrawnAt: dateOrNull(row.withdrawn_at),
        lastEventId: Number(row.last_event_id),
        lastOccurredAt: dateOrNull(row.last_occurred_at),
        source: row.source,
      },
    ]),
  );
}

/** The states in force of the customers, by customer, channel and purpose; a key without a row is unknown. */
export async function readStates(q: Queryable, customerIds: readonly number[]): Promise<Map<string, ConsentState>> {
  return statesFromRows(await q.execute(statesSql(customerIds)));
}

// The ledger columns projectNewLedgers reads, and whether the event waits for a double opt-in.
const NEW_LEDGER = columnList(consentEvents, { pick: ['id', 'customerId', 'channel', 'purpose', 'kind', 'occurredAt', 'source'] });

/** What projectNewLedgers reads of each ledger event: a select list over consent_events, or a RETURNING list. */
export const NEW_LEDGER_COLUMNS = sql`${NEW_LEDGER.list}, coalesce((evidence->>'doubleOptIn')::boolean, false) as double_opt_in`;

/** The table projectNewLedgers can read: the events of new customers, with NEW_LEDGER_COLUMNS. */
export const NEW_LEDGER_TABLE = `${NEW_LEDGER.definitions}, double_opt_in boolean`;

/**
 * Projects customers that have no state yet, whose whole ledgers `ledger` holds (a table or a subquery with
 * NEW_LEDGER_COLUMNS), where each of their ledgers is one grant or one withdrawal: what an import leaves for the
 * customers it creates. The fold of such a ledger is one state from the event on (project.test.ts holds this to
 * foldLedger and ledgerTimeline); any other customer is left alone and returned, for rebuildConsentState. One
 * statement, so the coverage triggers run once.
 */
export async function projectNewLedgers(q: Queryable, ledger: SQL): Promise<number[]> {
  const status = sql`(case when e.kind = 'withdrawn' then 'withdrawn' when e.double_opt_in then 'pending_confirmation' else 'granted' end)::consent_status`;
  const rows = rowsOf<{ customer_id: string | number }>(
    await q.execute(sql`
      with e as not materialized (select * from ${ledger} l),
      other as (
        select distinct customer_id from (
          select customer_id from e group by customer_id, channel, purpose having count(*) > 1 or bool_or(kind = 'confirmed')) g),
      one as (select * from e where not exists (select 1 from other o where o.customer_id = e.customer_id)),
      states as (
        insert into consent_state (${STATE.list})
        select e.customer_id, e.channel, e.purpose, ${status}, case when e.kind = 'granted' then e.occurred_at end, null,
               case when e.kind = 'withdrawn' then e.occurred_at end, e.id, e.occurred_at, e.source, now()
        from one e),
      intervals as (
        insert into consent_intervals (${INTERVAL.list})
        select e.customer_id, e.channel, e.purpose, e.occurred_at, null, ${status}, false,
               case when e.kind = 'granted' then date_trunc('month', e.occurred_at at time zone 'UTC')::date end,
               e.kind = 'granted' and e.source not in (${NOT_OWN_LIST})
        from one e)
      select customer_id from other`),
  );
  return rows.map((r) => Number(r.customer_id));
}
