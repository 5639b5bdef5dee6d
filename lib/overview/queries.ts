import { and, count, desc, eq, gte, inArray, ne, sql } from 'drizzle-orm';
import { getDb } from '@/db';
import { complaints, consentEvents, customers } from '@/db/schema';
import { EVENT_KINDS } from '@/lib/consent';

const DAY = 86_400_000;

export async function overviewFigures(now = new Date()) {
  const db = await getDb();
  const weekAgo = new Date(now.getTime() - 7 * DAY);
  const [customerCount, events, optOuts, open] = await Promise.all([
    db.$count(customers),
    // Every kind named, so that the count reads the (kind, occurred_at) index.
    db.$count(consentEvents, and(inArray(consentEvents.kind, [...EVENT_KINDS]), gte(consentEvents.occurredAt, weekAgo))),
    db.$count(consentEvents, and(eq(consentEvents.kind, 'withdrawn'), gte(consentEvents.occurredAt, weekAgo))),
    db
      .select({ open: count(), urgent: sql<number>`count(*) filter (where ${complaints.urgent})`.mapWith(Number) })
      .from(complaints)
      .where(ne(complaints.status, 'resolved')),
  ]);
  return {
    customers: customerCount,
    eventsLast7Days: events,
    optOutsLast7Days: optOuts,
    openComplaints: open[0]?.open ?? 0,
    urgentComplaints: open[0]?.urgent ?? 0,
  };
}

/** Formal legal notices not yet resolved: shown on the overview until someone resolves them. */
export async function openLegalNotices() {
  const db = await getDb();
  return db
    .select({
      id: complaints.id,
      receivedAt: complaints.receivedAt,
      channel: complaints.channel,
      status: complaints.status,
      description: complaints.description,
      firstName: customers.firstName,
      lastName: customers.lastName,
    })
    .from(complaints)
    .leftJoin(customers, eq(customers.id, complaints.customerId))
    .where(and(eq(complaints.kind, 'legal_notice'), ne(complaints.status, 'resolved')))
    .orderBy(desc(complaints.receivedAt))
    .limit(10);
}
