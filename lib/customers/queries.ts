import { desc } from 'drizzle-orm';
import { getDb } from '@/db';
import { customers } from '@/db/schema';

export const CUSTOMER_PAGE_SIZE = 50;

export async function listCustomers(page: number) {
  const db = await getDb();
  const [rows, total] = await Promise.all([
    db
      .select({
        id: customers.id,
        firstName: customers.firstName,
        lastName: customers.lastName,
        email: customers.email,
        phone: customers.phone,
        market: customers.market,
        source: customers.source,
        createdAt: customers.createdAt,
      })
      .from(customers)
      .orderBy(desc(customers.id))
      .limit(CUSTOMER_PAGE_SIZE)
      .offset((page - 1) * CUSTOMER_PAGE_SIZE),
    db.$count(customers),
  ]);
  return { rows, total, pages: Math.max(1, Math.ceil(total / CUSTOMER_PAGE_SIZE)) };
}
