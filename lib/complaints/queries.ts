import { desc, eq } from 'drizzle-orm';
import { getDb } from '@/db';
import { complaints, customers } from '@/db/schema';

export async function latestComplaints(limit = 50) {
  const db = await getDb();
  return db
    .select({
      id: complaints.id,
      receivedAt: complaints.receivedAt,
      kind: complaints.kind,
      channel: complaints.channel,
      status: complaints.status,
      urgent: complaints.urgent,
      firstName: customers.firstName,
      lastName: customers.lastName,
      contactEmail: complaints.contactEmail,
      contactPhone: complaints.contactPhone,
    })
    .from(complaints)
    .leftJoin(customers, eq(customers.id, complaints.customerId))
    .orderBy(desc(complaints.receivedAt))
    .limit(limit);
}
