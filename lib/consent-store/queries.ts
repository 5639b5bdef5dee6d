import { asc } from 'drizzle-orm';
import { getDb } from '@/db';
import { marketPolicies } from '@/db/schema';
import { toPolicy } from './policies';

export async function listMarketPolicies() {
  const db = await getDb();
  const rows = await db
    .select()
    .from(marketPolicies)
    .orderBy(asc(marketPolicies.market), asc(marketPolicies.channel), asc(marketPolicies.purpose));
  return rows.map(toPolicy);
}
