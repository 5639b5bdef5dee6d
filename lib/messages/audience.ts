// Whom a draft may lawfully reach: WhatsApp customers of its markets decided by the SQL twin of `evaluate` for the
// draft's purpose, counted per market and reason, each count linked to the customer list showing those customers.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { rowsOf, ts } from '@/db/sql';
import type { BlockReason, Purpose } from '@/lib/consent';
import { ALLOW_REASONS, BLOCK_REASONS } from '@/lib/consent';
import type { Reason } from '@/lib/consent-store/eligibility';
import { allowedSql, eligibilityJoins, reasonSql } from '@/lib/consent-store/eligibility';
import { reasonCounts } from '@/lib/coverage/queries';
import { customerFilterQuery } from '@/lib/customers/filter';
import type { Audience } from './input';

export const CHANNEL = 'whatsapp';

/** The audience's own filters over customers `c` (markets, source, import, last order). */
export function audienceWhere(a: Audience): SQL {
  const parts: SQL[] = [];
  if (a.markets.length)
    parts.push(
      sql`c.market in (${sql.join(
        a.markets.map((m) => sql`${m}`),
        sql`, `,
      )})`,
    );
  if (a.source) parts.push(sql`c.source = ${a.source}`);
  if (a.batch) parts.push(sql`c.import_batch_id = ${a.batch}`);
  if (a.orderedSince) parts.push(sql`c.last_order_at >= ${ts(new Date(`${a.orderedSince}T00:00:00Z`))}`);
  return parts.length ? sql.join(parts, sql` and `) : sql`true`;
}

/**
 * Planner settings for the rest of the transaction, for scans of the twin over every customer: the hash join in
 * memory instead of spilled to disk, no JIT compilation (it cost more than it saved, per query and per export
 * batch), and parallel workers sharing the scan.
 */
export async function tuneForScan(tx: Queryable): Promise<void> {
  await tx.execute(sql`set local work_mem = '64MB'`);
  await tx.execute(sql`set local jit = off`);
  await tx.execute(sql`set local parallel_setup_cost = 10`);
  await tx.execute(sql`set local parallel_tuple_cost = 0.001`);
}

export type MarketAudience = {
  market: string;
  total: number;
  allowed: number;
  blocked: Partial<Record<BlockReason, number>>;
};
export type AudienceCounts = { markets: MarketAudience[]; total: number; allowed: number; blocked: Partial<Record<BlockReason, number>> };

const isAllowed = (r: Reason) => (ALLOW_REASONS as readonly string[]).includes(r);

/**
 * Counts per market and reason. Without a last-order filter the coverage aggregates hold every fact the decision
 * looks at, so the groups of customers are decided by `evaluate` itself; a last-order filter needs one pass of the
 * SQL twin over the customers.
 */
export async function audienceCounts(q: Queryable, purpose: Purpose, a: Audience, now: Date): Promise<AudienceCounts> {
  const rows = a.orderedSince ? await twinCounts(q, purpose, a, now) : await aggregateCounts(q, purpose, a, now);
  return tally(rows);
}

type ReasonRow = { market: string; reason: Reason; n: string | number };

/** The counts from the coverage aggregates, each group of customers decided by `evaluate`. */
export function aggregateCounts(q: Queryable, purpose: Purpose, a: Audience, now: Date): Promise<ReasonRow[]> {
  const filter = {
    markets: a.markets.length ? a.markets : undefined,
    sources: a.source ? [a.source] : undefined,
    batchIds: a.batch ? [a.batch] : undefined,
  };
  return reasonCounts(filter, CHANNEL, purpose, now, q) as Promise<ReasonRow[]>;
}

/** The same counts, customer by customer with the SQL twin. */
export async function twinCounts(q: Queryable, purpose: Purpose, a: Audience, now: Date): Promise<ReasonRow[]> {
  // One pass over every customer of the audience, tuned in a transaction (or savepoint) of its own.
  return q.transaction(async (tx) => {
    await tuneForScan(tx);
    return rowsOf<{ market: string; reason: Reason; n: string | number }>(
      await tx.execute(sql`select c.market, ${reasonSql(CHANNEL, purpose, now)} as reason, count(*) as n
        from ${eligibilityJoins(CHANNEL, purpose)} where ${audienceWhere(a)} group by 1, 2`),
    );
  });
}

function tally(rows: readonly ReasonRow[]): AudienceCounts {
  const byMarket = new Map<string, MarketAudience>();
  const out: AudienceCounts = { markets: [], total: 0, allowed: 0, blocked: {} };
  for (const r of rows) {
    const n = Number(r.n);
    const m = byMarket.get(r.market) ?? { market: r.market, total: 0, allowed: 0, blocked: {} };
    byMarket.set(r.market, m);
    m.total += n;
    out.total += n;
    if (isAllowed(r.reason)) {
      m.allowed += n;
      out.allowed += n;
    } else {
      const reason = r.reason as BlockReason;
      m.blocked[reason] = (m.blocked[reason] ?? 0) + n;
      out.blocked[reason] = (out.blocked[reason] ?? 0) + n;
    }
  }
  out.markets = [...byMarket.values()].sort((x, y) => y.total - x.total || x.market.localeCompare(y.market));
  return out;
}

/** The reasons in the order the audience table shows them. */
export const BLOCKED_ORDER: readonly BlockReason[] = BLOCK_REASONS;

/** The customer list showing one cell of the audience table: a market (or all of the audience's) and a decision or reason. */
export function audienceListHref(
  purpose: Purpose,
  a: Audience,
  cell: { market?: string; reason?: BlockReason | 'allowed' | 'blocked' },
): string {
  const decision = cell.reason === 'allowed' || cell.reason === 'blocked' ? cell.reason : undefined;
  const reason = cell.reason && !decision ? (cell.reason as BlockReason) : undefined;
  return `/customers?${customerFilterQuery({
    market: cell.market ? [cell.market] : a.markets,
    channel: CHANNEL,
    purpose,
    decision,
    reason,
    source: a.source,
    batch: a.batch,
    orderedSince: a.orderedSince,
  })}`;
}

/** Whether one customer is eligible now, as a condition over `c` with the twin's joins: the export's filter. */
export function eligibleSql(purpose: Purpose, a: Audience, now: Date): { from: SQL; where: SQL } {
  return { from: eligibilityJoins(CHANNEL, purpose), where: sql`${audienceWhere(a)} and ${allowedSql(CHANNEL, purpose, now)}` };
}
