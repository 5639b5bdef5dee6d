// Market rules as stored: the shipped defaults, and reading them into the consent core's shape.
import type { Queryable } from '@/db';
import { marketPolicies } from '@/db/schema';
import type { Policy, PolicyKey } from '@/lib/consent';
import { defaultPolicies, indexPolicies } from '@/lib/consent';

/** Inserts the shipped rules where a market has none yet; never overwrites an admin's change. */
export async function ensureDefaultPolicies(q: Queryable): Promise<number> {
  const rows = await q.insert(marketPolicies).values(defaultPolicies()).onConflictDoNothing().returning({ market: marketPolicies.market });
  return rows.length;
}

/** The consent core's view of a stored rule (or of an edited one). */
export function toPolicy(r: Policy): Policy {
  return {
    market: r.market,
    channel: r.channel,
    purpose: r.purpose,
    priorConsentRequired: r.priorConsentRequired,
    doubleOptInRequired: r.doubleOptInRequired,
    existingCustomerException: r.existingCustomerException,
    consentValidMonths: r.consentValidMonths,
    legalReference: r.legalReference,
  };
}

export async function loadPolicies(q: Queryable): Promise<Map<PolicyKey, Policy>> {
  return indexPolicies((await q.select().from(marketPolicies)).map(toPolicy));
}
