// The decision a sending system asks for before each send: `evaluate` on the customer's state and market rule, read
// in one statement. With several records holding the e-mail or phone asked about, it is allowed only if each is.
import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { readPrepared } from '@/db/sql';
import type { ConsentState, CustomerFacts, Policy } from '@/lib/consent';
import { EU_FALLBACK, EU_MEMBER_STATES, UNKNOWN_STATE, evaluate, legalReferenceOf } from '@/lib/consent';
import type { ApiOutcome } from './consent';
import type { DecisionAnswer, DecisionQuery } from './schemas';

const EU_LIST = sql.raw(EU_MEMBER_STATES.map((m) => `'${m}'`).join(', '));
/** More records than this sharing one e-mail or phone is a data problem; the first ones still decide. */
const MAX_HOLDERS = 50;

type Row = {
  id: unknown;
  market: string;
  email: string | null;
  phone: string | null;
  erased_at: unknown;
  last_order_at: unknown;
  objection_notice_at: unknown;
  marketplace: string | null;
  status: ConsentState['status'] | null;
  granted_at: unknown;
  confirmed_at: unknown;
  withdrawn_at: unknown;
  last_event_id: unknown;
  last_occurred_at: unknown;
  source: string | null;
  policy_market: string | null;
  prior_consent_required: boolean;
  double_opt_in_required: boolean;
  existing_customer_exception: boolean;
  consent_valid_months: number | null;
  legal_reference: string;
};

const date = (v: unknown) => (v == null ? null : new Date(v as string));

function whereOf(ref: DecisionQuery['ref']): SQL {
  switch (ref.by) {
    case 'id':
      return sql`c.id = ${ref.customerId}`;
    case 'externalId':
      return sql`c.external_id = ${ref.externalId}`;
    case 'email':
      return sql`c.email = ${ref.email} and c.erased_at is null`;
    case 'phone':
      return sql`c.phone = ${ref.phone} and c.erased_at is null`;
  }
}

/** The customer's facts, their state for the channel and purpose, and the market's rule (own, else the EU fallback). */
function decisionSql(query: DecisionQuery): SQL {
  const { channel, purpose } = query;
  return sql`
    select c.id, c.market, c.email, c.phone, c.erased_at, c.last_order_at, c.objection_notice_at, c.marketplace,
      s.status, s.granted_at, s.confirmed_at, s.withdrawn_at, s.last_event_id, s.last_occurred_at, s.source,
      p.market as policy_market, p.prior_consent_required, p.double_opt_in_required, p.existing_customer_exception,
      p.consent_valid_months, p.legal_reference
    from customers c
    left join consent_state s on s.customer_id = c.id and s.channel = ${channel} and s.purpose = ${purpose}
    left join lateral (
      select * from market_policies mp
      where mp.channel = ${channel} and mp.purpose = ${purpose}
        and (mp.market = c.market or (mp.market = ${EU_FALLBACK} and c.market in (${EU_LIST})))
      order by mp.market = c.market desc
      limit 1) p on true
    where ${whereOf(query.ref)}
    order by c.id
    limit ${MAX_HOLDERS}`;
}

function factsOf(row: Row, { channel, purpose }: DecisionQuery): { facts: CustomerFacts; state: ConsentState; policy: Policy | null } {
  const facts: CustomerFacts = {
    market: row.market,
    email: row.email,
    phone: row.phone,
    erasedAt: date(row.erased_at),
    lastOrderAt: date(row.last_order_at),
    objectionNoticeAt: date(row.objection_notice_at),
    marketplace: row.marketplace,
  };
  const state: ConsentState = row.status
    ? {
        status: row.status,
        grantedAt: date(row.granted_at),
        confirmedAt: date(row.confirmed_at),
        withdrawnAt: date(row.withdrawn_at),
        lastEventId: Number(row.last_event_id),
        lastOccurredAt: date(row.last_occurred_at),
        source: row.source,
      }
    : UNKNOWN_STATE;
  const policy: Policy | null = row.policy_market
    ? {
        market: row.policy_market,
        channel,
        purpose,
        priorConsentRequired: row.prior_consent_required,
        doubleOptInRequired: row.double_opt_in_required,
        existingCustomerException: row.existing_customer_exception,
        consentValidMonths: row.consent_valid_months,
        legalReference: row.legal_reference,
      }
    : null;
  return { facts, state, policy };
}

export async function decide(q: Queryable, query: DecisionQuery, now: Date = new Date()): Promise<ApiOutcome<DecisionAnswer>> {
  const rows = await readPrepared<Row>(q, decisionSql(query));
  if (rows.length === 0) return { ok: false, problem: 'notFound', detail: 'No customer matches.' };
  const decisions = rows.map((row) => {
    const { facts, state, policy } = factsOf(row, query);
    const decision = evaluate(facts, query.channel, query.purpose, state, policy, now);
    return {
      customerId: Number(row.id),
      market: row.market,
      allowed: decision.allowed,
      reason: decision.reason,
      legalReference: legalReferenceOf(decision.reason, policy),
    };
  });
  const speaking = decisions.find((d) => !d.allowed) ?? decisions[0]!;
  return {
    ok: true,
    answer: {
      allowed: speaking.allowed,
      reason: speaking.reason,
      legalReference: speaking.legalReference,
      channel: query.channel,
      purpose: query.purpose,
      customerId: speaking.customerId,
      market: speaking.market,
      decidedAt: now.toISOString(),
      customers: decisions,
    },
  };
}
