import { describe, expect, it } from 'vitest';
import { addMonthsUtc, consentExpiresAt, evaluate } from './evaluate';
import { foldLedger } from './ledger';
import { defaultPolicies, indexPolicies, resolvePolicy } from './policies';
import type { Channel, CustomerFacts, Decision, EventKind, LedgerEvent, Purpose } from './types';

const NOW = new Date('2026-11-24T12:00:00Z');
const POLICIES = indexPolicies(defaultPolicies());

type Facts = Partial<CustomerFacts>;
const base: CustomerFacts = {
  market: 'DE',
  email: 'kunde@example.de',
  phone: '+4915112345678',
  erasedAt: null,
  lastOrderAt: null,
  objectionNoticeAt: null,
  marketplace: null,
};
const existing: Facts = { lastOrderAt: new Date('2026-10-01'), objectionNoticeAt: new Date('2026-10-01') };
const boughtOnly: Facts = { lastOrderAt: new Date('2026-10-01') };

let id = 1;
const e = (kind: EventKind, day: string, extra: Partial<LedgerEvent> = {}): LedgerEvent => ({
  id: id++,
  kind,
  occurredAt: new Date(`${day}T10:00:00Z`),
  source: 'web_form',
  ...extra,
});
const GRANTED = [e('granted', '2026-06-01')];
const DOI_PENDING = [e('granted', '2026-06-01', { doubleOptIn: true })];
const DOI_CONFIRMED = [e('granted', '2026-06-01', { doubleOptIn: true }), e('confirmed', '2026-06-02')];
const WITHDRAWN = [e('granted', '2026-06-01'), e('withdrawn', '2026-07-01')];
const REGRANTED = [e('granted', '2026-06-01'), e('withdrawn', '2026-07-01'), e('granted', '2026-08-01')];
const LATE_OLD_GRANT = [e('withdrawn', '2026-07-01'), e('granted', '2026-05-01')];
const IMPORT_AFTER_WITHDRAWAL = [e('withdrawn', '2026-07-01'), e('granted', '2026-09-01', { source: 'import' })];
const NONE: LedgerEvent[] = [];
// Amazon buyers: marked by an import (an Amazon order source) or known by a relay address.
const amazon: Facts = { marketplace: 'amazon', email: null };
const amazonRelay: Facts = { marketplace: 'amazon', email: 'x7k2m9q4r8t1@marketplace.amazon.de' };
const relayOnly: Facts = { email: 'X7K2M9Q4R8T1@Marketplace.Amazon.co.uk' };
const amazonOwnEmail: Facts = { marketplace: 'amazon', email: 'jan.kowalski@wp.pl' };
const IMPORTED = [e('granted', '2026-06-01', { source: 'import' })];
const SUPPORT_CALL = [e('granted', '2026-06-01', { source: 'support_call' })];
const SUPPORT_CALL_DOI = [
  e('granted', '2026-06-01', { source: 'web_form', doubleOptIn: true }),
  e('confirmed', '2026-06-02', { source: 'web_form' }),
];
const CHECKOUT = [e('granted', '2026-06-01', { source: 'checkout' })];
const WHATSAPP_START = [e('granted', '2026-06-01', { source: 'whatsapp_keyword' })];
const IMPORT_AFTER_OWN = [e('granted', '2026-06-01', { source: 'web_form' }), e('granted', '2026-07-01', { source: 'import' })];
const OWN_WITHDRAWN = [e('granted', '2026-06-01', { source: 'web_form' }), e('withdrawn', '2026-07-01', { source: 'web_form' })];

const ok = (reason: Extract<Decision, { allowed: true }>['reason']): Decision => ({ allowed: true, reason });
const no = (reason: Extract<Decision, { allowed: false }>['reason']): Decision => ({ allowed: false, reason });

// Each row is one rule: market, channel, purpose, what we know of the customer, the ledger, and the decision.
const rows: Array<
  [rule: string, market: string, channel: Channel, purpose: Purpose, facts: Facts, events: LedgerEvent[], expected: Decision]
> = [
  // Germany: prior express consent, double opt-in as proof, exception for e-mail only.
  ['DE email marketing without consent', 'DE', 'email', 'marketing', {}, NONE, no('no_consent')],
  ['DE email marketing with confirmed double opt-in', 'DE', 'email', 'marketing', {}, DOI_CONFIRMED, ok('consent')],
  ['DE email marketing with double opt-in pending', 'DE', 'email', 'marketing', {}, DOI_PENDING, no('confirmation_pending')],
  ['DE email marketing with a single opt-in only', 'DE', 'email', 'marketing', {}, GRANTED, no('confirmation_pending')],
  [
    'DE email marketing to an existing customer told of the right to object',
    'DE',
    'email',
    'marketing',
    existing,
    NONE,
    ok('existing_customer'),
  ],
  ['DE email exception needs the objection notice, not only a purchase', 'DE', 'email', 'marketing', boughtOnly, NONE, no('no_consent')],
  ['DE email exception never overrides a withdrawal', 'DE', 'email', 'marketing', existing, WITHDRAWN, no('withdrawn')],
  ['DE SMS marketing: no exception for existing customers', 'DE', 'sms', 'marketing', existing, NONE, no('no_consent')],
  ['DE SMS marketing with confirmed double opt-in', 'DE', 'sms', 'marketing', {}, DOI_CONFIRMED, ok('consent')],
  ['DE WhatsApp marketing: no exception for existing customers', 'DE', 'whatsapp', 'marketing', existing, NONE, no('no_consent')],
  ['DE WhatsApp marketing with single opt-in only', 'DE', 'whatsapp', 'marketing', {}, GRANTED, no('confirmation_pending')],
  ['DE WhatsApp marketing with confirmed double opt-in', 'DE', 'whatsapp', 'marketing', {}, DOI_CONFIRMED, ok('consent')],
  ['DE WhatsApp marketing after withdrawal', 'DE', 'whatsapp', 'marketing', {}, WITHDRAWN, no('withdrawn')],
  ['DE phone marketing with express consent', 'DE', 'phone', 'marketing', {}, GRANTED, ok('consent')],
  ['DE phone marketing without consent', 'DE', 'phone', 'marketing', existing, NONE, no('no_consent')],
  ['DE WhatsApp transactional needs a WhatsApp opt-in', 'DE', 'whatsapp', 'transactional', existing, NONE, no('no_consent')],
  ['DE WhatsApp transactional with opt-in', 'DE', 'whatsapp', 'transactional', {}, GRANTED, ok('consent')],
  ['DE email transactional needs no marketing consent', 'DE', 'email', 'transactional', {}, NONE, ok('no_consent_required')],
  ['DE email transactional after objection to the channel', 'DE', 'email', 'transactional', {}, WITHDRAWN, no('withdrawn')],
  ['DE SMS transactional without a phone number', 'DE', 'sms', 'transactional', { phone: null }, NONE, no('no_contact_point')],
  // Austria: prior consent, double opt-in only recommended, e-mail exception.
  ['AT email marketing with single opt-in', 'AT', 'email', 'marketing', {}, GRANTED, ok('consent')],
  ['AT email marketing without consent', 'AT', 'email', 'marketing', {}, NONE, no('no_consent')],
  ['AT email marketing to an existing customer', 'AT', 'email', 'marketing', existing, NONE, ok('existing_customer')],
  ['AT SMS marketing to an existing customer still needs consent', 'AT', 'sms', 'marketing', existing, NONE, no('no_consent')],
  ['AT WhatsApp marketing with consent', 'AT', 'whatsapp', 'marketing', {}, GRANTED, ok('consent')],
  ['AT phone marketing without consent', 'AT', 'phone', 'marketing', {}, NONE, no('no_consent')],
  [
    'AT double opt-in still pending blocks even where not required',
    'AT',
    'email',
    'marketing',
    {},
    DOI_PENDING,
    no('confirmation_pending'),
  ],
  // Poland: prior consent, also B2B, no exception.
  ['PL email marketing with consent', 'PL', 'email', 'marketing', {}, GRANTED, ok('consent')],
  ['PL email marketing to an existing customer: no exception', 'PL', 'email', 'marketing', existing, NONE, no('no_consent')],
  ['PL SMS marketing without consent', 'PL', 'sms', 'marketing', {}, NONE, no('no_consent')],
  ['PL WhatsApp marketing with consent', 'PL', 'whatsapp', 'marketing', {}, GRANTED, ok('consent')],
  ['PL phone marketing with consent', 'PL', 'phone', 'marketing', {}, GRANTED, ok('consent')],
  ['PL phone marketing without consent', 'PL', 'phone', 'marketing', {}, NONE, no('no_consent')],
  ['PL WhatsApp transactional without opt-in', 'PL', 'whatsapp', 'transactional', {}, NONE, no('no_consent')],
  ['PL SMS transactional needs no consent', 'PL', 'sms', 'transactional', {}, NONE, ok('no_consent_required')],
  // France: prior consent, exception for e-mail and SMS after an actual purchase, phone consent from 11 Aug 2026.
  ['FR email marketing to an existing customer', 'FR', 'email', 'marketing', existing, NONE, ok('existing_customer')],
  ['FR SMS marketing to an existing customer', 'FR', 'sms', 'marketing', existing, NONE, ok('existing_customer')],
  ['FR SMS exception without a purchase', 'FR', 'sms', 'marketing', { objectionNoticeAt: new Date('2026-01-01') }, NONE, no('no_consent')],
  ['FR WhatsApp marketing: no exception', 'FR', 'whatsapp', 'marketing', existing, NONE, no('no_consent')],
  ['FR phone marketing needs prior consent', 'FR', 'phone', 'marketing', existing, NONE, no('no_consent')],
  ['FR phone marketing with consent', 'FR', 'phone', 'marketing', {}, GRANTED, ok('consent')],
  ['FR email marketing with consent', 'FR', 'email', 'marketing', {}, GRANTED, ok('consent')],
  // Netherlands, Italy, Spain: ePrivacy defaults.
  ['NL email marketing with consent', 'NL', 'email', 'marketing', {}, GRANTED, ok('consent')],
  ['NL email marketing to an existing customer', 'NL', 'email', 'marketing', existing, NONE, ok('existing_customer')],
  ['NL SMS marketing to an existing customer needs consent', 'NL', 'sms', 'marketing', existing, NONE, no('no_consent')],
  ['IT WhatsApp marketing without consent', 'IT', 'whatsapp', 'marketing', {}, NONE, no('no_consent')],
  ['IT phone marketing without consent (safe default)', 'IT', 'phone', 'marketing', {}, NONE, no('no_consent')],
  ['IT email marketing to an existing customer', 'IT', 'email', 'marketing', existing, NONE, ok('existing_customer')],
  ['ES SMS marketing with consent', 'ES', 'sms', 'marketing', {}, GRANTED, ok('consent')],
  ['ES email marketing after withdrawal', 'ES', 'email', 'marketing', {}, WITHDRAWN, no('withdrawn')],
  ['ES WhatsApp transactional with opt-in', 'ES', 'whatsapp', 'transactional', {}, GRANTED, ok('consent')],
  // Unknown markets: the EU fallback for member states, nothing for the rest.
  ['BE (EU, no own rules) email marketing with consent', 'BE', 'email', 'marketing', {}, GRANTED, ok('consent')],
  ['BE (EU, no own rules) email to an existing customer', 'BE', 'email', 'marketing', existing, NONE, ok('existing_customer')],
  ['SE (EU, no own rules) phone marketing without consent', 'SE', 'phone', 'marketing', {}, NONE, no('no_consent')],
  ['CZ (EU, no own rules) WhatsApp transactional without opt-in', 'CZ', 'whatsapp', 'transactional', {}, NONE, no('no_consent')],
  ['US (not configured) is blocked even with consent', 'US', 'email', 'marketing', {}, GRANTED, no('market_not_configured')],
  ['CH (not configured) transactional is blocked too', 'CH', 'email', 'transactional', {}, NONE, no('market_not_configured')],
  ['GB (not configured) WhatsApp marketing', 'GB', 'whatsapp', 'marketing', {}, DOI_CONFIRMED, no('market_not_configured')],
  // Withdrawals racing grants.
  ['an older grant delivered after a withdrawal does not re-open', 'PL', 'email', 'marketing', {}, LATE_OLD_GRANT, no('withdrawn')],
  ['a later evidenced grant re-opens the channel', 'PL', 'email', 'marketing', {}, REGRANTED, ok('consent')],
  ['a later imported grant never re-opens the channel', 'PL', 'sms', 'marketing', {}, IMPORT_AFTER_WITHDRAWAL, no('withdrawn')],
  ['a withdrawn WhatsApp opt-in blocks transactional WhatsApp', 'DE', 'whatsapp', 'transactional', {}, WITHDRAWN, no('withdrawn')],
  // Contact points and erasure.
  ['no e-mail address: no e-mail', 'PL', 'email', 'marketing', { email: null }, GRANTED, no('no_contact_point')],
  ['no phone: no WhatsApp, whatever the consent', 'PL', 'whatsapp', 'marketing', { phone: null }, GRANTED, no('no_contact_point')],
  ['no phone: no calls', 'FR', 'phone', 'marketing', { phone: null }, GRANTED, no('no_contact_point')],
  ['an erased customer is never contacted', 'PL', 'email', 'transactional', { erasedAt: new Date('2026-10-01') }, GRANTED, no('erased')],
  ['erasure comes before the market check', 'US', 'email', 'marketing', { erasedAt: new Date('2026-10-01') }, NONE, no('erased')],
  // Amazon buyers: Amazon forbids marketing on every channel and allows order messages only through Buyer-Seller
  // Messaging, so every channel and purpose is closed unless the buyer gave that contact point and consent through
  // the seller's own channel, with its own evidence.
  ['Amazon buyer: WhatsApp marketing without consent', 'DE', 'whatsapp', 'marketing', amazon, NONE, no('marketplace_policy')],
  [
    'Amazon buyer: an imported WhatsApp grant is Amazon data, not own consent',
    'PL',
    'whatsapp',
    'marketing',
    amazon,
    IMPORTED,
    no('marketplace_policy'),
  ],
  [
    'Amazon buyer: WhatsApp marketing granted on a web form and confirmed',
    'DE',
    'whatsapp',
    'marketing',
    amazon,
    SUPPORT_CALL_DOI,
    ok('consent'),
  ],
  [
    'Amazon buyer: WhatsApp marketing recorded by support with evidence',
    'PL',
    'whatsapp',
    'marketing',
    amazon,
    SUPPORT_CALL,
    ok('consent'),
  ],
  [
    'Amazon buyer: own grant still needs double opt-in where the market expects it',
    'DE',
    'whatsapp',
    'marketing',
    amazon,
    SUPPORT_CALL,
    no('confirmation_pending'),
  ],
  ['Amazon buyer: a grant on WhatsApp opens WhatsApp only, not SMS', 'PL', 'sms', 'marketing', amazon, NONE, no('marketplace_policy')],
  [
    'Amazon buyer: a START reply answers a conversation begun with Amazon data',
    'PL',
    'whatsapp',
    'transactional',
    amazon,
    WHATSAPP_START,
    no('marketplace_policy'),
  ],
  [
    'Amazon buyer: WhatsApp transactional to the shipping phone is not allowed',
    'DE',
    'whatsapp',
    'transactional',
    amazon,
    NONE,
    no('marketplace_policy'),
  ],
  [
    'Amazon buyer: SMS delivery notices need no consent elsewhere, but Amazon forbids them',
    'PL',
    'sms',
    'transactional',
    amazon,
    NONE,
    no('marketplace_policy'),
  ],
  [
    "Amazon buyer: SMS transactional with the number given at the seller's own checkout",
    'PL',
    'sms',
    'transactional',
    amazon,
    CHECKOUT,
    ok('no_consent_required'),
  ],
  ['Amazon buyer: phone calls for marketing', 'FR', 'phone', 'marketing', amazon, NONE, no('marketplace_policy')],
  [
    'Amazon buyer: the existing-customer exception does not cover an Amazon purchase',
    'DE',
    'email',
    'marketing',
    { ...amazonOwnEmail, ...existing },
    NONE,
    no('marketplace_policy'),
  ],
  [
    'Amazon buyer: e-mail marketing to the relay address, even with consent on record',
    'DE',
    'email',
    'marketing',
    amazonRelay,
    SUPPORT_CALL_DOI,
    no('marketplace_policy'),
  ],
  [
    'Amazon buyer: order e-mail to the relay address goes through Seller Central, not here',
    'PL',
    'email',
    'transactional',
    amazonRelay,
    NONE,
    no('marketplace_policy'),
  ],
  ['a relay address alone makes an Amazon buyer (any case)', 'AT', 'email', 'marketing', relayOnly, GRANTED, no('marketplace_policy')],
  ['a relay address alone closes SMS too', 'AT', 'sms', 'transactional', relayOnly, NONE, no('marketplace_policy')],
  ['Amazon buyer: own e-mail address and own newsletter consent', 'AT', 'email', 'marketing', amazonOwnEmail, SUPPORT_CALL, ok('consent')],
  [
    'Amazon buyer: a later import replaces the own grant in force',
    'PL',
    'email',
    'marketing',
    amazonOwnEmail,
    IMPORT_AFTER_OWN,
    no('marketplace_policy'),
  ],
  ['Amazon buyer: withdrawal is told as withdrawal', 'PL', 'whatsapp', 'marketing', amazon, OWN_WITHDRAWN, no('withdrawn')],
  [
    'Amazon buyer without a phone: no contact point first',
    'PL',
    'whatsapp',
    'marketing',
    { ...amazon, phone: null },
    NONE,
    no('no_contact_point'),
  ],
  ['Amazon buyer in a market without rules', 'US', 'email', 'transactional', amazonRelay, NONE, no('market_not_configured')],
];

describe('evaluate with the shipped rules', () => {
  it('has at least 60 rules', () => expect(rows.length).toBeGreaterThanOrEqual(60));

  it.each(rows)('%s', (_rule, market, channel, purpose, facts, events, expected) => {
    const customer = { ...base, ...facts, market };
    const policy = resolvePolicy(POLICIES, market, channel, purpose);
    expect(evaluate(customer, channel, purpose, foldLedger(events), policy, NOW)).toEqual(expected);
  });
});

describe('consent validity', () => {
  const policy = { ...resolvePolicy(POLICIES, 'PL', 'email', 'marketing')!, consentValidMonths: 24 };
  it.each([
    ['consent younger than the validity period is allowed', '2025-01-01', ok('consent')],
    ['consent given in the last month of the period is still allowed', '2024-12-31', ok('consent')],
    ['consent older than the validity period has expired', '2024-11-01', no('consent_expired')],
    ['consent lapses at the start of the month, whatever its day', '2024-11-30', no('consent_expired')],
  ] as const)('%s', (_rule, day, expected) => {
    const state = foldLedger([e('granted', day)]);
    expect(evaluate({ ...base, market: 'PL' }, 'email', 'marketing', state, policy, NOW)).toEqual(expected);
  });

  it('counts validity from the double opt-in confirmation', () => {
    const doi = { ...policy, doubleOptInRequired: true };
    const state = foldLedger([e('granted', '2024-11-01', { doubleOptIn: true }), e('confirmed', '2025-01-10')]);
    expect(evaluate({ ...base, market: 'PL' }, 'email', 'marketing', state, doi, NOW)).toEqual(ok('consent'));
  });
});

describe('addMonthsUtc', () => {
  it.each([
    ['2026-01-31T10:00:00Z', 1, '2026-02-28T10:00:00.000Z'],
    ['2024-01-31T10:00:00Z', 1, '2024-02-29T10:00:00.000Z'],
    ['2026-03-31T23:30:00Z', 6, '2026-09-30T23:30:00.000Z'],
    ['2026-11-15T00:00:00Z', 3, '2027-02-15T00:00:00.000Z'],
    ['2025-12-31T12:00:00Z', 24, '2027-12-31T12:00:00.000Z'],
  ])('%s + %i months = %s', (from, months, to) => {
    expect(addMonthsUtc(new Date(from), months).toISOString()).toBe(to);
  });
});

describe('consentExpiresAt', () => {
  it.each([
    ['2026-01-20T15:00:00Z', 24, '2028-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00Z', 1, '2026-02-01T00:00:00.000Z'],
    ['2025-12-31T23:59:59Z', 12, '2026-12-01T00:00:00.000Z'],
  ])('given %s, valid %i months: lapses %s', (given, months, lapses) => {
    expect(consentExpiresAt(new Date(given), months).toISOString()).toBe(lapses);
  });
});
