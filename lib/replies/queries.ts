// Reads of the review queue for its page, the overview and the monitor.
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Queryable } from '@/db';
import { getDb } from '@/db';
import { auditLog, customers, replyReviews } from '@/db/schema';
import { RESUME_SIGNAL_ACTION } from '@/lib/whatsapp/inbound';

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
      .select({
        id: replyReviews.id,
        messageId: replyReviews.messageId,
        phone: replyReviews.phone,
        text: replyReviews.text,
        cue: replyReviews.cue,
        receivedAt: replyReviews.receivedAt,
      })
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
        .select({
          id: customers.id,
          phone: customers.phone,
          firstName: customers.firstName,
          lastName: customers.lastName,
          market: customers.market,
        })
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
export async function repliesPerWeek(
  from: string,
  to: string,
  q?: Queryable,
): Promise<Array<{ week: string; received: number; open: number }>> {
  const db = q ?? (await getDb());
  const week = sql<string>`date_trunc('week', ${replyReviews.receivedAt} at time zone 'UTC')::date::text`;
  const rows = await db
    .select({ week, received: count(), open: sql<number>`count(*) filter (where ${replyReviews.status} = 'open')`.mapWith(Number) })
    .from(replyReviews)
    .where(
      and(
        gte(replyReviews.receivedAt, sql`${from}::date at time zone 'UTC'`),
        lt(replyReviews.receivedAt, sql`(${to}::date + 1) at time zone 'UTC'`),
      ),
    )
    .groupBy(week)
    .orderBy(week);
  return rows.map((r) => ({ week: r.week, received: Number(r.received), open: r.open }));
}

/**
 * What the customer's timeline shows beside the ledger: replies from their phone still waiting for review, and the
 * setting's resumes that were signals, not consent.
 */
export async function customerReplySignals(customerId: number, phone: string | null, q?: Queryable) {
  const db = q ?? (await getDb());
  const [open, resumes] = await Promise.all([
    phone
      ? db
          .select({ id: replyReviews.id, text: replyReviews.text, receivedAt: replyReviews.receivedAt })
          .from(replyReviews)
          .where(and(eq(replyReviews.phone, phone), eq(replyReviews.status, 'open')))
          .orderBy(asc(replyReviews.receivedAt))
          .limit(20)
      : [],
    db
      .select({ id: auditLog.id, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.entity, 'customer'), eq(auditLog.entityId, String(customerId)), eq(auditLog.action, RESUME_SIGNAL_ACTION)))
      .orderBy(desc(auditLog.at))
      .limit(20),
  ]);
  return {
    open,
    resumes: resumes
      .map((r) => ({ id: r.id, occurredAt: new Date(String((r.after as { occurredAt?: string } | null)?.occurredAt ?? '')) }))
      .filter((r) => !Number.isNaN(r.occurredAt.getTime())),
  };
}
