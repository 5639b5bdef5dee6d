import { describe, expect, it } from 'vitest';
import { EU_FALLBACK, SHIPPED_MARKETS, defaultPolicies, indexPolicies, resolvePolicy } from './policies';
import { CHANNELS, PURPOSES } from './types';

describe('shipped market rules', () => {
  const policies = defaultPolicies();

  it('cover every market, channel and purpose once', () => {
    expect(policies).toHaveLength((SHIPPED_MARKETS.length + 1) * CHANNELS.length * PURPOSES.length);
    expect(indexPolicies(policies).size).toBe(policies.length);
  });

  it('require prior consent for all marketing', () => {
    for (const p of policies.filter((p) => p.purpose === 'marketing')) expect(p.priorConsentRequired).toBe(true);
  });

  it('never let a phone number alone open WhatsApp', () => {
    for (const p of policies.filter((p) => p.channel === 'whatsapp')) expect(p.priorConsentRequired).toBe(true);
  });

  it('allow the existing-customer exception only for e-mail, and SMS in France', () => {
    const withException = policies.filter((p) => p.existingCustomerException).map((p) => `${p.market}:${p.channel}`);
    expect(withException.sort()).toEqual(
      ['DE:email', 'AT:email', 'FR:email', 'FR:sms', 'NL:email', 'IT:email', 'ES:email', `${EU_FALLBACK}:email`].sort(),
    );
  });

  it('give every rule a legal reference', () => {
    for (const p of policies) expect(p.legalReference.length).toBeGreaterThan(3);
  });

  it('resolve non-EU markets to nothing', () => {
    expect(resolvePolicy(indexPolicies(policies), 'US', 'email', 'marketing')).toBeNull();
  });
});
