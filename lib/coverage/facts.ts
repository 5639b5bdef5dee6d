// Coverage from aggregated facts: each group of customers that share everything the decision looks at is decided
// once by `evaluate`, and counted as many times as it has members.
import type { Channel, ConsentState, CustomerFacts, Policy, PolicyKey, Purpose, Status } from '@/lib/consent';
import {
  CHANNELS,
  IMPORT_SOURCE,
  PURPOSES,
  UNKNOWN_STATE,
  addMonthsUtc,
  consentExpiresAt,
  evaluate,
  resolvePolicy,
  startOfMonthUtc,
} from '@/lib/consent';
import type { CoverageCell } from './matrix';

/** Customers per key, whatever their consent (coverage_customers). */
export type CustomerGroup = {
  market: string;
  erased: boolean;
  exception: boolean;
  /** Marketplace buyers (an Amazon order or relay e-mail). */
  marketplace: boolean;
  hasEmail: boolean;
  hasPhone: boolean;
  n: number;
};

/** Customer, channel and purpose states per key (coverage_current, or a sum of coverage_deltas). */
export type StateGroup = {
  market: string;
  erased: boolean;
  exception: boolean;
  marketplace: boolean;
  /** For marketplace buyers: the grant in force came through the seller's own channel, not on a relay address. */
  ownChannel: boolean;
  channel: Channel;
  purpose: Purpose;
  hasContact: boolean;
  status: Status;
  confirmed: boolean;
  /** The consent in force has outlived the validity the market's rules give it (at the time asked about). */
  expired: boolean;
  n: number;
};

const EPOCH = new Date(0);

function attributeKey(g: { market: string; erased: boolean; exception: boolean; marketplace: boolean }): string {
  return `${g.market}|${g.erased}|${g.exception}|${g.marketplace}`;
}

/** A customer with exactly the facts of the group; only what evaluate looks at matters. */
function representative(g: StateGroup): CustomerFacts {
  const contact = g.hasContact ? 'present' : null;
  return {
    market: g.market,
    email: g.channel === 'email' ? contact : null,
    phone: g.channel === 'email' ? null : contact,
    erasedAt: g.erased ? EPOCH : null,
    lastOrderAt: g.exception ? EPOCH : null,
    objectionNoticeAt: g.exception ? EPOCH : null,
    marketplace: g.marketplace ? 'amazon' : null,
  };
}

/** A state with the group's facts: consent given long ago if it has expired, just now if it has not. */
function stateOf(g: StateGroup, now: Date): ConsentState {
  if (g.status === 'unknown' || g.status === 'withdrawn') return { ...UNKNOWN_STATE, status: g.status };
  const given = g.expired ? EPOCH : now;
  const source = g.ownChannel ? 'web_form' : IMPORT_SOURCE;
  return { ...UNKNOWN_STATE, status: g.status, grantedAt: given, confirmedAt: g.confirmed ? given : null, source };
}

/** Whether consent given in `givenMonth` (YYYY-MM-01) has lapsed by `now` under the rule for a market. */
export function hasExpired(policy: Policy | null, givenMonth: string | null, now: Date): boolean {
  if (!policy?.consentValidMonths || !givenMonth) return false;
  return consentExpiresAt(new Date(`${givenMonth}T00:00:00Z`), policy.consentValidMonths) <= now;
}

/** Per market, channel and purpose whose rule gives consent a validity: the latest month of consent that has lapsed by `now`. */
export function expiryCutoffs(policies: ReadonlyMap<PolicyKey, Policy>, markets: readonly string[], now: Date) {
  return markets.flatMap((market) =>
    CHANNELS.flatMap((channel) =>
      PURPOSES.flatMap((purpose) => {
        const months = resolvePolicy(policies, market, channel, purpose)?.consentValidMonths;
        if (!months) return [];
        return [{ market, channel, purpose, cutoff: addMonthsUtc(startOfMonthUtc(now), -months).toISOString().slice(0, 10) }];
      }),
    ),
  );
}

/** Adds the groups of customers with no state for a channel and purpose: all customers minus those with one. */
export function withUnknownGroups(customers: readonly CustomerGroup[], known: readonly StateGroup[]): StateGroup[] {
  const totals = new Map<string, StateGroup>();
  for (const c of customers) {
    for (const channel of CHANNELS) {
      const hasContact = channel === 'email' ? c.hasEmail : c.hasPhone;
      for (const purpose of PURPOSES) {
        const key = `${attributeKey(c)}|${channel}|${purpose}|${hasContact}`;
        const group = totals.get(key);
        if (group) group.n += c.n;
        else
          totals.set(key, {
            market: c.market,
            erased: c.erased,
            exception: c.exception,
            marketplace: c.marketplace,
            ownChannel: false,
            channel,
            purpose,
            hasContact,
            status: 'unknown',
            confirmed: false,
            expired: false,
            n: c.n,
          });
      }
    }
  }
  for (const k of known) {
    const group = totals.get(`${attributeKey(k)}|${k.channel}|${k.purpose}|${k.hasContact}`);
    if (group) group.n -= k.n;
  }
  return [...known, ...[...totals.values()].filter((g) => g.n !== 0)];
}

/**
 * The coverage matrix from groups: per market, channel and purpose, states and how many may be contacted.
 * A group's decision depends only on its facts (expiry is already in `expired`), so `decisions` may carry them
 * from one call to the next under the same rules.
 */
export function matrixFromGroups(
  groups: readonly StateGroup[],
  policies: ReadonlyMap<PolicyKey, Policy>,
  now: Date,
  decisions: Map<string, boolean> = new Map(),
): CoverageCell[] {
  const cells = new Map<string, CoverageCell>();
  for (const g of groups) {
    const key = `${g.market}:${g.channel}:${g.purpose}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        market: g.market,
        channel: g.channel,
        purpose: g.purpose,
        total: 0,
        granted: 0,
        pending: 0,
        withdrawn: 0,
        unknown: 0,
        allowed: 0,
      };
      cells.set(key, cell);
    }
    cell.total += g.n;
    if (g.status === 'granted') cell.granted += g.n;
    else if (g.status === 'pending_confirmation') cell.pending += g.n;
    else if (g.status === 'withdrawn') cell.withdrawn += g.n;
    else cell.unknown += g.n;
    const factsKey = `${key}:${g.hasContact}:${g.status}:${g.confirmed}:${g.erased}:${g.exception}:${g.expired}:${g.marketplace}:${g.ownChannel}`;
    let allowed = decisions.get(factsKey);
    if (allowed === undefined) {
      allowed = evaluate(
        representative(g),
        g.channel,
        g.purpose,
        stateOf(g, now),
        resolvePolicy(policies, g.market, g.channel, g.purpose),
        now,
      ).allowed;
      decisions.set(factsKey, allowed);
    }
    if (allowed) cell.allowed += g.n;
  }
  return [...cells.values()];
}

/** Customers per market and decision reason for one channel and purpose, each group decided once by `evaluate`. */
export function reasonsFromGroups(
  groups: readonly StateGroup[],
  policies: ReadonlyMap<PolicyKey, Policy>,
  channel: Channel,
  purpose: Purpose,
  now: Date,
): Array<{ market: string; reason: string; n: number }> {
  const counts = new Map<string, { market: string; reason: string; n: number }>();
  for (const g of groups) {
    if (g.channel !== channel || g.purpose !== purpose || g.n === 0) continue;
    const { reason } = evaluate(
      representative(g),
      channel,
      purpose,
      stateOf(g, now),
      resolvePolicy(policies, g.market, channel, purpose),
      now,
    );
    const key = `${g.market}:${reason}`;
    const entry = counts.get(key);
    if (entry) entry.n += g.n;
    else counts.set(key, { market: g.market, reason, n: g.n });
  }
  return [...counts.values()];
}
