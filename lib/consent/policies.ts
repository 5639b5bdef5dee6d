// The shipped per-market rules (PRODUCT.md), erring on the side of the customer, and how a market finds its rules.
import type { Channel, Policy, Purpose } from './types';
import { CHANNELS, PURPOSES } from './types';

/** The key of the fallback rules for EU markets that have no rules of their own. */
export const EU_FALLBACK = 'EU';

export const EU_MEMBER_STATES = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
] as const;

export const SHIPPED_MARKETS = ['DE', 'AT', 'PL', 'FR', 'NL', 'IT', 'ES'] as const;

type MarketRules = {
  /** Legal basis for marketing by e-mail, SMS and WhatsApp. */
  electronic: string;
  doubleOptIn: boolean;
  /** Channels where the existing-customer exception applies, and its basis. */
  exception: { channels: Channel[]; reference: string } | null;
  phone: string;
};

const MARKETS: Record<string, MarketRules> = {
  DE: {
    electronic: 'UWG §7(2) Nr. 2; double opt-in as proof: BGH I ZR 164/09',
    doubleOptIn: true,
    exception: {
      channels: ['email'],
      reference: 'UWG §7(3): own similar products, objection offered at collection and in every message',
    },
    phone: 'UWG §7(2) Nr. 1; proof kept 5 years: UWG §7a',
  },
  AT: {
    electronic: 'TKG 2021 §174',
    doubleOptIn: false,
    exception: { channels: ['email'], reference: 'TKG 2021 §174(4): own similar products, objection offered' },
    phone: 'TKG 2021 §174(1)',
  },
  PL: {
    electronic: 'PKE art. 398 (also B2B)',
    doubleOptIn: false,
    exception: null,
    phone: 'PKE art. 398',
  },
  FR: {
    electronic: 'CPCE L34-5',
    doubleOptIn: false,
    exception: {
      channels: ['email', 'sms'],
      reference: 'CPCE L34-5 al. 4: analogous products, only after an actual purchase',
    },
    phone: 'Code de la consommation L223-1: prior consent from 11 Aug 2026',
  },
  NL: {
    electronic: 'Telecommunicatiewet art. 11.7 (ePrivacy Art. 13(1))',
    doubleOptIn: false,
    exception: { channels: ['email'], reference: 'Telecommunicatiewet art. 11.7(3) (ePrivacy Art. 13(2))' },
    phone: 'ePrivacy Art. 13(3): prior consent as the safe default',
  },
  IT: {
    electronic: 'Codice privacy art. 130 (ePrivacy Art. 13(1))',
    doubleOptIn: false,
    exception: { channels: ['email'], reference: 'Codice privacy art. 130(4) (ePrivacy Art. 13(2))' },
    phone: 'ePrivacy Art. 13(3): prior consent as the safe default',
  },
  ES: {
    electronic: 'LSSI art. 21 (ePrivacy Art. 13(1))',
    doubleOptIn: false,
    exception: { channels: ['email'], reference: 'LSSI art. 21(2) (ePrivacy Art. 13(2))' },
    phone: 'ePrivacy Art. 13(3): prior consent as the safe default',
  },
  [EU_FALLBACK]: {
    electronic: 'ePrivacy Directive Art. 13(1)',
    doubleOptIn: false,
    exception: { channels: ['email'], reference: 'ePrivacy Directive Art. 13(2)' },
    phone: 'ePrivacy Art. 13(3): prior consent as the safe default',
  },
};

const TRANSACTIONAL_REFERENCE = 'GDPR Art. 6(1)(b): needed for the purchase; the customer may object to the channel';
const WHATSAPP_OPT_IN_REFERENCE = 'WhatsApp Business Messaging Policy: opt-in to WhatsApp messages required';

function policyFor(market: string, rules: MarketRules, channel: Channel, purpose: Purpose): Policy {
  if (purpose === 'transactional') {
    const whatsapp = channel === 'whatsapp';
    return {
      market,
      channel,
      purpose,
      priorConsentRequired: whatsapp,
      doubleOptInRequired: false,
      existingCustomerException: false,
      consentValidMonths: null,
      legalReference: whatsapp ? WHATSAPP_OPT_IN_REFERENCE : TRANSACTIONAL_REFERENCE,
    };
  }
  const exception = rules.exception?.channels.includes(channel) ? rules.exception : null;
  return {
    market,
    channel,
    purpose,
    priorConsentRequired: true,
    doubleOptInRequired: channel !== 'phone' && rules.doubleOptIn,
    existingCustomerException: exception !== null,
    consentValidMonths: null,
    legalReference:
      channel === 'phone' ? rules.phone : exception ? `${rules.electronic}; exception: ${exception.reference}` : rules.electronic,
  };
}

/** Every shipped rule: seven markets and the EU fallback, each for every channel and purpose. */
export function defaultPolicies(): Policy[] {
  return Object.entries(MARKETS).flatMap(([market, rules]) =>
    CHANNELS.flatMap((channel) => PURPOSES.map((purpose) => policyFor(market, rules, channel, purpose))),
  );
}

export type PolicyKey = `${string}:${Channel}:${Purpose}`;
export const policyKey = (market: string, channel: Channel, purpose: Purpose): PolicyKey => `${market}:${channel}:${purpose}`;

/** Finds the rule for a market: its own, else the EU fallback for EU member states, else none (not configured). */
export function resolvePolicy(policies: ReadonlyMap<PolicyKey, Policy>, market: string, channel: Channel, purpose: Purpose): Policy | null {
  const own = policies.get(policyKey(market, channel, purpose));
  if (own) return own;
  if ((EU_MEMBER_STATES as readonly string[]).includes(market)) {
    return policies.get(policyKey(EU_FALLBACK, channel, purpose)) ?? null;
  }
  return null;
}

export function indexPolicies(policies: readonly Policy[]): Map<PolicyKey, Policy> {
  return new Map(policies.map((p) => [policyKey(p.market, p.channel, p.purpose), p]));
}
