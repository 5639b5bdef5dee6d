// The SQL twin of `evaluate`: the same decision for every customer at once, so counts at scale come from the database.
// It must agree with `evaluate` row for row; eligibility.test.ts proves it on generated data on both drivers.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { rowsOf, ts } from '@/db/sql';
import type { AllowReason, BlockReason, Channel, Purpose } from '@/lib/consent';
import { ALLOW_REASONS, EU_FALLBACK, EU_MEMBER_STATES } from '@/lib/consent';

export type Reason = AllowReason | BlockReason;

const EU_LIST = sql.raw(EU_MEMBER_STATES.map((m) => `'${m}'`).join(', '));
const ALLOWED = sql.raw(ALLOW_REASONS.map((r) => `'${r}'`).join(', '));

/** The first instant after a day (YYYY-MM-DD, UTC): states "as of" a day are those in force at its end. */
export function dayAfter(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000);
}

/** The last instant of a day (UTC), the moment a decision "as of" that day is taken at. */
export function endOfDay(day: string): Date {
  return new Date(dayAfter(day).getTime() - 1);
}

/**
 * FROM/JOIN clause giving, per customer `c`, the consent state `s` for the channel and purpose (the interval in
 * force now, or at the end of day `asOf`) and the market's rule: its own (`own`) or, for EU members without one,
 * the fallback (`eu`).
 */
export function eligibilityJoins(channel: Channel, purpose: Purpose, asOf?: string): SQL {
  const inForce = asOf
    ? sql`s.valid_from < ${ts(dayAfter(asOf))} and (s.valid_to is null or s.valid_to >= ${ts(dayAfter(asOf))})`
    : sql`s.valid_to is null`;
  return sql`customers c
    left join consent_intervals s on s.customer_id = c.id and s.channel = ${channel} and s.purpose = ${purpose} and ${inForce}
    left join market_policies own on own.market = c.market and own.channel = ${channel} and own.purpose = ${purpose}
    left join market_policies eu on own.market is null and c.market in (${EU_LIST})
      and eu.market = ${EU_FALLBACK} and eu.channel = ${channel} and eu.purpose = ${purpose}`;
}

/** The reason code `evaluate` would give, as a SQL expression over the joins of `eligibilityJoins`. */
export function reasonSql(channel: Channel, purpose: Purpose, now: Date): SQL<Reason> {
  const rule = (column: string) => sql.raw(`case when own.market is not null then own.${column} else eu.${column} end`);
  const contact = channel === 'email' ? sql`c.email` : sql`c.phone`;
  // Whole months on the UTC calendar from the month consent was given, as consentExpiresAt counts them.
  const expiresAt = sql`(s.given_month + make_interval(months => ${rule('consent_valid_months')}))::timestamp at time zone 'UTC'`;
  const exception =
    purpose === 'marketing'
      ? sql`when ${rule('existing_customer_exception')} and c.last_order_at is not null and c.objection_notice_at is not null then 'existing_customer'`
      : sql``;
  // A marketplace buyer needs a seller-own grant in force (own_channel), and never on a relay address.
  const ownGrant = channel === 'email' ? sql`(not c.email_relay and coalesce(s.own_channel, false))` : sql`coalesce(s.own_channel, false)`;
  return sql<Reason>`case
    when c.erased_at is not null then 'erased'
    when own.market is null and eu.market is null then 'market_not_configured'
    when ${contact} is null then 'no_contact_point'
    when s.status = 'withdrawn' then 'withdrawn'
    when (c.marketplace is not null or c.email_relay) and not ${ownGrant} then 'marketplace_policy'
    when not ${rule('prior_consent_required')} then 'no_consent_required'
    when s.status = 'pending_confirmation' or (s.status = 'granted' and ${rule('double_opt_in_required')} and not s.confirmed)
      then 'confirmation_pending'
    when s.status = 'granted' and ${rule('consent_valid_months')} is not null and ${expiresAt} <= ${ts(now)} then 'consent_expired'
    when s.status = 'granted' then 'consent'
    ${exception}
    else 'no_consent'
  end`;
}

/** Whether the twin lets the customer be contacted, as a SQL condition. */
export function allowedSql(channel: Channel, purpose: Purpose, now: Date): SQL<boolean> {
  return sql<boolean>`(${reasonSql(channel, purpose, now)} in (${ALLOWED}))`;
}

/** The decision for every customer (or those matching `where`, over alias `c`), as [customer id, reason]. */
export async function reasonsByCustomer(
  q: Queryable,
  channel: Channel,
  purpose: Purpose,
  now: Date,
  where: SQL = sql`true`,
  asOf?: string,
): Promise<Map<number, Reason>> {
  const rows = rowsOf<{ id: number | string; reason: Reason }>(
    await q.execute(
      sql`select c.id, ${reasonSql(channel, purpose, now)} as reason from ${eligibilityJoins(channel, purpose, asOf)} where ${where}`,
    ),
  );
  return new Map(rows.map((r) => [Number(r.id), r.reason]));
}
