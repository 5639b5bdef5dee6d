// Reads for the coverage page. Counts come from aggregates the database keeps in step with every change
// (coverage_customers, coverage_current, coverage_deltas), decided group by group with `evaluate`: exact, and
// independent of the number of customers.
import type { SQL } from 'drizzle-orm';
import { and, asc, eq, gte, inArray, lt, lte, ne, or, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { coverageCurrent, coverageCustomers, coverageDeltas, importBatches } from '@/db/schema';
import type { Channel, Purpose } from '@/lib/consent';
import { loadPolicies } from '@/lib/consent-store/policies';
import type { CustomerGroup, StateGroup } from './facts';
import { matrixFromGroups, withUnknownGroups } from './facts';
import type { CoverageCell } from './matrix';

export type CoverageFilter = { markets?: string[]; sources?: string[]; batchIds?: number[] };

const DAY = 86_400_000;

type KeyTable = typeof coverageCustomers | typeof coverageCurrent | typeof coverageDeltas;

function filterOn(table: KeyTable, f: CoverageFilter): SQL | undefined {
  return and(
    f.markets?.length ? inArray(table.market, f.markets) : undefined,
    f.sources?.length ? inArray(table.source, f.sources) : undefined,
    f.batchIds?.length ? inArray(table.importBatchId, f.batchIds) : undefined,
  );
}

async function db(q?: Queryable): Promise<Queryable> {
  return q ?? (await getDb());
}

/** The end of a day (UTC) given as YYYY-MM-DD: coverage "as of" a day counts everything that happened on it. */
export function endOfDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY - 1);
}

function monthStart(day: string): string {
  return `${day.slice(0, 7)}-01`;
}

export async function customerGroups(f: CoverageFilter, q?: Queryable): Promise<CustomerGroup[]> {
  const c = coverageCustomers;
  return (await db(q))
    .select({
      market: c.market,
      source: c.source,
      importBatchId: c.importBatchId,
      erased: c.erased,
      exception: c.exception,
      hasEmail: c.hasEmail,
      hasPhone: c.hasPhone,
      n: c.n,
    })
    .from(c)
    .where(and(ne(c.n, 0), filterOn(c, f)));
}

const stateColumns = (t: typeof coverageCurrent | typeof coverageDeltas) => ({
  market: t.market,
  source: t.source,
  importBatchId: t.importBatchId,
  erased: t.erased,
  exception: t.exception,
  channel: t.channel,
  purpose: t.purpose,
  hasContact: t.hasContact,
  status: t.status,
  confirmed: t.confirmed,
  givenMonth: t.givenMonth,
});

export async function currentGroups(f: CoverageFilter, q?: Queryable): Promise<StateGroup[]> {
  const t = coverageCurrent;
  return (await db(q))
    .select({ ...stateColumns(t), n: t.n })
    .from(t)
    .where(and(ne(t.n, 0), filterOn(t, f)));
}

/** States as of the end of a day: whole months before it, then its month's days up to it. */
export async function groupsAsOf(f: CoverageFilter, day: string, q?: Queryable): Promise<StateGroup[]> {
  const t = coverageDeltas;
  const columns = stateColumns(t);
  const rows = await (await db(q))
    .select({ ...columns, n: sql<number>`sum(${t.delta})`.mapWith(Number) })
    .from(t)
    .where(
      and(
        or(
          and(eq(t.grain, 'month'), lt(t.period, monthStart(day))),
          and(eq(t.grain, 'day'), gte(t.period, monthStart(day)), lte(t.period, day)),
        ),
        filterOn(t, f),
      ),
    )
    .groupBy(...Object.values(columns))
    .having(sql`sum(${t.delta}) <> 0`);
  return rows;
}

/** The coverage matrix now, or as of the end of a past day (YYYY-MM-DD, from the ledger's intervals). */
export async function coverageMatrix(
  f: CoverageFilter = {},
  { asOf, now = new Date() }: { asOf?: string; now?: Date } = {},
  q?: Queryable,
): Promise<CoverageCell[]> {
  const conn = await db(q);
  const [policies, customers, known] = await Promise.all([
    loadPolicies(conn),
    customerGroups(f, conn),
    asOf ? groupsAsOf(f, asOf, conn) : currentGroups(f, conn),
  ]);
  return matrixFromGroups(withUnknownGroups(customers, known), policies, asOf ? endOfDay(asOf) : now);
}

export type TrendPoint = { week: string; allowed: number; total: number };

/** Allowed share of one channel and purpose at the end of each of the last `weeks` ISO weeks (this week: today). */
export async function allowedTrend(
  f: CoverageFilter,
  channel: Channel,
  purpose: Purpose,
  weeks = 52,
  now = new Date(),
  q?: Queryable,
): Promise<TrendPoint[]> {
  const conn = await db(q);
  const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const thisWeek = new Date(today.getTime() - ((today.getUTCDay() + 6) % 7) * DAY);
  const firstWeek = new Date(thisWeek.getTime() - (weeks - 1) * 7 * DAY);
  const iso = (d: Date) => d.toISOString().slice(0, 10);
  const t = coverageDeltas;
  const columns = stateColumns(t);
  const [policies, customers, base, weekly] = await Promise.all([
    loadPolicies(conn),
    customerGroups(f, conn),
    groupsAsOf(f, iso(new Date(firstWeek.getTime() - DAY)), conn),
    conn
      .select({ ...columns, period: t.period, n: t.delta })
      .from(t)
      .where(and(eq(t.grain, 'week'), gte(t.period, iso(firstWeek)), eq(t.channel, channel), eq(t.purpose, purpose), filterOn(t, f)))
      .orderBy(asc(t.period)),
  ]);
  const keyOf = (g: StateGroup) =>
    `${g.market}|${g.source}|${g.importBatchId ?? ''}|${g.erased}|${g.exception}|${g.hasContact}|${g.status}|${g.confirmed}|${g.givenMonth ?? ''}`;
  const running = new Map<string, StateGroup>();
  for (const g of base) if (g.channel === channel && g.purpose === purpose) running.set(keyOf(g), { ...g });
  const points: TrendPoint[] = [];
  let i = 0;
  for (let w = 0; w < weeks; w++) {
    const weekStart = iso(new Date(firstWeek.getTime() + w * 7 * DAY));
    for (; i < weekly.length && weekly[i]!.period <= weekStart; i++) {
      const { period: _period, ...row } = weekly[i]!;
      const key = keyOf(row);
      const group = running.get(key);
      if (group) group.n += row.n;
      else running.set(key, { ...row });
    }
    const weekEnd = Math.min(Date.parse(`${weekStart}T00:00:00Z`) + 7 * DAY - 1, now.getTime());
    const groups = withUnknownGroups(customers, [...running.values()].filter((g) => g.n !== 0)).filter(
      (g) => g.channel === channel && g.purpose === purpose,
    );
    const cells = matrixFromGroups(groups, policies, new Date(weekEnd));
    points.push({
      week: weekStart,
      allowed: cells.reduce((s, c) => s + c.allowed, 0),
      total: cells.reduce((s, c) => s + c.total, 0),
    });
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
    conn.select({ id: importBatches.id, fileName: importBatches.fileName, createdAt: importBatches.createdAt }).from(importBatches).where(eq(importBatches.status, 'committed')).orderBy(asc(importBatches.createdAt)),
  ]);
  return { markets: markets.map((m) => m.value), sources: sources.map((s) => s.value), batches };
}
