// Reads for the coverage page: per market, channel and purpose, the consent states and who may be contacted.
import { sql } from 'drizzle-orm';
import { getDb } from '@/db';
import type { Queryable } from '@/db';
import { rowsOf } from '@/db/sql';
import { ALLOW_REASONS, CHANNELS, PURPOSES } from '@/lib/consent';
import { eligibilityJoins, reasonSql } from '@/lib/consent-store/eligibility';
import type { CoverageCell } from './matrix';

export type CoverageFilter = { markets?: string[] };

type Row = { market: string; total: string | number; granted: string | number; pending: string | number; withdrawn: string | number; unknown: string | number; allowed: string | number };

const ALLOWED = sql.raw(ALLOW_REASONS.map((r) => `'${r}'`).join(', '));

/** Today's matrix, exact, from the state projection and the SQL twin of evaluate. */
export async function coverageMatrix(filter: CoverageFilter = {}, now = new Date(), q?: Queryable): Promise<CoverageCell[]> {
  const db = q ?? (await getDb());
  const markets = filter.markets?.length ? sql`c.market in (${sql.join(filter.markets.map((m) => sql`${m}`), sql`, `)})` : sql`true`;
  const combos = CHANNELS.flatMap((channel) => PURPOSES.map((purpose) => ({ channel, purpose })));
  const results = await Promise.all(
    combos.map(async ({ channel, purpose }) => {
      const rows = rowsOf<Row>(
        await db.execute(sql`
          select market,
            count(*) as total,
            count(*) filter (where status = 'granted') as granted,
            count(*) filter (where status = 'pending_confirmation') as pending,
            count(*) filter (where status = 'withdrawn') as withdrawn,
            count(*) filter (where status is null) as unknown,
            count(*) filter (where reason in (${ALLOWED})) as allowed
          from (
            select c.market, s.status, ${reasonSql(channel, purpose, now)} as reason
            from ${eligibilityJoins(channel, purpose)}
            where ${markets}
          ) decided
          group by market`),
      );
      return rows.map(
        (r): CoverageCell => ({
          market: r.market,
          channel,
          purpose,
          total: Number(r.total),
          granted: Number(r.granted),
          pending: Number(r.pending),
          withdrawn: Number(r.withdrawn),
          unknown: Number(r.unknown),
          allowed: Number(r.allowed),
        }),
      );
    }),
  );
  return results.flat();
}

/** Markets that have customers, for the filter. */
export async function customerMarkets(q?: Queryable): Promise<string[]> {
  const db = q ?? (await getDb());
  const rows = rowsOf<{ market: string }>(await db.execute(sql`select distinct market from customers order by market`));
  return rows.map((r) => r.market);
}
