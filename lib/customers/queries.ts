// Reads for the customer list: filtered with the same decision the coverage counts use, so their numbers match.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { rowsOf, ts } from '@/db/sql';
import { allowedSql, eligibilityJoins, endOfDay, reasonSql } from '@/lib/consent-store/eligibility';
import type { CoverageCell } from '@/lib/coverage/matrix';
import { coverageMatrix, customerGroups } from '@/lib/coverage/queries';
import type { CustomerFilter } from './filter';
import { consentScope } from './filter';
import { searchCondition } from './search';

// Without a market filter, national phone numbers are tried in the markets most customers are in.
const SEARCH_MARKETS = ['PL', 'DE', 'AT', 'FR', 'NL', 'IT', 'ES'];

export const CUSTOMER_PAGE_SIZE = 50;

/**
 * The FROM and WHERE of the filtered list, and a WITH that comes before them. A search is resolved first through its
 * indexes into the ids it matches, so that the list does not walk all customers newest first to find a rare name.
 */
function fromAndWhere(f: CustomerFilter, now: Date): { with: SQL; from: SQL; where: SQL } {
  const scope = consentScope(f);
  const conditions: SQL[] = [];
  if (f.market.length)
    conditions.push(
      sql`c.market in (${sql.join(
        f.market.map((m) => sql`${m}`),
        sql`, `,
      )})`,
    );
  if (f.source) conditions.push(sql`c.source = ${f.source}`);
  if (f.batch) conditions.push(sql`c.import_batch_id = ${f.batch}`);
  if (f.orderedSince) conditions.push(sql`c.last_order_at >= ${ts(new Date(`${f.orderedSince}T00:00:00Z`))}`);
  const prefix = f.q
    ? sql`with matched as materialized (select c.id from customers c where ${searchCondition(f.q, f.market.length ? f.market : SEARCH_MARKETS)}) `
    : sql``;
  if (f.q) conditions.push(sql`c.id = any(array(select id from matched))`);
  if (!scope) return { with: prefix, from: sql`customers c`, where: conditions.length ? sql.join(conditions, sql` and `) : sql`true` };
  const at = f.asOf ? endOfDay(f.asOf) : now;
  if (f.state) conditions.push(f.state === 'unknown' ? sql`s.status is null` : sql`s.status = ${f.state}`);
  if (f.decision) {
    const allowed = allowedSql(scope.channel, scope.purpose, at);
    conditions.push(f.decision === 'allowed' ? allowed : sql`not ${allowed}`);
  }
  if (f.reason) conditions.push(sql`${reasonSql(scope.channel, scope.purpose, at)} = ${f.reason}`);
  return {
    with: prefix,
    from: eligibilityJoins(scope.channel, scope.purpose, f.asOf),
    where: conditions.length ? sql.join(conditions, sql` and `) : sql`true`,
  };
}

/** Beyond this many matches a search counts no further: the page says "more than". */
export const COUNT_CAP = 10_000;

/**
 * How many customers the filter matches. Without a text search the coverage aggregates know it exactly (and agree
 * with the coverage page by construction); a search is counted row by row, up to COUNT_CAP.
 */
async function countCustomers(
  f: CustomerFilter,
  now: Date,
  db: Queryable,
  prefix: SQL,
  from: SQL,
  where: SQL,
): Promise<{ total: number; exact: boolean }> {
  const scope = consentScope(f);
  if (!f.q && !f.reason && !f.orderedSince && !(f.state && f.decision)) {
    const cf = {
      markets: f.market.length ? f.market : undefined,
      sources: f.source ? [f.source] : undefined,
      batchIds: f.batch ? [f.batch] : undefined,
    };
    if (!scope) return { total: (await customerGroups(cf, db)).reduce((sum, g) => sum + g.n, 0), exact: true };
    const cells = await coverageMatrix(cf, { asOf: f.asOf, now, cell: scope }, db);
    const pick = (c: CoverageCell): number => {
      if (f.decision) return f.decision === 'allowed' ? c.allowed : c.total - c.allowed;
      switch (f.state) {
        case 'granted':
          return c.granted;
        case 'pending_confirmation':
          return c.pending;
        case 'withdrawn':
          return c.withdrawn;
        case 'unknown':
          return c.unknown;
        default:
          return c.total;
      }
    };
    return { total: cells.reduce((sum, c) => sum + pick(c), 0), exact: true };
  }
  const [row] = rowsOf<{ n: string | number }>(
    await db.execute(sql`${prefix}select count(*) as n from (select 1 from ${from} where ${where} limit ${COUNT_CAP + 1}) m`),
  );
  const n = Number(row?.n ?? 0);
  return n > COUNT_CAP ? { total: COUNT_CAP, exact: false } : { total: n, exact: true };
}

/** The customers the filter matches, counted row by row with the SQL twin of evaluate (no aggregates, no cap). */
export async function countMatching(f: CustomerFilter, now = new Date(), q?: Queryable): Promise<number> {
  const db = q ?? (await getDb());
  const { with: prefix, from, where } = fromAndWhere(f, now);
  return Number(
    rowsOf<{ n: string | number }>(await db.execute(sql`${prefix}select count(*) as n from ${from} where ${where}`))[0]?.n ?? 0,
  );
}

export type CustomerListItem = {
  id: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  market: string;
  source: string;
  createdAt: Date;
};

export async function listCustomers(f: CustomerFilter, now = new Date(), q?: Queryable) {
  const db = q ?? (await getDb());
  const { with: prefix, from, where } = fromAndWhere(f, now);
  type Row = {
    id: string | number;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    phone: string | null;
    market: string;
    source: string;
    created_at: string | Date;
  };
  const [rows, { total, exact }] = await Promise.all([
    db.execute(sql`${prefix}select c.id, c.first_name, c.last_name, c.email, c.phone, c.market, c.source, c.created_at
      from ${from} where ${where} order by c.id desc limit ${CUSTOMER_PAGE_SIZE} offset ${(f.page - 1) * CUSTOMER_PAGE_SIZE}`),
    countCustomers(f, now, db, prefix, from, where),
  ]);
  return {
    exact,
    rows: rowsOf<Row>(rows).map((r): CustomerListItem => ({
      id: Number(r.id),
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      phone: r.phone,
      market: r.market,
      source: r.source,
      createdAt: new Date(r.created_at),
    })),
    total,
    pages: Math.max(1, Math.ceil(total / CUSTOMER_PAGE_SIZE)),
  };
}

export const EXPORT_COLUMNS = [
  'id',
  'external_id',
  'first_name',
  'last_name',
  'email',
  'phone',
  'market',
  'language',
  'source',
  'import_batch_id',
  'last_order_at',
  'created_at',
] as const;

/** The customer's own links, after the columns above: written by the export, not read from the table. */
export const LINK_COLUMNS = ['preference_link', 'unsubscribe_link'] as const;

export type ExportRow = Record<(typeof EXPORT_COLUMNS)[number], unknown> & { erased: boolean };

/** Every customer the filter matches, in pages by id, for the CSV export; never the whole list in memory. */
export async function* exportCustomers(f: CustomerFilter, now = new Date(), q?: Queryable, page = 5_000): AsyncGenerator<ExportRow> {
  const db = q ?? (await getDb());
  const { with: prefix, from, where } = fromAndWhere(f, now);
  const columns = sql.raw([...EXPORT_COLUMNS.map((c) => `c.${c}`), 'c.erased_at is not null as erased'].join(', '));
  for (let after = 0; ;) {
    const rows = rowsOf<ExportRow>(
      await db.execute(sql`${prefix}select ${columns} from ${from} where ${where} and c.id > ${after} order by c.id limit ${page}`),
    );
    yield* rows;
    if (rows.length < page) return;
    after = Number(rows.at(-1)!.id);
  }
}
