// Reads for the customer list: filtered with the same decision the coverage counts use, so their numbers match.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { rowsOf, ts } from '@/db/sql';
import { allowedSql, eligibilityJoins, endOfDay, reasonSql } from '@/lib/consent-store/eligibility';
import type { CustomerFilter } from './filter';
import { consentScope } from './filter';

export const CUSTOMER_PAGE_SIZE = 50;

function fromAndWhere(f: CustomerFilter, now: Date): { from: SQL; where: SQL } {
  const scope = consentScope(f);
  const conditions: SQL[] = [];
  if (f.market.length) conditions.push(sql`c.market in (${sql.join(f.market.map((m) => sql`${m}`), sql`, `)})`);
  if (f.source) conditions.push(sql`c.source = ${f.source}`);
  if (f.batch) conditions.push(sql`c.import_batch_id = ${f.batch}`);
  if (f.orderedSince) conditions.push(sql`c.last_order_at >= ${ts(new Date(`${f.orderedSince}T00:00:00Z`))}`);
  if (f.q) {
    const text = `%${f.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    const digits = f.q.replace(/\D/g, '');
    conditions.push(
      sql`(lower(coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')) like ${text} or c.email like ${text}
        or c.external_id = ${f.q}${digits.length >= 6 ? sql` or c.phone like ${`%${digits}%`}` : sql``})`,
    );
  }
  if (!scope) return { from: sql`customers c`, where: conditions.length ? sql.join(conditions, sql` and `) : sql`true` };
  const at = f.asOf ? endOfDay(f.asOf) : now;
  if (f.state) conditions.push(f.state === 'unknown' ? sql`s.status is null` : sql`s.status = ${f.state}`);
  if (f.decision) {
    const allowed = allowedSql(scope.channel, scope.purpose, at);
    conditions.push(f.decision === 'allowed' ? allowed : sql`not ${allowed}`);
  }
  if (f.reason) conditions.push(sql`${reasonSql(scope.channel, scope.purpose, at)} = ${f.reason}`);
  return {
    from: eligibilityJoins(scope.channel, scope.purpose, f.asOf),
    where: conditions.length ? sql.join(conditions, sql` and `) : sql`true`,
  };
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
  const { from, where } = fromAndWhere(f, now);
  type Row = { id: string | number; first_name: string | null; last_name: string | null; email: string | null; phone: string | null; market: string; source: string; created_at: string | Date };
  const [rows, counted] = await Promise.all([
    db.execute(sql`select c.id, c.first_name, c.last_name, c.email, c.phone, c.market, c.source, c.created_at
      from ${from} where ${where} order by c.id desc limit ${CUSTOMER_PAGE_SIZE} offset ${(f.page - 1) * CUSTOMER_PAGE_SIZE}`),
    db.execute(sql`select count(*) as n from ${from} where ${where}`),
  ]);
  const total = Number(rowsOf<{ n: string | number }>(counted)[0]?.n ?? 0);
  return {
    rows: rowsOf<Row>(rows).map(
      (r): CustomerListItem => ({
        id: Number(r.id),
        firstName: r.first_name,
        lastName: r.last_name,
        email: r.email,
        phone: r.phone,
        market: r.market,
        source: r.source,
        createdAt: new Date(r.created_at),
      }),
    ),
    total,
    pages: Math.max(1, Math.ceil(total / CUSTOMER_PAGE_SIZE)),
  };
}
