// Reads of the review queue for its page, the overview and the monitor.
import { and, asc, count, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { customers, replyReviews } from '@/db/schema';

export const QUEUE_PAGE_SIZE = 50;

export type QueuedReply = {
  id: number;
  messageId: string;
  phone: string;
  text: string;
  cue: string;
  receivedAt: Date;
  customers: Array<{ id: number; firstName: string | null; lastName: string | null; market: string }>;
};

/** Open replies, oldest first (the longest waiting on top), with the customers holding each phone. */
export async function listOpenReplies(page = 1, q?: Queryable): Promise<{ rows: QueuedReply[]; total: number; pages: number }> {
  const db = q ?? (await getDb());
  const open = eq(replyReviews.status, 'open');
  const [rows, total] = await Promise.all([
    db
      .select({ id: replyReviews.id, messageId: replyReviews.messageId, phone: replyReviews.phone, text: replyReviews.text, cue: replyReviews.cue, receivedAt: replyReviews.receivedAt })
      .from(replyReviews)
      .where(open)
      .orderBy(asc(replyReviews.receivedAt), asc(replyReviews.id))
      .limit(QUEUE_PAGE_SIZE)
      .offset((page - 1) * QUEUE_PAGE_SIZE),
    db.$count(replyReviews, open),
  ]);
  const phones = [...new Set(rows.map((r) => r.phone))];
  const owners = phones.length
    ? await db
        .select({ id: customers.id, phone: customers.phone, firstName: customers.firstName, lastName: customers.lastName, market: customers.market })
        .from(customers)
        .where(and(inArray(customers.phone, phones), isNull(customers.erasedAt)))
        .orderBy(asc(customers.id))
    : [];
  return {
    rows: rows.map((r) => ({ ...r, customers: owners.filter((c) => c.phone === r.phone).map(({ phone: _phone, ...c }) => c) })),
    total,
    pages: Math.max(1, Math.ceil(total / QUEUE_PAGE_SIZE)),
  };
}

/** How many replies wait for a decision. */
export async function openReplyCount(q?: Queryable): Promise<number> {
  const db = q ?? (await getDb());
  return db.$count(replyReviews, eq(replyReviews.status, 'open'));
}

/** Replies to review received per ISO week (Monday, UTC) between two days, and how many of them are still open. */
export async function repliesPerWeek(from: string, to: string, q?: Queryable): Promise<Array<{ week: string; received: number; open: number }>> {
  const db = q ?? (await getDb());
  const week = sql<string>`date_trunc('week', ${replyReviews.receivedAt} at time zone 'UTC')::date::text`;
  const rows = await db
    .select({ week, received: count(), open: sql<number>`count(*) filter (where ${replyReviews.status} = 'open')`.mapWith(Number) })
    .from(replyReviews)
    .where(and(gte(replyReviews.receivedAt, sql`${from}::date at time zone 'UTC'`), lt(replyReviews.receivedAt, sql`(${to}::date + 1) at time zone 'UTC'`)))
    .groupBy(week)
    .orderBy(week);
  return rows.map((r) => ({ week: r.week, received: Number(r.received), open: r.open }));
}
