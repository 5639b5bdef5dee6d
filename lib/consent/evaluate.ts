// May this message go to this customer? The one decision every count in the product is built from.
import { isAmazonRelayEmail, isSellerOwnSource } from './marketplace';
import type { Channel, ConsentState, CustomerFacts, Decision, Policy, Purpose } from './types';

function contactPoint(customer: CustomerFacts, channel: Channel): string | null {
  return channel === 'email' ? customer.email : customer.phone;
}

/** Calendar months in UTC, clamped to the end of a shorter month (31 Jan + 1 month = 28 Feb), as PostgreSQL counts them. */
export function addMonthsUtc(date: Date, months: number): Date {
  const target = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  target.setUTCHours(date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), date.getUTCMilliseconds());
  return target;
}

export function startOfMonthUtc(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
}

/**
 * Consent valid for N months counts whole calendar months from the month it was given and lapses at the start of
 * the Nth month after it: given in January 2026 with 24 months, it lapses on 1 January 2028. Counting from the
 * month's start never lets consent outlive its period, and lets coverage be counted per month of consent.
 */
export function consentExpiresAt(givenAt: Date, months: number): Date {
  return addMonthsUtc(startOfMonthUtc(givenAt), months);
}

/** An Amazon buyer: marked so (an Amazon order, an import that said so), or reachable only through a relay address. */
export function isMarketplaceBuyer(customer: CustomerFacts): boolean {
  return customer.marketplace !== null || isAmazonRelayEmail(customer.email);
}

/**
 * Whether a marketplace buyer gave this channel's contact point and consent through the seller's own channel: a
 * grant in force (pending or not) recorded from a seller-own source, with its own evidence. Amazon forbids marketing
 * to its buyers on any channel and allows order messages only through Buyer-Seller Messaging, so without such a grant
 * no purpose is open, transactional included. A relay address is Amazon's, never the seller's own contact point.
 */
function sellerOwnConsent(customer: CustomerFacts, channel: Channel, state: ConsentState): boolean {
  if (channel === 'email' && isAmazonRelayEmail(customer.email)) return false;
  return (state.status === 'granted' || state.status === 'pending_confirmation') && isSellerOwnSource(state.source);
}

/**
 * Decides for one customer, channel and purpose.
 * `state` is the consent state for that channel and purpose; `policy` the market's rule (null: market not configured).
 */
export function evaluate(
  customer: CustomerFacts,
  channel: Channel,
  purpose: Purpose,
  state: ConsentState,
  policy: Policy | null,
  now: Date,
): Decision {
  if (customer.erasedAt) return { allowed: false, reason: 'erased' };
  if (!policy) return { allowed: false, reason: 'market_not_configured' };
  if (!contactPoint(customer, channel)) return { allowed: false, reason: 'no_contact_point' };
  if (state.status === 'withdrawn') return { allowed: false, reason: 'withdrawn' };
  if (isMarketplaceBuyer(customer) && !sellerOwnConsent(customer, channel, state)) return { allowed: false, reason: 'marketplace_policy' };
  if (!policy.priorConsentRequired) return { allowed: true, reason: 'no_consent_required' };

  if (state.status === 'granted' || state.status === 'pending_confirmation') {
    if (state.status === 'pending_confirmation' || (policy.doubleOptInRequired && !state.confirmedAt)) {
      return { allowed: false, reason: 'confirmation_pending' };
    }
    const givenAt = state.confirmedAt ?? state.grantedAt;
    if (policy.consentValidMonths && givenAt && consentExpiresAt(givenAt, policy.consentValidMonths) <= now) {
      return { allowed: false, reason: 'consent_expired' };
    }
    return { allowed: true, reason: 'consent' };
  }

  if (purpose === 'marketing' && policy.existingCustomerException && customer.lastOrderAt && customer.objectionNoticeAt) {
    return { allowed: true, reason: 'existing_customer' };
  }
  return { allowed: false, reason: 'no_consent' };
}
