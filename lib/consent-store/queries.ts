import { asc } from 'drizzle-orm';
import { getDb } from '@/db';
import { marketPolicies } from '@/db/schema';

export async function listMarketPolicies() {
  const db = await getDb();
  return db
    .select({
      market: marketPolicies.market,
      channel: marketPolicies.channel,
      purpose: marketPolicies.purpose,
      priorConsentRequired: marketPolicies.priorConsentRequired,
      doubleOptInRequired: marketPolicies.doubleOptInRequired,
      existingCustomerException: marketPolicies.existingCustomerException,
      consentValidMonths: marketPolicies.consentValidMonths,
      legalReference: marketPolicies.legalReference,
    })
    .from(marketPolicies)
    .orderBy(asc(marketPolicies.market), asc(marketPolicies.channel), asc(marketPolicies.purpose));
}
