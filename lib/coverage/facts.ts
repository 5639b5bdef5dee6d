// Coverage from aggregated facts: each group of customers that share everything the decision looks at is decided
// once by `evaluate`, and counted as many times as it has members.
import type { Channel, ConsentState, CustomerFacts, Policy, PolicyKey, Purpose, Status } from '@/lib/consent';
import { CHANNELS, PURPOSES, UNKNOWN_STATE, evaluate, resolvePolicy } from '@/lib/consent';
import type { CoverageCell } from './matrix';

/** Customers per key, whatever their consent (coverage_customers). */
export type CustomerGroup = {
  market: string;
  source: string;
  importBatchId: number | null;
  erased: boolean;
  exception: boolean;
  hasEmail: boolean;
  hasPhone: boolean;
  n: number;
};

/** Customer, channel and purpose states per key (coverage_current, or a sum of coverage_deltas). */
export type StateGroup = {
  market: string;
  source: string;
  importBatchId: number | null;
  erased: boolean;
  exception: boolean;
  channel: Channel;
  purpose: Purpose;
  hasContact: boolean;
  status: Status;
  confirmed: boolean;
  givenMonth: string | null;
  n: number;
};

const EPOCH = new Date(0);

function attributeKey(g: { market: string; source: string; importBatchId: number | null; erased: boolean; exception: boolean }): string {
  return `${g.market}|${g.source}|${g.importBatchId ?? ''}|${g.erased}|${g.exception}`;
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
  };
}

function stateOf(g: StateGroup): ConsentState {
  if (g.status === 'unknown') return UNKNOWN_STATE;
  const given = g.givenMonth ? new Date(`${g.givenMonth}T00:00:00Z`) : null;
  return { ...UNKNOWN_STATE, status: g.status, grantedAt: given, confirmedAt: g.confirmed ? given : null };
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
        else totals.set(key, { ...c, channel, purpose, hasContact, status: 'unknown', confirmed: false, givenMonth: null, n: c.n });
      }
    }
  }
  for (const k of known) {
    const group = totals.get(`${attributeKey(k)}|${k.channel}|${k.purpose}|${k.hasContact}`);
    if (group) group.n -= k.n;
  }
  return [...known, ...[...totals.values()].filter((g) => g.n !== 0)];
}

/** The coverage matrix from groups: per market, channel and purpose, states and how many may be contacted. */
export function matrixFromGroups(groups: readonly StateGroup[], policies: ReadonlyMap<PolicyKey, Policy>, now: Date): CoverageCell[] {
  const cells = new Map<string, CoverageCell>();
  for (const g of groups) {
    const key = `${g.market}:${g.channel}:${g.purpose}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { market: g.market, channel: g.channel, purpose: g.purpose, total: 0, granted: 0, pending: 0, withdrawn: 0, unknown: 0, allowed: 0 };
      cells.set(key, cell);
    }
    cell.total += g.n;
    if (g.status === 'granted') cell.granted += g.n;
    else if (g.status === 'pending_confirmation') cell.pending += g.n;
    else if (g.status === 'withdrawn') cell.withdrawn += g.n;
    else cell.unknown += g.n;
    const decision = evaluate(representative(g), g.channel, g.purpose, stateOf(g), resolvePolicy(policies, g.market, g.channel, g.purpose), now);
    if (decision.allowed) cell.allowed += g.n;
  }
  return [...cells.values()];
}
