// Reads for the coverage page. Counts come from aggregates the database keeps in step with every change
// (coverage_customers, coverage_current, coverage_deltas), decided group by group with `evaluate`: exact, and
// independent of the number of customers.
import type { SQL } from 'drizzle-orm';
import { asc, eq, ne, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { coverageCustomers, importBatches } from '@/db/schema';
import { rowsOf } from '@/db/sql';
import type { Channel, Policy, PolicyKey, Purpose, Status } from '@/lib/consent';
import { CHANNELS, PURPOSES, resolvePolicy } from '@/lib/consent';
import { endOfDay } from '@/lib/consent-store/eligibility';
import { loadPolicies } from '@/lib/consent-store/policies';
import type { CustomerGroup, StateGroup } from './facts';
import { expiryCutoffs, hasExpired, matrixFromGroups, reasonsFromGroups, withUnknownGroups } from './facts';
import type { CoverageCell } from './matrix';

export type CoverageFilter = { markets?: string[]; sources?: string[]; batchIds?: number[] };
/** One channel and purpose: when only its cells are wanted, only its rows are read. */
export type CoverageCellKey = { channel: Channel; purpose: Purpose };

const DAY = 86_400_000;

async function db(q?: Queryable): Promise<Queryable> {
  return q ?? (await getDb());
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;

/**
 * The aggregate tables to read: the totals over all sources unless the filter names sources or imports, which only
 * the (much larger) per-source tables can answer.
 */
function tablesFor(f: CoverageFilter): { current: SQL; deltas: SQL } {
  return f.sources?.length || f.batchIds?.length
    ? { current: sql.raw('coverage_current'), deltas: sql.raw('coverage_deltas') }
    : { current: sql.raw('coverage_totals_current'), deltas: sql.raw('coverage_totals_deltas') };
}

function filterSql(f: CoverageFilter): SQL {
  const list = <T>(values: T[]) =>
    sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    );
  const parts = [
    f.markets?.length ? sql`t.market in (${list(f.markets)})` : undefined,
    f.sources?.length ? sql`t.source in (${list(f.sources)})` : undefined,
    f.batchIds?.length ? sql`t.import_batch_id in (${list(f.batchIds)})` : undefined,
  ].filter((p): p is SQL => p !== undefined);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

export async function customerGroups(f: CoverageFilter, q?: Queryable): Promise<CustomerGroup[]> {
  type Row = {
    market: string;
    erased: boolean;
    exception: boolean;
    marketplace: boolean;
    has_email: boolean;
    has_phone: boolean;
    n: string | number;
  };
  const rows = rowsOf<Row>(
    await (
      await db(q)
    ).execute(sql`
      select t.market, t.erased, t.exception, t.marketplace, t.has_email, t.has_phone, sum(t.n) as n
      from coverage_customers t where ${filterSql(f)}
      group by 1, 2, 3, 4, 5, 6 having sum(t.n) <> 0`),
  );
  return rows.map((r) => ({
    market: r.market,
    erased: r.erased,
    exception: r.exception,
    marketplace: r.marketplace,
    hasEmail: r.has_email,
    hasPhone: r.has_phone,
    n: Number(r.n),
  }));
}

type StateRow = {
  market: string;
  channel: Channel;
  purpose: Purpose;
  has_contact: boolean;
  status: Status;
  confirmed: boolean;
  erased: boolean;
  exception: boolean;
  marketplace: boolean;
  own_channel: boolean;
  expired: boolean;
  n: string | number;
};

const FACT_COLUMNS = sql.raw(
  't.market, t.erased, t.exception, t.marketplace, t.own_channel, t.channel, t.purpose, t.has_contact, t.status, t.confirmed, t.given_month',
);

/**
 * The states in force at the end of a day, as rows of (fact columns, n): the changes up to that day summed forward
 * (whole months, then the days of its month), or, when fewer months lie after it, the states in force now less the
 * changes after it. Both give the same counts; the shorter way reads a fraction of the rows for recent days.
 */
async function statesAsOf(f: CoverageFilter, asOf: string, where: SQL, q: Queryable): Promise<SQL> {
  const tables = tablesFor(f);
  const month = monthStart(asOf);
  const [range] = rowsOf<{ first: string | null; last: string | null }>(
    await q.execute(sql`select min(t.period)::text as first, max(t.period)::text as last from ${tables.deltas} t where t.grain = 'month'`),
  );
  if (!range?.first || !range.last || monthsBetween(range.first, month) <= monthsBetween(month, range.last)) {
    return sql`(select ${FACT_COLUMNS}, t.delta as n from ${tables.deltas} t
      where ((t.grain = 'month' and t.period < ${month}::date) or (t.grain = 'day' and t.period >= ${month}::date and t.period <= ${asOf}::date))
        and ${where}) t`;
  }
  return sql`(select ${FACT_COLUMNS}, t.n from ${tables.current} t where t.n <> 0 and ${where}
    union all
    select ${FACT_COLUMNS}, -t.delta from ${tables.deltas} t
    where ((t.grain = 'month' and t.period > ${month}::date) or (t.grain = 'day' and t.period > ${asOf}::date and t.period < ${month}::date + interval '1 month'))
      and ${where}) t`;
}

const monthsBetween = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));

/**
 * States per group from coverage_current (`asOf` unset) or from the deltas up to the end of a day, with whether the
 * consent has lapsed by `now` computed in the database, so that only a few thousand groups travel whatever the size.
 */
async function stateGroups(
  f: CoverageFilter,
  policies: ReadonlyMap<PolicyKey, Policy>,
  markets: readonly string[],
  now: Date,
  asOf: string | undefined,
  q: Queryable,
  cell?: CoverageCellKey,
): Promise<StateGroup[]> {
  const cutoffs = expiryCutoffs(policies, markets, now);
  const cutoffJoin = cutoffs.length
    ? sql`left join (values ${sql.join(
        cutoffs.map((c) => sql`(${c.market}, ${c.channel}, ${c.purpose}, ${c.cutoff}::date)`),
        sql`, `,
      )}) as x(market, channel, purpose, cutoff) on x.market = t.market and x.channel = t.channel::text and x.purpose = t.purpose::text`
    : sql``;
  const expired = cutoffs.length ? sql`coalesce(t.given_month <= x.cutoff, false)` : sql`false`;
  const where = cell ? sql`${filterSql(f)} and t.channel = ${cell.channel} and t.purpose = ${cell.purpose}` : filterSql(f);
  const from = asOf ? await statesAsOf(f, asOf, where, q) : sql`(select * from ${tablesFor(f).current} t where t.n <> 0 and ${where}) t`;
  const rows = rowsOf<StateRow>(
    await q.execute(sql`
      select t.market, t.channel, t.purpose, t.has_contact, t.status, t.confirmed, t.erased, t.exception, t.marketplace, t.own_channel,
             ${expired} as expired, sum(t.n) as n
      from ${from} ${cutoffJoin}
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 having sum(t.n) <> 0`),
  );
  return rows.map((r) => ({
    market: r.market,
    channel: r.channel,
    purpose: r.purpose,
    hasContact: r.has_contact,
    status: r.status,
    confirmed: r.confirmed,
    erased: r.erased,
    exception: r.exception,
    marketplace: r.marketplace,
    ownChannel: r.own_channel,
    expired: r.expired,
    n: Number(r.n),
  }));
}

/** What every matrix of one filter starts from: the rules, and the customers per group with their markets. */
export type CoverageBasis = { policies: Map<PolicyKey, Policy>; customers: CustomerGroup[]; markets: string[] };

export async function coverageBasis(f: CoverageFilter, q?: Queryable): Promise<CoverageBasis> {
  const conn = await db(q);
  const [policies, customers] = await Promise.all([loadPolicies(conn), customerGroups(f, conn)]);
  return { policies, customers, markets: [...new Set(customers.map((c) => c.market))] };
}

/** Customers per market and decision reason for one channel and purpose, now, from the aggregates. */
export async function reasonCounts(f: CoverageFilter, channel: Channel, purpose: Purpose, now: Date, q?: Queryable) {
  const conn = await db(q);
  const basis = await coverageBasis(f, conn);
  const known = await stateGroups(f, basis.policies, basis.markets, now, undefined, conn, { channel, purpose });
  return reasonsFromGroups(withUnknownGroups(basis.customers, known), basis.policies, channel, purpose, now);
}

/**
 * The matrix under `policies` (the basis's own rules unless given), now or as of the end of a day; with `cell`, only
 * the cells of that channel and purpose.
 */
export async function matrixFrom(
  basis: CoverageBasis,
  f: CoverageFilter,
  {
    asOf,
    now = new Date(),
    policies = basis.policies,
    cell,
  }: { asOf?: string; now?: Date; policies?: Map<PolicyKey, Policy>; cell?: CoverageCellKey },
  q?: Queryable,
): Promise<CoverageCell[]> {
  const at = asOf ? endOfDay(asOf) : now;
  const known = await stateGroups(f, policies, basis.markets, at, asOf, await db(q), cell);
  const groups = withUnknownGroups(basis.customers, known);
  return matrixFromGroups(cell ? groups.filter((g) => g.channel === cell.channel && g.purpose === cell.purpose) : groups, policies, at);
}

/** The coverage matrix now, or as of the end of a past day (YYYY-MM-DD, from the ledger's intervals). */
export async function coverageMatrix(
  f: CoverageFilter = {},
  options: { asOf?: string; now?: Date; cell?: CoverageCellKey } = {},
  q?: Queryable,
): Promise<CoverageCell[]> {
  const conn = await db(q);
  return matrixFrom(await coverageBasis(f, conn), f, options, conn);
}

export type MarketplaceCounts = { buyers: number; blocked: Array<{ channel: Channel; purpose: Purpose; n: number }> };

/**
 * Amazon buyers (not erased) and, per channel and purpose, how many customers Amazon's rules block (reason
 * `marketplace_policy`), now or as of the end of a day: the same groups and decisions as the matrix.
 */
export async function marketplaceCounts(
  f: CoverageFilter = {},
  { asOf, now = new Date() }: { asOf?: string; now?: Date } = {},
  q?: Queryable,
): Promise<MarketplaceCounts> {
  const conn = await db(q);
  const basis = await coverageBasis(f, conn);
  const buyers = basis.customers.filter((c) => c.marketplace && !c.erased).reduce((sum, c) => sum + c.n, 0);
  if (buyers === 0) return { buyers, blocked: [] };
  const at = asOf ? endOfDay(asOf) : now;
  const groups = withUnknownGroups(basis.customers, await stateGroups(f, basis.policies, basis.markets, at, asOf, conn));
  const blocked = CHANNELS.flatMap((channel) =>
    PURPOSES.map((purpose) => ({
      channel,
      purpose,
      n: reasonsFromGroups(groups, basis.policies, channel, purpose, at)
        .filter((r) => r.reason === 'marketplace_policy')
        .reduce((sum, r) => sum + r.n, 0),
    })),
  );
  return { buyers, blocked };
}

export type TrendPoint = { week: string; allowed: number; total: number };

type TrendRow = Omit<StateRow, 'expired' | 'purpose'> & { given_month: string | null; period: string | null };

/**
 * Per channel, the share of one purpose that may be contacted at the end of each of the last `weeks` ISO weeks
 * (this week: now). One pass over the weekly changes after the state just before the first week.
 */
export async function allowedTrends(
  f: CoverageFilter,
  purpose: Purpose,
  weeks = 52,
  now = new Date(),
  q?: Queryable,
): Promise<Record<Channel, TrendPoint[]>> {
  const conn = await db(q);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const thisWeek = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY);
  const firstWeek = new Date(thisWeek.getTime() - (weeks - 1) * 7 * DAY);
  const before = isoDay(new Date(firstWeek.getTime() - DAY));
  const { policies, customers, markets } = await coverageBasis(f, conn);
  // The month consent was given only matters where a rule gives consent a validity; elsewhere it is dropped,
  // which folds the weekly groups by an order of magnitude.
  const dated = expiryCutoffs(policies, markets, now).filter((c) => c.purpose === purpose);
  const givenMonth = dated.length
    ? sql`case when (t.market, t.channel::text) in (${sql.join(
        dated.map((d) => sql`(${d.market}, ${d.channel})`),
        sql`, `,
      )}) then t.given_month end`
    : sql`null::date`;
  const rows = rowsOf<TrendRow>(
    await conn.execute(sql`
      select t.market, t.channel, t.has_contact, t.status, t.confirmed, t.erased, t.exception, t.marketplace, t.own_channel,
             ${givenMonth} as given_month, case when t.grain = 'week' then t.period end as period, sum(t.delta) as n
      from ${tablesFor(f).deltas} t
      where t.purpose = ${purpose} and ${filterSql(f)}
        and ((t.grain = 'month' and t.period < ${monthStart(before)}::date)
          or (t.grain = 'day' and t.period >= ${monthStart(before)}::date and t.period <= ${before}::date)
          or (t.grain = 'week' and t.period >= ${isoDay(firstWeek)}::date))
      group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11 having sum(t.delta) <> 0
      order by period nulls first`),
  );
  const running = new Map<string, TrendRow & { n: number }>();
  const decisions = new Map<string, boolean>();
  const points = Object.fromEntries(CHANNELS.map((c) => [c, [] as TrendPoint[]])) as Record<Channel, TrendPoint[]>;
  let i = 0;
  for (let w = 0; w <= weeks; w++) {
    const weekStart = w === 0 ? null : isoDay(new Date(firstWeek.getTime() + (w - 1) * 7 * DAY));
    for (; i < rows.length && (rows[i]!.period ?? null) === weekStart; i++) {
      const row = rows[i]!;
      const key = `${row.market}|${row.channel}|${row.has_contact}|${row.status}|${row.confirmed}|${row.erased}|${row.exception}|${row.marketplace}|${row.own_channel}|${row.given_month ?? ''}`;
      const group = running.get(key);
      if (group) group.n += Number(row.n);
      else running.set(key, { ...row, n: Number(row.n) });
    }
    if (weekStart === null) continue;
    const weekEnd = new Date(Math.min(Date.parse(`${weekStart}T00:00:00Z`) + 7 * DAY - 1, now.getTime()));
    const known: StateGroup[] = [...running.values()]
      .filter((g) => g.n !== 0)
      .map((g) => ({
        market: g.market,
        channel: g.channel,
        purpose,
        hasContact: g.has_contact,
        status: g.status,
        confirmed: g.confirmed,
        erased: g.erased,
        exception: g.exception,
        marketplace: g.marketplace,
        ownChannel: g.own_channel,
        expired: hasExpired(resolvePolicy(policies, g.market, g.channel, purpose), g.given_month, weekEnd),
        n: g.n,
      }));
    const cells = matrixFromGroups(
      withUnknownGroups(customers, known).filter((g) => g.purpose === purpose),
      policies,
      weekEnd,
      decisions,
    );
    for (const channel of CHANNELS) {
      const mine = cells.filter((c) => c.channel === channel);
      points[channel].push({
        week: weekStart,
        allowed: mine.reduce((s, c) => s + c.allowed, 0),
        total: mine.reduce((s, c) => s + c.total, 0),
      });
    }
  }
  return points;
}

/** What the filters offer: markets, sources and import batches that have customers. */
export async function coverageFilterOptions(q?: Queryable) {
  const conn = await db(q);
  const c = coverageCustomers;
  const [markets, sources, batches] = await Promise.all([
    conn.selectDistinct({ value: c.market }).from(c).where(ne(c.n, 0)).orderBy(asc(c.market)),
    conn.selectDistinct({ value: c.source }).from(c).where(ne(c.n, 0)).orderBy(asc(c.source)),
    conn
      .select({ id: importBatches.id, fileName: importBatches.fileName, createdAt: importBatches.createdAt })
      .from(importBatches)
      .where(eq(importBatches.status, 'committed'))
      .orderBy(asc(importBatches.createdAt)),
  ]);
  return { markets: markets.map((m) => m.value), sources: sources.map((s) => s.value), batches };
}

/** Coverage now and as of the end of the day a week ago, for the overview's headline. */
export async function coverageThisWeek(q?: Queryable): Promise<{ now: CoverageCell[]; weekAgo: CoverageCell[] }> {
  const conn = await db(q);
  const basis = await coverageBasis({}, conn);
  const weekAgo = isoDay(new Date(Date.now() - 7 * DAY));
  const [current, before] = await Promise.all([matrixFrom(basis, {}, {}, conn), matrixFrom(basis, {}, { asOf: weekAgo }, conn)]);
  return { now: current, weekAgo: before };
}
